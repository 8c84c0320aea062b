//! Keys in the editor. The editor's own commands come from the keymap's `[editor]` section (so
//! the help and the footer list them); every other key is typing, handled by the text area or
//! by the simulate pane's fields.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::simulate::{ACTION, FIELDS, complete_action};
use super::{Editor, Focus, Popup, save};
use crate::app::shell::message::Effect;
use crate::app::shell::state::App;
use crate::commands::{Command, Context, EditorCommand};

pub fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(e) = app.editor.as_mut() else {
        return Vec::new();
    };
    // A popup takes the keys first.
    if e.popup.is_some() {
        return popup_key(app, key);
    }
    // The editor's keys only: global ones (q, ?) are typed.
    let action = match crate::app::shell::actions::resolve(app, &[Context::Editor], key) {
        Some((Command::Editor(c), _)) => Some(c),
        _ => None,
    };
    let Some(e) = app.editor.as_mut() else {
        return Vec::new();
    };
    match action {
        Some(EditorCommand::Save) => return save::request(app),
        Some(EditorCommand::Close) => {
            if e.focus == Focus::Simulate {
                e.focus = Focus::Text;
            } else if e.modified() && e.busy.is_none() {
                e.popup = Some(Popup::Discard);
            } else {
                app.editor = None;
            }
            return Vec::new();
        }
        Some(EditorCommand::NextFinding) => step(e, true),
        Some(EditorCommand::PreviousFinding) => step(e, false),
        Some(EditorCommand::Findings) => {
            if e.analysis.findings.is_empty() {
                e.say("no findings");
            } else {
                let (line, col) = e.cursor();
                let selected = e
                    .analysis
                    .findings
                    .iter()
                    .position(|p| (p.line, p.column) >= (line, col))
                    .unwrap_or(0);
                e.popup = Some(Popup::Findings { selected });
            }
        }
        Some(EditorCommand::Format) => format(e),
        Some(EditorCommand::Simulate) => {
            if !e.show_simulate {
                e.show_simulate = true;
                e.focus = Focus::Simulate;
            } else if e.focus == Focus::Simulate {
                e.focus = Focus::Text;
            } else {
                e.focus = Focus::Simulate;
            }
        }
        Some(EditorCommand::HideSimulate) => {
            e.show_simulate = !e.show_simulate;
            e.focus = Focus::Text;
        }
        Some(EditorCommand::Complete) if e.focus == Focus::Text => complete(app),
        // Bound in lists and detail views only; resolving `[editor]` never yields them.
        Some(EditorCommand::EditPolicy | EditorCommand::NewPolicy) => {}
        Some(EditorCommand::Complete) | None => match e.focus {
            Focus::Text => type_text(e, key),
            Focus::Simulate => simulate_key(e, key),
        },
    }
    super::request_trust(app)
}

fn type_text(e: &mut Editor, key: KeyEvent) {
    if e.loading.is_some() || e.busy.is_some() {
        return;
    }
    let plain_enter = key.code == KeyCode::Enter
        && key.modifiers.is_empty()
        && e.area.selection_range().is_none();
    let edited = if plain_enter {
        new_line(e);
        true
    } else {
        e.area.input(key)
    };
    if edited {
        // The last outcome is about the text before this edit.
        e.message = None;
    }
    e.changed();
}

/// One level of indentation, as the formatter writes it.
const INDENT: &str = "    ";

/// Enter: the new line keeps the indentation of the line above, one level more after an
/// opening `{` or `[`; between a pair (`{}`, `[]`) the closer goes on a line of its own at
/// the outer indentation, with the cursor on the indented line between.
fn new_line(e: &mut Editor) {
    let (line, col) = e.cursor();
    let current = e.area.lines().get(line).cloned().unwrap_or_default();
    let at = current
        .char_indices()
        .nth(col)
        .map_or(current.len(), |(i, _)| i);
    let (before, after) = current.split_at(at);
    let indent: String = before
        .chars()
        .take_while(|c| matches!(c, ' ' | '\t'))
        .collect();
    let opener = before.trim_end().chars().last();
    let rest = after.trim_start_matches([' ', '\t']);
    // The text moved down starts at the new indentation, not after the spaces it had.
    let spaces = after.len() - rest.len();
    if spaces > 0 {
        e.area.delete_str(spaces);
    }
    let inner = match opener {
        Some('{' | '[') => format!("{indent}{INDENT}"),
        _ => indent.clone(),
    };
    e.area.insert_newline();
    e.area.insert_str(&inner);
    let pair = matches!(
        (opener, rest.chars().next()),
        (Some('{'), Some('}')) | (Some('['), Some(']'))
    );
    if pair {
        e.area.insert_newline();
        e.area.insert_str(&indent);
        e.jump(line + 1, inner.chars().count());
    }
}

fn step(e: &mut Editor, forward: bool) {
    let (line, col) = e.cursor();
    match e.analysis.step(line, col, forward).cloned() {
        Some(p) => {
            e.jump(p.line, p.column);
            e.focus = Focus::Text;
        }
        None => e.say("no findings"),
    }
}

/// Pretty-prints with IAM's key order, keeping the cursor's line where it can.
fn format(e: &mut Editor) {
    if e.loading.is_some() || e.busy.is_some() {
        return;
    }
    match crate::policy::format::format_policy(&e.text) {
        Ok(formatted) => {
            let formatted = formatted.trim_end_matches('\n');
            if formatted == e.text {
                e.say("already formatted");
                return;
            }
            let (line, _) = e.cursor();
            // Through the text area's own edits, so undo brings the old text back.
            e.area.select_all();
            e.area.cut();
            e.area.insert_str(formatted);
            e.jump(line, 0);
            e.changed();
            e.say("formatted");
        }
        Err(err) => e.warn(format!("cannot format: {err}")),
    }
}

