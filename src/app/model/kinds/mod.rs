//! One descriptor per kind of IAM resource: its `:` names, its list (columns, rows, the pages
//! it loads), and its detail (tabs, calls, the summary strip, the JSON shape, what stands in the
//! way of a delete). The table, the detail view and the palette ask the registry here instead
//! of matching on the kind themselves; adding a kind is one file and a line in [`of`].

mod audit;
pub(super) mod groups;
mod keys;
mod mfa;
mod password;
pub(super) mod policies;
mod profiles;
mod providers;
pub(super) mod roles;
pub mod shape;
mod summary;
pub(super) mod users;
mod whoami;

pub use roles::trust_summary;

use crate::app::shell::calls::{Call, Reply};
use crate::iam::*;

use super::data::{AccountData, Status};
use super::detail::{Detail, Part, Tab, main_reply};
use super::table::{Column, Row, RowOptions, Target};

/// A resource kind: everything the console knows about showing it.
pub struct Kind {
    pub view: ViewKind,
    /// The canonical `:` name, then its aliases.
    pub names: &'static [&'static str],
    pub title: &'static str,
    pub columns: &'static [Column],
    /// The column rows are sorted on (case-insensitively) until the user sorts; `None` keeps
    /// the order the rows are built in (settings, facts).
    pub sort: Option<usize>,
    /// The kinds whose loads the view needs (its own and those its columns read).
    pub lists: &'static [ViewKind],
    /// What this kind loads: each a list (paged or in one call) kept in [`AccountData`].
    pub pages: &'static [Pages],
    pub rows: fn(&AccountData, RowOptions) -> Vec<Row>,
    /// Where the loads behind the view stand.
    pub status: fn(&AccountData) -> Vec<Status>,
}

/// A list loaded a page at a time, or whole in one call.
pub struct Pages {
    pub call: fn(Option<String>) -> Call,
    pub status: fn(&mut AccountData) -> &mut Status,
    /// Stores a page; returns the marker of the next one (`None`: the list is complete).
    pub store: fn(&mut AccountData, Reply) -> Option<String>,
}

/// The pages of a paged list: `paged!(ListRoles, Roles, d => d.roles)` lists with the call,
/// takes the reply variant's page, and keeps its items at the place named.
macro_rules! paged {
    ($call:ident, $reply:ident, $d:ident => $list:expr) => {
        Pages {
            call: |marker| Call::$call { marker },
            status: |$d| &mut $list.status,
            store: |$d, reply| match reply {
                Reply::$reply(p) => {
                    $list.items.extend(p.items);
                    p.next_marker
                }
                _ => None,
            },
        }
    };
}
use paged;

/// A list that comes whole from one call: `whole!(ListSamlProviders, SamlProviders, d =>
/// d.list_mut::<SamlProvider>())`.
macro_rules! whole {
    ($call:ident, $reply:ident, $d:ident => $list:expr) => {
        Pages {
            call: |_| Call::$call,
            status: |$d| &mut $list.status,
            store: |$d, reply| {
                if let Reply::$reply(items) = reply {
                    $list.items = items.into_iter().map(Into::into).collect();
                }
                None
            },
        }
    };
}
use whole;

/// The detail view of a resource kind.
pub struct DetailKind {
    /// The list the resource belongs to.
    pub view: ViewKind,
    /// What one is called in titles: `user`, `instance profile`.
    pub noun: &'static str,
    /// The short name shown for an id (the last part of an ARN).
    pub name: fn(&str) -> &str,
    /// Whether the resource holds policies (users, groups, roles).
    pub entity: Option<EntityKind>,
    pub tabs: &'static [Tab],
    /// The calls that load the detail of the resource with this id.
    pub calls: fn(&str) -> Vec<(Part, Call)>,
    /// The summary strip: facts shown above the tabs.
    pub facts: fn(&Detail) -> Vec<(&'static str, String)>,
    /// The resource as IAM's API shapes it.
    pub json: fn(&Detail) -> serde_json::Value,
    /// The call that deletes the resource, or why the console does not.
    pub delete: fn(&str) -> Result<Call, &'static str>,
    /// What `t` edits the tags of, or why it cannot.
    pub tags: fn(&str) -> Result<TagTarget, &'static str>,
}

/// The name of a kind whose id is its name.
pub(super) fn same(id: &str) -> &str {
    id
}

/// The last part of an ARN: a policy's name.
pub(super) fn last(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// Generates the registry from its one list: the `ViewKind` enum and the descriptor of each.
macro_rules! registry {
    ($($view:ident => $module:ident),+ $(,)?) => {
        /// A top-level resource view; what each one is lives in its descriptor.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ViewKind {
            $($view),+
        }

        impl ViewKind {
            pub const ALL: [ViewKind; [$(stringify!($view)),+].len()] = [$(ViewKind::$view),+];
        }

        /// The descriptor of each view.
        pub fn of(view: ViewKind) -> &'static Kind {
            match view {
                $(ViewKind::$view => &$module::KIND),+
            }
        }
    };
}

