//! Overlays drawn over the view: help (generated from the active keymap), a text, a
//! confirmation, a fuzzy picker; and the prompt line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::widgets::Styled;
use super::widgets::dialog::{Dialog, centered};
use super::widgets::text_view::TextView;

use crate::app::App;
use crate::app::shell::actions::{picker_items, picker_matches};
use crate::app::shell::overlay::{
    Confirm, MfaDialog, NewKeyDialog, Overlay, PasswordDialog, Picker, Prompt, RotationDialog,
};
use crate::commands::Context;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, overlay: &Overlay) {
    match overlay {
        Overlay::Help { scroll } => help(frame, area, app, scroll),
        Overlay::Text {
            title,
            text,
            scroll,
        } => {
            let r = centered(
                area,
                area.width.saturating_sub(4),
                area.height.saturating_sub(2),
            );
            let keys = if scroll.wrap {
                "Esc closes · w unwraps"
            } else {
                "Esc closes · ←→ · w wraps"
            };
            let lines = text.lines().map(Line::from).collect();
            text_popup(frame, r, app, &format!("{title} ({keys})"), lines, scroll);
        }
        Overlay::Confirm(c) => confirm(frame, area, app, c),
        Overlay::Picker(p) => picker(frame, area, app, p),
        Overlay::NewKey(d) => new_key(frame, area, app, d),
        Overlay::Assume(d) => assume(frame, area, app, d),
        Overlay::Export(d) => export(frame, area, app, d),
        Overlay::Rotation(d) => rotation(frame, area, app, d),
        Overlay::Mfa(d) => mfa(frame, area, app, d),
        Overlay::Password(d) => password(frame, area, app, d),
        Overlay::Form(d) => form(frame, area, app, d),
        Overlay::VersionDiff(d) => crate::app::versions::view::draw(frame, area, app, d),
        Overlay::Bulk(d) => super::bulk::draw(frame, area, app, d),
        Overlay::Cascade(d) => super::cascade::draw(frame, area, app, d),
    }
}

fn masked(secret: &str, revealed: bool) -> String {
    if revealed {
        secret.to_string()
    } else {
        // A fixed width: the mask says nothing about the length.
        "•".repeat(16)
    }
}

fn popup<'a>(app: &App, title: &str) -> ratatui::widgets::Block<'a> {
    super::widgets::dialog::popup(&app.theme, title)
}

/// A scrollable text in a popup over `r`.
fn text_popup(
    frame: &mut Frame,
    r: Rect,
    app: &App,
    title: &str,
    lines: Vec<Line>,
    scroll: &crate::app::shell::overlay::TextScroll,
) {
    frame.render_widget(Clear, r);
    TextView::new(lines)
        .block(popup(app, title))
        .render(frame, r, scroll, &app.theme);
}

/// `label` then the typed text and the cursor: a dialog's input line.
fn input_line<'a>(app: &App, label: &str, text: &str) -> Line<'a> {
    let t = &app.theme;
    Line::from(vec![
        t.span(label.to_string(), "ui.prompt"),
        t.span(text.to_string(), "ui.prompt"),
        t.span(" ", "ui.cursor"),
    ])
}

/// A dialog's field: highlighted when it has the focus.
fn field_style(app: &App, focused: bool) -> Style {
    let t = &app.theme;
    if focused {
        t.style("ui.prompt").patch(t.style("ui.selection"))
    } else {
        t.style("ui.prompt")
    }
}

/// A dim label and its value.
fn labelled<'a>(app: &App, label: String, value: String, style: Style) -> Line<'a> {
    Line::from(vec![
        app.theme.span(label, "ui.text.dim"),
        Span::styled(value, style),
    ])
}

