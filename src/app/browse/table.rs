//! A list's rows: what the kind descriptors build (see [`super::kinds`]) and one generic table
//! view draws.

use chrono::{DateTime, Utc};

use crate::commands::palette::ViewKind;
use crate::iam::*;

use super::data::AccountData;
use super::kinds;
pub use super::kinds::trust_summary;

/// What a row opens.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    User(String),
    Group(String),
    Role(String),
    /// By ARN.
    Policy(String),
    InstanceProfile(String),
    SamlProvider(String),
    OidcProvider(String),
}

impl Target {
    pub fn label(&self) -> String {
        match self {
            Target::User(n) => format!("user {n}"),
            Target::Group(n) => format!("group {n}"),
            Target::Role(n) => format!("role {n}"),
            Target::Policy(arn) => format!("policy {}", arn.rsplit('/').next().unwrap_or(arn)),
            Target::InstanceProfile(n) => format!("instance profile {n}"),
            Target::SamlProvider(arn) | Target::OidcProvider(arn) => {
                format!(
                    "provider {}",
                    arn.split_once('/').map_or(arn.as_str(), |(_, n)| n)
                )
            }
        }
    }

    /// The name a delete confirmation asks to type.
    pub fn name(&self) -> &str {
        match self {
            Target::User(n) | Target::Group(n) | Target::Role(n) | Target::InstanceProfile(n) => n,
            Target::Policy(arn) | Target::SamlProvider(arn) | Target::OidcProvider(arn) => {
                arn.rsplit('/').next().unwrap_or(arn)
            }
        }
    }

    pub fn entity(&self) -> Option<EntityRef> {
        match self {
            Target::User(n) => Some(EntityRef::user(n.clone())),
            Target::Group(n) => Some(EntityRef::group(n.clone())),
            Target::Role(n) => Some(EntityRef::role(n.clone())),
            _ => None,
        }
    }

    /// The list the resource belongs to.
    pub fn view(&self) -> ViewKind {
        kinds::detail_of(self).view
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
