//! The diff of two policy versions: unified (`-`/`+` lines with context), or side by side in two
//! columns with the changed lines marked between them. Long lines wrap inside their column, so
//! nothing is cut; the text scrolls.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;
use similar::{DiffTag, TextDiff};

use super::DiffView;
use crate::app::App;
use crate::ui::widgets::Styled;
use crate::ui::widgets::dialog::{centered, popup};
use crate::ui::widgets::text_view::TextView;
use crate::ui::widgets::wrap;

/// A line of each side, and the mark between them: ` ` same, `|` changed, `<` only on the
/// left (removed), `>` only on the right (added).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub left: Option<String>,
    pub mark: char,
    pub right: Option<String>,
}

/// The two documents line beside line.
pub fn pairs(old: &str, new: &str) -> Vec<Pair> {
    let d = TextDiff::from_lines(old, new);
    let line = |s: &str| s.trim_end_matches(['\n', '\r']).to_string();
    let (olds, news) = (d.old_slices(), d.new_slices());
    let mut out = Vec::new();
    for op in d.ops() {
        let (tag, o, n) = op.as_tag_tuple();
        let rows = o.len().max(n.len());
        for i in 0..rows {
            let left = (i < o.len()).then(|| line(olds[o.start + i]));
            let right = (i < n.len()).then(|| line(news[n.start + i]));
            let mark = match (tag, &left, &right) {
                (DiffTag::Equal, _, _) => ' ',
                (_, Some(_), Some(_)) => '|',
                (_, Some(_), None) => '<',
                _ => '>',
            };
            out.push(Pair { left, mark, right });
        }
    }
    out
}

/// The unified diff's lines: a header, then the changes with three lines of context.
fn unified(app: &App, d: &DiffView) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = vec![
        t.line(format!("--- {}", d.old.0), "diff.removed"),
        t.line(format!("+++ {}", d.new.0), "diff.added"),
    ];
    for l in crate::app::model::diff::diff(&d.old.1, &d.new.1) {
        let scope = match l.sign {
            '+' => "diff.added",
            '-' => "diff.removed",
            _ => "ui.text",
        };
        lines.push(t.line(format!("{} {}", l.sign, l.text), scope));
    }
    lines
}

/// The side-by-side lines for a text `width` columns wide: each side wrapped in its column.
fn side_by_side(app: &App, d: &DiffView, width: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let column = (width.saturating_sub(3) / 2).max(1);
    let cell = |text: &str, style: Style| -> Vec<Line<'static>> {
        wrap(&Line::styled(text.to_string(), style), column)
    };
    let mut rows = Vec::new();
    let mut push =
        |left: Vec<Line<'static>>, mark: char, mark_style: Style, right: Vec<Line<'static>>| {
            for i in 0..left.len().max(right.len()).max(1) {
                let mut spans: Vec<Span<'static>> = Vec::new();
                let l = left.get(i).cloned().unwrap_or_default();
                let pad = column.saturating_sub(l.width());
                spans.extend(l.spans);
                spans.push(Span::raw(" ".repeat(pad)));
                spans.push(Span::styled(format!(" {mark} "), mark_style));
                if let Some(r) = right.get(i) {
                    spans.extend(r.spans.clone());
                }
                rows.push(Line::from(spans));
            }
        };
    let title = t.style("ui.title");
    push(cell(&d.old.0, title), ' ', title, cell(&d.new.0, title));
    for p in pairs(&d.old.1, &d.new.1) {
        let (ls, rs) = match p.mark {
            ' ' => (t.style("ui.text"), t.style("ui.text")),
            _ => (t.style("diff.removed"), t.style("diff.added")),
        };
        let mark_style = if p.mark == ' ' {
            t.style("ui.text")
        } else {
            t.style("status.warn")
        };
        let left = p.left.as_deref().map_or_else(Vec::new, |s| cell(s, ls));
        let right = p.right.as_deref().map_or_else(Vec::new, |s| cell(s, rs));
        push(left, p.mark, mark_style, right);
    }
    rows
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, d: &DiffView) {
    let t = &app.theme;
    let r = centered(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    let width = usize::from(r.width.saturating_sub(2));
    let (layout, other) = if d.side_by_side {
        ("side by side", "unified")
    } else {
        ("unified", "side by side")
    };
    let mut lines = vec![t.line(
        format!(
            "{} → {}, formatted in IAM's key order ({layout}) · s: {other} · ↑↓ PgUp PgDn scroll · Esc closes",
            d.old.0, d.new.0
        ),
        "ui.text.dim",
    )];
    if d.old.1 == d.new.1 {
        lines.push(t.line("The two documents are the same once formatted.", "ui.text"));
    } else if d.side_by_side {
        lines.extend(side_by_side(app, d, width));
    } else {
        lines.extend(unified(app, d));
    }
    frame.render_widget(Clear, r);
    let title = format!(" Versions of {} ", d.policy);
    TextView::new(lines)
        .block(popup(t, &title))
        .render(frame, r, &d.scroll, t);
}
