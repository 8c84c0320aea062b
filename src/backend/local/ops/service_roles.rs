//! Service-linked roles: IAM names each for its service, puts it under
//! `/aws-service-role/SERVICE/` and lets only the service's own calls change or delete it.
//! Deleting one is a task whose status is asked for; the local account has no service using
//! the role, so the task succeeds at once.

use crate::iam::error::Result;
use crate::iam::types::*;

use super::super::call::Call;
use super::super::model::{Named, RoleRecord};
use super::super::names::{check_description, unique_id};
use super::identities::{named, role_of};
use super::{ROLES, quota};

/// The names IAM gives the service-linked roles of some services (IAM User Guide, "AWS services
/// that work with IAM", each service's "Using service-linked roles" page). Others get the
/// service's first label with its first letter raised.
const NAMES: &[(&str, &str)] = &[
    ("autoscaling", "AutoScaling"),
    ("cloudtrail", "CloudTrail"),
    ("config", "Config"),
    ("ecs", "ECS"),
    ("eks", "AmazonEKS"),
    ("elasticache", "ElastiCache"),
    ("elasticbeanstalk", "ElasticBeanstalk"),
    ("elasticloadbalancing", "ElasticLoadBalancing"),
    ("guardduty", "AmazonGuardDuty"),
    ("organizations", "Organizations"),
    ("rds", "RDS"),
    ("redshift", "Redshift"),
    ("securityhub", "SecurityHub"),
    ("ssm", "AmazonSSM"),
    ("support", "Support"),
    ("trustedadvisor", "TrustedAdvisor"),
];

fn role_name(service: &str, suffix: Option<&str>) -> String {
    let label = service.split('.').next().unwrap_or(service);
    let base = NAMES.iter().find(|(s, _)| *s == label).map_or_else(
        || {
            label
                .split('-')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect::<String>())
                        .unwrap_or_default()
                })
                .collect()
        },
        |(_, n)| n.to_string(),
    );
    match suffix {
        Some(s) => format!("AWSServiceRoleFor{base}_{s}"),
        None => format!("AWSServiceRoleFor{base}"),
    }
}

pub fn create_service_linked_role(c: &mut Call<'_>, req: CreateServiceLinkedRole) -> Result<Role> {
    let service = req.service.trim().to_string();
    if !service.ends_with(".amazonaws.com") || service.split('.').count() < 3 {
        return c.fail(
            "InvalidInput",
            format!("Invalid service principal name: {service}"),
        );
    }
    if let Some(d) = &req.description {
        check_description(c.operation, d)?;
    }
    if let Some(s) = &req.suffix
        && (s.is_empty()
            || s.len() > 64
            || !s
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "+=,.@_-".contains(ch)))
    {
        return c.fail("InvalidInput", format!("Invalid custom suffix: {s}"));
    }
    let name = role_name(&service, req.suffix.as_deref());
    let path = format!("/aws-service-role/{service}/");
    c.authorize("iam:CreateServiceLinkedRole", &c.arn("role", &path, &name))?;
    if c.account.roles.contains(&name) {
        return c.fail(
            "InvalidInput",
            format!(
                "Service role name {name} has been taken in this account, please try a different suffix."
            ),
        );
    }
    quota(c, c.account.roles.len(), ROLES, "RolesPerAccount")?;
    let trust = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": [service]},
            "Action": ["sts:AssumeRole"]
        }]
    });
    let record = RoleRecord {
        name,
        role_id: unique_id("AROA"),
        path,
        create_date: c.now,
        description: req.description,
        max_session_duration: 3600,
        assume_role_policy: trust.to_string(),
        ..Default::default()
    };
    let role = role_of(c.account_id(), &record, true);
    c.account.roles.insert(record);
    Ok(role)
}

pub fn delete_service_linked_role(c: &mut Call<'_>, name: &str) -> Result<String> {
    let arn = {
        let r = named(c, &c.account.roles, "role", name)?;
        super::super::call::iam_arn(c.account_id(), "role", &r.path, &r.name)
    };
    c.authorize("iam:DeleteServiceLinkedRole", &arn)?;
    let r = named(c, &c.account.roles, "role", name)?;
    let Some(service) = r
        .path
        .strip_prefix("/aws-service-role/")
        .map(|s| s.trim_end_matches('/').to_string())
    else {
        return c.fail(
            "InvalidInput",
            format!("Role {name} is not a service-linked role: delete it with DeleteRole"),
        );
    };
    let key = r.table_key().to_string();
    let task = format!("task/aws-service-role/{service}/{}/{}", r.name, uuid_like());
    c.account.roles.remove(&key);
    c.account
        .instance_profiles
        .iter_mut()
        .for_each(|p| p.roles.retain(|x| !x.eq_ignore_ascii_case(name)));
    c.account.role_deletions.insert(
        task.clone(),
        RoleDeletion {
            status: "SUCCEEDED".into(),
            reason: None,
            usages: Vec::new(),
        },
    );
    Ok(task)
}

pub fn get_service_linked_role_deletion_status(
    c: &mut Call<'_>,
    task_id: &str,
) -> Result<RoleDeletion> {
    c.authorize("iam:GetServiceLinkedRoleDeletionStatus", "*")?;
    match c.account.role_deletions.get(task_id) {
        Some(t) => Ok(t.clone()),
        None => c.fail(
            "NoSuchEntity",
            format!("Deletion task {task_id} cannot be found."),
        ),
    }
}

/// A random id in the shape IAM's task ids end with.
fn uuid_like() -> String {
    let hex = unique_id("").to_lowercase();
    format!("{}-{}", &hex[..8], &hex[8..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_named_for_their_service() {
        assert_eq!(
            role_name("elasticbeanstalk.amazonaws.com", None),
            "AWSServiceRoleForElasticBeanstalk"
        );
        assert_eq!(role_name("rds.amazonaws.com", None), "AWSServiceRoleForRDS");
        assert_eq!(
            role_name("lex.amazonaws.com", Some("Bot1")),
            "AWSServiceRoleForLex_Bot1"
        );
        assert_eq!(
            role_name("application-autoscaling.amazonaws.com", None),
            "AWSServiceRoleForApplicationAutoscaling"
        );
    }
}