// The registry: adding a kind is its descriptor file and a line here, in the order `:` lists
// and completes the views.
registry! {
    Users => users,
    Groups => groups,
    Roles => roles,
    Policies => policies,
    InstanceProfiles => profiles,
    Keys => keys,
    Mfa => mfa,
    Providers => providers,
    PasswordPolicy => password,
    Summary => summary,
    Whoami => whoami,
    Audit => audit,
}

impl ViewKind {
    /// The canonical command name, then its aliases.
    pub fn names(self) -> &'static [&'static str] {
        of(self).names
    }

    pub fn name(self) -> &'static str {
        self.names()[0]
    }

    /// The title the view shows.
    pub fn title(self) -> &'static str {
        of(self).title
    }
}

impl std::fmt::Display for ViewKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

pub(super) const fn col(title: &'static str, hide: u8) -> Column {
    Column {
        title,
        hide,
        numeric: false,
    }
}

pub(super) const fn num(title: &'static str, hide: u8) -> Column {
    Column {
        title,
        hide,
        numeric: true,
    }
}

pub(super) fn date(t: Option<Timestamp>) -> String {
    t.map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "-".into())
}

pub(super) fn days_since(t: Timestamp, now: Timestamp) -> i64 {
    (now - t).num_days().max(0)
}

/// A plain row of text cells.
pub(super) fn row(target: Option<Target>, arn: Option<String>, cells: Vec<String>) -> Row {
    Row {
        target,
        arn,
        numbers: vec![None; cells.len()],
        cells,
        mark: super::table::Mark::Normal,
        json: None,
        access_key: None,
    }
}

/// A fact of the summary strip when it is known, or why it is not.
pub(super) fn fact<T>(
    d: &Detail,
    part: Part,
    value: Option<T>,
    show: impl FnOnce(T) -> String,
) -> String {
    value.map_or_else(|| why(d, part), show)
}

/// The summary facts of a detail's main part: each shown by its function once the part is
/// loaded, `…` or why not until then.
pub(super) fn main_facts<T>(
    d: &Detail,
    value: Option<&T>,
    facts: &[Shown<T>],
) -> Vec<(&'static str, String)> {
    let show = |&(label, show): &Shown<T>| (label, fact(d, Part::Main, value, show));
    facts.iter().map(show).collect()
}

/// A fact's label and how the main part shows it.
type Shown<T> = (&'static str, fn(&T) -> String);

/// `…` while a part loads, or why it never will.
pub fn why(d: &Detail, part: Part) -> String {
    d.unavailable(&part).map_or("…", |u| u.word()).to_string()
}

/// The status of one list.
pub(super) fn one<T>(list: &super::data::List<T>) -> Vec<Status> {
    vec![list.status.clone()]
}

/// The status of a list kept by its item type ([`AccountData::list`]).
pub(super) fn one_of<T: Send + Sync + 'static>(d: &AccountData) -> Vec<Status> {
    vec![d.list::<T>().map_or(Status::Idle, |l| l.status.clone())]
}

/// No statuses: nothing to load.
pub(super) fn nothing(_: &AccountData) -> Vec<Status> {
    Vec::new()
}

#[cfg(test)]
mod tests;
