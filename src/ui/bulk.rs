//! The bulk dialog: the marked rows and the call each gets, then each row's result; the
//! list scrolls, the input line (tags, the delete confirmation) and the keys stay below it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::widgets::Styled;
use super::widgets::dialog::{centered, popup};
use super::widgets::text_view::TextView;
use crate::app::App;
use crate::app::bulk::BulkDialog;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, d: &BulkDialog) {
    let t = &app.theme;
    let lines: Vec<Line> = d
        .lines()
        .into_iter()
        .map(|(text, scope)| t.line(text, scope))
        .collect();
    let mut footer: Vec<Line> = Vec::new();
    if let Some(label) = d.input_label() {
        footer.push(Line::from(vec![
            t.span(label, "ui.prompt"),
            t.span(d.input.text.clone(), "ui.prompt"),
            Span::styled(" ", t.style("ui.cursor")),
        ]));
    }
    if let Some(e) = &d.error {
        footer.push(t.line(e.clone(), "status.bad"));
    }
    footer.push(t.line(d.footer(), "ui.help.key"));
    let width = 96.min(area.width);
    // Room for the rows, the footer and the border; no taller than the screen.
    let height = (lines.len() as u16 + footer.len() as u16 + 4)
        .max(8)
        .min(area.height);
    let r = centered(area, width, height);
    frame.render_widget(Clear, r);
    let block = popup(t, &d.title);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let inner_w = inner.width.max(1) as usize;
    // Footer lines wrap; count the rows they take.
    let footer_rows: u16 = footer
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_w) as u16)
        .sum();
    let [body, foot] =
        Layout::vertical([Constraint::Min(2), Constraint::Length(footer_rows)]).areas(inner);
    TextView::new(lines).render(frame, body, &d.scroll, t);
    frame.render_widget(Paragraph::new(footer).wrap(Wrap { trim: false }), foot);
}
