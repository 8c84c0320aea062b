//! Access keys: create, list, deactivate, use, last-used, the two-key limit, delete.

use std::sync::Arc;

use iamtui::iam::*;
use secrecy::ExposeSecret;

use super::util::*;
use crate::common::key_credentials;

pub async fn access_key_lifecycle(b: Arc<dyn Backend>) {
    let carol = user(&*b, "carol").await;
    allow_self_service(&*b, "carol").await;
    assert!(b.list_access_keys(Some("carol")).await.unwrap().is_empty());

    let k1 = b.create_access_key(Some("carol")).await.expect("key 1");
    assert!(
        k1.key.access_key_id.starts_with("AKIA") && k1.key.access_key_id.len() == 20,
        "long-term key ids are AKIA + 16: {}",
        k1.key.access_key_id
    );
    assert!(!k1.secret_access_key.expose_secret().is_empty());
    assert_eq!(k1.secret_access_key.expose_secret().len(), 40);
    assert_eq!(k1.key.user_name, "carol");
    assert_eq!(k1.key.status, KeyStatus::Active);
    assert_recent(k1.key.create_date, "key create_date");
    // The secret never shows in Debug output.
    assert!(!format!("{k1:?}").contains(k1.secret_access_key.expose_secret()));

    let k2 = b.create_access_key(Some("carol")).await.expect("key 2");
    assert_ne!(k1.key.access_key_id, k2.key.access_key_id);
    let e = assert_err!(
        b.create_access_key(Some("carol")).await,
        ErrorKind::LimitExceeded(_)
    );
    assert_eq!(e.operation, "CreateAccessKey");

    let keys = b.list_access_keys(Some("carol")).await.expect("list keys");
    assert_eq!(
        sorted(keys.iter().map(|k| k.access_key_id.as_str())),
        sorted([k1.key.access_key_id.as_str(), k2.key.access_key_id.as_str()])
    );
    assert!(keys.iter().all(|k| k.user_name == "carol"));
    assert!(keys.iter().all(|k| k.status == KeyStatus::Active));

    b.update_access_key(Some("carol"), &k2.key.access_key_id, KeyStatus::Inactive)
        .await
        .expect("deactivate");
    let keys = b.list_access_keys(Some("carol")).await.unwrap();
    let status = |id: &str| keys.iter().find(|k| k.access_key_id == id).unwrap().status;
    assert_eq!(status(&k1.key.access_key_id), KeyStatus::Active);
    assert_eq!(status(&k2.key.access_key_id), KeyStatus::Inactive);

    // Never used yet.
    let last = b
        .get_access_key_last_used(&k1.key.access_key_id)
        .await
        .expect("last used");
    assert_eq!(last.date, None, "{last:?}");

    // Signing with the new key makes the caller that user.
    let as_carol = b
        .with_credentials(key_credentials(&k1))
        .expect("with credentials");
    let id = as_carol.whoami().await.expect("whoami as carol");
    assert_eq!(id.arn, carol.arn);
    assert_eq!(id.user_id, carol.user_id);
    // `None` means the caller's own user.
    let me = as_carol.get_user(None).await.expect("get own user");
    assert_eq!(me.name, "carol");
    let mine = as_carol.list_access_keys(None).await.expect("own keys");
    assert_eq!(mine.len(), 2);

    let last = b
        .get_access_key_last_used(&k1.key.access_key_id)
        .await
        .expect("last used");
    assert_recent(
        last.date.expect("a used key reports a last-used date"),
        "key last used",
    );

    b.update_access_key(Some("carol"), &k2.key.access_key_id, KeyStatus::Active)
        .await
        .expect("reactivate");
    b.delete_access_key(Some("carol"), &k2.key.access_key_id)
        .await
        .expect("delete key");
    let keys = b.list_access_keys(Some("carol")).await.unwrap();
    assert_eq!(
        sorted(keys.iter().map(|k| k.access_key_id.as_str())),
        [k1.key.access_key_id.as_str()]
    );
    assert_err!(
        b.delete_access_key(Some("carol"), &k2.key.access_key_id)
            .await,
        ErrorKind::NotFound(_)
    );
    // With one key left there is room again.
    b.create_access_key(Some("carol"))
        .await
        .expect("key after delete");

    assert_err!(
        b.list_access_keys(Some("ghost")).await,
        ErrorKind::NotFound(_)
    );
    assert_err!(
        b.create_access_key(Some("ghost")).await,
        ErrorKind::NotFound(_)
    );
}

/// A key rotation as the console does it: second key, switch, deactivate and delete the old one.
pub async fn rotate_own_key(b: Arc<dyn Backend>) {
    let erin = user(&*b, "erin").await;
    allow_self_service(&*b, "erin").await;
    let old = b.create_access_key(Some("erin")).await.unwrap();
    let as_old = b.with_credentials(key_credentials(&old)).unwrap();

    let new = as_old.create_access_key(None).await.expect("own new key");
    assert_eq!(new.key.user_name, "erin");
    let as_new = as_old.with_credentials(key_credentials(&new)).unwrap();
    assert_eq!(as_new.whoami().await.unwrap().arn, erin.arn);

    as_new
        .update_access_key(None, &old.key.access_key_id, KeyStatus::Inactive)
        .await
        .expect("deactivate old");
    as_new
        .delete_access_key(None, &old.key.access_key_id)
        .await
        .expect("delete old");
    let keys = b.list_access_keys(Some("erin")).await.unwrap();
    assert_eq!(
        sorted(keys.iter().map(|k| k.access_key_id.as_str())),
        [new.key.access_key_id.as_str()]
    );
}
