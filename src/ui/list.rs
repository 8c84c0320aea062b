//! The generic table every resource list is drawn with. Only the visible rows are laid out, so
//! a list of 15,000 rows scrolls as fast as one of fifteen.

use std::cell::Cell as Shared;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row as TableRow, Table};

use crate::app::App;
use crate::app::model::data::Status;
use crate::app::model::table::{Mark, columns};
use crate::app::shell::nav::ListView;
use crate::commands::palette::ViewKind;

use super::widgets::columns::{Want, fit};
use super::widgets::{Styled, cut};

/// The status of the data behind a view: whether it is still loading, or why it failed.
fn status_of(app: &App, kind: ViewKind) -> Vec<Status> {
    (crate::app::model::kinds::of(kind).status)(&app.data)
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, view: &ListView) {
    let t = &app.theme;
    let mut title = vec![t.span(format!(" {} ", view.kind.title()), "ui.title")];
    let count = if view.filter.is_empty() {
        format!("({}) ", view.rows.len())
    } else {
        format!("({}/{}) ", view.rows.len(), view.total)
    };
    title.push(t.span(count, "ui.text.dim"));
    if !view.marks.is_empty() {
        title.push(t.span(format!("· {} marked ", view.marks.len()), "list.marked"));
    }
    if !view.filter.is_empty() {
        title.push(t.span(format!("/{} ", view.filter), "ui.match"));
    }
    let inner = framed(frame, area, app, Line::from(title));

    let statuses = status_of(app, view.kind);
    if view.rows.is_empty() {
        let failed = statuses.iter().find_map(|s| match s {
            Status::Failed(e) => Some(e.clone()),
            _ => None,
        });
        let loading = statuses
            .iter()
            .any(|s| *s == Status::Loading || *s == Status::Idle);
        let (text, style) = match failed {
            Some(e) => (e, t.style("status.bad")),
            None if loading => ("loading…".to_string(), t.style("ui.text.dim")),
            None if !view.filter.is_empty() => (
                format!("no {} match /{}", view.kind.name(), view.filter),
                t.style("ui.text.dim"),
            ),
            None => (format!("no {}", view.kind.name()), t.style("ui.text.dim")),
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(style)
                .wrap(ratatui::widgets::Wrap { trim: false }),
            inner,
        );
        return;
    }

    let cols = columns(view.kind);
    // Marked rows get a gutter with their glyph (only while the list has marks, so an
    // unmarked list looks as it always did).
    let gutter = !view.marks.is_empty();
    let mut fit = fit_widths(view, inner.width.saturating_sub(if gutter { 2 } else { 0 }));
    if gutter {
        fit.insert(0, Some(1));
    }
    let shown = |i: &usize| fit.get(*i).is_some_and(Option::is_some);
    let header = TableRow::new(
        gutter.then(|| Cell::from("")).into_iter().chain(
            cols.iter()
                .enumerate()
                .filter(|(i, _)| shown(&(*i + usize::from(gutter))))
                .map(|(i, c)| {
                    let mark = match view.sort {
                        Some(s) if s == i => {
                            if view.descending {
                                " ↓"
                            } else {
                                " ↑"
                            }
                        }
                        _ => "",
                    };
                    let w = fit[i + usize::from(gutter)].map_or(0, usize::from);
                    Cell::from(cut(&format!("{}{mark}", c.title), w))
                }),
        ),
    )
    .style(t.style("ui.header"));
    // One line of header; the rest are rows.
    let visible = inner.height.saturating_sub(1) as usize;
    let selection = (view.selected, &view.offset);
    let marked = |r: &crate::app::model::table::Row| crate::app::browse::marks::is_marked(view, r);
    let table = table(app, &view.rows, selection, visible, &fit, |r| {
        let scope = match r.mark {
            Mark::Normal => "ui.text",
            Mark::Warn => "status.warn",
            Mark::Bad => "status.bad",
        };
        let style = t.style(scope);
        match gutter {
            true if marked(r) => (Some("●"), &r.cells, style.patch(t.style("list.marked"))),
            true => (Some(" "), &r.cells, style),
            false => (None, &r.cells, style),
        }
    });
    frame.render_widget(table.header(header), inner);
}

