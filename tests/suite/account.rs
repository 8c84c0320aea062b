//! Account-wide settings: password policy, identity providers, the credential report.

use std::sync::Arc;
use std::time::Duration;

use iamtui::iam::*;

use super::util::*;

pub async fn password_policy(b: Arc<dyn Backend>) {
    assert_eq!(
        b.get_password_policy().await.expect("get none"),
        None,
        "a fresh account has no password policy"
    );
    let policy = PasswordPolicy {
        minimum_password_length: Some(14),
        require_symbols: true,
        require_numbers: true,
        require_uppercase_characters: true,
        require_lowercase_characters: false,
        allow_users_to_change_password: true,
        expire_passwords: true, // derived by IAM from max_password_age
        max_password_age: Some(90),
        password_reuse_prevention: Some(5),
        hard_expiry: Some(false),
    };
    b.update_password_policy(&policy).await.expect("update");
    assert_eq!(b.get_password_policy().await.unwrap(), Some(policy));

    // Without a maximum age, passwords do not expire.
    let relaxed = PasswordPolicy {
        minimum_password_length: Some(8),
        require_symbols: false,
        require_numbers: false,
        require_uppercase_characters: false,
        require_lowercase_characters: true,
        allow_users_to_change_password: false,
        expire_passwords: false,
        max_password_age: None,
        password_reuse_prevention: None,
        hard_expiry: Some(false),
    };
    b.update_password_policy(&relaxed).await.expect("update");
    assert_eq!(b.get_password_policy().await.unwrap(), Some(relaxed));

    b.delete_password_policy().await.expect("delete");
    assert_eq!(b.get_password_policy().await.unwrap(), None);
    assert_err!(b.delete_password_policy().await, ErrorKind::NotFound(_));
}

pub async fn saml_providers(b: Arc<dyn Backend>) {
    let account = account_id(&*b).await;
    assert!(b.list_saml_providers().await.unwrap().is_empty());
    let metadata = saml_metadata("https://idp.example.com/");
    assert!(
        metadata.len() >= 1000,
        "IAM wants at least 1,000 characters"
    );
    let arn = b
        .create_saml_provider("corp-idp", &metadata, &[])
        .await
        .expect("create saml provider");
    assert_eq!(
        arn,
        format!("arn:aws:iam::{account}:saml-provider/corp-idp")
    );

    let list = b.list_saml_providers().await.unwrap();
    assert_eq!(
        list.iter().map(|p| p.arn.as_str()).collect::<Vec<_>>(),
        [arn.as_str()]
    );
    assert_recent(
        list[0].create_date.expect("create date"),
        "saml create_date",
    );

    let got = b.get_saml_provider(&arn).await.expect("get saml provider");
    assert_eq!(got.arn, arn);
    assert_eq!(got.metadata_document.as_deref(), Some(metadata.as_str()));
    assert_recent(got.create_date.expect("create date"), "saml create_date");

    b.delete_saml_provider(&arn).await.expect("delete");
    assert!(b.list_saml_providers().await.unwrap().is_empty());
    assert_err!(b.get_saml_provider(&arn).await, ErrorKind::NotFound(_));
}

