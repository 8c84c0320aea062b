//! Managed policies.

use serde_json::Value;

use super::*;

pub static KIND: Kind = Kind {
    view: ViewKind::Policies,
    names: &["policies", "policy", "pol", "p"],
    title: "Policies",
    columns: &[
        col("NAME", 0),
        col("TYPE", 0),
        num("ATTACHED", 0),
        col("DEFAULT", 2),
        col("UPDATED", 1),
        col("PATH", 3),
    ],
    sort: Some(0),
    lists: &[ViewKind::Policies],
    pages: &[paged!(ListPolicies, Policies, d => d.policies)],
    rows,
    status: |d| one(&d.policies),
};

fn rows(data: &AccountData, _: RowOptions) -> Vec<Row> {
    data.policies
        .items
        .iter()
        .map(|p| {
            let mut r = row(
                Some(Target::policy(&p.arn)),
                Some(p.arn.clone()),
                vec![
                    p.name.clone(),
                    if p.is_aws_managed() {
                        "AWS"
                    } else {
                        "customer"
                    }
                    .into(),
                    p.attachment_count.to_string(),
                    p.default_version_id.clone(),
                    date(Some(p.update_date)),
                    p.path.clone(),
                ],
            );
            r.numbers[2] = Some(p.attachment_count.into());
            r.json = shape::text(shape::policy(p));
            r
        })
        .collect()
}

main_reply!(ManagedPolicy, Policy);

pub static DETAIL: DetailKind = DetailKind {
    view: ViewKind::Policies,
    noun: "policy",
    name: super::last,
    entity: None,
    tabs: &[Tab::Versions, Tab::AttachedTo, Tab::Tags, Tab::Json],
    calls: |arn| {
        let arn = arn.to_string();
        let mut calls = vec![
            (Part::Main, Call::GetPolicy { arn: arn.clone() }),
            (Part::Versions, Call::PolicyVersions { arn: arn.clone() }),
            (
                Part::Entities,
                Call::EntitiesForPolicy {
                    arn: arn.clone(),
                    usage: PolicyUsage::PermissionsPolicy,
                },
            ),
            (
                Part::BoundaryOf,
                Call::EntitiesForPolicy {
                    arn: arn.clone(),
                    usage: PolicyUsage::PermissionsBoundary,
                },
            ),
        ];
        // AWS managed policies cannot be tagged.
        if !is_aws_managed_arn(&arn) {
            calls.push((
                Part::Tags,
                Call::Tags {
                    target: TagTarget::Policy(arn.clone()),
                },
            ));
        }
        calls
    },
    facts: |d| {
        main_facts(
            d,
            d.main::<ManagedPolicy>(),
            &[
                ("ARN", |p| p.arn.clone()),
                ("Default version", |p| p.default_version_id.clone()),
                ("Attachments", |p| p.attachment_count.to_string()),
                ("Created", |p| date(Some(p.create_date))),
                ("Updated", |p| date(Some(p.update_date))),
            ],
        )
    },
    json: |d| {
        let base = d
            .main::<ManagedPolicy>()
            .map_or_else(|| serde_json::json!({}), shape::policy);
        let versions = d.versions.as_ref().map_or(Value::Null, |v| {
            v.iter()
                .map(|v| {
                    let doc = v
                        .document
                        .as_deref()
                        .or(d.version_docs.get(&v.version_id).map(String::as_str));
                    shape::with(shape::version(v), vec![("Document", shape::document(doc))])
                })
                .collect()
        });
        let entities = |e: &Option<PolicyEntities>| {
            e.as_ref().map_or(Value::Null, |e| {
                serde_json::json!({
                    "PolicyUsers": e.users.iter().map(|n| serde_json::json!({"UserName": n})).collect::<Vec<_>>(),
                    "PolicyGroups": e.groups.iter().map(|n| serde_json::json!({"GroupName": n})).collect::<Vec<_>>(),
                    "PolicyRoles": e.roles.iter().map(|n| serde_json::json!({"RoleName": n})).collect::<Vec<_>>(),
                })
            })
        };
        shape::with(
            base,
            vec![
                ("PolicyVersionList", versions),
                ("AttachedTo", entities(&d.entities)),
                ("BoundaryOf", entities(&d.boundary_of)),
                ("Tags", d.tags.as_deref().map_or(Value::Null, shape::tags)),
            ],
        )
    },
    delete: |arn| match is_aws_managed_arn(arn) {
        false => Ok(Call::DeletePolicy { arn: arn.into() }),
        true => Err("deletes customer-managed policies: AWS managed ones cannot be"),
    },
    tags: |arn| match is_aws_managed_arn(arn) {
        false => Ok(TagTarget::Policy(arn.into())),
        true => Err("AWS managed policies cannot be tagged"),
    },
};
