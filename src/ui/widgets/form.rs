//! A form's lines: each field as its label and value (the focused one highlighted, with the
//! cursor where typing goes), the problem its check found under it, and the focused field's
//! hint. They go in a dialog's footer, so no field is ever cut off.

use ratatui::text::{Line, Span};

use super::Styled;
use crate::app::shell::form::{Form, Value};
use crate::config::theme::Theme;

pub fn lines(theme: &Theme, form: &Form) -> Vec<Line<'static>> {
    let width = form
        .fields
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = Vec::new();
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let style = if focused {
            theme.style("ui.prompt").patch(theme.style("ui.selection"))
        } else {
            theme.style("ui.prompt")
        };
        let mut spans = vec![theme.span(format!("{:<width$}", f.label), "ui.text.dim")];
        match &f.value {
            Value::Text(input) => {
                let shown: Vec<char> = if f.secret {
                    vec!['•'; input.text.chars().count()]
                } else {
                    input.text.chars().collect()
                };
                if focused {
                    let at = input.cursor.min(shown.len());
                    let before: String = shown[..at].iter().collect();
                    let under = shown.get(at).map_or(" ".to_string(), char::to_string);
                    let after: String = shown.iter().skip(at + 1).collect();
                    spans.push(Span::styled(before, style));
                    spans.push(theme.span(under, "ui.cursor"));
                    spans.push(Span::styled(after, style));
                } else {
                    spans.push(Span::styled(shown.into_iter().collect::<String>(), style));
                }
            }
            Value::Switch(on) => {
                spans.push(Span::styled(if *on { "[x]" } else { "[ ]" }, style));
            }
            Value::Choice { options, index } => {
                let text = options.get(*index).map_or("(none)", String::as_str);
                let more = if options.len() > 1 {
                    format!("  ({} of {})", index + 1, options.len())
                } else {
                    String::new()
                };
                spans.push(Span::styled(format!("‹ {text} ›"), style));
                spans.push(theme.span(more, "ui.text.dim"));
            }
        }
        out.push(Line::from(spans));
        let indent = " ".repeat(width);
        if let Some(e) = &f.error {
            out.push(theme.line(format!("{indent}↳ {e}"), "status.warn"));
        } else if focused && !f.hint.is_empty() {
            out.push(theme.line(format!("{indent}{}", f.hint), "ui.text.dim"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::shell::form::Field;

    fn text(lines: &[Line]) -> String {
        lines
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn fields_line_up_with_their_problem_and_the_focused_hint() {
        let theme = Theme::builtin("dark").unwrap();
        let mut form = Form::new(vec![
            Field::text("name", "Name", "web").hint("1–64 characters"),
            Field::switch("mfa", "Require MFA", true).hint("space flips it"),
            Field::text("pw", "Password", "hunter2"),
        ]);
        form.fields[2].secret = true;
        form.fields[2].error = Some("too short".into());
        let shown = text(&lines(&theme, &form));
        assert_eq!(
            shown,
            "Name         web \n             1–64 characters\nRequire MFA  [x]\n\
             Password     •••••••\n             ↳ too short"
        );
    }
}
