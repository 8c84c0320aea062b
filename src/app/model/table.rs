//! A list's rows: what the kind descriptors build (see [`super::kinds`]) and one generic table
//! view draws.

use chrono::{DateTime, Utc};

use crate::commands::palette::ViewKind;
use crate::iam::*;

use super::data::AccountData;
pub use super::kinds::trust_summary;
use super::kinds::{self, DetailKind};

/// What a row opens: a resource of a kind that has a detail view, by its id (a name, or an
/// ARN for policies and providers).
#[derive(Clone)]
pub struct Target {
    pub kind: &'static DetailKind,
    pub id: String,
}

impl Target {
    pub fn user(name: impl Into<String>) -> Self {
        Self::of_kind(&kinds::users::DETAIL, name)
    }

    pub fn group(name: impl Into<String>) -> Self {
        Self::of_kind(&kinds::groups::DETAIL, name)
    }

    pub fn role(name: impl Into<String>) -> Self {
        Self::of_kind(&kinds::roles::DETAIL, name)
    }

    pub fn policy(arn: impl Into<String>) -> Self {
        Self::of_kind(&kinds::policies::DETAIL, arn)
    }

    pub fn of_kind(kind: &'static DetailKind, id: impl Into<String>) -> Self {
        Self {
            kind,
            id: id.into(),
        }
    }

    /// The id, when the target is of this view's kind.
    pub fn is(&self, view: ViewKind) -> Option<&str> {
        (self.kind.view == view).then_some(self.id.as_str())
    }

    /// `user alice`, `policy ReadOnly`.
    pub fn label(&self) -> String {
        format!("{} {}", self.kind.noun, self.name())
    }

    /// The name a delete confirmation asks to type.
    pub fn name(&self) -> &str {
        (self.kind.name)(&self.id)
    }

    pub fn entity(&self) -> Option<EntityRef> {
        self.kind.entity.map(|kind| EntityRef {
            kind,
            name: self.id.clone(),
        })
    }

    /// The list the resource belongs to.
    pub fn view(&self) -> ViewKind {
        self.kind.view
    }
}

impl PartialEq for Target {
    fn eq(&self, other: &Self) -> bool {
        self.kind.view == other.kind.view && self.id == other.id
    }
}

impl Eq for Target {}

impl std::hash::Hash for Target {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (self.kind.view, &self.id).hash(h);
    }
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}({})", self.kind.view, self.id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub title: &'static str,
    /// When the terminal is too narrow for every column, the ones with the highest `hide`
    /// go first; 0 never goes.
    pub hide: u8,
    /// Sorted as a number (ages, counts) rather than as text.
    pub numeric: bool,
}

/// How a row should stand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Normal,
    /// Worth a look (an old key, no MFA).
    Warn,
    /// Wrong (an administrator without MFA, a failed load).
    Bad,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub target: Option<Target>,
    pub arn: Option<String>,
    pub cells: Vec<String>,
    /// Per column: the number to sort by for numeric columns.
    pub numbers: Vec<Option<i64>>,
    pub mark: Mark,
    /// The raw resource as compact JSON, for `y`.
    pub json: Option<String>,
    /// `(user, key id)` for an access-key row: what key actions act on.
    pub access_key: Option<(String, String)>,
}

impl Row {
    /// What identifies the row across rebuilds (its ARN, else its cells): the selection and
    /// the marks follow it.
    pub fn key(&self) -> String {
        self.arn
            .clone()
            .unwrap_or_else(|| self.cells.join("\u{1f}"))
    }
}

/// Options that change how rows look.
#[derive(Debug, Clone, Copy)]
pub struct RowOptions {
    pub now: DateTime<Utc>,
    /// Keys older than this many days are marked.
    pub key_age_warn_days: i64,
}

pub fn columns(kind: ViewKind) -> &'static [Column] {
    kinds::of(kind).columns
}

/// The rows of a list view in the kind's default order (by name, whatever order the backend
/// listed them in); the view sorts by a column the user chose, and filters.
pub fn rows(kind: ViewKind, data: &AccountData, opts: RowOptions) -> Vec<Row> {
    let kind = kinds::of(kind);
    let mut rows = (kind.rows)(data, opts);
    if let Some(col) = kind.sort {
        // Stable: rows of the same name (a user's two keys) keep their order.
        rows.sort_by_cached_key(|r| r.cells.get(col).map(|c| c.to_lowercase()));
    }
    rows
}
