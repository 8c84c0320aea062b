//! The cascade delete dialog: every call in order, each marked planned, running, done, failed
//! or not attempted; the name typed; scrollable when long (never cut).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::widgets::Styled;
use super::widgets::dialog::Dialog;
use crate::app::cascade::{Dialog as Cascade, LineState, Phase};
use crate::app::shell::state::App;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, d: &Cascade) {
    let t = &app.theme;
    let body: Vec<Line> = d
        .lines()
        .into_iter()
        .map(|(text, state)| {
            let (mark, scope) = match state {
                LineState::Plain => ("", "ui.text"),
                LineState::Planned => ("  ", "ui.text"),
                LineState::Running => ("… ", "ui.text"),
                LineState::Done => ("✓ ", "status.ok"),
                LineState::Failed => ("✗ ", "status.bad"),
                LineState::NotAttempted => ("· ", "ui.text.dim"),
            };
            t.line(format!("{mark}{text}"), scope)
        })
        .collect();
    let mut footer = Vec::new();
    if matches!(d.phase, Phase::Ready) {
        footer.push(Line::default());
        let mut input = Line::from(format!("> {}", d.input.text));
        input.push_span(ratatui::text::Span::styled("█", t.style("ui.text.dim")));
        footer.push(input);
    }
    if let Some(e) = &d.error {
        footer.push(t.line(e.clone(), "status.bad"));
    }
    footer.push(t.line(d.footer(), "ui.help.key"));
    Dialog::new(d.title(), 100)
        .body(body)
        .footer(footer)
        .scroll(&d.scroll)
        .render(frame, area, t);
}