/// The view's bordered frame with its title; returns the area inside.
pub fn framed(frame: &mut Frame, area: Rect, app: &App, title: Line) -> Rect {
    let t = &app.theme;
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(t.style("ui.border.focused"))
        .title(title)
        .style(t.style("ui.text"));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// The rows that fit `visible` lines, scrolled to keep the selection in view (the scroll is
/// kept in `offset`), each cell cut to its column's width (`None`: the column is left out),
/// the selected row highlighted over its own style.
pub fn table<'a, R>(
    app: &App,
    rows: &'a [R],
    (selected, offset): (usize, &Shared<usize>),
    visible: usize,
    fit: &[Option<u16>],
    look: impl Fn(&R) -> (Option<&'static str>, &[String], Style),
) -> Table<'a> {
    app.viewport.set(visible.max(1));
    let top = scroll_offset(selected, offset.get(), visible, rows.len());
    offset.set(top);
    let shown = rows.iter().enumerate().skip(top).take(visible);
    let rows = shown.map(|(i, r)| {
        let (glyph, cells, mut style) = look(r);
        if i == selected {
            style = style.patch(app.theme.style("ui.selection"));
        }
        // A glyph takes the first width of `fit` (the marks gutter).
        let widths = &fit[usize::from(glyph.is_some())..];
        let cells = cells.iter().zip(widths);
        let cells = cells.filter_map(|(c, w)| w.map(|w| Cell::from(cut(c, usize::from(w)))));
        TableRow::new(glyph.map(Cell::from).into_iter().chain(cells)).style(style)
    });
    let widths: Vec<Constraint> = fit
        .iter()
        .flatten()
        .map(|w| Constraint::Length(*w))
        .collect();
    Table::new(rows, widths).column_spacing(2)
}

/// Column widths that fit the area, `None` for a column left out: each wants its content's
/// width (and its title's, with the sort marker); short columns keep theirs and the
/// long ones share the rest; columns drop in their `hide` order only when even minimum
/// widths do not fit.
pub fn fit_widths(view: &ListView, available: u16) -> Vec<Option<u16>> {
    let wants: Vec<Want> = columns(view.kind)
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cells = view
                .rows
                .iter()
                .take(1000)
                .filter_map(|r| r.cells.get(i))
                .map(|c| Span::raw(c.as_str()).width());
            // Room for the sort marker (` ↑`) only where it is.
            let marker = if view.sort == Some(i) { 2 } else { 0 };
            Want::of(Span::raw(c.title).width() as u16 + marker, cells, c.hide)
        })
        .collect();
    fit(&wants, available, 2)
}

/// The first row to show so that the selection stays visible.
pub fn scroll_offset(selected: usize, offset: usize, visible: usize, len: usize) -> usize {
    if visible == 0 {
        return 0;
    }
    let mut o = offset.min(len.saturating_sub(visible));
    if selected < o {
        o = selected;
    } else if selected >= o + visible {
        o = selected + 1 - visible;
    }
    o
}

#[cfg(test)]
mod tests {
    use super::scroll_offset;

    #[test]
    fn the_selection_stays_in_view() {
        assert_eq!(scroll_offset(0, 0, 10, 100), 0);
        assert_eq!(scroll_offset(15, 0, 10, 100), 6);
        assert_eq!(scroll_offset(3, 6, 10, 100), 3);
        assert_eq!(scroll_offset(99, 0, 10, 100), 90);
        assert_eq!(scroll_offset(0, 50, 10, 5), 0);
        assert_eq!(scroll_offset(5, 0, 0, 10), 0);
    }
}