fn assume(frame: &mut Frame, area: Rect, app: &App, d: &crate::app::assume::AssumeDialog) {
    use crate::app::assume::{FIELDS, MFA_CODE, prediction};
    let t = &app.theme;
    let mut lines = vec![t.line(d.role_arn.clone(), "ui.title")];
    lines.push(match prediction(app, d) {
        Some(p) => t.line(
            format!("prediction: {}", p.describe()),
            if p.allowed() {
                "status.ok"
            } else {
                "status.warn"
            },
        ),
        None => t.line("reading the trust policy…", "ui.text.dim"),
    });
    if app.assume.mfa_session.is_some() && app.assume.session.is_none() {
        lines.push(t.line("an MFA session is active: no code needed", "ui.text.dim"));
    }
    if app.assume.session.is_some() {
        lines.push(t.line(
            "role chaining: the session lasts one hour at most",
            "ui.text.dim",
        ));
    }
    lines.push(Line::default());
    // The fields, their checks and the keys: never cut.
    let mut footer = Vec::new();
    for (i, name) in FIELDS.iter().enumerate() {
        let value = if i == MFA_CODE {
            "•".repeat(d.fields[i].text.chars().count())
        } else {
            d.fields[i].text.clone()
        };
        let style = field_style(app, i == d.focus);
        footer.push(labelled(
            app,
            format!("{name:<22}"),
            format!("{value} "),
            style,
        ));
    }
    // The session policy is checked as it is typed, by the same engine STS's answer is
    // predicted with.
    let policy = d.field(crate::app::assume::SESSION_POLICY);
    if !policy.is_empty() && !policy.starts_with('@') {
        footer.push(match crate::credentials::assume::session_policy(policy) {
            Ok(p) if p.inline.is_some() => t.line(
                format!(
                    "session policy: valid, {} of 2,048 characters",
                    crate::policy::validate::policy_size(policy)
                ),
                "status.ok",
            ),
            Ok(p) => t.line(
                format!("session policy: {} managed policies", p.arns.len()),
                "status.ok",
            ),
            Err(e) => t.line(e, "status.warn"),
        });
    }
    if d.focus == crate::app::assume::SESSION_POLICY
        && let Some(k) = app.keymap.key_for(Context::Prompt, "edit_field")
    {
        footer.push(t.line(
            format!("{k} edits the session policy in the policy editor (JSON, @FILE or ARNs here)"),
            "ui.text.dim",
        ));
    }
    footer.push(Line::default());
    if let Some(e) = &d.error {
        footer.push(t.line(e.clone(), "status.bad"));
    }
    if !d.busy && d.focus != MFA_CODE && crate::app::assume::needs_code(app, d) {
        footer.push(t.line(
            "this role needs MFA: the code goes in the MFA code field",
            "status.warn",
        ));
    }
    footer.push(t.line(d.footer(), "ui.help.key"));
    Dialog::new("Assume role", 88)
        .body(lines)
        .footer(footer)
        .render(frame, area, t);
}

fn export(frame: &mut Frame, area: Rect, app: &App, d: &crate::app::assume::ExportDialog) {
    let t = &app.theme;
    let lines = vec![
        t.line(d.session.arn.clone(), "ui.title"),
        t.line(
            format!("access key {}", d.session.credentials.access_key_id),
            "ui.text",
        ),
    ];
    let mut footer = vec![
        Line::default(),
        t.line(
            if d.profile.is_some() {
                "Enter writes the credentials into this profile · Esc cancels"
            } else {
                "b copy bash/zsh lines · f fish · w PowerShell · p write a profile · Esc close"
            },
            "ui.help.key",
        ),
    ];
    if let Some(input) = &d.profile {
        footer.push(input_line(app, "profile name: ", &input.text));
    }
    footer.extend(d.message.clone().map(|m| t.line(m, "status.ok")));
    Dialog::new("Hand the credentials on", 88)
        .body(lines)
        .footer(footer)
        .render(frame, area, t);
}

