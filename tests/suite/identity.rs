//! Who the backend acts as.

use std::sync::Arc;

use iamtui::iam::*;

pub async fn whoami(b: Arc<dyn Backend>) {
    let id = b.whoami().await.expect("whoami");
    assert_eq!(id.account.len(), 12, "account id {:?}", id.account);
    assert!(
        id.account.bytes().all(|c| c.is_ascii_digit()),
        "account id {:?}",
        id.account
    );
    assert!(
        id.arn.starts_with("arn:aws:") && id.arn.contains(&format!("::{}:", id.account)),
        "caller ARN {:?} does not name account {}",
        id.arn,
        id.account
    );
    assert!(!id.user_id.is_empty());
}

pub async fn fresh_account_has_no_alias(b: Arc<dyn Backend>) {
    assert_eq!(
        b.list_account_aliases().await.expect("aliases"),
        Vec::<String>::new()
    );
}

pub async fn account_alias_lifecycle(b: Arc<dyn Backend>) {
    b.create_account_alias("example-corp")
        .await
        .expect("create");
    assert_eq!(b.list_account_aliases().await.unwrap(), ["example-corp"]);
    // An account has one alias: a new one takes the place of the old.
    b.create_account_alias("example-corp-2")
        .await
        .expect("replace");
    assert_eq!(b.list_account_aliases().await.unwrap(), ["example-corp-2"]);
    b.delete_account_alias("example-corp-2")
        .await
        .expect("delete");
    assert!(b.list_account_aliases().await.unwrap().is_empty());
}
