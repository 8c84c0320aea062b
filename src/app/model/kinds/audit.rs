//! The audit trail: the changes iamtui made, newest first (`:audit`). Not IAM's: the records
//! come from the audit log file, read in a task (see [`crate::app::audit::load`]).

use crate::app::audit::Record;

use super::*;

pub static KIND: Kind = Kind {
    view: ViewKind::Audit,
    names: &["audit", "audit-log", "changes"],
    title: "Audit trail",
    columns: &[
        col("TIME", 0),
        col("CALLER", 2),
        col("OPERATION", 0),
        col("RESOURCE", 0),
        col("OUTCOME", 1),
    ],
    // The file's order, reversed: newest first.
    sort: None,
    lists: &[],
    pages: &[],
    rows: |data, _| {
        let records = data.list::<Record>().into_iter().flat_map(|l| &l.items);
        records
            .rev()
            .map(|r| {
                let mut row = row(
                    None,
                    None,
                    vec![
                        r.time.format("%Y-%m-%d %H:%M:%S").to_string(),
                        r.caller.clone().unwrap_or_else(|| "-".into()),
                        r.operation.clone(),
                        r.resource.clone().unwrap_or_else(|| "-".into()),
                        r.outcome_text(),
                    ],
                );
                row.json = serde_json::to_string(r).ok();
                row
            })
            .collect()
    },
    status: one_of::<Record>,
};