fn new_key(frame: &mut Frame, area: Rect, app: &App, d: &NewKeyDialog) {
    use secrecy::ExposeSecret;
    let t = &app.theme;
    let secret = masked(d.key.secret_access_key.expose_secret(), d.revealed);
    let lines = vec![
        t.line(
            "The secret is shown only now: IAM cannot show it again.",
            "status.warn",
        ),
        Line::default(),
        labelled(
            app,
            "Access key ID      ".into(),
            d.key.key.access_key_id.clone(),
            t.style("ui.text"),
        ),
        labelled(
            app,
            "Secret access key  ".into(),
            secret,
            t.style("ui.text"),
        ),
    ];
    let mut footer = vec![Line::default(), t.line(d.footer(), "ui.help.key")];
    for (label, input) in [("profile name: ", &d.profile), ("save CSV to: ", &d.csv)] {
        if let Some(input) = input {
            footer.push(input_line(app, label, &input.text));
        }
    }
    footer.extend(d.message.clone().map(|m| t.line(m, "status.ok")));
    Dialog::new(format!("New access key for {}", d.user), 84)
        .body(lines)
        .footer(footer)
        .render(frame, area, t);
}

fn password(frame: &mut Frame, area: Rect, app: &App, d: &PasswordDialog) {
    let t = &app.theme;
    let state = match d.exists {
        None => "checking whether the user has a console password…",
        Some(true) => "The user has a console password: a new one replaces it.",
        Some(false) => "The user has no console password: this gives them console access.",
    };
    let policy = match &d.policy {
        None => "reading the account's password policy…".to_string(),
        Some(None) => "No password policy: IAM's default applies (8 characters, three of \
                       uppercase, lowercase, numbers, symbols)."
            .to_string(),
        Some(Some(p)) => format!(
            "Password policy: at least {} characters{}.",
            p.minimum_password_length.unwrap_or(6),
            [
                (p.require_uppercase_characters, ", an uppercase letter"),
                (p.require_lowercase_characters, ", a lowercase letter"),
                (p.require_numbers, ", a number"),
                (p.require_symbols, ", a symbol"),
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, what)| *what)
            .collect::<String>()
        ),
    };
    let mut lines = vec![t.line(state, "ui.text"), t.line(policy, "ui.text.dim")];
    if let Some(p) = &d.set {
        lines.push(Line::default());
        lines.push(labelled(
            app,
            "Password  ".into(),
            masked(p.expose(), d.revealed),
            t.style("ui.text"),
        ));
    }
    let mut footer = vec![Line::default()];
    if d.set.is_none() {
        let flag = if d.reset_required { "[x]" } else { "[ ]" };
        footer.push(t.line(
            format!("{flag} must change it at the next sign-in"),
            "ui.text",
        ));
    }
    if let Some(input) = &d.typed {
        let dots = "•".repeat(input.text.chars().count());
        footer.push(input_line(app, "password: ", &dots));
    }
    footer.extend(d.message.clone().map(|m| t.line(m, "ui.text")));
    footer.push(t.line(d.footer(), "ui.help.key"));
    Dialog::new(format!("Console password for {}", d.user), 84)
        .body(lines)
        .footer(footer)
        .render(frame, area, t);
}

fn form(frame: &mut Frame, area: Rect, app: &App, d: &crate::app::shell::overlay::FormDialog) {
    let t = &app.theme;
    let body = d
        .intro
        .iter()
        .map(|l| t.line(l.clone(), "ui.text"))
        .collect();
    let mut footer = vec![Line::default()];
    footer.extend(super::widgets::form::lines(t, &d.form));
    footer.push(Line::default());
    footer.extend(d.message.clone().map(|m| t.line(m, "ui.text")));
    footer.push(t.line(
        "Tab/Shift-Tab move · Enter submits · Esc cancels",
        "ui.help.key",
    ));
    Dialog::new(d.title.clone(), 100)
        .body(body)
        .footer(footer)
        .render(frame, area, t);
}

