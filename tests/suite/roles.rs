//! Roles: trust policies, session duration, tags, permissions boundaries.

use std::sync::Arc;

use iamtui::iam::backend::all_roles;
use iamtui::iam::*;
use serde_json::json;

use super::util::*;

pub async fn role_lifecycle(b: Arc<dyn Backend>) {
    let account = account_id(&*b).await;
    // A trust policy with a condition holding characters that URL-encoding mangles.
    let trust = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]},
            "Action": "sts:AssumeRole",
            "Condition": {"StringLike": {"aws:SourceArn": TRICKY_VALUE}}
        }]
    })
    .to_string();
    let tags = vec![Tag::new("app", "web"), Tag::new("env", "prod")];
    let created = b
        .create_role(CreateRole {
            name: "app".into(),
            path: Some("/svc/".into()),
            assume_role_policy: trust.clone(),
            description: Some("App role".into()),
            max_session_duration: Some(7200),
            permissions_boundary: None,
            tags: tags.clone(),
        })
        .await
        .expect("create role");
    assert_eq!(created.name, "app");
    assert_eq!(created.path, "/svc/");
    assert_eq!(created.arn, format!("arn:aws:iam::{account}:role/svc/app"));
    assert!(!created.role_id.is_empty());
    assert_recent(created.create_date, "role create_date");
    assert_eq!(created.description.as_deref(), Some("App role"));
    assert_eq!(created.max_session_duration, 7200);
    assert_eq!(
        parse(created.assume_role_policy.as_deref().expect("trust policy")),
        parse(&trust)
    );
    assert_eq!(sorted_tags(&created.tags), sorted_tags(&tags));

    let got = b.get_role("app").await.expect("get role");
    assert_eq!(got.role_id, created.role_id);
    assert_eq!(got.arn, created.arn);
    assert_eq!(got.path, "/svc/");
    assert_eq!(got.description.as_deref(), Some("App role"));
    assert_eq!(got.max_session_duration, 7200);
    assert_eq!(got.permissions_boundary, None);
    assert_eq!(
        parse(got.assume_role_policy.as_deref().expect("trust policy")),
        parse(&trust),
        "GetRole's trust policy does not decode to what was sent"
    );
    assert_eq!(sorted_tags(&got.tags), sorted_tags(&tags));
    assert_eq!(
        sorted_tags(&b.list_tags(&TagTarget::Role("app".into())).await.unwrap()),
        sorted_tags(&tags)
    );

    // The list carries the trust policy too (ListRoles returns it; decoded the same way).
    let plain = role(&*b, "plain").await;
    assert_eq!(plain.max_session_duration, 3600, "IAM's default is 1 hour");
    assert_eq!(plain.path, "/");
    let all = all_roles(b.as_ref()).await.expect("list roles");
    assert_eq!(
        sorted(all.iter().map(|r| r.name.as_str())),
        ["app", "plain"]
    );
    let listed = all.iter().find(|r| r.name == "app").unwrap();
    assert_eq!(listed.arn, created.arn);
    assert_eq!(
        parse(listed.assume_role_policy.as_deref().expect("listed trust")),
        parse(&trust)
    );

    b.update_role("app", Some("Updated"), Some(43200))
        .await
        .expect("update role");
    let got = b.get_role("app").await.unwrap();
    assert_eq!(got.description.as_deref(), Some("Updated"));
    assert_eq!(got.max_session_duration, 43200);

    let new_trust = trust_service("ecs-tasks.amazonaws.com");
    b.update_assume_role_policy("app", &new_trust)
        .await
        .expect("update trust");
    let got = b.get_role("app").await.unwrap();
    assert_eq!(
        parse(got.assume_role_policy.as_deref().unwrap()),
        parse(&new_trust)
    );

    b.delete_role("app").await.expect("delete role");
    assert_err!(b.get_role("app").await, ErrorKind::NotFound(_));
    let all = all_roles(b.as_ref()).await.expect("list roles");
    assert_eq!(sorted(all.iter().map(|r| r.name.as_str())), ["plain"]);
}

