//! The policy editor on screen: a title with the size against IAM's limit, the gutter (a marker
//! per line with a finding, in the finding's colour, and a bar beside the statements that
//! decided the simulation), the text area, the finding under the cursor, the simulate pane, and
//! the popups (completion, findings, diff, questions).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::App;
use crate::app::editor::simulate::FIELDS;
use crate::app::editor::{Editor, Focus, Popup};
use crate::commands::Context;
use crate::config::theme::Theme;
use crate::policy::Severity;
use crate::policy::eval::Outcome;

use super::chrome::thousands;
use super::widgets::{Styled, highlighted};

/// Columns of the gutter: the finding marker and the deciding-statement bar.
const GUTTER: u16 = 2;

fn severity_scope(s: Severity) -> &'static str {
    match s {
        Severity::Error => "finding.error",
        Severity::SecurityWarning => "finding.security-warning",
        Severity::Warning => "finding.warning",
        Severity::Suggestion => "finding.suggestion",
    }
}

fn marker(s: Severity) -> &'static str {
    match s {
        Severity::Error => "✖",
        Severity::SecurityWarning => "▲",
        Severity::Warning => "▲",
        Severity::Suggestion => "●",
    }
}

/// The scope a decision is drawn in: allowed or not.
fn outcome_scope(o: Outcome) -> &'static str {
    match o {
        Outcome::Allowed => "status.ok",
        _ => "status.bad",
    }
}

/// A pane's frame, its border lit when it has the keys.
fn pane_block<'a>(t: &Theme, focused: bool, title: String) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .border_style(t.style(if focused {
            "ui.border.focused"
        } else {
            "ui.border"
        }))
        .title(t.span(title, "ui.title"))
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, e: &Editor) {
    let t = &app.theme;
    frame.render_widget(Clear, area);
    frame.render_widget(Block::new().style(t.style("ui.text")), area);
    let side = e.show_simulate && area.width >= 100;
    let below = e.show_simulate && !side;
    let [main, status, keys] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (text_area, pane_area) = if side {
        let [a, b] = Layout::horizontal([Constraint::Min(40), Constraint::Length(46)]).areas(main);
        (a, Some(b))
    } else if below {
        let [a, b] = Layout::vertical([Constraint::Min(5), Constraint::Length(11)]).areas(main);
        (a, Some(b))
    } else {
        (main, None)
    };
    draw_text(frame, text_area, app, e);
    if let Some(p) = pane_area {
        draw_pane(frame, p, app, e);
    }
    draw_status(frame, status, t, e);
    draw_keys(frame, keys, app);
    if let Some(p) = &e.popup {
        draw_popup(frame, text_area, t, e, p);
    }
}

/// The right of the title: what keeps changing as you type, so it is never cut.
fn counts(e: &Editor) -> String {
    let mut s = format!(
        " {} · {} of {} characters",
        e.policy_type.name(),
        thousands(e.analysis.size),
        thousands(e.limit)
    );
    if e.modified() {
        s.push_str(" · modified");
    }
    s.push(' ');
    s
}

fn draw_text(frame: &mut Frame, area: Rect, app: &App, e: &Editor) {
    let t = &app.theme;
    let focused = e.focus == Focus::Text && e.popup.is_none();
    let over = e.analysis.size > e.limit;
    let counts_scope = if over { "finding.error" } else { "ui.title" };
    let block = pane_block(t, focused, format!(" {} ", e.title))
        .title_top(t.line(counts(e), counts_scope).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if let Some(why) = &e.loading {
        frame.render_widget(
            Paragraph::new(why.as_str()).style(t.style("ui.text.dim")),
            inner,
        );
        return;
    }
    // The line numbers are drawn here, not by the text area: it scrolls its own numbers away
    // with the text when a long line scrolls sideways.
    let [gutter, numbers, body] = Layout::horizontal([
        Constraint::Length(GUTTER),
        Constraint::Length(number_width(e)),
        Constraint::Min(1),
    ])
    .areas(inner);
    let digits = usize::from(number_width(e).saturating_sub(2));
    // Drawn by reference: the text area keeps its scroll position between frames.
    frame.render_widget(&e.area, body);
    // The text area scrolls itself while drawing: the gutter follows its first line.
    let (top, _) = e.area.scroll_offset();
    let deciding = e
        .simulate
        .result
        .as_ref()
        .map(|d| outcome_scope(d.outcome))
        .filter(|_| e.show_simulate);
    for row in 0..gutter.height {
        let line = top as usize + row as usize;
        if line >= e.area.lines().len() {
            break;
        }
        let mut spans = Vec::new();
        match e.analysis.markers.get(&line) {
            Some(s) => spans.push(t.span(marker(*s), &format!("{}.gutter", severity_scope(*s)))),
            None => spans.push(Span::raw(" ")),
        }
        match deciding {
            Some(scope) if e.simulate.deciding_lines.contains(&line) => {
                spans.push(t.span("┃", scope));
            }
            _ => spans.push(Span::raw(" ")),
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)),
            Rect {
                y: gutter.y + row,
                height: 1,
                ..gutter
            },
        );
        frame.render_widget(
            Paragraph::new(format!(" {:>digits$} ", line + 1)).style(t.style("ui.linenr")),
            Rect {
                y: numbers.y + row,
                height: 1,
                ..numbers
            },
        );
    }
}