fn rotation(frame: &mut Frame, area: Rect, app: &App, d: &RotationDialog) {
    let t = &app.theme;
    let mut lines = vec![t.line(
        format!(
            "Rotate {} of {}: create a new key, check it works, {} the old one, check again.",
            d.key.clone().unwrap_or_else(|| "the access key".into()),
            d.user,
            if d.delete_old { "delete" } else { "deactivate" }
        ),
        "ui.text",
    )];
    let mut footer = Vec::new();
    if !d.started {
        if let Some(first) = &d.delete_first {
            lines.push(t.line(
                format!(
                    "IAM allows two keys and {} has two: {first} will be deleted first.",
                    d.user
                ),
                "status.warn",
            ));
        }
        footer.push(Line::default());
        footer.push(input_line(app, "MFA code (empty: none): ", &d.code.text));
        footer.push(t.line(
            "Enter rotates · Tab: deactivate or delete the old key · Esc cancels",
            "ui.help.key",
        ));
    }
    lines.extend(d.steps.iter().map(|s| t.line(s.clone(), "ui.text")));
    // The outcome names every key on a line of its own.
    let mut outcome = |text: &str, scope| {
        lines.extend(text.lines().map(|l| t.line(l.to_string(), scope)));
        footer.push(t.line("Esc closes", "ui.help.key"));
    };
    match &d.outcome {
        Some(Ok(s)) => outcome(s, "status.ok"),
        Some(Err(e)) => outcome(e, "status.bad"),
        None if d.started => footer.push(t.line("working…", "ui.text.dim")),
        None => {}
    }
    Dialog::new("Rotate access key", 96)
        .body(lines)
        .footer(footer)
        .render(frame, area, t);
}

fn mfa(frame: &mut Frame, area: Rect, app: &App, d: &MfaDialog) {
    use secrecy::ExposeSecret;
    let t = &app.theme;
    let mut text: Vec<Line> = Vec::new();
    let mut footer: Vec<Line> = Vec::new();
    let mut qr: Vec<Line> = Vec::new();
    if let Some(dev) = &d.device {
        let seed = dev.seed_base32.expose_secret();
        let label = if d.account.is_empty() {
            d.user.clone()
        } else {
            format!("{}@{}", d.user, d.account)
        };
        // A short issuer keeps the code small enough for an 80×24 terminal.
        let uri = crate::iam::totp::otpauth_uri("AWS", &label, seed);
        if !d.done {
            match super::qr::qr_widget_lines(&uri, 1) {
                Ok(lines) => qr = lines,
                Err(e) => text.push(t.line(e.to_string(), "status.bad")),
            }
            text.push(t.line("Key (for typing it in):", "ui.text.dim"));
            text.push(t.line(masked(seed, d.revealed), "ui.text"));
            text.push(t.line("r reveals it", "ui.text.dim"));
        }
        text.push(t.line(dev.serial_number.clone(), "ui.text.dim"));
    }
    if (d.device.is_some() || d.resync.is_some()) && !d.done {
        for (i, code) in [&d.code1, &d.code2].into_iter().enumerate() {
            let (label, value) = (format!("code {}: ", i + 1), format!("{:<6}", code.text));
            footer.push(labelled(app, label, value, field_style(app, d.focus == i)));
        }
    }
    footer.extend(d.message.clone().map(|m| t.line(m, "ui.text")));
    footer.extend(
        d.footer()
            .lines()
            .map(|l| t.line(l.to_string(), "ui.help.key")),
    );
    let title = if d.resync.is_some() {
        format!("Resynchronise MFA for {}", d.user)
    } else {
        format!("Enrol MFA for {}", d.user)
    };
    // Stacked when there is room, else the code on the left and the text beside it.
    Dialog::new(title, 72)
        .side(qr)
        .body(text)
        .footer(footer)
        .stack_if_room(area)
        .render(frame, area, t);
}