pub async fn role_errors(b: Arc<dyn Backend>) {
    let e = assert_err!(b.get_role("nope").await, ErrorKind::NotFound(_));
    assert_eq!(e.operation, "GetRole");
    role(&*b, "r1").await;
    assert_err!(
        b.create_role(CreateRole {
            name: "r1".into(),
            assume_role_policy: trust_service("ec2.amazonaws.com"),
            ..CreateRole::default()
        })
        .await,
        ErrorKind::AlreadyExists(_)
    );
    let e = assert_err!(
        b.update_assume_role_policy("r1", "[not a policy").await,
        ErrorKind::Validation(_)
    );
    assert_eq!(e.operation, "UpdateAssumeRolePolicy");
    assert_eq!(
        parse(
            b.get_role("r1")
                .await
                .unwrap()
                .assume_role_policy
                .as_deref()
                .unwrap()
        ),
        parse(&trust_service("ec2.amazonaws.com")),
        "a refused update changed the trust policy"
    );
    assert_err!(
        b.update_role("nope", Some("d"), None).await,
        ErrorKind::NotFound(_)
    );
    assert_err!(b.delete_role("nope").await, ErrorKind::NotFound(_));

    // Policies hold the role in place.
    let p = policy(&*b, "rp").await;
    let r1 = EntityRef::role("r1");
    b.attach_policy(&r1, &p.arn).await.expect("attach");
    assert_err!(b.delete_role("r1").await, ErrorKind::DeleteConflict(_));
    b.detach_policy(&r1, &p.arn).await.expect("detach");
    b.put_inline_policy(&r1, "inline", &allow("s3:*", "*"))
        .await
        .expect("inline");
    assert_err!(b.delete_role("r1").await, ErrorKind::DeleteConflict(_));
    b.delete_inline_policy(&r1, "inline").await.unwrap();
    b.delete_role("r1").await.expect("delete bare role");
}

pub async fn role_permissions_boundary(b: Arc<dyn Backend>) {
    let boundary = policy(&*b, "boundary").await;
    let other = policy(&*b, "other-boundary").await;
    let created = b
        .create_role(CreateRole {
            name: "bounded".into(),
            assume_role_policy: trust_service("ec2.amazonaws.com"),
            permissions_boundary: Some(boundary.arn.clone()),
            ..CreateRole::default()
        })
        .await
        .expect("create role with boundary");
    assert_eq!(
        created.permissions_boundary.as_deref(),
        Some(boundary.arn.as_str())
    );
    let got = b.get_role("bounded").await.unwrap();
    assert_eq!(
        got.permissions_boundary.as_deref(),
        Some(boundary.arn.as_str())
    );

    let bounded = EntityRef::role("bounded");
    b.delete_permissions_boundary(&bounded)
        .await
        .expect("delete boundary");
    assert_eq!(
        b.get_role("bounded").await.unwrap().permissions_boundary,
        None
    );

    b.put_permissions_boundary(&bounded, &other.arn)
        .await
        .expect("put boundary");
    assert_eq!(
        b.get_role("bounded")
            .await
            .unwrap()
            .permissions_boundary
            .as_deref(),
        Some(other.arn.as_str())
    );
    // A boundary is not an attachment.
    assert!(b.list_attached_policies(&bounded).await.unwrap().is_empty());

    assert_err!(
        b.put_permissions_boundary(&EntityRef::role("nope"), &other.arn)
            .await,
        ErrorKind::NotFound(_)
    );

    // Groups cannot have a boundary: refused before any call.
    group(&*b, "g").await;
    assert_err!(
        b.put_permissions_boundary(&EntityRef::group("g"), &other.arn)
            .await,
        ErrorKind::Validation(_)
    );
    assert_err!(
        b.delete_permissions_boundary(&EntityRef::group("g")).await,
        ErrorKind::Validation(_)
    );
}

/// Instance profiles: create, carry one role, list by role, remove, delete.
pub async fn instance_profiles(b: Arc<dyn Backend>) {
    let account = account_id(&*b).await;
    role(&*b, "web").await;
    role(&*b, "other").await;
    let p = b
        .create_instance_profile("web-profile", Some("/app/"))
        .await
        .expect("create instance profile");
    assert_eq!(p.name, "web-profile");
    assert_eq!(p.path, "/app/");
    assert_eq!(
        p.arn,
        format!("arn:aws:iam::{account}:instance-profile/app/web-profile")
    );
    assert!(p.roles.is_empty());
    assert_err!(
        b.create_instance_profile("web-profile", None).await,
        ErrorKind::AlreadyExists(_)
    );
    assert!(
        b.list_instance_profiles_for_role("web")
            .await
            .unwrap()
            .is_empty()
    );
    b.add_role_to_instance_profile("web-profile", "web")
        .await
        .expect("add role");
    let listed = b.list_instance_profiles_for_role("web").await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "web-profile");
    assert_eq!(listed[0].roles, ["web"]);
    // One role per instance profile.
    assert_err!(
        b.add_role_to_instance_profile("web-profile", "other").await,
        ErrorKind::LimitExceeded(_)
    );
    b.remove_role_from_instance_profile("web-profile", "web")
        .await
        .expect("remove role");
    assert!(
        b.list_instance_profiles_for_role("web")
            .await
            .unwrap()
            .is_empty()
    );
    b.delete_instance_profile("web-profile")
        .await
        .expect("delete instance profile");
    assert_err!(
        b.delete_instance_profile("web-profile").await,
        ErrorKind::NotFound(_)
    );
}

