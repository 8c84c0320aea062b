//! What the browse room shows, through the console on the demo account.

use ratatui::crossterm::event::KeyCode;

use crate::app::harness::{Harness, demo_at};
use crate::app::model::table::{self, RowOptions};
use crate::app::shell::nav::Screen;
use crate::app::shell::state::App;
use crate::commands::palette::ViewKind;

fn list_cells(app: &App) -> Vec<Vec<String>> {
    let l = app.nav.list().expect("a list");
    l.rows.iter().map(|r| r.cells.clone()).collect()
}

fn opts(app: &App) -> RowOptions {
    RowOptions {
        now: app.now(),
        key_age_warn_days: 90,
    }
}

/// A user's page opens on its facts, as the AWS console's summary strip does; roles and
/// policies have their own.
#[tokio::test]
async fn details_open_on_a_summary_strip() {
    let mut h = Harness::demo().await;
    let user = [
        "ARN arn:aws:iam::123456789012:user/",
        "User ID AIDA",
        "Path /",
        "Created 20",
        "Console password ",
        "MFA ",
        "Access keys 2",
    ];
    let role = [
        "ARN arn:aws:iam::",
        "Max session ",
        "Last used ",
        "Boundary ",
    ];
    let policy = ["Default version v", "Attachments ", "Updated 20"];
    for (view, facts) in [
        ("users daniel.okafor", &user[..]),
        ("roles", &role),
        ("policies", &policy),
    ] {
        h.command(view).await;
        h.key(KeyCode::Enter).await;
        h.assert_screen((160, 30), facts, &[]);
    }
}

/// Whatever order the backend lists in, a list comes by name, ignoring case.
#[tokio::test]
async fn lists_sort_by_name_ignoring_case() {
    let mut h = Harness::demo().await;
    h.app.data.users.items.reverse();
    if let Some(u) = h.app.data.users.items.last_mut() {
        u.name = "ZZ-last".into();
    }
    let names: Vec<String> = table::rows(ViewKind::Users, &h.app.data, opts(&h.app))
        .into_iter()
        .map(|r| r.cells[0].clone())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    assert_eq!(names.last().map(String::as_str), Some("ZZ-last"));
    assert_eq!(list_cells(&h.app).len(), names.len());
}

/// As a user whose policies deny the per-user calls, the cells say so instead of waiting.
#[tokio::test]
async fn values_that_cannot_load_say_why() {
    let mut h = Harness::demo_as("wendy.zhao").await;
    h.command("users").await;
    let rows = list_cells(&h.app);
    assert!(!rows.is_empty(), "{}", h.screen(120, 30));
    assert!(
        rows.iter().all(|r| r[4] == "denied" && r[6] == "denied"),
        "{}",
        h.screen(120, 30)
    );
    h.command("users daniel.okafor").await;
    h.key(KeyCode::Enter).await;
    h.assert_screen((160, 30), &["Console password yes, last used denied"], &[]);
    if let Screen::Detail(d) = h.app.nav.current_mut() {
        d.tab = 2;
    }
    let shown = ["Security credentials", "last used denied"];
    h.assert_screen((160, 40), &shown, &["never used", "…"]);
}

/// The JSON of a resource uses IAM's names throughout; a trust policy is an object.
#[tokio::test]
async fn json_is_shaped_like_iam() {
    let mut h = demo_at("roles").await;
    h.key(KeyCode::Enter).await;
    let d = h.app.nav.detail().expect("a detail");
    let json: serde_json::Value =
        serde_json::from_str(&crate::app::model::detail::json(&d.detail, &d.target)).unwrap();
    assert!(json["RoleName"].is_string(), "{json}");
    assert!(json["RoleId"].is_string(), "{json}");
    assert!(
        json["AssumeRolePolicyDocument"]["Statement"].is_array(),
        "{json}"
    );
    let text = json.to_string();
    assert!(
        !text.contains("assume_role_policy") && !text.contains("role_id"),
        "{text}"
    );

    h.command("keys").await;
    let l = h.app.nav.list().expect("a list");
    let key: serde_json::Value =
        serde_json::from_str(l.rows[0].json.as_deref().expect("a key's JSON")).unwrap();
    for field in ["UserName", "AccessKeyId", "Status", "CreateDate"] {
        assert!(key[field].is_string(), "{key}");
    }
}

/// The two new kinds: instance profiles with their roles, and the account's quotas.
#[tokio::test]
async fn instance_profiles_and_the_account_summary() {
    let mut h = demo_at("ip").await;
    let rows = list_cells(&h.app);
    assert_eq!(
        rows.len(),
        h.app
            .data
            .list::<crate::iam::InstanceProfile>()
            .unwrap()
            .items
            .len()
    );
    let with_role = rows
        .iter()
        .find(|r| !r[2].is_empty())
        .expect("a profile with a role");
    let (name, role) = (with_role[0].clone(), with_role[2].clone());
    h.command(&format!("instanceprofiles {name}")).await;
    h.key(KeyCode::Enter).await;
    let shown = [&format!("Roles {role}"), "instance-profile/"];
    h.assert_screen((160, 30), &shown, &[]);

    h.command("quotas").await;
    let rows = list_cells(&h.app);
    let users = rows.iter().find(|r| r[0] == "Users").expect("a Users row");
    assert_eq!(
        users[1],
        format!("{} / 5000", h.app.data.users.items.len()),
        "{rows:?}"
    );
}
