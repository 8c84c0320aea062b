//! The header (where the data comes from) and the footer (which keys do what).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::iam::backend::BackendInfo;

// No colours until themes exist: modifiers only, so every terminal palette stays legible.
const BAR: Style = Style::new().add_modifier(Modifier::REVERSED);

pub fn draw_header(frame: &mut Frame, area: Rect, info: &BackendInfo) {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut spans = vec![Span::styled(" iamtui ", bold)];
    // Right after the name, so a narrow terminal cuts the source off rather than the marker.
    if info.read_only {
        spans.push(Span::styled("[RO] ", bold));
    }
    spans.push(Span::raw(format!("│ {}: {} ", info.kind, info.source)));
    if let Some(region) = &info.region {
        spans.push(Span::raw(format!("│ {region} ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).style(BAR), area);
}

pub fn draw_footer(frame: &mut Frame, area: Rect) {
    let line = Line::from(vec![
        Span::styled(" q", Style::new().add_modifier(Modifier::BOLD)),
        Span::raw(" quit"),
    ]);
    frame.render_widget(Paragraph::new(line).style(BAR), area);
}
