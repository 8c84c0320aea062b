//! Keeps the current list's rows in step with the data, the filter and the sort. Rows are
//! rebuilt only when one of those changed (and data-driven rebuilds at most a few times a
//! second while loads stream in), so a 15,000-row list stays responsive.

use std::time::{Duration, Instant};

use super::filter::Filter;
use crate::app::model::table::{self, Row, RowOptions};
use crate::app::shell::nav::Screen;
use crate::app::shell::state::App;

/// While loads stream in, how often the rows may be rebuilt for new data.
const DATA_REBUILD: Duration = Duration::from_millis(150);

/// `force`: rebuild now if anything changed; otherwise data changes wait for the throttle
/// (the loop's tick forces a rebuild a few times a second).
pub fn refresh(app: &mut App, force: bool) {
    let opts = RowOptions {
        now: app.now(),
        key_age_warn_days: app.options.key_age_warn_days,
    };
    let data = &app.data;
    let Screen::List(l) = app.nav.crumbs.last_mut().expect("never empty") else {
        return;
    };
    let loaded = super::marks::loaded(l.kind, data);
    let key = (data.version, l.filter.clone(), l.sort, l.descending);
    if let Some(built) = &l.built {
        if *built == key {
            return;
        }
        let only_data = built.1 == key.1 && built.2 == key.2 && built.3 == key.3;
        if only_data && !force && app.last_rebuild.elapsed() < DATA_REBUILD {
            return;
        }
    }
    let selected_key = l.rows.get(l.selected).map(row_key);
    let base_key = (data.version, l.sort, l.descending);
    if l.base_built != Some(base_key) {
        let mut rows = table::rows(l.kind, data, opts);
        if let Some(col) = l.sort {
            let numeric = table::columns(l.kind).get(col).is_some_and(|c| c.numeric);
            // Keys computed once per row, not once per comparison.
            if numeric {
                rows.sort_by_key(|r| r.numbers.get(col).copied().flatten());
            } else {
                rows.sort_by_cached_key(|r| {
                    r.cells
                        .get(col)
                        .map(|c| c.to_lowercase())
                        .unwrap_or_default()
                });
            }
            if l.descending {
                rows.reverse();
            }
        }
        l.total = rows.len();
        l.base = rows;
        l.base_built = Some(base_key);
    }
    if loaded {
        super::marks::prune(l);
    }
    let filter = Filter::new(&l.filter);
    l.rows = filter
        .matching(&l.base, l.sort.is_some())
        .into_iter()
        .map(|i| l.base[i].clone())
        .collect();
    // Keep the same row selected when it is still there (the top row, until the user chose
    // one); when a reload took it away, the stand-in selected meanwhile gives way to it once
    // it is back.
    let position = |k: &str| l.rows.iter().position(|r| row_key(r) == k);
    if let Some(i) = l.wanted.as_deref().and_then(position) {
        l.selected = i;
        l.wanted = None;
    } else if !l.chosen && l.wanted.is_none() {
        l.selected = 0;
    } else if let Some(i) = selected_key.as_deref().and_then(position) {
        l.selected = i;
    } else if l.wanted.is_none() {
        l.wanted = selected_key;
    }
    l.selected = l.selected.min(l.rows.len().saturating_sub(1));
    l.built = Some(key);
    app.last_rebuild = Instant::now();
}

pub fn row_key(r: &Row) -> String {
    r.key()
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use super::*;
    use crate::app::harness::{Harness, demo_at};

    fn selected_name(app: &App) -> String {
        let l = app.nav.list().expect("a list");
        l.selected_row().expect("a row").cells[0].clone()
    }

    /// The data changed: the rows are rebuilt now.
    fn rebuild(app: &mut App) {
        app.data.touch();
        refresh(app, true);
    }

    /// A reload empties the users and refills them a page at a time; the page that held the
    /// selected user comes last. The selection returns to that user, not to whoever stood in.
    #[tokio::test]
    async fn the_selection_survives_a_reload_that_streams_in() {
        let mut h = Harness::demo().await;
        h.key(KeyCode::Down).await;
        h.key(KeyCode::Down).await;
        let chosen = selected_name(&h.app);
        let all = h.app.data.users.items.clone();
        assert!(all.len() > 3, "the demo has users to page through");
        let (theirs, others): (Vec<_>, Vec<_>) =
            all.iter().cloned().partition(|u| u.name == chosen);

        h.app.data.users.items = others;
        h.app.data.users.status = crate::app::model::data::Status::Loading;
        rebuild(&mut h.app);
        assert_ne!(selected_name(&h.app), chosen);

        h.app.data.users.items.extend(theirs);
        rebuild(&mut h.app);
        assert_eq!(selected_name(&h.app), chosen);
    }

    /// A detail reloaded (after a save, say) keeps its tab and selected row.
    #[tokio::test]
    async fn a_reloaded_detail_keeps_its_place() {
        let mut h = Harness::demo().await;
        h.key(KeyCode::Enter).await;
        h.key(KeyCode::Down).await;
        let place = |app: &App| {
            let d = app.nav.detail().expect("a detail");
            let row = d.selected_row(app.now()).map(|r| r.cells);
            (d.tab, d.selected, row)
        };
        let before = place(&h.app);
        assert_eq!(before.1, 1);
        assert!(
            before.2.is_some(),
            "the demo user has a second permissions row"
        );
        let effects = crate::app::browse::loading::reload_detail(&mut h.app);
        h.settle(effects).await;
        assert_eq!(place(&h.app), before);
    }

    /// A filter typed before the rows arrive selects its best match once they have all come,
    /// not the first match that happened to arrive.
    #[tokio::test]
    async fn until_the_user_chooses_the_top_row_stays_selected() {
        let mut h = demo_at("policies DeveloperAccess").await;
        let all = h.app.data.policies.items.clone();
        let name = selected_name;
        assert_eq!(
            name(&h.app),
            "DeveloperAccess",
            "the best match ranks first"
        );
        // As on opening the view: no rows yet, nothing selected before.
        h.app.data.policies.items.clear();
        rebuild(&mut h.app);
        if let Screen::List(l) = h.app.nav.current_mut() {
            l.wanted = None;
        }
        // The pages arrive in name order: AWSCodeBuildDeveloperAccess (a match) comes first.
        h.app.data.policies.items = all
            .iter()
            .filter(|p| p.name != "DeveloperAccess")
            .cloned()
            .collect();
        rebuild(&mut h.app);
        assert_eq!(name(&h.app), "AWSCodeBuildDeveloperAccess");
        h.app.data.policies.items = all;
        rebuild(&mut h.app);
        assert_eq!(name(&h.app), "DeveloperAccess");
        // Once the user moves, the selection follows their row.
        h.key(KeyCode::Down).await;
        let chosen = name(&h.app);
        assert_ne!(chosen, "DeveloperAccess");
        rebuild(&mut h.app);
        assert_eq!(name(&h.app), chosen);
    }

    /// Once the user has moved, the row that went away no longer pulls the selection back.
    #[tokio::test]
    async fn moving_after_a_reload_forgets_the_row_that_went_away() {
        let mut h = Harness::demo().await;
        h.key(KeyCode::Down).await;
        let chosen = selected_name(&h.app);
        let all = h.app.data.users.items.clone();
        h.app.data.users.items.retain(|u| u.name != chosen);
        rebuild(&mut h.app);
        h.key(KeyCode::Down).await;
        let moved_to = selected_name(&h.app);
        h.app.data.users.items = all;
        rebuild(&mut h.app);
        assert_eq!(selected_name(&h.app), moved_to);
    }
}