/// Columns of the line numbers: the last line's digits and a space either side.
fn number_width(e: &Editor) -> u16 {
    let digits = e.area.lines().len().max(1).to_string().len();
    u16::try_from(digits).unwrap_or(u16::MAX).saturating_add(2)
}

fn draw_status(frame: &mut Frame, area: Rect, t: &Theme, e: &Editor) {
    let (line, col) = e.cursor();
    let pos = format!(" {}:{} ", line + 1, col + 1);
    let mut spans = vec![t.span(pos, "ui.text.dim")];
    if let Some(busy) = &e.busy {
        spans.push(t.span(busy.clone(), "ui.statusbar.progress"));
    } else if let Some((m, error)) = &e.message {
        let scope = if *error { "finding.error" } else { "status.ok" };
        spans.push(t.span(m.clone(), scope));
    } else if let Some(p) = e.analysis.at(line, col) {
        let scope = severity_scope(p.finding.severity);
        spans.push(t.span(
            format!("{} {}: ", p.finding.severity, p.finding.code),
            scope,
        ));
        spans.push(t.span(p.finding.message.clone(), "ui.text"));
    } else {
        spans.push(t.span(e.analysis.summary(), "ui.text.dim"));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The editor's keys, from the keymap.
fn draw_keys(frame: &mut Frame, area: Rect, app: &App) {
    let bar = app.theme.style("ui.statusbar");
    let keys = [
        ("editor_save", "save"),
        ("editor_close", "close"),
        ("editor_complete", "complete"),
        ("editor_next_finding", "next finding"),
        ("editor_findings", "findings"),
        ("editor_format", "format"),
        ("editor_simulate", "simulate"),
    ]
    .into_iter()
    .filter_map(|(name, label)| Some((app.keymap.key_for(Context::Editor, name)?, label)));
    let spans = super::chrome::key_hints(&app.theme, keys);
    frame.render_widget(Paragraph::new(Line::from(spans)).style(bar), area);
}

fn draw_pane(frame: &mut Frame, area: Rect, app: &App, e: &Editor) {
    let t = &app.theme;
    let p = &e.simulate;
    let focused = e.focus == Focus::Simulate && e.popup.is_none();
    let block = pane_block(t, focused, " Simulate ".into());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines: Vec<Line> = Vec::new();
    lines.push(t.line(p.whose.clone(), "ui.text.dim"));
    for (i, name) in FIELDS.iter().enumerate() {
        let value = p.fields.get(i).map(|f| f.text.clone()).unwrap_or_default();
        let active = focused && p.field == i;
        let shown = match (active, value.is_empty(), i) {
            (true, _, _) => format!("{value}▏"),
            // An empty resource is `*`; an empty action waits for one.
            (false, true, crate::app::editor::simulate::RESOURCE) => "* (any)".into(),
            _ => value,
        };
        let label = if active { "ui.help.key" } else { "ui.text.dim" };
        lines.push(Line::from(vec![
            t.span(format!("{name:<10}"), label),
            t.span(shown, "ui.text"),
        ]));
        if i == 0 && focused && p.field == 0 && !p.suggestions.is_empty() {
            let names = format!("          {}", p.suggestions.join(" "));
            lines.push(t.line(names, "ui.text.dim"));
        }
    }
    let loading = p.loading();
    if loading > 0 {
        lines.push(t.line(
            format!("loading {loading} of the principal's policies…"),
            "ui.statusbar.progress",
        ));
    }
    if let Some(note) = &p.trust_note {
        let scope = if p.result.is_none() {
            "ui.statusbar.progress"
        } else {
            "ui.text"
        };
        lines.push(t.line(note.clone(), scope));
    }
    for o in p.others.iter().filter(|o| o.error.is_some()) {
        lines.push(t.line(
            format!("{}: {}", o.label, o.error.clone().unwrap_or_default()),
            "status.warn",
        ));
    }
    lines.push(Line::default());
    match &p.result {
        None if e.analysis.policy.is_none() => {
            lines.push(t.line("the document does not parse: no decision", "status.warn"));
        }
        // Waiting for the trust policy, said above.
        None if p.trust_note.is_some() => {}
        None => lines.push(t.line("type an action (Tab completes)", "ui.text.dim")),
        Some(d) => {
            let scope = outcome_scope(d.outcome);
            lines.push(Line::styled(
                d.outcome.as_str().to_string(),
                t.style(scope).add_modifier(ratatui::style::Modifier::BOLD),
            ));
            lines.push(t.line(d.reason.clone(), "ui.text"));
            let here: Vec<String> = d
                .deciding
                .iter()
                .filter(|s| Some(s.source) == p.edited_source)
                .map(crate::app::editor::simulate::statement_name)
                .collect();
            if !here.is_empty() {
                lines.push(t.line(format!("in this document: {}", here.join(", ")), scope));
            }
            for other in p.deciding_elsewhere() {
                lines.push(t.line(format!("also: {other}"), "ui.text.dim"));
            }
        }
    }
    let n = p.others.iter().filter(|o| o.policy.is_some()).count();
    if n > 0 {
        let policies = format!("with {n} other polic{}", if n == 1 { "y" } else { "ies" });
        lines.push(t.line(policies, "ui.text.dim"));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// The rectangle in the middle of `area` (rounding down, unlike the dialogs' `centered`).
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Under the cursor's line (above it when there is no room), where the eye already is.
fn below_cursor(area: Rect, e: &Editor, height: u16) -> Rect {
    let (line, col) = e.cursor();
    let (top, left) = e.area.scroll_offset();
    let inner_y = area.y + 1;
    let row = inner_y + (line.saturating_sub(top as usize) as u16);
    let x = area.x + 1 + GUTTER + number_width(e) + (col.saturating_sub(left as usize) as u16);
    let width = 64.min(area.width.saturating_sub(2));
    let x = x.min(area.x + area.width.saturating_sub(width + 1));
    let bottom = area.y + area.height.saturating_sub(1);
    let y = if row + 1 + height <= bottom {
        row + 1
    } else {
        row.saturating_sub(height).max(area.y)
    };
    Rect {
        x,
        y,
        width,
        height: height.min(area.height),
    }
}

fn draw_popup(frame: &mut Frame, area: Rect, t: &Theme, e: &Editor, popup: &Popup) {
    let style = t.style("ui.popup");
    let (title, lines): (String, Vec<Line>) = match popup {
        Popup::Completion {
            items, selected, ..
        } => {
            let height = area.height.saturating_sub(4) as usize;
            let start = selected.saturating_sub(height.saturating_sub(1));
            let lines = items
                .iter()
                .enumerate()
                .skip(start)
                .take(height.max(1))
                .map(|(i, c)| {
                    Line::from(vec![
                        Span::styled(c.text.clone(), highlighted(t, i == *selected, style)),
                        t.span(format!("  {}", c.detail), "ui.text.dim"),
                    ])
                })
                .collect();
            (
                format!(" Complete ({}) · Enter inserts · Esc ", items.len()),
                lines,
            )
        }
        Popup::Findings { selected } => {
            let lines = e
                .analysis
                .findings
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let severity = p.finding.severity;
                    Line::from(vec![
                        t.span(
                            format!("{:>4}:{:<3} ", p.line + 1, p.column + 1),
                            "ui.linenr",
                        ),
                        t.span(format!("{} ", marker(severity)), severity_scope(severity)),
                        Span::styled(
                            format!("{}: {}", p.finding.code, p.finding.message),
                            highlighted(t, i == *selected, style),
                        ),
                    ])
                })
                .collect();
            (
                format!(" Findings: {} · Enter goes there ", e.analysis.summary()),
                lines,
            )
        }
        Popup::Diff {
            lines: diff,
            scroll,
            warnings,
        } => {
            let mut lines: Vec<Line> = Vec::new();
            if *warnings > 0 {
                lines.push(t.line(
                    format!(
                        "{warnings} warning{} remain: Enter saves anyway, Esc goes back",
                        if *warnings == 1 { "" } else { "s" }
                    ),
                    "status.warn",
                ));
            } else {
                lines.push(t.line("Enter saves, Esc goes back", "ui.text.dim"));
            }
            if diff.is_empty() {
                lines.push(t.line("(a new document)", "ui.text.dim"));
            }
            for d in diff.iter().skip(*scroll) {
                let scope = match d.sign {
                    '+' => "diff.added",
                    '-' => "diff.removed",
                    _ => "ui.text",
                };
                lines.push(t.line(format!("{} {}", d.sign, d.text), scope));
            }
            (format!(" Save {}? ", e.title), lines)
        }
        Popup::Discard => (
            " Unsaved changes ".into(),
            vec![
                Line::styled("Leave the editor and drop your edits?", style),
                t.line(
                    "y drops them · any other key goes back to editing",
                    "ui.text.dim",
                ),
            ],
        ),
        Popup::Prune { version_id } => (
            " Five versions ".into(),
            vec![
                Line::styled(
                    format!(
                        "IAM keeps five versions of a policy. Delete {version_id}, the oldest non-default one, first?"
                    ),
                    style,
                ),
                t.line("y deletes it and saves · n cancels", "ui.text.dim"),
            ],
        ),
    };
    let width = area.width.saturating_sub(4).min(100);
    let height = match popup {
        Popup::Discard | Popup::Prune { .. } => 6,
        Popup::Completion { items, .. } => (items.len() as u16 + 2).min(12),
        _ => (lines.len() as u16 + 2).min(area.height.saturating_sub(2)),
    };
    let at = match popup {
        Popup::Completion { .. } => below_cursor(area, e, height),
        _ => centered(area, width, height.max(3)),
    };
    frame.render_widget(Clear, at);
    let block = Block::bordered()
        .title(t.span(title, "ui.title"))
        .style(style);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        at,
    );
}