pub async fn oidc_providers(b: Arc<dyn Backend>) {
    let account = account_id(&*b).await;
    assert!(b.list_oidc_providers().await.unwrap().is_empty());
    let req = CreateOidcProvider {
        url: "https://token.actions.example.com".into(),
        client_ids: vec!["sts.amazonaws.com".into(), "my-app".into()],
        thumbprints: vec!["6938fd4d98bab03faadb97b34396831e3780aea1".into()],
        tags: vec![Tag::new("ci", "yes")],
    };
    let arn = b
        .create_oidc_provider(req.clone())
        .await
        .expect("create oidc provider");
    assert_eq!(
        arn,
        format!("arn:aws:iam::{account}:oidc-provider/token.actions.example.com")
    );
    assert_err!(
        b.create_oidc_provider(req.clone()).await,
        ErrorKind::AlreadyExists(_)
    );

    let list = b.list_oidc_providers().await.unwrap();
    assert_eq!(
        list.iter().map(|p| p.arn.as_str()).collect::<Vec<_>>(),
        [arn.as_str()]
    );

    let got = b.get_oidc_provider(&arn).await.expect("get oidc provider");
    assert_eq!(got.arn, arn);
    // IAM reports the URL without its scheme.
    assert_eq!(got.url.as_deref(), Some("token.actions.example.com"));
    assert_eq!(
        sorted(got.client_ids.clone()),
        sorted(req.client_ids.clone())
    );
    assert_eq!(got.thumbprints, req.thumbprints);
    assert_eq!(got.tags, req.tags);
    assert_recent(got.create_date.expect("create date"), "oidc create_date");

    b.delete_oidc_provider(&arn).await.expect("delete");
    assert!(b.list_oidc_providers().await.unwrap().is_empty());
    assert_err!(b.get_oidc_provider(&arn).await, ErrorKind::NotFound(_));
}

pub async fn saml_provider_update(b: Arc<dyn Backend>) {
    let metadata = saml_metadata("https://idp.example.com/");
    let arn = b
        .create_saml_provider("corp-idp", &metadata, &[])
        .await
        .unwrap();
    let next = saml_metadata("https://idp2.example.com/");
    let answered = b.update_saml_provider(&arn, &next).await.expect("update");
    assert_eq!(answered, arn);
    let got = b.get_saml_provider(&arn).await.unwrap();
    assert_eq!(got.metadata_document.as_deref(), Some(next.as_str()));
    assert_err!(
        b.update_saml_provider(&arn.replace("corp-idp", "no-such-idp"), &next)
            .await,
        ErrorKind::NotFound(_)
    );
}

fn thumb(c: char) -> String {
    c.to_string().repeat(40)
}

async fn oidc(b: &dyn Backend) -> String {
    b.create_oidc_provider(CreateOidcProvider {
        url: "https://oidc.example.com".into(),
        client_ids: vec!["sts.amazonaws.com".into()],
        thumbprints: vec![thumb('a')],
        tags: Vec::new(),
    })
    .await
    .unwrap()
}

pub async fn oidc_provider_thumbprints(b: Arc<dyn Backend>) {
    let arn = oidc(&*b).await;
    // The list replaces the thumbprints; it is not merged.
    b.update_oidc_thumbprints(&arn, &[thumb('b'), thumb('c')])
        .await
        .expect("thumbprints");
    let got = b.get_oidc_provider(&arn).await.unwrap();
    assert_eq!(got.thumbprints, [thumb('b'), thumb('c')]);
    assert_eq!(got.client_ids, ["sts.amazonaws.com"]);
    let missing = arn.replace("oidc.example.com", "nowhere.example.com");
    assert_err!(
        b.update_oidc_thumbprints(&missing, &[thumb('d')]).await,
        ErrorKind::NotFound(_)
    );
}

/// Not in moto 5.2.5 (see `calls_moto_does_not_implement_are_server_errors`): run on the
/// local account only.
#[allow(dead_code)]
pub async fn oidc_provider_client_ids(b: Arc<dyn Backend>) {
    let arn = oidc(&*b).await;
    b.add_oidc_client_id(&arn, "my-app").await.expect("add");
    // Adding one the provider has, or removing one it lacks, changes nothing and succeeds.
    b.add_oidc_client_id(&arn, "my-app")
        .await
        .expect("add again");
    b.remove_oidc_client_id(&arn, "sts.amazonaws.com")
        .await
        .expect("remove");
    b.remove_oidc_client_id(&arn, "never-there")
        .await
        .expect("remove missing");
    let got = b.get_oidc_provider(&arn).await.unwrap();
    assert_eq!(got.client_ids, ["my-app"]);
    // At most 100 client ids, each of 1 to 255 characters.
    assert_err!(
        b.add_oidc_client_id(&arn, &"x".repeat(256)).await,
        ErrorKind::Validation(_)
    );
    for i in 1..100 {
        b.add_oidc_client_id(&arn, &format!("app-{i}"))
            .await
            .unwrap();
    }
    assert_err!(
        b.add_oidc_client_id(&arn, "one-too-many").await,
        ErrorKind::LimitExceeded(_)
    );
    let missing = arn.replace("oidc.example.com", "nowhere.example.com");
    assert_err!(
        b.add_oidc_client_id(&missing, "x").await,
        ErrorKind::NotFound(_)
    );
}

