//! Keeps the current list's rows in step with the data, the filter and the sort. Rows are
//! rebuilt only when one of those changed (and data-driven rebuilds at most a few times a
//! second while loads stream in), so a 15,000-row list stays responsive.

use std::time::{Duration, Instant};

use super::filter::Filter;
use super::nav::Screen;
use super::state::App;
use super::table::{self, Row, RowOptions};

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
    let filter = Filter::new(&l.filter);
    l.rows = filter
        .matching(&l.base, l.sort.is_some())
        .into_iter()
        .map(|i| l.base[i].clone())
        .collect();
    // Keep the same row selected when it is still there.
    if let Some(k) = selected_key
        && let Some(i) = l.rows.iter().position(|r| row_key(r) == k)
    {
        l.selected = i;
    }
    l.selected = l.selected.min(l.rows.len().saturating_sub(1));
    l.built = Some(key);
    app.last_rebuild = Instant::now();
}

fn row_key(r: &Row) -> String {
    r.arn.clone().unwrap_or_else(|| r.cells.join("\u{1f}"))
}