/// Tab: completion where the engine has names for the place, else indentation.
fn complete(app: &mut App) {
    let resources = own_arns(app);
    let Some(e) = app.editor.as_mut() else {
        return;
    };
    if e.loading.is_some() || e.busy.is_some() {
        return;
    }
    let (line, col) = e.cursor();
    let at = super::analysis::offset(e.area.lines(), line, col);
    match crate::policy::complete::complete(&e.text, at, &resources) {
        Some(c) if c.items.len() == 1 => {
            let text = c.items[0].text.clone();
            apply(e, c.replace, &text, c.closed);
        }
        Some(c) if !c.items.is_empty() => {
            e.popup = Some(Popup::Completion {
                replace: c.replace,
                items: c.items,
                selected: 0,
                closed: c.closed,
            });
        }
        Some(_) => e.say("nothing to complete here"),
        None => {
            e.area.insert_tab();
            e.changed();
        }
    }
}

/// The account's own ARNs the lists have loaded, for Resource completion.
fn own_arns(app: &App) -> Vec<String> {
    let d = &app.data;
    let mut v: Vec<String> = Vec::new();
    v.extend(d.users.items.iter().map(|u| u.arn.clone()));
    v.extend(d.groups.items.iter().map(|g| g.arn.clone()));
    v.extend(d.roles.items.iter().map(|r| r.arn.clone()));
    v.extend(
        d.policies
            .items
            .iter()
            .filter(|p| !crate::iam::is_aws_managed_arn(&p.arn))
            .map(|p| p.arn.clone()),
    );
    v
}

/// Replaces the byte span (within the current text) with `text`, closing the string literal
/// when it was not (the cursor ends after the quote, ready for a comma).
fn apply(e: &mut Editor, span: crate::policy::json::Span, text: &str, closed: bool) {
    let lines = e.area.lines().to_vec();
    let (line, col) = super::analysis::position(&lines, span.start);
    let removed = e
        .text
        .get(span.start..span.end.min(e.text.len()))
        .map_or(0, |s| s.chars().count());
    e.jump(line, col);
    if removed > 0 {
        e.area.delete_str(removed);
    }
    e.area.insert_str(text);
    if !closed {
        e.area.insert_char('"');
    }
    e.changed();
}

fn simulate_key(e: &mut Editor, key: KeyEvent) {
    let pane = &mut e.simulate;
    match key.code {
        KeyCode::Up | KeyCode::BackTab => {
            pane.field = (pane.field + FIELDS.len() - 1) % FIELDS.len();
        }
        KeyCode::Down | KeyCode::Enter => pane.field = (pane.field + 1) % FIELDS.len(),
        KeyCode::Tab if pane.field == ACTION => match complete_action(&pane.fields[ACTION].text) {
            Some(c) => pane.fields[ACTION] = crate::app::shell::overlay::Input::with(&c),
            None => pane.field = (pane.field + 1) % FIELDS.len(),
        },
        KeyCode::Tab => pane.field = (pane.field + 1) % FIELDS.len(),
        _ => {
            let f = pane.field;
            crate::app::shell::actions::edit_input(&mut pane.fields[f], key);
        }
    }
    e.changed();
}

fn popup_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(e) = app.editor.as_mut() else {
        return Vec::new();
    };
    let Some(popup) = e.popup.as_mut() else {
        return Vec::new();
    };
    match popup {
        Popup::Completion {
            replace,
            items,
            selected,
            closed,
        } => match key.code {
            KeyCode::Up => *selected = selected.saturating_sub(1),
            KeyCode::Down => *selected = (*selected + 1).min(items.len().saturating_sub(1)),
            KeyCode::PageUp => *selected = selected.saturating_sub(10),
            KeyCode::PageDown => *selected = (*selected + 10).min(items.len().saturating_sub(1)),
            KeyCode::Enter | KeyCode::Tab => {
                let text = items[*selected].text.clone();
                let (span, closed) = (*replace, *closed);
                e.popup = None;
                apply(e, span, &text, closed);
            }
            KeyCode::Esc => e.popup = None,
            _ => {
                // Typing goes on: close the list and type.
                e.popup = None;
                type_text(e, key);
            }
        },
        Popup::Findings { selected } => {
            let n = e.analysis.findings.len();
            match key.code {
                KeyCode::Up => *selected = selected.saturating_sub(1),
                KeyCode::Down => *selected = (*selected + 1).min(n.saturating_sub(1)),
                KeyCode::Enter => {
                    let target = e.analysis.findings.get(*selected).cloned();
                    e.popup = None;
                    if let Some(p) = target {
                        e.jump(p.line, p.column);
                    }
                }
                _ => e.popup = None,
            }
        }
        Popup::Diff { lines, scroll, .. } => match key.code {
            KeyCode::Enter | KeyCode::Char('y') => return save::confirm(app),
            KeyCode::Down | KeyCode::Char('j') => {
                *scroll = (*scroll + 1).min(lines.len().saturating_sub(1));
            }
            KeyCode::Up | KeyCode::Char('k') => *scroll = scroll.saturating_sub(1),
            KeyCode::PageDown => *scroll = (*scroll + 10).min(lines.len().saturating_sub(1)),
            KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
            _ => e.popup = None,
        },
        Popup::Discard => match key.code {
            KeyCode::Char('y') | KeyCode::Char('d') => app.editor = None,
            _ => e.popup = None,
        },
        Popup::Prune { .. } => match key.code {
            KeyCode::Char('y') | KeyCode::Enter => return save::prune(app),
            _ => {
                e.popup = None;
                e.warn("not saved: IAM keeps five versions of a policy; delete one first");
            }
        },
    }
    Vec::new()
}
