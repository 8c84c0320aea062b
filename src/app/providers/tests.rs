//! Identity providers made, updated and deleted from the console on the demo account, read
//! back from the account.

use ratatui::crossterm::event::KeyCode;

use crate::app::harness::{Harness, demo_at};
use crate::app::shell::overlay::{FormFor, Overlay};
use crate::iam::Tag;

const OKTA: &str = "arn:aws:iam::123456789012:saml-provider/Okta";
const GITHUB: &str = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

/// The providers form open, with its message.
fn form(h: &Harness) -> (&crate::app::shell::form::Form, Option<&str>) {
    match &h.app.overlay {
        Some(Overlay::Form(d)) if matches!(d.purpose, FormFor::Providers(_)) => {
            (&d.form, d.message.as_deref())
        }
        _ => panic!("no providers form:\n{}", h.screen(140, 40)),
    }
}

/// A metadata file: the demo's Okta metadata for another IdP.
async fn metadata_file(h: &Harness, dir: &std::path::Path, entity: &str) -> (String, String) {
    let okta = h.backend.get_saml_provider(OKTA).await.unwrap();
    let text = okta
        .metadata_document
        .unwrap()
        .replace("entityID=\"", &format!("entityID=\"{entity}"));
    let path = dir.join(format!("{}.xml", entity.replace(['/', ':'], "_")));
    std::fs::write(&path, &text).unwrap();
    (path.display().to_string(), text)
}

#[tokio::test]
async fn a_saml_provider_is_made_from_its_metadata_file() {
    let mut h = demo_at("providers").await;
    let dir = tempfile::tempdir().unwrap();
    let (path, text) = metadata_file(&h, dir.path(), "https://corp.example.com/").await;
    h.key(KeyCode::Char('n')).await;
    h.assert_shows("New identity provider: which kind?", true);
    h.key(KeyCode::Enter).await;
    h.assert_shows("New SAML provider", true);
    h.type_text("Corp IdP").await;
    h.assert_shows("` ` cannot be in a provider name", true);
    h.field("Corp-IdP").await;
    // A file that is not there, then one that is not SAML metadata: said under the field,
    // nothing sent, the path typed stays.
    let missing = dir.path().join("nope.xml").display().to_string();
    h.field(&missing).await;
    h.field("team=identity").await;
    h.key(KeyCode::Enter).await;
    let (f, _) = form(&h);
    assert_eq!(f.get("file"), missing);
    assert!(
        f.field("file")
            .error
            .as_deref()
            .is_some_and(|e| e.contains("no such file")),
        "{:?}",
        f.field("file").error
    );
    let json = dir.path().join("idp.json");
    std::fs::write(&json, "{\"entityID\": \"x\"}").unwrap();
    h.ctrl('u').await;
    h.type_text(&json.display().to_string()).await;
    h.key(KeyCode::Enter).await;
    let (f, _) = form(&h);
    assert!(
        f.field("file")
            .error
            .as_deref()
            .unwrap()
            .contains("not SAML metadata")
    );
    assert_eq!(f.get("tags"), "team=identity");
    assert_eq!(h.backend.list_saml_providers().await.unwrap().len(), 1);

    h.ctrl('u').await;
    h.type_text(&path).await;
    h.key(KeyCode::Enter).await;
    let arn = "arn:aws:iam::123456789012:saml-provider/Corp-IdP";
    h.assert_shows(&format!("Created SAML provider {arn}"), true);
    assert!(h.app.overlay.is_none());
    let got = h.backend.get_saml_provider(arn).await.unwrap();
    assert_eq!(got.metadata_document.as_deref(), Some(text.as_str()));
    assert_eq!(got.tags, [Tag::new("team", "identity")]);
    // The list shows it.
    h.assert_shows("Corp-IdP", true);
}

