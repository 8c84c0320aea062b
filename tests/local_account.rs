//! The embedded local account: the backend suite (the same bodies `tests/aws_moto.rs` runs on
//! the moto emulator), then what only the local account shows: IAM's rules that moto does not
//! enforce (quotas, dependency conflicts, TOTP codes, trust policies, authorization of every
//! call) and the file's safety (locking, atomic writes, damaged files).

mod common;
mod suite;

use std::sync::Arc;

use iamtui::backend::local::LocalBackend;
use iamtui::backend::local::model::Account;
use iamtui::backend::local::names;
use iamtui::iam::*;

/// A fresh, empty account in its own temporary directory (kept alive by the returned guard).
pub fn empty_account() -> (tempfile::TempDir, LocalBackend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("account.json");
    let b = LocalBackend::open(&path, || {
        Account::empty(names::account_id(), chrono::Utc::now())
    })
    .expect("open the local account");
    (dir, b)
}

macro_rules! against_local {
    ($($name:ident => $body:path),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let (_dir, b) = empty_account();
                let b: Arc<dyn Backend> = Arc::new(b);
                $body(b).await;
            }
        )*
    };
}

against_local! {
    whoami => suite::identity::whoami,
    fresh_account_has_no_alias => suite::identity::fresh_account_has_no_alias,

    user_lifecycle => suite::users::user_lifecycle,
    user_errors => suite::users::user_errors,
    delete_user_with_policies_conflicts => suite::users::delete_user_with_policies_conflicts,
    users_small_pages => suite::users::users_small_pages,

    group_lifecycle => suite::groups::group_lifecycle,
    group_errors => suite::groups::group_errors,
    groups_small_pages => suite::groups::groups_small_pages,

    role_lifecycle => suite::roles::role_lifecycle,
    role_errors => suite::roles::role_errors,
    role_permissions_boundary => suite::roles::role_permissions_boundary,

    policy_lifecycle => suite::policies::policy_lifecycle,
    policy_versions => suite::policies::policy_versions,
    malformed_documents_are_rejected => suite::policies::malformed_documents_are_rejected,
    entities_for_policy => suite::policies::entities_for_policy,
    aws_managed_policies => suite::policies::aws_managed_policies,

    attach_and_detach => suite::attachments::attach_and_detach,
    inline_policies => suite::attachments::inline_policies,

    tags_on_users_roles_policies => suite::tags::tags_on_users_roles_policies,
    tags_on_oidc_provider => suite::tags::tags_on_oidc_provider,

    access_key_lifecycle => suite::access_keys::access_key_lifecycle,
    rotate_own_key => suite::access_keys::rotate_own_key,

    virtual_mfa_lifecycle => suite::mfa::virtual_mfa_lifecycle,
    mfa_errors => suite::mfa::mfa_errors,

    password_policy => suite::account::password_policy,
    saml_providers => suite::account::saml_providers,
    oidc_providers => suite::account::oidc_providers,
    credential_report => suite::account::credential_report,

    assume_role_and_act_as_it => suite::sts::assume_role_and_act_as_it,
    session_token => suite::sts::session_token,

    read_only_refuses_every_write => suite::read_only::read_only_refuses_every_write,

    roles_span_pages => suite::pagination::roles_span_pages,
    policies_span_pages => suite::pagination::policies_span_pages,
    attached_policies_are_complete => suite::pagination::attached_policies_are_complete,
}

#[tokio::test]
async fn info_names_the_file() {
    let (dir, b) = empty_account();
    let info = b.info();
    assert_eq!(info.kind, "local");
    assert!(
        info.source.contains(&dir.path().display().to_string()),
        "{info:?}"
    );
    assert!(!info.read_only);
}
