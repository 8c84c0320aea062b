//! IAM groups.

use serde_json::Value;

use super::*;
use crate::app::model::data::Fact;

pub static KIND: Kind = Kind {
    view: ViewKind::Groups,
    names: &["groups", "group", "grp", "g"],
    title: "Groups",
    columns: &[
        col("NAME", 0),
        col("PATH", 2),
        num("MEMBERS", 0),
        col("CREATED", 1),
        col("ARN", 3),
    ],
    sort: Some(0),
    lists: &[ViewKind::Groups],
    pages: &[paged!(ListGroups, Groups, d => d.groups)],
    rows,
    status: |d| one(&d.groups),
};

fn rows(data: &AccountData, _: RowOptions) -> Vec<Row> {
    data.groups
        .items
        .iter()
        .map(|g| {
            let members = data.members.get(&g.name).map(Vec::len);
            let mut r = row(
                Some(Target::group(&g.name)),
                Some(g.arn.clone()),
                vec![
                    g.name.clone(),
                    g.path.clone(),
                    members.map_or_else(
                        || {
                            data.unavailable(Fact::Members, &g.name)
                                .map_or("…", |u| u.word())
                                .into()
                        },
                        |m| m.to_string(),
                    ),
                    date(Some(g.create_date)),
                    g.arn.clone(),
                ],
            );
            r.numbers[2] = members.map(|m| m as i64);
            r.json = shape::text(shape::group(g));
            r
        })
        .collect()
}

main_reply!(GroupDetail, Group);

pub static DETAIL: DetailKind = DetailKind {
    view: ViewKind::Groups,
    noun: "group",
    name: super::same,
    entity: Some(EntityKind::Group),
    tabs: &[Tab::Permissions, Tab::Members, Tab::Json],
    calls: |name| vec![(Part::Main, Call::GetGroup { name: name.into() })],
    facts: |d| {
        main_facts(
            d,
            d.main::<GroupDetail>(),
            &[
                ("ARN", |g| g.group.arn.clone()),
                ("Path", |g| g.group.path.clone()),
                ("Created", |g| date(Some(g.group.create_date))),
                ("Members", |g| g.members.len().to_string()),
            ],
        )
    },
    json: |d| {
        let base = d
            .main::<GroupDetail>()
            .map_or_else(|| serde_json::json!({}), |g| shape::group(&g.group));
        shape::with(
            base,
            vec![
                (
                    "Users",
                    d.main::<GroupDetail>()
                        .map_or(Value::Null, |g| g.members.iter().map(shape::user).collect()),
                ),
                (
                    "AttachedPolicies",
                    d.attached.as_deref().map_or(Value::Null, shape::attached),
                ),
                ("GroupPolicies", super::users::inline(d)),
            ],
        )
    },
    delete: |name| Ok(Call::DeleteGroup { name: name.into() }),
    tags: |_| Err("IAM does not tag groups"),
};
