//! A resource's detail: the breadcrumb, the tabs, the selected tab's rows, and the document of
//! the selected row (an inline policy, a version, the trust policy) beside them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Tabs, Wrap};

use super::list::{framed, table};
use super::widgets::Styled;
use super::widgets::columns::{self, Want};
use super::widgets::text_view::{TextView, json_with_documents};
use crate::app::App;
use crate::app::model::detail::{self, Tab, tabs};
use crate::app::shell::actions::pretty;
use crate::app::shell::nav::DetailView;
use crate::app::shell::overlay::TextScroll;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, view: &DetailView) {
    let t = &app.theme;
    let crumbs = app.nav.breadcrumb().join(" › ");
    let title = Line::from(t.span(format!(" {crumbs} "), "ui.breadcrumb"));
    let inner = framed(frame, area, app, title);
    // The summary strip: the resource's facts, packed into as many lines as they need.
    let mut strip: Vec<Line> = vec![Line::default()];
    let mut used = 0;
    for (label, value) in detail::facts(&view.detail, &view.target) {
        let width = label.chars().count() + value.chars().count() + 4;
        if used > 0 && used + width > inner.width as usize {
            strip.push(Line::default());
            used = 0;
        }
        used += width;
        let line = strip.last_mut().expect("one line at least");
        line.push_span(t.span(format!("{label} "), "ui.text.dim"));
        line.push_span(Span::raw(format!("{value}   ")));
    }
    let strip_height = if used == 0 && strip.len() == 1 {
        0
    } else {
        (strip.len() as u16).min(inner.height / 3)
    };
    let strip = Paragraph::new(strip);
    let [facts, tab_bar, body] = Layout::vertical([
        Constraint::Length(strip_height),
        Constraint::Length(2),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(strip, facts);
    let titles: Vec<Line> = tabs(&view.target)
        .iter()
        .map(|tab| Line::from(tab.title()))
        .collect();
    frame.render_widget(
        Tabs::new(titles)
            .select(view.tab)
            .style(t.style("ui.tab"))
            .highlight_style(t.style("ui.tab.active"))
            .divider("│"),
        tab_bar,
    );

    let tab = view.tab();
    if tab == Tab::Json {
        // A text the keys scroll; documents kept as strings (a trust policy) shown as JSON.
        let text = json_with_documents(&detail::json(&view.detail, &view.target));
        let scroll = TextScroll::wrapped();
        scroll.top.set(view.offset.get());
        TextView::new(text.lines().map(Line::from).collect()).render(frame, body, &scroll, t);
        view.offset.set(scroll.top.get());
        app.viewport.set(scroll.page.get());
        return;
    }
    let (rows, loading) = detail::rows(&view.detail, &view.target, tab, app.now());
    let rows = crate::app::versions::mark_base(app, view, rows);
    let mut messages: Vec<Line> = view
        .detail
        .errors
        .iter()
        .map(|e| t.line(e.clone(), "status.bad"))
        .collect();
    if rows.is_empty() {
        let empty = if loading {
            "loading…"
        } else {
            "nothing here"
        };
        messages.push(t.line(empty, "ui.text.dim"));
        frame.render_widget(Paragraph::new(messages).wrap(Wrap { trim: false }), body);
        return;
    }
    let document = rows.get(view.selected).and_then(|r| r.document.clone());
    let (table_area, doc_area) = match &document {
        Some(_) if body.width >= 100 => {
            let [a, b] =
                Layout::horizontal([Constraint::Percentage(45), Constraint::Min(0)]).areas(body);
            (a, Some(b))
        }
        Some(_) => {
            let [a, b] =
                Layout::vertical([Constraint::Percentage(40), Constraint::Min(0)]).areas(body);
            (a, Some(b))
        }
        None => (body, None),
    };
    let [msg_area, table_area] = Layout::vertical([
        Constraint::Length(messages.len() as u16),
        Constraint::Min(0),
    ])
    .areas(table_area);
    frame.render_widget(Paragraph::new(messages), msg_area);
    let ncols = rows.iter().map(|r| r.cells.len()).max().unwrap_or(1);
    // Fitted to their content; the rightmost go first when even minimum widths do not fit.
    let wants: Vec<Want> = (0..ncols)
        .map(|i| {
            let cells = rows
                .iter()
                .filter_map(|r| r.cells.get(i))
                .map(|c| Span::raw(c.as_str()).width());
            Want::of(4, cells, i as u8)
        })
        .collect();
    let fit = columns::fit(&wants, table_area.width, 2);
    let visible = table_area.height as usize;
    let selection = (view.selected, &view.offset);
    let table = table(app, &rows, selection, visible, &fit, |r| {
        let scope = if r.link.is_some() {
            "ui.link"
        } else {
            "ui.text"
        };
        (None, &r.cells, t.style(scope))
    });
    frame.render_widget(table, table_area);
    if let (Some(doc), Some(area)) = (document, doc_area) {
        let block = Block::new()
            .borders(Borders::ALL)
            .border_style(t.style("ui.border"))
            .title(" document (Enter opens) ");
        frame.render_widget(
            Paragraph::new(pretty(&doc))
                .style(t.style("ui.text"))
                .block(block)
                .wrap(Wrap { trim: false }),
            area,
        );
    }
}
