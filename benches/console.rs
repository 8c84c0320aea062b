//! Speed of the console on a large account: rebuilding a 15,000-row list (rows, sort,
//! filter) and drawing a screen of it. Both happen on the UI thread, so they bound how
//! responsive scrolling and typing a filter feel.
//!
//! Run: `cargo bench --bench console`. Figures are in the README.

use std::hint::black_box;

use chrono::{Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use std::sync::Arc;

use iamtui::app::App;
use iamtui::app::browse::views;
use iamtui::app::model::data::Status;
use iamtui::app::shell::nav::{ListView, Nav, Screen};
use iamtui::backend::local::LocalBackend;
use iamtui::backend::local::model::Account;
use iamtui::commands::palette::ViewKind;
use iamtui::iam::Backend;
use iamtui::iam::backend::BackendInfo;
use iamtui::iam::{Group, User};

fn app_with_users(n: usize) -> App {
    let mut app = App::new(BackendInfo {
        kind: "local",
        source: "bench".into(),
        region: None,
        read_only: false,
        read_only_reason: None,
    });
    let now = Utc::now();
    app.data.users.items = (0..n)
        .map(|i| User {
            name: format!("user-{i:05}-{}", ["alice", "bob", "carol", "dave"][i % 4]),
            user_id: format!("AIDA{i:017}"),
            arn: format!("arn:aws:iam::123456789012:user/team{}/user-{i:05}", i % 40),
            path: format!("/team{}/", i % 40),
            create_date: now - Duration::days((i % 900) as i64),
            password_last_used: (i % 3 == 0).then(|| now - Duration::days((i % 30) as i64)),
            permissions_boundary: None,
            tags: Vec::new(),
        })
        .collect();
    app.data.users.status = Status::Complete;
    app.data.groups.items = (0..300)
        .map(|g| Group {
            name: format!("group-{g}"),
            group_id: format!("AGPA{g:017}"),
            arn: format!("arn:aws:iam::123456789012:group/group-{g}"),
            path: "/".into(),
            create_date: now,
        })
        .collect();
    for g in 0..300 {
        let members = (0..n)
            .filter(|i| i % 300 == g || i % 97 == g)
            .map(|i| app.data.users.items[i].name.clone())
            .collect();
        app.data.members.insert(format!("group-{g}"), members);
    }
    app.nav = Nav::new(ListView::new(ViewKind::Users, None));
    // A connected backend (never called here), so the list is what gets drawn.
    let dir = Box::leak(Box::new(tempfile::tempdir().unwrap()));
    let local = LocalBackend::open(&dir.path().join("a.json"), || {
        Account::empty("123456789012", Utc::now())
    })
    .unwrap();
    let generation = app.backend.begin();
    app.backend
        .finish(generation, Ok(Arc::new(local) as Arc<dyn Backend>));
    app
}

fn bump(app: &mut App) {
    app.data.touch();
}

fn list(c: &mut Criterion) {
    let mut g = c.benchmark_group("console, 15,000 users");
    g.sample_size(20);
    let mut app = app_with_users(15_000);
    g.bench_function("rebuild rows (data changed)", |b| {
        b.iter(|| {
            bump(&mut app);
            views::refresh(black_box(&mut app), true);
        })
    });
    g.bench_function("filter as you type (fuzzy `carl`)", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            if let Screen::List(l) = app.nav.current_mut() {
                l.filter = if i % 2 == 0 {
                    "carl".into()
                } else {
                    "car".into()
                };
            }
            views::refresh(black_box(&mut app), true);
        })
    });
    g.bench_function("sort by a column", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            if let Screen::List(l) = app.nav.current_mut() {
                l.filter.clear();
                l.sort = Some(i % 3);
            }
            views::refresh(black_box(&mut app), true);
        })
    });
    let mut terminal = Terminal::new(TestBackend::new(160, 50)).unwrap();
    views::refresh(&mut app, true);
    let probe = {
        let mut t = Terminal::new(TestBackend::new(160, 50)).unwrap();
        t.draw(|f| iamtui::ui::draw(f, &app)).unwrap();
        format!("{:?}", t.backend().buffer())
    };
    assert!(
        probe.contains("Users (15000)"),
        "the list is what gets drawn"
    );
    g.bench_function("draw a 160x50 screen of the list", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| iamtui::ui::draw(frame, black_box(&app)))
                .unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, list);
criterion_main!(benches);
