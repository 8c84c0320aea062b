//! A dialog that sizes itself to its wrapped text, within the screen. Its footer (the input
//! line, a problem with the input, the key hints) is always drawn; when rows run out the body
//! gives way, its last row showing `…`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::wrap_all;
use crate::config::theme::Theme;

pub struct Dialog<'a> {
    title: String,
    /// The widest the dialog gets (it is narrower when its text is).
    max_width: u16,
    body: Vec<Line<'a>>,
    footer: Vec<Line<'a>>,
    /// Drawn on the left of the text, never wrapped (the MFA QR code).
    side: Vec<Line<'a>>,
    /// A body taller than the room scrolls by this instead of being cut (`…`).
    scroll: Option<&'a crate::app::shell::overlay::TextScroll>,
}

/// The rectangle of `width`×`height` in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}

/// A bordered popup block with its title.
pub fn popup<'a>(theme: &Theme, title: &str) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .border_style(theme.style("ui.border.focused"))
        .title(Line::from(Span::styled(
            format!(" {title} "),
            theme.style("ui.title"),
        )))
        .style(theme.style("ui.popup"))
}

impl<'a> Dialog<'a> {
    pub fn new(title: impl Into<String>, max_width: u16) -> Self {
        Self {
            title: title.into(),
            max_width,
            body: Vec::new(),
            footer: Vec::new(),
            side: Vec::new(),
            scroll: None,
        }
    }

    /// The body scrolls by `scroll` when it does not fit (the draw clamps it and records the
    /// page), showing where it is; it is never cut.
    pub fn scroll(mut self, scroll: &'a crate::app::shell::overlay::TextScroll) -> Self {
        self.scroll = Some(scroll);
        self
    }

    pub fn body(mut self, lines: Vec<Line<'a>>) -> Self {
        self.body = lines;
        self
    }

    pub fn footer(mut self, lines: Vec<Line<'a>>) -> Self {
        self.footer = lines;
        self
    }

    pub fn side(mut self, lines: Vec<Line<'a>>) -> Self {
        self.side = lines;
        self
    }

    /// The text stacked under the side lines, when the area is tall enough for both.
    pub fn stack_if_room(mut self, area: Rect) -> Self {
        let side_w = self.side.iter().map(Line::width).max().unwrap_or(0) as u16;
        let width = self.max_width.max(side_w + 2).min(area.width);
        let text_w = usize::from(width.saturating_sub(2));
        let text_h = wrap_all(&self.body, text_w).len() + wrap_all(&self.footer, text_w).len();
        if self.side.len() + text_h + 2 <= usize::from(area.height) {
            let side = std::mem::take(&mut self.side);
            self.max_width = width;
            self.body.splice(0..0, side);
        }
        self
    }

    pub fn render(self, frame: &mut Frame, area: Rect, theme: &Theme) {
        let side_w = self.side.iter().map(Line::width).max().unwrap_or(0) as u16;
        let gap = if side_w > 0 { side_w + 1 } else { 0 };
        let max_w = self.max_width.min(area.width);
        // As narrow as the text allows, as wide as the title needs.
        let widest = self
            .body
            .iter()
            .chain(&self.footer)
            .map(Line::width)
            .max()
            .unwrap_or(0) as u16;
        let title_w = Span::raw(self.title.as_str()).width() as u16 + 4;
        let width = (widest + gap + 2).max(title_w).min(max_w);
        let text_w = usize::from(width.saturating_sub(2 + gap));
        let body = wrap_all(&self.body, text_w);
        let footer = wrap_all(&self.footer, text_w);
        let wanted = (body.len() + footer.len()).max(self.side.len()) as u16 + 2;
        let r = centered(area, width, wanted.min(area.height));
        frame.render_widget(Clear, r);
        let block = popup(theme, &self.title);
        let inner = block.inner(r);
        frame.render_widget(block, r);
        let [left, text] =
            Layout::horizontal([Constraint::Length(gap), Constraint::Min(0)]).areas(inner);
        if gap > 0 {
            frame.render_widget(Paragraph::new(self.side), left);
        }
        // The footer first: it is what the dialog is for.
        let footer_h = (footer.len() as u16).min(text.height);
        let [body_area, footer_area] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(footer_h)]).areas(text);
        let room = usize::from(body_area.height);
        let mut shown: Vec<Line> = body.into_iter().collect();
        if let Some(scroll) = self.scroll.filter(|_| shown.len() > room && room > 1) {
            // One row says where the window is; the rest show the body from `top`.
            let page = room - 1;
            let top = scroll.top.get().min(shown.len() - page);
            scroll.top.set(top);
            scroll.page.set(page);
            let total = shown.len();
            shown = shown.into_iter().skip(top).take(page).collect();
            shown.push(Line::styled(
                format!(
                    "({}–{} of {total} lines; ↑↓ PgUp PgDn scroll)",
                    top + 1,
                    top + page
                ),
                theme.style("ui.text.dim"),
            ));
        } else if shown.len() > room {
            shown.truncate(room.saturating_sub(1));
            if room > 0 {
                shown.push(Line::styled("…", theme.style("ui.text.dim")));
            }
        }
        frame.render_widget(Paragraph::new(shown), body_area);
        frame.render_widget(Paragraph::new(footer), footer_area);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::ui::test_support::lines;

    fn draw(dialog: impl FnOnce() -> Dialog<'static>, w: u16, h: u16) -> Vec<String> {
        let theme = Theme::builtin("dark").unwrap();
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| dialog().render(f, f.area(), &theme)).unwrap();
        lines(t.backend().buffer())
    }

    #[test]
    fn sizes_to_its_wrapped_text() {
        let screen = draw(
            || {
                Dialog::new("Hi", 40)
                    .body(vec![Line::from("one two three four five six seven eight")])
                    .footer(vec![Line::from("Esc closes")])
            },
            80,
            24,
        );
        // 38 cells of text in a 40-cell box: two rows of body, one of footer, two borders.
        let rows: Vec<&String> = screen.iter().filter(|l| l.contains('│')).collect();
        assert_eq!(rows.len(), 3, "{}", screen.join("\n"));
        assert!(screen.iter().any(|l| l.contains("Esc closes")));
        assert!(screen.iter().any(|l| l.contains("eight")));
    }

    #[test]
    fn a_short_screen_cuts_the_body_never_the_footer() {
        let body: Vec<Line> = (0..30).map(|i| Line::from(format!("line {i}"))).collect();
        let screen = draw(
            move || {
                Dialog::new("Long", 40).body(body).footer(vec![
                    Line::from("> typed"),
                    Line::from("Enter goes · Esc cancels"),
                ])
            },
            60,
            10,
        );
        let text = screen.join("\n");
        assert!(text.contains("> typed"), "{text}");
        assert!(text.contains("Enter goes · Esc cancels"), "{text}");
        assert!(text.contains('…'), "{text}");
        assert!(
            text.contains("line 0") && !text.contains("line 29"),
            "{text}"
        );
    }
}
