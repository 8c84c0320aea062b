//! Instance profiles: how an EC2 instance carries a role.

use serde_json::Value;

use super::*;

pub static KIND: Kind = Kind {
    view: ViewKind::InstanceProfiles,
    names: &["instanceprofiles", "instanceprofile", "ip"],
    title: "Instance profiles",
    columns: &[
        col("NAME", 0),
        col("PATH", 3),
        col("ROLES", 0),
        col("CREATED", 1),
        col("ARN", 2),
    ],
    sort: Some(0),
    lists: &[ViewKind::InstanceProfiles],
    pages: &[
        paged!(ListInstanceProfiles, InstanceProfilePage, d => d.list_mut::<InstanceProfile>()),
    ],
    rows: |data, _| {
        data.list::<InstanceProfile>()
            .into_iter()
            .flat_map(|l| &l.items)
            .map(|p| {
                let mut r = row(
                    Some(Target::of_kind(&DETAIL, &p.name)),
                    Some(p.arn.clone()),
                    vec![
                        p.name.clone(),
                        p.path.clone(),
                        p.roles.join(", "),
                        date(Some(p.create_date)),
                        p.arn.clone(),
                    ],
                );
                r.json = shape::text(shape::instance_profile(p));
                r
            })
            .collect()
    },
    status: one_of::<InstanceProfile>,
};

main_reply!(InstanceProfile, InstanceProfile);

pub static DETAIL: DetailKind = DetailKind {
    view: ViewKind::InstanceProfiles,
    noun: "instance profile",
    name: super::same,
    entity: None,
    tabs: &[Tab::Roles, Tab::Tags, Tab::Json],
    calls: |name| vec![(Part::Main, Call::GetInstanceProfile { name: name.into() })],
    facts: |d| {
        main_facts(
            d,
            d.main::<InstanceProfile>(),
            &[
                ("ARN", |p| p.arn.clone()),
                ("Path", |p| p.path.clone()),
                ("Created", |p| date(Some(p.create_date))),
                ("Roles", |p| match p.roles.is_empty() {
                    true => "none".into(),
                    false => p.roles.join(", "),
                }),
            ],
        )
    },
    json: |d| {
        d.main::<InstanceProfile>()
            .map_or(Value::Object(Default::default()), shape::instance_profile)
    },
    delete: |name| {
        Ok(Call::DeleteInstanceProfile {
            name: name.to_string(),
        })
    },
    tags: |name| Ok(TagTarget::InstanceProfile(name.into())),
};
