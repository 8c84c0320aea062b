//! Widgets every part of the console shares: a dialog that fits its text and never loses its
//! input line or key hints, a scrollable text view, table columns fitted to their content,
//! and the wrapping and cutting they are built on.

pub mod columns;
pub mod dialog;
pub mod form;
pub mod text_view;

use std::borrow::Cow;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::config::theme::Theme;

/// Text in a theme scope's style: what nearly every line of the UI is made of.
pub trait Styled {
    fn line<'a>(&self, text: impl Into<Cow<'a, str>>, scope: &str) -> Line<'a>;
    fn span<'a>(&self, text: impl Into<Cow<'a, str>>, scope: &str) -> Span<'a>;
}

impl Styled for Theme {
    fn line<'a>(&self, text: impl Into<Cow<'a, str>>, scope: &str) -> Line<'a> {
        Line::styled(text, self.style(scope))
    }

    fn span<'a>(&self, text: impl Into<Cow<'a, str>>, scope: &str) -> Span<'a> {
        Span::styled(text, self.style(scope))
    }
}

/// The selection's style for the selected item, else `base`.
pub fn highlighted(theme: &Theme, is_selected: bool, base: Style) -> Style {
    if is_selected {
        theme.style("ui.selection")
    } else {
        base
    }
}

/// Display width of a character (wide CJK and emoji take two cells).
fn char_width(c: char) -> usize {
    Span::raw(c.to_string()).width()
}

/// `text` cut to `width` cells, ending with `…` when something was cut.
pub fn cut(text: &str, width: usize) -> String {
    if Span::raw(text).width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// A line broken at spaces into rows of at most `width` cells (a word longer than a row is
/// broken inside); styles are kept. Always at least one row.
pub fn wrap(line: &Line, width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let styled: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
        .collect();
    let mut rows: Vec<Vec<(char, Style)>> = vec![Vec::new()];
    let mut used = 0;
    let mut i = 0;
    while i < styled.len() {
        // The next word and the spaces before it.
        let start = i;
        while i < styled.len() && styled[i].0 == ' ' {
            i += 1;
        }
        while i < styled.len() && styled[i].0 != ' ' {
            i += 1;
        }
        let word = &styled[start..i];
        let w: usize = word.iter().map(|(c, _)| char_width(*c)).sum();
        if used + w > width && used > 0 {
            // A new row; the spaces at the break are dropped.
            rows.push(Vec::new());
            used = 0;
            let trimmed: Vec<_> = word
                .iter()
                .skip_while(|(c, _)| *c == ' ')
                .copied()
                .collect();
            push_hard(&mut rows, &mut used, &trimmed, width);
        } else {
            push_hard(&mut rows, &mut used, word, width);
        }
    }
    rows.into_iter()
        .map(|row| {
            to_line(&row)
                .style(line.style)
                .alignment_opt(line.alignment)
        })
        .collect()
}

/// Appends characters, starting new rows when one is full.
fn push_hard(
    rows: &mut Vec<Vec<(char, Style)>>,
    used: &mut usize,
    chars: &[(char, Style)],
    width: usize,
) {
    for &(c, s) in chars {
        let w = char_width(c);
        if *used + w > width && *used > 0 {
            rows.push(Vec::new());
            *used = 0;
        }
        rows.last_mut().expect("never empty").push((c, s));
        *used += w;
    }
}

fn to_line(row: &[(char, Style)]) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut style = None;
    for &(c, s) in row {
        if style.is_some_and(|st| st != s) {
            spans.push(Span::styled(
                std::mem::take(&mut text),
                style.unwrap_or_default(),
            ));
        }
        style = Some(s);
        text.push(c);
    }
    if let Some(s) = style {
        spans.push(Span::styled(text, s));
    }
    Line::from(spans)
}

trait AlignmentOpt {
    fn alignment_opt(self, a: Option<ratatui::layout::Alignment>) -> Self;
}

impl AlignmentOpt for Line<'static> {
    fn alignment_opt(mut self, a: Option<ratatui::layout::Alignment>) -> Self {
        self.alignment = a;
        self
    }
}

/// Every line wrapped to `width`.
pub fn wrap_all(lines: &[Line], width: usize) -> Vec<Line<'static>> {
    lines.iter().flat_map(|l| wrap(l, width)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(l: &Line) -> String {
        l.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn cut_marks_what_it_cuts() {
        assert_eq!(cut("contractors", 20), "contractors");
        assert_eq!(cut("group/contractors/Contractors", 12), "group/contr…");
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abcd", 3), "ab…");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_inside_long_words() {
        let rows = wrap(
            &Line::from("Delete the key of alice? It stops working."),
            16,
        );
        let rows: Vec<String> = rows.iter().map(text).collect();
        assert_eq!(rows, ["Delete the key", "of alice? It", "stops working."]);
        let rows = wrap(&Line::from("AKIAABCDEFGHIJKLMNOP"), 8);
        assert_eq!(rows.len(), 3);
        assert_eq!(wrap(&Line::default(), 8).len(), 1);
    }
}
