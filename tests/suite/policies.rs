//! Customer-managed policies, their versions, where they are attached; AWS managed policies.

use std::sync::Arc;

use iamtui::iam::backend::all_policies;
use iamtui::iam::*;

use super::util::*;

pub async fn policy_lifecycle(b: Arc<dyn Backend>) {
    let account = account_id(&*b).await;
    let doc = tricky_doc("ReadBucket");
    let tags = vec![Tag::new("owner", "sec")];
    let created = b
        .create_policy(CreatePolicy {
            name: "s3-read".into(),
            path: Some("/team/".into()),
            document: doc.clone(),
            description: Some("Read the bucket".into()),
            tags: tags.clone(),
        })
        .await
        .expect("create policy");
    assert_eq!(created.name, "s3-read");
    assert_eq!(created.path, "/team/");
    assert_eq!(
        created.arn,
        format!("arn:aws:iam::{account}:policy/team/s3-read")
    );
    assert!(!created.is_aws_managed());
    assert!(!created.policy_id.is_empty());
    assert_eq!(created.default_version_id, "v1");
    assert_eq!(created.attachment_count, 0);
    assert!(created.is_attachable);
    assert_recent(created.create_date, "policy create_date");

    let got = b.get_policy(&created.arn).await.expect("get policy");
    assert_eq!(got.name, "s3-read");
    assert_eq!(got.policy_id, created.policy_id);
    assert_eq!(got.arn, created.arn);
    assert_eq!(got.path, "/team/");
    assert_eq!(got.default_version_id, "v1");
    assert_eq!(got.attachment_count, 0);
    assert_eq!(sorted_tags(&got.tags), sorted_tags(&tags));

    let v1 = b
        .get_policy_version(&created.arn, "v1")
        .await
        .expect("get v1");
    assert_eq!(v1.version_id, "v1");
    assert!(v1.is_default);
    assert_eq!(
        parse(v1.document.as_deref().expect("document")),
        parse(&doc),
        "the document does not round-trip"
    );

    let local = all_policies(b.as_ref(), PolicyScope::Local, false)
        .await
        .expect("list local");
    assert_eq!(
        sorted(local.iter().map(|p| p.arn.as_str())),
        [created.arn.as_str()]
    );
    let all = all_policies(b.as_ref(), PolicyScope::All, false)
        .await
        .expect("list all");
    assert!(all.iter().any(|p| p.arn == created.arn));
    let aws = all_policies(b.as_ref(), PolicyScope::Aws, false)
        .await
        .expect("list aws");
    assert!(
        aws.iter().all(|p| p.is_aws_managed()),
        "scope Aws listed a customer policy"
    );
    for (prefix, count) in [("/team/", 1), ("/elsewhere/", 0)] {
        let under = PageRequest {
            path_prefix: Some(prefix.into()),
            ..PageRequest::default()
        };
        let listed = b
            .list_policies(PolicyScope::Local, false, under)
            .await
            .unwrap_or_else(|e| panic!("list {prefix}: {e}"));
        assert_eq!(listed.items.len(), count, "{prefix}");
    }

    assert_err!(
        b.create_policy(CreatePolicy {
            name: "s3-read".into(),
            path: Some("/team/".into()),
            document: doc.clone(),
            ..CreatePolicy::default()
        })
        .await,
        ErrorKind::AlreadyExists(_)
    );

    b.delete_policy(&created.arn).await.expect("delete policy");
    assert_err!(b.get_policy(&created.arn).await, ErrorKind::NotFound(_));
    assert_err!(b.delete_policy(&created.arn).await, ErrorKind::NotFound(_));
    assert!(
        all_policies(b.as_ref(), PolicyScope::Local, false)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn policy_versions(b: Arc<dyn Backend>) {
    let p = policy(&*b, "versioned").await;
    let docs: Vec<String> = (2..=5)
        .map(|i| allow(&format!("s3:Action{i}"), "*"))
        .collect();
    for (i, doc) in docs.iter().enumerate() {
        let v = b
            .create_policy_version(&p.arn, doc, false)
            .await
            .unwrap_or_else(|e| panic!("create version {}: {e}", i + 2));
        assert_eq!(v.version_id, format!("v{}", i + 2));
        assert!(!v.is_default);
        assert_eq!(parse(v.document.as_deref().unwrap()), parse(doc));
    }
    // IAM keeps at most five versions.
    let e = assert_err!(
        b.create_policy_version(&p.arn, &allow("s3:Sixth", "*"), false)
            .await,
        ErrorKind::LimitExceeded(_)
    );
    assert_eq!(e.operation, "CreatePolicyVersion");

    let versions = b.list_policy_versions(&p.arn).await.expect("list versions");
    assert_eq!(
        sorted(versions.iter().map(|v| v.version_id.as_str())),
        ["v1", "v2", "v3", "v4", "v5"]
    );
    let defaults: Vec<&str> = versions
        .iter()
        .filter(|v| v.is_default)
        .map(|v| v.version_id.as_str())
        .collect();
    assert_eq!(defaults, ["v1"]);

    let v3 = b.get_policy_version(&p.arn, "v3").await.expect("get v3");
    assert!(!v3.is_default);
    assert_eq!(parse(v3.document.as_deref().unwrap()), parse(&docs[1]));

    b.set_default_policy_version(&p.arn, "v3")
        .await
        .expect("set default");
    assert_eq!(b.get_policy(&p.arn).await.unwrap().default_version_id, "v3");
    let defaults: Vec<String> = b
        .list_policy_versions(&p.arn)
        .await
        .unwrap()
        .into_iter()
        .filter(|v| v.is_default)
        .map(|v| v.version_id)
        .collect();
    assert_eq!(defaults, ["v3"]);
    assert!(b.get_policy_version(&p.arn, "v3").await.unwrap().is_default);
    assert!(!b.get_policy_version(&p.arn, "v1").await.unwrap().is_default);

    // The default version cannot be deleted.
    assert_err!(
        b.delete_policy_version(&p.arn, "v3").await,
        ErrorKind::DeleteConflict(_)
    );
    b.delete_policy_version(&p.arn, "v2")
        .await
        .expect("delete v2");
    assert_err!(
        b.get_policy_version(&p.arn, "v2").await,
        ErrorKind::NotFound(_)
    );
    assert_eq!(
        sorted(
            b.list_policy_versions(&p.arn)
                .await
                .unwrap()
                .iter()
                .map(|v| v.version_id.as_str())
        ),
        ["v1", "v3", "v4", "v5"]
    );

    // Room again: the next version is new and can become the default at creation.
    let doc6 = allow("s3:Sixth", "*");
    let v6 = b
        .create_policy_version(&p.arn, &doc6, true)
        .await
        .expect("create v6");
    assert_eq!(v6.version_id, "v6");
    assert!(v6.is_default);
    assert_eq!(b.get_policy(&p.arn).await.unwrap().default_version_id, "v6");
    assert_eq!(
        parse(
            b.get_policy_version(&p.arn, "v6")
                .await
                .unwrap()
                .document
                .as_deref()
                .unwrap()
        ),
        parse(&doc6)
    );

    assert_err!(
        b.get_policy_version(&p.arn, "v99").await,
        ErrorKind::NotFound(_)
    );
    assert_err!(
        b.set_default_policy_version(&p.arn, "v99").await,
        ErrorKind::NotFound(_)
    );
}

pub async fn malformed_documents_are_rejected(b: Arc<dyn Backend>) {
    let e = assert_err!(
        b.create_policy(CreatePolicy {
            name: "broken".into(),
            document: "{\"Version\": \"2012-10-17\", \"Statement\": [".into(),
            ..CreatePolicy::default()
        })
        .await,
        ErrorKind::Validation(_)
    );
    assert_eq!(e.operation, "CreatePolicy");
    let p = policy(&*b, "fine").await;
    assert_err!(
        b.create_policy_version(&p.arn, "not json at all", false)
            .await,
        ErrorKind::Validation(_)
    );
    user(&*b, "u").await;
    assert_err!(
        b.put_inline_policy(&EntityRef::user("u"), "broken", "{")
            .await,
        ErrorKind::Validation(_)
    );
    assert!(
        b.list_inline_policies(&EntityRef::user("u"))
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn entities_for_policy(b: Arc<dyn Backend>) {
    let p = policy(&*b, "shared").await;
    let unused = policy(&*b, "unused").await;
    user(&*b, "u").await;
    group(&*b, "g").await;
    role(&*b, "r").await;
    for entity in [
        EntityRef::user("u"),
        EntityRef::group("g"),
        EntityRef::role("r"),
    ] {
        b.attach_policy(&entity, &p.arn)
            .await
            .unwrap_or_else(|e| panic!("attach to {entity:?}: {e}"));
    }

    let ents = b
        .list_entities_for_policy(&p.arn, PolicyUsage::PermissionsPolicy)
        .await
        .expect("entities");
    assert_eq!(ents.users, ["u"]);
    assert_eq!(ents.groups, ["g"]);
    assert_eq!(ents.roles, ["r"]);
    assert_eq!(b.get_policy(&p.arn).await.unwrap().attachment_count, 3);

    let none = b
        .list_entities_for_policy(&unused.arn, PolicyUsage::PermissionsPolicy)
        .await
        .unwrap();
    assert_eq!(none, PolicyEntities::default());

    let attached = all_policies(b.as_ref(), PolicyScope::Local, true)
        .await
        .expect("only attached");
    assert_eq!(sorted(attached.iter().map(|p| p.name.as_str())), ["shared"]);

    for entity in [
        EntityRef::user("u"),
        EntityRef::group("g"),
        EntityRef::role("r"),
    ] {
        b.detach_policy(&entity, &p.arn).await.unwrap();
    }
    assert_eq!(
        b.list_entities_for_policy(&p.arn, PolicyUsage::PermissionsPolicy)
            .await
            .unwrap(),
        PolicyEntities::default()
    );
    assert_eq!(b.get_policy(&p.arn).await.unwrap().attachment_count, 0);
}

/// Needs a backend that knows the AWS managed policies (moto: `MOTO_IAM_LOAD_MANAGED_POLICIES`).
pub async fn aws_managed_policies(b: Arc<dyn Backend>) {
    const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    let first = b
        .list_policies(PolicyScope::Aws, false, PageRequest::first())
        .await
        .expect("list aws policies");
    assert_eq!(first.items.len(), 100, "IAM pages at 100 by default");
    assert!(first.next_marker.is_some());
    assert!(first.items.iter().all(|p| p.is_aws_managed()));

    let aws = all_policies(b.as_ref(), PolicyScope::Aws, false)
        .await
        .expect("all aws policies");
    assert!(aws.len() > 1000, "only {} AWS managed policies", aws.len());
    let arns: Vec<String> = aws.iter().map(|p| p.arn.clone()).collect();
    unique(&arns);
    assert!(arns.iter().any(|a| a == READ_ONLY));

    let ro = b.get_policy(READ_ONLY).await.expect("get ReadOnlyAccess");
    assert_eq!(ro.name, "ReadOnlyAccess");
    assert!(ro.is_aws_managed());
    assert!(ro.is_attachable);
    let v = b
        .get_policy_version(READ_ONLY, &ro.default_version_id)
        .await
        .expect("default version");
    assert!(v.is_default);
    let doc = parse(v.document.as_deref().expect("document"));
    assert!(doc["Statement"].is_array(), "{doc}");

    // Customer policies are not in the AWS scope, and only_attached narrows both.
    let mine = policy(&*b, "mine").await;
    assert!(!arns.contains(&mine.arn));
    assert!(
        all_policies(b.as_ref(), PolicyScope::Aws, true)
            .await
            .unwrap()
            .is_empty()
    );
    role(&*b, "reader").await;
    b.attach_policy(&EntityRef::role("reader"), READ_ONLY)
        .await
        .expect("attach ReadOnlyAccess");
    let attached = all_policies(b.as_ref(), PolicyScope::All, true)
        .await
        .unwrap();
    assert_eq!(sorted(attached.iter().map(|p| p.arn.as_str())), [READ_ONLY]);
    let on_role = b
        .list_attached_policies(&EntityRef::role("reader"))
        .await
        .unwrap();
    assert_eq!(
        on_role,
        [AttachedPolicy {
            name: "ReadOnlyAccess".into(),
            arn: READ_ONLY.into()
        }]
    );
    assert_eq!(
        b.list_entities_for_policy(READ_ONLY, PolicyUsage::PermissionsPolicy)
            .await
            .unwrap()
            .roles,
        ["reader"]
    );
}
