//! Instance profiles made, given a role, emptied and deleted from the console on the demo
//! account, read back from the account.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use crate::app::harness::demo_at;

#[tokio::test]
async fn an_instance_profile_is_made_given_a_role_emptied_and_deleted() {
    let mut h = demo_at("instanceprofiles").await;
    h.key(KeyCode::Char('n')).await;
    h.assert_shows("new instance profile ([/path/]name):", true);
    h.submit("/apps/batch-workers").await;
    h.assert_shows("Created instance profile batch-workers", true);
    let p = h
        .backend
        .get_instance_profile("batch-workers")
        .await
        .unwrap();
    assert_eq!(p.path, "/apps/");
    assert!(p.roles.is_empty());

    h.key(KeyCode::Char('/')).await;
    h.submit("batch-workers").await;
    h.key(KeyCode::Char('m')).await;
    h.assert_shows("Add a role to instance profile batch-workers", true);
    h.type_text("WebAppInstanceRole").await;
    h.key(KeyCode::Enter).await;
    h.assert_shows(
        "Added role WebAppInstanceRole to instance profile batch-workers",
        true,
    );
    let p = h
        .backend
        .get_instance_profile("batch-workers")
        .await
        .unwrap();
    assert_eq!(p.roles, ["WebAppInstanceRole"]);

    // IAM's quota is one role: a second is refused before any call.
    h.key(KeyCode::Char('m')).await;
    assert!(h.app.overlay.is_none());
    h.assert_shows(
        "batch-workers holds one already; remove WebAppInstanceRole first",
        true,
    );
    // Deleting a profile that holds a role lists taking the role out first (the role stays).
    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    h.assert_shows(
        "RemoveRoleFromInstanceProfile batch-workers (WebAppInstanceRole)",
        true,
    );
    h.assert_shows("DeleteInstanceProfile batch-workers", true);
    h.key(KeyCode::Esc).await;

    // The Roles tab's row: M removes it.
    h.key(KeyCode::Enter).await;
    h.assert_shows("WebAppInstanceRole", true);
    h.key(KeyCode::Char('M')).await;
    h.assert_shows(
        "Remove role WebAppInstanceRole from instance profile batch-workers?",
        true,
    );
    h.key(KeyCode::Char('y')).await;
    h.assert_shows("Removed WebAppInstanceRole from batch-workers", true);
    let p = h
        .backend
        .get_instance_profile("batch-workers")
        .await
        .unwrap();
    assert!(p.roles.is_empty());

    h.key_with(KeyCode::Char('d'), KeyModifiers::CONTROL).await;
    h.assert_shows("DeleteInstanceProfile batch-workers", true);
    h.submit("batch-workers").await;
    h.assert_shows("Deleted instance profile batch-workers", true);
    assert!(
        h.backend
            .get_instance_profile("batch-workers")
            .await
            .is_err()
    );
}
