//! Where the user is: a breadcrumb of screens (a list, then the details drilled into), and the
//! history of places visited, which `-`, `[` and `]` walk.

use crate::commands::palette::ViewKind;

use crate::app::model::detail::{Detail, DetailRow, Tab, tabs};
use crate::app::model::table::{Row, Target};
use crate::iam::Timestamp;

#[derive(Debug, Clone)]
pub struct ListView {
    pub kind: ViewKind,
    pub filter: String,
    /// Column to sort by (`None`: load order) and whether descending.
    pub sort: Option<usize>,
    pub descending: bool,
    pub selected: usize,
    /// The first visible row; the drawing keeps it so the selection stays in view.
    pub offset: std::cell::Cell<usize>,
    /// The filtered, sorted rows; rebuilt when the data, filter or sort change.
    pub rows: Vec<Row>,
    /// Every row, sorted, before filtering, and what it was built from (data version, sort):
    /// typing a filter re-filters these instead of rebuilding them.
    pub base: Vec<Row>,
    pub base_built: Option<(u64, Option<usize>, bool)>,
    /// Row count before filtering.
    pub total: usize,
    /// What `rows` was built from: data version, filter, sort.
    pub built: Option<(u64, String, Option<usize>, bool)>,
    /// The row (by key) that was selected when a reload took it out of the rows: while the
    /// data streams back in, a page at a time, it is selected again as soon as it reappears,
    /// unless the user has moved the selection since.
    pub wanted: Option<String>,
    /// The user chose the selected row (moved to it, or acted on it). Until then the
    /// selection stays on the top row while rows stream in and rank, so a filter typed
    /// before the data arrived selects its best match, not whichever match came first.
    pub chosen: bool,
    /// A command on the selected row given while the row it was meant for had not streamed
    /// back in yet: it runs once the list has loaded (see `browse::commands::defer`).
    pub deferred: Option<crate::commands::Command>,
    /// The marked rows, by key (ARN, else the cells): kept through sorts, filters and reloads;
    /// a row that is gone once the list has loaded loses its mark (see `browse::marks`).
    pub marks: std::collections::BTreeSet<String>,
}

impl ListView {
    pub fn new(kind: ViewKind, filter: Option<String>) -> Self {
        Self {
            kind,
            filter: filter.unwrap_or_default(),
            sort: None,
            descending: false,
            selected: 0,
            offset: Default::default(),
            rows: Vec::new(),
            base: Vec::new(),
            base_built: None,
            total: 0,
            built: None,
            wanted: None,
            chosen: false,
            deferred: None,
            marks: Default::default(),
        }
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }

    /// The marked rows, in the list's order, shown or hidden by the filter.
    pub fn marked_rows(&self) -> Vec<&Row> {
        if self.marks.is_empty() {
            return Vec::new();
        }
        let marked = |r: &&Row| self.marks.contains(&r.key());
        self.base.iter().filter(marked).collect()
    }
}

#[derive(Debug, Clone)]
pub struct DetailView {
    pub target: Target,
    pub tab: usize,
    pub selected: usize,
    pub offset: std::cell::Cell<usize>,
    pub detail: Detail,
    /// Replies for an older load of this view are dropped.
    pub generation: u64,
}

impl DetailView {
    pub fn new(target: Target, generation: u64) -> Self {
        Self {
            target,
            tab: 0,
            selected: 0,
            offset: Default::default(),
            detail: Detail::default(),
            generation,
        }
    }

    pub fn tab(&self) -> Tab {
        let t = tabs(&self.target);
        t[self.tab.min(t.len() - 1)]
    }

    /// The rows of the open tab.
    pub fn rows(&self, now: Timestamp) -> Vec<DetailRow> {
        crate::app::model::detail::rows(&self.detail, &self.target, self.tab(), now).0
    }

    pub fn selected_row(&self, now: Timestamp) -> Option<DetailRow> {
        self.rows(now).into_iter().nth(self.selected)
    }
}

#[derive(Debug, Clone)]
pub enum Screen {
    /// Boxed as well: either kind of screen is a pointer in the breadcrumbs.
    List(Box<ListView>),
    /// Boxed: a detail holds everything loaded about its resource.
    Detail(Box<DetailView>),
}

/// A place in the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    List { kind: ViewKind, filter: String },
    Detail { target: Target },
}

#[derive(Debug, Clone)]
pub struct Nav {
    /// The breadcrumb: a list first, then details. Never empty.
    pub crumbs: Vec<Screen>,
    history: Vec<Location>,
    cursor: usize,
}

