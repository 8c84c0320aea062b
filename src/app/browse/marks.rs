//! Marks: rows of a list picked out with `space` (or all shown with `*`) for the bulk actions
//! (see `app::bulk`). A mark belongs to the resource, not to a position: it is kept by the
//! row's key (its ARN), so it survives sorting, filtering and reloads; a row that is gone once
//! the list has loaded again loses it. Leaving the list for another kind drops them with it.

use crate::app::model::data::{AccountData, Status};
use crate::app::model::table::Row;
use crate::app::shell::actions::{Outcome, not_here};
use crate::app::shell::nav::{ListView, Screen};
use crate::app::shell::state::App;
use crate::commands::palette::ViewKind;

use super::views::row_key;

/// `space`: marks or unmarks the selected row, then moves down.
pub fn toggle(app: &mut App) -> Outcome {
    let Screen::List(l) = app.nav.current_mut() else {
        return not_here("marks rows of a list: this is a detail view");
    };
    let Some(key) = l.selected_row().map(row_key) else {
        return not_here("marks the selected row: there are no rows here");
    };
    if !l.marks.remove(&key) {
        l.marks.insert(key);
    }
    l.selected = (l.selected + 1).min(l.rows.len().saturating_sub(1));
    l.wanted = None;
    l.deferred = None;
    Outcome::Done(Vec::new())
}

/// `*`: marks every row shown (after the filter); when all of them are marked already, clears
/// every mark.
pub fn mark_all(app: &mut App) -> Outcome {
    let Screen::List(l) = app.nav.current_mut() else {
        return not_here("marks rows of a list: this is a detail view");
    };
    if l.rows.is_empty() {
        return not_here("marks the rows shown: there are none here");
    }
    let keys: Vec<String> = l.rows.iter().map(row_key).collect();
    if keys.iter().all(|k| l.marks.contains(k)) {
        l.marks.clear();
        app.set_status("marks cleared");
    } else {
        let n = keys.len();
        l.marks.extend(keys);
        app.set_status(format!("{n} rows marked"));
    }
    Outcome::Done(Vec::new())
}

/// Whether the row carries a mark.
pub fn is_marked(l: &ListView, row: &Row) -> bool {
    !l.marks.is_empty() && l.marks.contains(&row_key(row))
}

/// Whether every list behind the view has loaded (marks of missing rows are dropped only then,
/// never while a reload streams the rows back in).
pub fn loaded(kind: ViewKind, data: &AccountData) -> bool {
    (crate::app::model::kinds::of(kind).status)(data)
        .iter()
        .all(|s| !matches!(s, Status::Loading | Status::Idle))
}

/// Drops the marks of rows that are no longer in the list.
pub fn prune(l: &mut ListView) {
    if l.marks.is_empty() {
        return;
    }
    let present: std::collections::HashSet<String> = l.base.iter().map(row_key).collect();
    l.marks.retain(|k| present.contains(k));
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::KeyCode;

    use crate::app::harness::demo_at;
    use crate::app::shell::state::App;

    fn marked_names(app: &App) -> Vec<String> {
        let l = app.nav.list().expect("a list");
        l.marked_rows().iter().map(|r| r.cells[0].clone()).collect()
    }

    fn selected(app: &App) -> String {
        let l = app.nav.list().expect("a list");
        l.selected_row().expect("a row").cells[0].clone()
    }

    /// Marks follow their rows through a sort, a filter and a reload; the title counts them;
    /// `*` marks what is shown and clears when all are; another kind drops them.
    #[tokio::test]
    async fn marks_survive_a_sort_a_filter_and_a_reload() {
        let mut h = demo_at("users").await;
        let first = selected(&h.app);
        h.key(KeyCode::Char(' ')).await;
        assert_ne!(selected(&h.app), first, "space moves down");
        let second = selected(&h.app);
        h.key(KeyCode::Char(' ')).await;
        let mut both = vec![first.clone(), second.clone()];
        both.sort();
        let mut marked = marked_names(&h.app);
        marked.sort();
        assert_eq!(marked, both);
        let total = h.app.nav.list().unwrap().total;
        h.assert_shows(&format!("Users ({total}) · 2 marked"), true);
        h.assert_shows(&format!("●  {first}"), true);

        // Sorted the other way: the same rows stay marked.
        h.key(KeyCode::Char('S')).await;
        let mut marked = marked_names(&h.app);
        marked.sort();
        assert_eq!(marked, both);

        // A filter that hides one keeps its mark.
        h.key(KeyCode::Char('/')).await;
        h.type_text(&first).await;
        h.key(KeyCode::Enter).await;
        assert_eq!(marked_names(&h.app).len(), 2);
        h.assert_shows("· 2 marked", true);
        h.key(KeyCode::Esc).await;

        // A reload keeps them.
        h.key_with(
            KeyCode::Char('r'),
            ratatui::crossterm::event::KeyModifiers::CONTROL,
        )
        .await;
        assert_eq!(marked_names(&h.app).len(), 2);

        // A row that is gone loses its mark.
        h.app.data.users.items.retain(|u| u.name != second);
        h.app.data.touch();
        crate::app::browse::views::refresh(&mut h.app, true);
        assert_eq!(marked_names(&h.app), [first]);

        // `*` marks every row shown, and again clears them.
        h.key(KeyCode::Char('*')).await;
        assert_eq!(
            marked_names(&h.app).len(),
            h.app.nav.list().unwrap().rows.len()
        );
        h.key(KeyCode::Char('*')).await;
        assert!(marked_names(&h.app).is_empty());
        h.assert_shows("marked", false);

        // Another kind drops them.
        h.key(KeyCode::Char(' ')).await;
        h.command("roles").await;
        h.command("users").await;
        assert!(marked_names(&h.app).is_empty());
    }
}