/// Every binding of the active keymap for the contexts that matter here, mutating ones left
/// out in read-only mode: generated, so never out of date.
fn help(frame: &mut Frame, area: Rect, app: &App, scroll: &crate::app::shell::overlay::TextScroll) {
    let t = &app.theme;
    let read_only = app.read_only();
    let mut lines: Vec<Line> = Vec::new();
    for context in [
        Context::Global,
        Context::List,
        Context::Detail,
        Context::Prompt,
        Context::Editor,
    ] {
        let bindings = app.keymap.bindings(context, read_only);
        if bindings.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(t.line(
            match context {
                Context::Global => "Everywhere",
                Context::List => "Lists",
                Context::Detail => "Details",
                Context::Prompt => "Prompts and dialogs",
                Context::Editor => "Policy editor",
            },
            "ui.header",
        ));
        for b in bindings {
            lines.push(Line::from(vec![
                t.span(format!("  {:<14}", b.keys), "ui.help.key"),
                t.span(b.desc.to_string(), "ui.text"),
            ]));
        }
    }
    lines.push(Line::default());
    lines.push(t.line(
        "Commands: :users :groups :roles :policies :keys :mfa :providers :passwordpolicy :whoami (:roles /admin filters), :theme NAME, :q",
        "ui.text.dim",
    ));
    if read_only {
        lines.push(t.line(
            "Read-only: actions that change the account are not available.",
            "status.warn",
        ));
    }
    let r = centered(area, 90.min(area.width), area.height.saturating_sub(2));
    text_popup(frame, r, app, "Help (Esc closes)", lines, scroll);
}

fn confirm(frame: &mut Frame, area: Rect, app: &App, c: &Confirm) {
    let t = &app.theme;
    // The line that says which keys do what (it names Esc) and any after it (what was
    // wrong with the typed name) go below the input line, never cut.
    let hint_at = c
        .lines
        .iter()
        .rposition(|l| l.contains("Esc"))
        .unwrap_or(c.lines.len());
    let line = |l: &String, scope: &str| t.line(l.clone(), scope);
    let body = c.lines[..hint_at]
        .iter()
        .map(|l| line(l, "ui.text"))
        .collect();
    let mut footer = Vec::new();
    if c.expect.is_some() && !c.blocked && c.checking.is_none() {
        footer.push(Line::default());
        footer.push(input_line(app, "> ", &c.input.text));
    }
    footer.extend(c.lines[hint_at..].iter().map(|l| {
        if l.starts_with("that is not") {
            line(l, "status.bad")
        } else {
            line(l, "ui.help.key")
        }
    }));
    Dialog::new(c.title.clone(), 72)
        .body(body)
        .footer(footer)
        .render(frame, area, t);
}

fn picker(frame: &mut Frame, area: Rect, app: &App, p: &Picker) {
    let t = &app.theme;
    let r = centered(
        area,
        80.min(area.width),
        area.height.saturating_sub(4).max(6),
    );
    frame.render_widget(Clear, r);
    let block = popup(app, &p.title);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [input, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(input_line(app, "> ", &p.input.text)), input);
    let matches = picker_matches(app, p);
    let visible = list.height as usize;
    let offset = super::list::scroll_offset(p.selected, 0, visible, matches.len());
    let lines: Vec<Line> = if matches.is_empty() {
        let empty = if picker_items(app, p).is_empty() {
            "loading…"
        } else {
            "no match"
        };
        vec![t.line(empty, "ui.text.dim")]
    } else {
        matches
            .iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .map(|(i, (label, _))| {
                let style = super::widgets::highlighted(t, i == p.selected, t.style("ui.text"));
                Line::styled(label.clone(), style)
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), list);
}

/// The prompt line, with what was typed, the cursor, and a problem or completions under it.
pub fn prompt(frame: &mut Frame, area: Rect, app: &App, p: &Prompt) {
    let t = &app.theme;
    let chars: Vec<char> = p.input.text.chars().collect();
    let before: String = chars[..p.input.cursor.min(chars.len())].iter().collect();
    let at: String = chars
        .get(p.input.cursor)
        .map_or(" ".into(), |c| c.to_string());
    let after: String = chars.iter().skip(p.input.cursor + 1).collect();
    let spans = vec![
        Span::styled(
            p.label(),
            t.style("ui.help.key").patch(t.style("ui.prompt")),
        ),
        t.span(before, "ui.prompt"),
        t.span(at, "ui.cursor"),
        t.span(after, "ui.prompt"),
    ];
    let mut lines = vec![Line::from(spans)];
    if let Some(e) = &p.error {
        let e = t.line(e.clone(), "status.bad");
        lines.extend(super::widgets::wrap(&e, usize::from(area.width)));
    }
    frame.render_widget(Paragraph::new(lines).style(t.style("ui.prompt")), area);
}