#[tokio::test]
async fn an_oidc_provider_is_made_then_its_client_ids_and_thumbprints_change() {
    let mut h = demo_at("providers").await;
    h.key(KeyCode::Char('n')).await;
    h.key(KeyCode::Down).await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("New OpenID Connect provider", true);
    // IAM's refusal (the URL is the demo's GitHub provider) shows in the form, keeping it all.
    h.field("https://token.actions.githubusercontent.com").await;
    h.field("sts.amazonaws.com, gitlab").await;
    h.field("abc").await;
    h.assert_shows("`abc` is not a thumbprint", true);
    h.key(KeyCode::BackTab).await;
    let thumb = "0123456789abcdef0123456789abcdef01234567";
    h.field(thumb).await;
    h.field("team=ci").await;
    h.key(KeyCode::Enter).await;
    let (f, message) = form(&h);
    assert!(
        message.is_some_and(|m| m.contains("not created") && m.contains("already exists")),
        "{message:?}"
    );
    assert_eq!(f.get("client_ids"), "sts.amazonaws.com, gitlab");
    assert_eq!(f.focus, 0, "the URL taken has the focus");
    h.field("https://gitlab.example.com").await;
    h.key(KeyCode::Enter).await;
    let arn = "arn:aws:iam::123456789012:oidc-provider/gitlab.example.com";
    h.assert_shows(&format!("Created OIDC provider {arn}"), true);
    let got = h.backend.get_oidc_provider(arn).await.unwrap();
    assert_eq!(got.client_ids, ["sts.amazonaws.com", "gitlab"]);
    assert_eq!(got.thumbprints, [thumb]);
    assert_eq!(got.tags, [Tag::new("team", "ci")]);

    // u on its row: the form holds what it has; the calls that make the change are sent.
    h.command("providers gitlab.example").await;
    h.key(KeyCode::Char('u')).await;
    h.assert_shows("Update OIDC provider gitlab.example.com", true);
    let (f, _) = form(&h);
    assert_eq!(f.get("client_ids"), "sts.amazonaws.com gitlab");
    assert_eq!(f.get("thumbprints"), thumb);
    let next = "fedcba9876543210fedcba9876543210fedcba98";
    h.field("gitlab deploy").await;
    h.field(&format!("{thumb} {next}")).await;
    h.key(KeyCode::Enter).await;
    h.assert_shows(
        "Updated gitlab.example.com: added client id deploy, removed client id \
         sts.amazonaws.com, set 2 thumbprint(s)",
        true,
    );
    let got = h.backend.get_oidc_provider(arn).await.unwrap();
    assert_eq!(got.client_ids, ["gitlab", "deploy"]);
    assert_eq!(got.thumbprints, [thumb, next]);

    // Nothing changed: nothing sent.
    h.key(KeyCode::Char('u')).await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("nothing changed", true);
}

#[tokio::test]
async fn u_gives_a_saml_provider_a_new_metadata_document() {
    let mut h = demo_at("providers Okta").await;
    let dir = tempfile::tempdir().unwrap();
    let (path, text) = metadata_file(&h, dir.path(), "https://okta2.example.com/").await;
    h.key(KeyCode::Char('u')).await;
    h.assert_shows("Update SAML provider Okta", true);
    h.type_text(&path).await;
    h.key(KeyCode::Enter).await;
    h.assert_shows(&format!("Updated the metadata of {OKTA}"), true);
    let got = h.backend.get_saml_provider(OKTA).await.unwrap();
    assert_eq!(got.metadata_document.as_deref(), Some(text.as_str()));
}

#[tokio::test]
async fn trusted_by_lists_the_roles_that_federate_through_the_provider() {
    let mut h = demo_at("providers Okta").await;
    h.key(KeyCode::Enter).await;
    let rows = |h: &Harness| -> Vec<String> {
        match h.app.nav.current() {
            crate::app::shell::nav::Screen::Detail(d) => d
                .rows(crate::app::harness::fixed_now())
                .into_iter()
                .map(|r| r.cells[0].clone())
                .collect(),
            _ => panic!("no detail"),
        }
    };
    h.assert_shows("Trusted by", true);
    let mut okta = rows(&h);
    okta.sort();
    assert_eq!(okta, ["OktaEngineering", "OktaReadOnly"]);

    h.command("providers token.actions").await;
    h.key(KeyCode::Enter).await;
    assert_eq!(rows(&h), ["GitHubActionsDeploy"]);
    // Enter opens the role.
    h.key(KeyCode::Enter).await;
    match h.app.nav.current() {
        crate::app::shell::nav::Screen::Detail(d) => assert_eq!(d.target.id, "GitHubActionsDeploy"),
        _ => panic!("no role detail"),
    }
}

#[tokio::test]
async fn deleting_a_provider_names_the_roles_that_trust_it() {
    let mut h = demo_at("providers Okta").await;
    h.ctrl('d').await;
    // IAM does not refuse: one call, and the roles it breaks named.
    h.assert_shows("DeleteSAMLProvider Okta", true);
    h.assert_shows("stop working", true);
    h.assert_shows("OktaEngineering", true);
    h.assert_shows("OktaReadOnly", true);
    h.submit("Okta").await;
    h.assert_shows("Deleted provider Okta", true);
    assert!(h.backend.get_saml_provider(OKTA).await.is_err());
    // The roles are still there (their trust now names a provider that is gone).
    assert!(h.backend.get_role("OktaEngineering").await.is_ok());

    h.command("providers token.actions").await;
    h.ctrl('d').await;
    h.assert_shows("GitHubActionsDeploy", true);
    h.submit("token.actions.githubusercontent.com").await;
    assert!(h.backend.get_oidc_provider(GITHUB).await.is_err());
}

#[tokio::test]
async fn read_only_refuses_making_updating_and_deleting_providers() {
    let mut h = Harness::with(true, "default").await;
    h.command("providers Okta").await;
    h.key(KeyCode::Char('n')).await;
    assert!(h.app.overlay.is_none());
    h.key(KeyCode::Char('u')).await;
    assert!(h.app.overlay.is_none());
    h.ctrl('d').await;
    assert!(h.app.overlay.is_none());
    h.assert_shows("read-only", true);
    assert!(h.backend.get_saml_provider(OKTA).await.is_ok());
}
