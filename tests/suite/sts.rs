//! STS: assuming a role and acting as it; session tokens.

use std::sync::Arc;

use iamtui::iam::*;
use secrecy::ExposeSecret;

use super::util::*;

pub async fn assume_role_and_act_as_it(b: Arc<dyn Backend>) {
    let account = account_id(&*b).await;
    let role = b
        .create_role(CreateRole {
            name: "deployer".into(),
            assume_role_policy: trust_account(&account),
            ..CreateRole::default()
        })
        .await
        .unwrap();

    // Roles are assumed by IAM principals, never by an account's root: act as a user whose
    // own policy allows sts:AssumeRole (the trust policy names the account).
    user(&*b, "deployer-ci").await;
    b.put_inline_policy(
        &EntityRef::user("deployer-ci"),
        "assume",
        &allow("sts:AssumeRole", &role.arn),
    )
    .await
    .expect("allow assume role");
    let key = b.create_access_key(Some("deployer-ci")).await.expect("key");
    let caller = b
        .with_credentials(crate::common::key_credentials(&key))
        .expect("with credentials");
    let assumed = caller
        .assume_role(AssumeRoleRequest {
            role_arn: role.arn.clone(),
            session_name: "ci-session".into(),
            duration_seconds: Some(900),
            ..AssumeRoleRequest::default()
        })
        .await
        .expect("assume role");
    let creds = &assumed.credentials;
    assert!(
        creds.access_key_id.starts_with("ASIA"),
        "temporary key ids start with ASIA: {}",
        creds.access_key_id
    );
    assert!(!creds.secret_access_key.expose_secret().is_empty());
    assert!(
        creds
            .session_token
            .as_ref()
            .is_some_and(|t| !t.expose_secret().is_empty()),
        "no session token"
    );
    let expires = creds.expiration.expect("expiration");
    assert!(expires > chrono::Utc::now(), "already expired: {expires}");
    assert_eq!(
        assumed.assumed_role_arn,
        format!("arn:aws:sts::{account}:assumed-role/deployer/ci-session")
    );
    assert!(
        assumed.assumed_role_id.ends_with(":ci-session"),
        "{}",
        assumed.assumed_role_id
    );
    assert!(
        assumed.assumed_role_id.starts_with(&role.role_id),
        "the assumed-role id {} does not start with the role id {}",
        assumed.assumed_role_id,
        role.role_id
    );

    let as_role = b
        .with_credentials(assumed.credentials.clone())
        .expect("with credentials");
    let id = as_role.whoami().await.expect("whoami as the role");
    assert_eq!(id.arn, assumed.assumed_role_arn);
    assert_eq!(id.account, account);
}

pub async fn session_token(b: Arc<dyn Backend>) {
    let creds = b
        .get_session_token(GetSessionTokenRequest {
            duration_seconds: Some(3600),
            ..GetSessionTokenRequest::default()
        })
        .await
        .expect("get session token");
    assert!(!creds.access_key_id.is_empty());
    assert!(!creds.secret_access_key.expose_secret().is_empty());
    assert!(
        creds
            .session_token
            .as_ref()
            .is_some_and(|t| !t.expose_secret().is_empty())
    );
    assert!(creds.expiration.expect("expiration") > chrono::Utc::now());
    assert!(!format!("{creds:?}").contains(creds.secret_access_key.expose_secret()));
}
