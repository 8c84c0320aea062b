//! The password policy and the account alias edited from the console on the demo account, read
//! back from the account.

use ratatui::crossterm::event::KeyCode;

use crate::app::harness::{Harness, demo_at};

#[tokio::test]
async fn the_password_policy_is_edited_within_iams_bounds() {
    let mut h = demo_at("passwordpolicy").await;
    let before = h.backend.get_password_policy().await.unwrap().unwrap();
    h.key(KeyCode::Char('u')).await;
    h.assert_shows("Password policy", true);
    h.assert_shows("6 to 128 characters", true);
    h.field("200").await;
    h.assert_shows("a whole number from 6 to 128", true);
    h.key(KeyCode::Enter).await;
    // Refused before any call: the policy is as it was.
    assert_eq!(h.backend.get_password_policy().await.unwrap(), Some(before));
    h.ctrl('u').await;
    h.type_text("16").await;
    h.key(KeyCode::Tab).await;
    // Symbols no longer required (the fourth switch).
    h.repeat(KeyCode::Tab, 3).await;
    h.key(KeyCode::Char(' ')).await;
    h.repeat(KeyCode::Tab, 2).await;
    h.field("90").await;
    h.field("").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("Saved the password policy", true);
    let p = h.backend.get_password_policy().await.unwrap().unwrap();
    assert_eq!(p.minimum_password_length, Some(16));
    assert_eq!(p.max_password_age, Some(90));
    assert!(p.expire_passwords);
    assert_eq!(p.password_reuse_prevention, None);
    assert!(!p.require_symbols);
    // The view shows the new policy.
    h.assert_shows("90 days", true);
}

#[tokio::test]
async fn ctrl_d_in_the_form_deletes_the_policy_after_a_question() {
    let mut h = demo_at("passwordpolicy").await;
    assert!(h.backend.get_password_policy().await.unwrap().is_some());
    h.key(KeyCode::Char('u')).await;
    h.ctrl('d').await;
    h.assert_shows("Delete the account's password policy?", true);
    h.key(KeyCode::Char('y')).await;
    assert_eq!(h.backend.get_password_policy().await.unwrap(), None);
    h.assert_shows("none: IAM's defaults apply", true);
    // With no policy, the form starts from a strong one and saving sets it.
    h.key(KeyCode::Char('u')).await;
    h.assert_shows("The account has no password policy", true);
    h.key(KeyCode::Enter).await;
    let p = h.backend.get_password_policy().await.unwrap().unwrap();
    assert_eq!(p.minimum_password_length, Some(14));
}

#[tokio::test]
async fn the_account_alias_is_set_replaced_and_removed() {
    let mut h = demo_at("summary").await;
    let first = h.backend.list_account_aliases().await.unwrap();
    h.key(KeyCode::Char('u')).await;
    h.assert_shows("Account alias", true);
    h.field("Acme--Prod").await;
    h.assert_shows("cannot be in an alias", true);
    h.key(KeyCode::BackTab).await;
    h.field("acme-prod").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("The account alias is now acme-prod", true);
    assert_eq!(
        h.backend.list_account_aliases().await.unwrap(),
        ["acme-prod"]
    );
    assert_ne!(first, ["acme-prod"]);
    h.assert_shows("AccountAlias", true);
    h.key(KeyCode::Char('u')).await;
    // The field starts from the alias the account has.
    h.assert_shows("acme-prod", true);
    h.field("").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows("Removed the account alias acme-prod", true);
    assert!(h.backend.list_account_aliases().await.unwrap().is_empty());
    h.assert_shows("none (u sets one)", true);
}

#[tokio::test]
async fn edit_says_where_it_works_and_read_only_refuses_it() {
    let mut h = demo_at("users").await;
    h.key(KeyCode::Char('u')).await;
    assert!(h.app.overlay.is_none());
    h.assert_shows(":passwordpolicy", true);
    let mut h = Harness::with(true, "default").await;
    h.command("passwordpolicy").await;
    h.key(KeyCode::Char('u')).await;
    assert!(h.app.overlay.is_none());
    h.assert_shows("read-only", true);
}
