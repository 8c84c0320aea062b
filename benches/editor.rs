//! What one keystroke costs in the policy editor on a document of IAM's largest size (a role's
//! inline policy, 10,240 characters): re-validating and placing the findings, the keystroke as
//! the console handles it (text area, validation, simulation), drawing the editor, completion
//! and formatting. All of it runs on the UI thread, between a key and the next frame.
//!
//! Run: `cargo bench --bench editor`. Figures are in the README.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use iamtui::app::App;
use iamtui::app::editor::analysis::Analysis;
use iamtui::app::editor::{EditTarget, keys, open_new};
use iamtui::iam::EntityRef;
use iamtui::iam::backend::BackendInfo;
use iamtui::policy::validate::{PolicyType, limits, policy_size};

/// A policy just under the role-inline limit, in the console's format: statements with
/// actions, resources and conditions, as real ones have.
fn largest_policy() -> String {
    let actions = [
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "sqs:SendMessage",
        "kms:Decrypt",
        "logs:PutLogEvents",
    ];
    let mut statements = Vec::new();
    let mut i = 0;
    loop {
        let st = format!(
            r#"{{"Sid": "Statement{i}", "Effect": "Allow", "Action": [{}], "Resource": ["arn:aws:s3:::bucket-{i}/*", "arn:aws:dynamodb:us-east-1:123456789012:table/t{i}"], "Condition": {{"StringEquals": {{"aws:RequestedRegion": "us-east-1"}}, "Bool": {{"aws:SecureTransport": "true"}}}}}}"#,
            actions
                .iter()
                .map(|a| format!("\"{a}\""))
                .collect::<Vec<_>>()
                .join(", ")
        );
        statements.push(st);
        let doc = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
            statements.join(", ")
        );
        if policy_size(&doc) > limits::ROLE_INLINE - 400 {
            return iamtui::policy::format::format_policy(&doc).unwrap();
        }
        i += 1;
    }
}

fn editor(c: &mut Criterion) {
    let text = largest_policy();
    let mut g = c.benchmark_group("editor");
    g.bench_function(
        "validate and place findings, 10,240-character policy",
        |b| b.iter(|| Analysis::of(black_box(&text), PolicyType::Identity, limits::ROLE_INLINE)),
    );
    let mut app = App::new(BackendInfo {
        kind: "local",
        source: "bench".into(),
        region: None,
        read_only: false,
        read_only_reason: None,
    });
    open_new(
        &mut app,
        EditTarget::Inline {
            entity: EntityRef::role("Bench"),
            name: "Largest".into(),
            new: true,
        },
        &text,
    );
    app.editor.as_mut().unwrap().simulate.fields[0] =
        iamtui::app::shell::overlay::Input::with("s3:GetObject");
    // Type and delete a character: the text stays the same size between iterations.
    g.bench_function(
        "keystroke (type, validate, simulate), 10,240 characters",
        |b| {
            b.iter(|| {
                keys::on_key(
                    &mut app,
                    KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE),
                );
                keys::on_key(
                    &mut app,
                    KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE),
                );
            })
        },
    );
    let mut terminal = Terminal::new(TestBackend::new(160, 50)).unwrap();
    g.bench_function("draw the editor, 160x50", |b| {
        b.iter(|| {
            terminal.draw(|f| iamtui::ui::draw(f, &app)).unwrap();
        })
    });
    let at = text.rfind("s3:PutObj").unwrap() + "s3:PutObj".len();
    g.bench_function("complete an action at the end of the document", |b| {
        b.iter(|| iamtui::policy::complete::complete(black_box(&text), at, &[]))
    });
    g.bench_function("format the document", |b| {
        b.iter(|| iamtui::policy::format::format_policy(black_box(&text)))
    });
    g.finish();
}

criterion_group!(benches, editor);
criterion_main!(benches);
