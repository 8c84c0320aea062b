//! A scrollable text (JSON, documents, the help, the message log): vertical and horizontal
//! scrolling or wrapping, clamped so the last page is the last one with text, and where the
//! view is ("1–20/143").

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::wrap_all;
use crate::app::shell::overlay::TextScroll;
use crate::config::theme::Theme;

pub struct TextView<'a> {
    lines: Vec<Line<'a>>,
    block: Option<Block<'a>>,
}

impl<'a> TextView<'a> {
    pub fn new(lines: Vec<Line<'a>>) -> Self {
        Self { lines, block: None }
    }

    pub fn block(mut self, block: Block<'a>) -> Self {
        self.block = Some(block);
        self
    }

    /// Draws the page `scroll` asks for, clamped to the text (and writes the clamp back, so
    /// Up after End moves from the last page).
    pub fn render(self, frame: &mut Frame, area: Rect, scroll: &TextScroll, theme: &Theme) {
        let inner = match &self.block {
            Some(b) => b.inner(area),
            // Without a border, the last row holds the position.
            None => Rect {
                height: area.height.saturating_sub(1),
                ..area
            },
        };
        let rows: Vec<Line> = if scroll.wrap {
            wrap_all(&self.lines, usize::from(inner.width))
        } else {
            self.lines
        };
        let page = usize::from(inner.height);
        let total = rows.len();
        let top = scroll.top.get().min(total.saturating_sub(page));
        scroll.top.set(top);
        scroll.page.set(page.max(1));
        let widest = rows.iter().map(Line::width).max().unwrap_or(0);
        let left = scroll
            .left
            .get()
            .min(widest.saturating_sub(usize::from(inner.width)));
        scroll.left.set(left);
        let position = if total == 0 {
            " empty ".to_string()
        } else {
            format!(" {}–{}/{} ", top + 1, (top + page).min(total), total)
        };
        let position =
            Line::styled(position, theme.style("ui.text.dim")).alignment(Alignment::Right);
        let shown: Vec<Line> = rows.into_iter().skip(top).take(page).collect();
        match self.block {
            Some(b) => frame.render_widget(b.title_bottom(position), area),
            None => frame.render_widget(
                Paragraph::new(position),
                Rect {
                    y: area.y + inner.height,
                    height: area.height - inner.height,
                    ..area
                },
            ),
        }
        frame.render_widget(
            Paragraph::new(shown)
                .style(theme.style("ui.text"))
                .scroll((0, left.min(usize::from(u16::MAX)) as u16)),
            inner,
        );
    }
}

/// A JSON text indented for reading; the policy documents inside it (a role's trust policy,
/// inline policies: JSON kept as strings) are shown as documents rather than escaped strings,
/// formatted by the policy formatter.
pub fn json_with_documents(text: &str) -> String {
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(text) else {
        return text.to_string();
    };
    let mut docs = Vec::new();
    take_documents(&mut value, &mut docs);
    let Ok(mut out) = serde_json::to_string_pretty(&value) else {
        return text.to_string();
    };
    for (i, doc) in docs.iter().enumerate() {
        let marker = format!("\"{}\"", marker(i));
        let Some(at) = out.find(&marker) else {
            continue;
        };
        // The document's lines indented as deep as the line it sits on.
        let line_start = out[..at].rfind('\n').map_or(0, |n| n + 1);
        let indent: String = out[line_start..]
            .chars()
            .take_while(|c| *c == ' ')
            .collect();
        let formatted = crate::policy::format::format_policy(doc)
            .map(|f| f.trim_end().to_string())
            .unwrap_or_else(|_| doc.clone());
        let indented = formatted.replace('\n', &format!("\n{indent}"));
        out.replace_range(at..at + marker.len(), &indented);
    }
    out
}

fn marker(i: usize) -> String {
    format!("@@iamtui-document-{i}@@")
}

/// Replaces string values that are policy documents by markers, keeping the documents.
fn take_documents(value: &mut serde_json::Value, docs: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => {
            let text = s.trim_start();
            // Documents may arrive URL-encoded (as IAM returns them).
            let decoded = percent_encoding::percent_decode_str(text)
                .decode_utf8()
                .map(|d| d.into_owned())
                .unwrap_or_else(|_| text.to_string());
            for candidate in [text.to_string(), decoded] {
                if candidate.starts_with('{')
                    && serde_json::from_str::<serde_json::Value>(&candidate)
                        .is_ok_and(|v| v.get("Statement").is_some())
                {
                    *s = marker(docs.len());
                    docs.push(candidate);
                    return;
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| take_documents(v, docs)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| take_documents(v, docs)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::ui::test_support::lines;

    fn draw(text: &str, scroll: &TextScroll, w: u16, h: u16) -> Vec<String> {
        let theme = Theme::builtin("dark").unwrap();
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        let lines_in: Vec<Line> = text.lines().map(|l| Line::from(l.to_string())).collect();
        t.draw(|f| {
            TextView::new(lines_in)
                .block(Block::bordered())
                .render(f, f.area(), scroll, &theme)
        })
        .unwrap();
        lines(t.backend().buffer())
    }

    #[test]
    fn end_shows_the_last_page_and_home_the_first() {
        let text: String = (1..=143).map(|i| format!("row {i}\n")).collect();
        let scroll = TextScroll::default();
        let screen = draw(&text, &scroll, 40, 22);
        assert!(screen[1].contains("row 1 "), "{}", screen[1]);
        assert!(screen[21].contains("1–20/143"), "{}", screen[21]);
        scroll.end();
        let screen = draw(&text, &scroll, 40, 22);
        assert!(screen[20].contains("row 143"), "{}", screen.join("\n"));
        assert!(screen[1].contains("row 124"), "{}", screen.join("\n"));
        assert!(screen[21].contains("124–143/143"), "{}", screen[21]);
        // Clamped: Up from the end moves one row up, not from past the end.
        scroll.by(-1);
        let screen = draw(&text, &scroll, 40, 22);
        assert!(screen[20].contains("row 142"), "{}", screen.join("\n"));
        scroll.end();
        scroll.end();
        scroll.home();
        let screen = draw(&text, &scroll, 40, 22);
        assert!(screen[1].contains("row 1 "), "{}", screen.join("\n"));
    }

    #[test]
    fn long_lines_scroll_sideways_or_wrap() {
        let text = format!("start {} end", "x".repeat(100));
        let scroll = TextScroll::default();
        let screen = draw(&text, &scroll, 40, 6).join("\n");
        assert!(
            screen.contains("start") && !screen.contains("end"),
            "{screen}"
        );
        scroll.sideways(200);
        let screen = draw(&text, &scroll, 40, 6).join("\n");
        assert!(
            !screen.contains("start") && screen.contains("x end"),
            "{screen}"
        );
        let scroll = TextScroll::wrapped();
        let screen = draw(&text, &scroll, 40, 8).join("\n");
        assert!(
            screen.contains("start") && screen.contains("x end"),
            "{screen}"
        );
    }

    #[test]
    fn documents_inside_json_are_shown_as_json() {
        let role = serde_json::json!({"Role": {"RoleName": "admin",
            "AssumeRolePolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\"}]}"}});
        let out = json_with_documents(&role.to_string());
        assert!(!out.contains("\\\""), "{out}");
        assert!(out.contains("\"AssumeRolePolicyDocument\": {"), "{out}");
        assert!(out.contains("      \"Effect\": \"Allow\""), "{out}");
        // Still JSON.
        serde_json::from_str::<serde_json::Value>(&out).unwrap();
    }
}