/// ListInstanceProfiles pages through every profile with the role each carries (moto answers
/// in one page whatever MaxItems says; the local account pages).
pub async fn instance_profiles_listed_in_pages(b: Arc<dyn Backend>) {
    role(&*b, "web").await;
    for name in ["a-profile", "b-profile", "c-profile"] {
        b.create_instance_profile(name, None).await.unwrap();
    }
    b.add_role_to_instance_profile("b-profile", "web")
        .await
        .unwrap();
    let mut all = Vec::new();
    let mut marker = None;
    loop {
        let page = b
            .list_instance_profiles(small_page(marker.take(), 2))
            .await
            .expect("a page of instance profiles");
        assert!(!page.items.is_empty());
        all.extend(page.items);
        match page.next_marker {
            Some(m) => marker = Some(m),
            None => break,
        }
    }
    all.sort_by(|a, b| a.name.cmp(&b.name));
    let names: Vec<_> = all.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["a-profile", "b-profile", "c-profile"]);
    assert_eq!(all[1].roles, ["web"]);
    assert!(all[0].roles.is_empty());
    let one = b.get_instance_profile("b-profile").await.expect("get");
    assert_eq!(
        (one.name.as_str(), one.roles.as_slice()),
        ("b-profile", &["web".to_string()][..])
    );
    assert_err!(
        b.get_instance_profile("no-such-profile").await,
        ErrorKind::NotFound(_)
    );
}

/// A service-linked role: IAM names it for its service, puts it under the service's path and
/// trusts the service; deleting it is a task whose status says when it is done.
pub async fn service_linked_role_lifecycle(b: Arc<dyn Backend>) {
    let r = b
        .create_service_linked_role(CreateServiceLinkedRole {
            service: "elasticbeanstalk.amazonaws.com".into(),
            description: Some("made by the suite".into()),
            suffix: None,
        })
        .await
        .unwrap();
    assert_eq!(r.name, "AWSServiceRoleForElasticBeanstalk");
    assert_eq!(r.path, "/aws-service-role/elasticbeanstalk.amazonaws.com/");
    let got = b.get_role(&r.name).await.unwrap();
    let trust = got.assume_role_policy.unwrap();
    assert!(trust.contains("elasticbeanstalk.amazonaws.com"), "{trust}");
    assert_eq!(got.description.as_deref(), Some("made by the suite"));

    let task = b.delete_service_linked_role(&r.name).await.unwrap();
    assert!(!task.is_empty());
    let status = b
        .get_service_linked_role_deletion_status(&task)
        .await
        .unwrap();
    assert_eq!(status.status, "SUCCEEDED");
    assert!(status.finished());
    assert_err!(b.get_role(&r.name).await, ErrorKind::NotFound(_));
    assert_err!(
        b.delete_service_linked_role("AWSServiceRoleForElasticBeanstalk")
            .await,
        ErrorKind::NotFound(_)
    );
}

/// IAM's rules the local account keeps for service-linked roles (moto differs: see
/// `moto_differences_from_iam`): the name comes from IAM's table, DeleteRole refuses, and
/// DeleteServiceLinkedRole refuses a role a person made.
#[allow(dead_code)]
pub async fn service_linked_role_rules(b: Arc<dyn Backend>) {
    let rds = b
        .create_service_linked_role(CreateServiceLinkedRole {
            service: "rds.amazonaws.com".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(rds.name, "AWSServiceRoleForRDS");
    let refused = b.delete_role(&rds.name).await.unwrap_err();
    assert!(refused.to_string().contains("protected role"), "{refused}");
    assert!(b.get_role(&rds.name).await.is_ok());
    assert_err!(
        b.create_service_linked_role(CreateServiceLinkedRole {
            service: "rds.amazonaws.com".into(),
            ..Default::default()
        })
        .await,
        ErrorKind::Validation(_)
    );
    let plain = role(&*b, "plain").await;
    assert_err!(
        b.delete_service_linked_role(&plain.name).await,
        ErrorKind::Validation(_)
    );
    assert!(b.get_role("plain").await.is_ok());
}
