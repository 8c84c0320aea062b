//! Managed-policy attachments and inline policies, on users, groups and roles alike.

use std::sync::Arc;

use iamtui::iam::*;

use super::util::*;

async fn one_of_each(b: &dyn Backend) -> [EntityRef; 3] {
    user(b, "u").await;
    group(b, "g").await;
    role(b, "r").await;
    [
        EntityRef::user("u"),
        EntityRef::group("g"),
        EntityRef::role("r"),
    ]
}

pub async fn attach_and_detach(b: Arc<dyn Backend>) {
    let account = account_id(&*b).await;
    let p1 = policy(&*b, "p1").await;
    let p2 = policy(&*b, "p2").await;
    for entity in one_of_each(&*b).await {
        assert!(
            b.list_attached_policies(&entity).await.unwrap().is_empty(),
            "{entity:?} starts bare"
        );
        b.attach_policy(&entity, &p1.arn)
            .await
            .unwrap_or_else(|e| panic!("attach p1 to {entity:?}: {e}"));
        b.attach_policy(&entity, &p2.arn)
            .await
            .unwrap_or_else(|e| panic!("attach p2 to {entity:?}: {e}"));
        let mut attached = b.list_attached_policies(&entity).await.unwrap();
        attached.sort_by(|a, b| a.name.cmp(&b.name));
        assert_eq!(
            attached,
            [
                AttachedPolicy {
                    name: "p1".into(),
                    arn: p1.arn.clone()
                },
                AttachedPolicy {
                    name: "p2".into(),
                    arn: p2.arn.clone()
                },
            ],
            "{entity:?}"
        );

        b.detach_policy(&entity, &p1.arn)
            .await
            .unwrap_or_else(|e| panic!("detach p1 from {entity:?}: {e}"));
        let attached = b.list_attached_policies(&entity).await.unwrap();
        assert_eq!(
            attached.iter().map(|a| a.arn.as_str()).collect::<Vec<_>>(),
            [p2.arn.as_str()],
            "{entity:?}"
        );

        // Attaching a policy that does not exist is refused.
        let missing = format!("arn:aws:iam::{account}:policy/missing");
        assert_err!(
            b.attach_policy(&entity, &missing).await,
            ErrorKind::NotFound(_)
        );
        b.detach_policy(&entity, &p2.arn).await.unwrap();
        assert!(b.list_attached_policies(&entity).await.unwrap().is_empty());
    }

    for missing in [
        EntityRef::user("ghost"),
        EntityRef::group("ghost"),
        EntityRef::role("ghost"),
    ] {
        assert_err!(
            b.attach_policy(&missing, &p1.arn).await,
            ErrorKind::NotFound(_)
        );
        assert_err!(
            b.list_attached_policies(&missing).await,
            ErrorKind::NotFound(_)
        );
    }
    let e = assert_err!(
        b.attach_policy(&EntityRef::user("ghost"), &p1.arn).await,
        ErrorKind::NotFound(_)
    );
    assert_eq!(e.operation, "AttachUserPolicy");
    let e = assert_err!(
        b.attach_policy(&EntityRef::role("ghost"), &p1.arn).await,
        ErrorKind::NotFound(_)
    );
    assert_eq!(e.operation, "AttachRolePolicy");
}

/// Inline documents round-trip exactly, whatever URL-encoding does to them on the way.
pub async fn inline_policies(b: Arc<dyn Backend>) {
    for entity in one_of_each(&*b).await {
        assert!(b.list_inline_policies(&entity).await.unwrap().is_empty());
        let doc1 = tricky_doc("First");
        let doc2 = allow("iam:Get*", "*");
        b.put_inline_policy(&entity, "p1", &doc1)
            .await
            .unwrap_or_else(|e| panic!("put p1 on {entity:?}: {e}"));
        b.put_inline_policy(&entity, "p2", &doc2)
            .await
            .unwrap_or_else(|e| panic!("put p2 on {entity:?}: {e}"));
        assert_eq!(
            sorted(b.list_inline_policies(&entity).await.unwrap()),
            ["p1", "p2"],
            "{entity:?}"
        );

        let got = b
            .get_inline_policy(&entity, "p1")
            .await
            .unwrap_or_else(|e| panic!("get p1 of {entity:?}: {e}"));
        assert_eq!(got.name, "p1");
        assert_eq!(parse(&got.document), parse(&doc1), "{entity:?}");
        assert!(
            got.document.contains(TRICKY_VALUE),
            "{entity:?}: the value {TRICKY_VALUE:?} did not survive: {}",
            got.document
        );

        // Put replaces.
        let doc1b = tricky_doc("Replaced");
        b.put_inline_policy(&entity, "p1", &doc1b).await.unwrap();
        let got = b.get_inline_policy(&entity, "p1").await.unwrap();
        assert_eq!(parse(&got.document), parse(&doc1b), "{entity:?}");
        assert_eq!(b.list_inline_policies(&entity).await.unwrap().len(), 2);

        b.delete_inline_policy(&entity, "p1")
            .await
            .unwrap_or_else(|e| panic!("delete p1 of {entity:?}: {e}"));
        assert_eq!(b.list_inline_policies(&entity).await.unwrap(), ["p2"]);
        assert_err!(
            b.get_inline_policy(&entity, "p1").await,
            ErrorKind::NotFound(_)
        );
        assert_err!(
            b.delete_inline_policy(&entity, "p1").await,
            ErrorKind::NotFound(_)
        );
        b.delete_inline_policy(&entity, "p2").await.unwrap();
        assert!(b.list_inline_policies(&entity).await.unwrap().is_empty());
    }
    assert_err!(
        b.put_inline_policy(&EntityRef::role("ghost"), "p", &allow("s3:*", "*"))
            .await,
        ErrorKind::NotFound(_)
    );
}
