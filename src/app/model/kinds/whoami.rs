//! The caller's identity: drawn by its own view, so it has no rows.

use super::*;

pub static KIND: Kind = Kind {
    view: ViewKind::Whoami,
    names: &["whoami", "me", "identity"],
    title: "Caller identity",
    columns: &[col("FIELD", 0), col("VALUE", 0)],
    sort: None,
    lists: &[],
    pages: &[],
    rows: |_, _| Vec::new(),
    status: nothing,
};