impl Nav {
    pub fn new(first: ListView) -> Self {
        let loc = Location::List {
            kind: first.kind,
            filter: first.filter.clone(),
        };
        Self {
            crumbs: vec![Screen::List(Box::new(first))],
            history: vec![loc],
            cursor: 0,
        }
    }

    pub fn current(&self) -> &Screen {
        self.crumbs.last().expect("the breadcrumb is never empty")
    }

    /// The list on top, if a list is.
    pub fn list(&self) -> Option<&ListView> {
        match self.current() {
            Screen::List(l) => Some(l),
            Screen::Detail(_) => None,
        }
    }

    /// The detail on top, if a detail is.
    pub fn detail(&self) -> Option<&DetailView> {
        match self.current() {
            Screen::Detail(d) => Some(d),
            Screen::List(_) => None,
        }
    }

    /// The resource the selection stands for: the selected list row, or the detail shown.
    pub fn selected_target(&self) -> Option<Target> {
        match self.current() {
            Screen::List(l) => l.selected_row().and_then(|r| r.target.clone()),
            Screen::Detail(d) => Some(d.target.clone()),
        }
    }

    /// The name of the selected resource when it is of this kind.
    pub fn selected(&self, kind: ViewKind) -> Option<String> {
        self.selected_target()
            .and_then(|t| t.is(kind).map(str::to_string))
    }

    pub fn current_mut(&mut self) -> &mut Screen {
        self.crumbs
            .last_mut()
            .expect("the breadcrumb is never empty")
    }

    pub fn location(&self) -> Location {
        match self.current() {
            Screen::List(l) => Location::List {
                kind: l.kind,
                filter: l.filter.clone(),
            },
            Screen::Detail(d) => Location::Detail {
                target: d.target.clone(),
            },
        }
    }

    /// Records the current place as a new history entry (dropping any forward entries).
    pub fn record(&mut self) {
        let here = self.location();
        if self.history.get(self.cursor) == Some(&here) {
            return;
        }
        self.history.truncate(self.cursor + 1);
        self.history.push(here);
        self.cursor = self.history.len() - 1;
        // A long session should not grow without bound.
        if self.history.len() > 200 {
            self.history.remove(0);
            self.cursor -= 1;
        }
    }

    /// The entry before the current one, for `-` and `[`.
    pub fn back_location(&self) -> Option<&Location> {
        self.cursor.checked_sub(1).and_then(|i| self.history.get(i))
    }

    pub fn forward_location(&self) -> Option<&Location> {
        self.history.get(self.cursor + 1)
    }

    /// Moves the history cursor without recording (`[` and `]`).
    pub fn step(&mut self, delta: isize) {
        let next = self.cursor as isize + delta;
        if next >= 0 && (next as usize) < self.history.len() {
            self.cursor = next as usize;
        }
    }

    /// The breadcrumb as text: `Users › user alice › group Devs`.
    pub fn breadcrumb(&self) -> Vec<String> {
        self.crumbs
            .iter()
            .map(|s| match s {
                Screen::List(l) => l.kind.title().to_string(),
                Screen::Detail(d) => d.target.label(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crumbs of a list of `kind`, and where that list is.
    fn list_at(kind: ViewKind) -> (Vec<Screen>, Location) {
        let screen = Screen::List(Box::new(ListView::new(kind, None)));
        let filter = String::new();
        (vec![screen], Location::List { kind, filter })
    }

    #[test]
    fn history_records_walks_and_truncates() {
        let mut nav = Nav::new(ListView::new(ViewKind::Users, None));
        nav.crumbs = list_at(ViewKind::Roles).0;
        nav.record();
        nav.crumbs = list_at(ViewKind::Groups).0;
        nav.record();
        assert_eq!(nav.back_location(), Some(&list_at(ViewKind::Roles).1));
        nav.step(-1);
        nav.step(-1);
        nav.step(-1); // stops at the start
        assert_eq!(nav.back_location(), None);
        assert!(nav.forward_location().is_some());
        // Recording from the middle drops what was ahead.
        nav.crumbs = list_at(ViewKind::Policies).0;
        nav.record();
        assert_eq!(nav.forward_location(), None);
        // Recording the same place twice adds nothing.
        nav.record();
        assert_eq!(nav.back_location(), Some(&list_at(ViewKind::Users).1));
    }
}
