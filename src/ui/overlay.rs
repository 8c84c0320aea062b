//! Overlays drawn over the view: help (generated from the active keymap), a text, a
//! confirmation, a fuzzy picker; and the prompt line.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::App;
use crate::app::actions::{picker_items, picker_matches};
use crate::app::overlay::{Confirm, Overlay, Picker, Prompt};
use crate::commands::Context;

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

fn popup<'a>(app: &App, title: &str) -> Block<'a> {
    let t = &app.theme;
    Block::new()
        .borders(Borders::ALL)
        .border_style(t.style("ui.border.focused"))
        .title(Line::from(Span::styled(
            format!(" {title} "),
            t.style("ui.title"),
        )))
        .style(t.style("ui.popup"))
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, overlay: &Overlay) {
    match overlay {
        Overlay::Help { scroll } => help(frame, area, app, *scroll),
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
            frame.render_widget(Clear, r);
            frame.render_widget(
                Paragraph::new(text.as_str())
                    .block(popup(app, &format!("{title} (Esc closes)")))
                    .scroll((*scroll as u16, 0)),
                r,
            );
        }
        Overlay::Confirm(c) => confirm(frame, area, app, c),
        Overlay::Picker(p) => picker(frame, area, app, p),
    }
}

/// Every binding of the active keymap for the contexts that matter here, mutating ones left
/// out in read-only mode: generated, so never out of date.
fn help(frame: &mut Frame, area: Rect, app: &App, scroll: usize) {
    let t = &app.theme;
    let read_only = app.read_only();
    let mut lines: Vec<Line> = Vec::new();
    for context in [
        Context::Global,
        Context::List,
        Context::Detail,
        Context::Prompt,
    ] {
        let bindings = app.keymap.bindings(context, read_only);
        if bindings.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::styled(
            match context {
                Context::Global => "Everywhere",
                Context::List => "Lists",
                Context::Detail => "Details",
                Context::Prompt => "Prompts and dialogs",
            },
            t.style("ui.header"),
        ));
        for b in bindings {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<14}", b.keys), t.style("ui.help.key")),
                Span::styled(b.desc.to_string(), t.style("ui.text")),
            ]));
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "Commands: :users :groups :roles :policies :keys :mfa :providers :passwordpolicy :whoami (:roles /admin filters), :theme NAME, :q",
        t.style("ui.text.dim"),
    ));
    if read_only {
        lines.push(Line::styled(
            "Read-only: actions that change the account are not available.",
            t.style("status.warn"),
        ));
    }
    let r = centered(area, 90.min(area.width), area.height.saturating_sub(2));
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .block(popup(app, "Help (Esc closes)"))
            .wrap(Wrap { trim: false })
            .scroll((scroll as u16, 0)),
        r,
    );
}

fn confirm(frame: &mut Frame, area: Rect, app: &App, c: &Confirm) {
    let t = &app.theme;
    let mut lines: Vec<Line> = c
        .lines
        .iter()
        .map(|l| Line::styled(l.clone(), t.style("ui.text")))
        .collect();
    if c.expect.is_some() && !c.blocked && c.checking.is_none() {
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled("> ", t.style("ui.prompt")),
            Span::styled(c.input.text.clone(), t.style("ui.prompt")),
            Span::styled(" ", t.style("ui.cursor")),
        ]));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, 72.min(area.width), height);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .block(popup(app, &c.title))
            .wrap(Wrap { trim: false }),
        r,
    );
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
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("> ", t.style("ui.prompt")),
            Span::styled(p.input.text.clone(), t.style("ui.prompt")),
            Span::styled(" ", t.style("ui.cursor")),
        ])),
        input,
    );
    let matches = picker_matches(app, p);
    let visible = list.height as usize;
    let offset = super::list::scroll_offset(p.selected, 0, visible, matches.len());
    let lines: Vec<Line> = if matches.is_empty() {
        vec![Line::styled(
            if picker_items(app, p).is_empty() {
                "loading…"
            } else {
                "no match"
            },
            t.style("ui.text.dim"),
        )]
    } else {
        matches
            .iter()
            .enumerate()
            .skip(offset)
            .take(visible)
            .map(|(i, (label, _))| {
                let style = if i == p.selected {
                    t.style("ui.selection")
                } else {
                    t.style("ui.text")
                };
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
    let mut spans = vec![
        Span::styled(
            p.label(),
            t.style("ui.help.key").patch(t.style("ui.prompt")),
        ),
        Span::styled(before, t.style("ui.prompt")),
        Span::styled(at, t.style("ui.cursor")),
        Span::styled(after, t.style("ui.prompt")),
    ];
    if let Some(e) = &p.error {
        spans.push(Span::styled(format!("   {e}"), t.style("status.bad")));
    }
    frame.render_widget(
        Paragraph::new(Line::from(spans)).style(t.style("ui.prompt")),
        area,
    );
}