/// IAM checks what an update sends; moto 5.2.5 does not (pinned in `moto_differences_from_iam`).
#[allow(dead_code)]
pub async fn provider_updates_are_checked(b: Arc<dyn Backend>) {
    let arn = oidc(&*b).await;
    assert_err!(
        b.update_oidc_thumbprints(&arn, &["not-a-thumbprint".into()])
            .await,
        ErrorKind::Validation(_)
    );
    let six: Vec<String> = "abcdef".chars().map(thumb).collect();
    assert_err!(
        b.update_oidc_thumbprints(&arn, &six).await,
        ErrorKind::Validation(_)
    );
    assert_eq!(
        b.get_oidc_provider(&arn).await.unwrap().thumbprints,
        [thumb('a')]
    );
    let metadata = saml_metadata("https://idp.example.com/");
    let saml = b
        .create_saml_provider("corp-idp", &metadata, &[])
        .await
        .unwrap();
    assert_err!(
        b.update_saml_provider(&saml, "<short/>").await,
        ErrorKind::Validation(_)
    );
    let not_saml = format!("<html>{}</html>", " ".repeat(1000));
    assert_err!(
        b.update_saml_provider(&saml, &not_saml).await,
        ErrorKind::Validation(_)
    );
    let got = b.get_saml_provider(&saml).await.unwrap();
    assert_eq!(got.metadata_document.as_deref(), Some(metadata.as_str()));
}

pub async fn credential_report(b: Arc<dyn Backend>) {
    let frank = user(&*b, "frank").await;
    let grace = user(&*b, "grace").await;
    b.create_access_key(Some("grace")).await.unwrap();

    let mut state = b.generate_credential_report().await.expect("generate");
    for _ in 0..50 {
        if state == ReportState::Complete {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        state = b.generate_credential_report().await.expect("generate");
    }
    assert_eq!(state, ReportState::Complete);

    let report = b.get_credential_report().await.expect("get report");
    assert!(report.generated.is_some(), "no generation time");
    let row = |name: &str| {
        report
            .rows
            .iter()
            .find(|r| r.user == name)
            .unwrap_or_else(|| panic!("no row for {name} in {:?}", report.rows))
    };
    assert_eq!(row("frank").arn, frank.arn);
    assert_eq!(row("grace").arn, grace.arn);
    assert_eq!(row("frank").access_key_1_active, "false");
    assert_eq!(row("grace").access_key_1_active, "true");
    assert_eq!(row("grace").mfa_active, "false");
    assert!(!row("frank").user_creation_time.is_empty());
}

/// GetAccountSummary counts the account's entities and reports IAM's quotas beside them.
pub async fn account_summary(b: Arc<dyn Backend>) {
    let before = b.get_account_summary().await.expect("summary");
    let count = |s: &AccountSummary, k: &str| *s.entries.get(k).unwrap_or(&-1);
    user(&*b, "summed").await;
    b.create_group("summed", None).await.unwrap();
    let after = b.get_account_summary().await.expect("summary");
    assert_eq!(count(&after, "Users"), count(&before, "Users") + 1);
    assert_eq!(count(&after, "Groups"), count(&before, "Groups") + 1);
    assert!(count(&after, "UsersQuota") >= 5000, "{after:?}");
    assert!(count(&after, "GroupsQuota") >= 300, "{after:?}");
    assert!(count(&after, "AccessKeysPerUserQuota") >= 2, "{after:?}");
}
