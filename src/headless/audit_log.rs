//! `iamtui audit-log`: prints the audit trail, the changes iamtui made (see
//! [`crate::app::audit`]), oldest first.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};

use crate::app::audit::{self, Record};
use crate::config::Paths;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// One line per change: time, caller, operation, resource, outcome
    Human,
    /// The records as they are kept: one JSON object per line
    Json,
}

#[derive(Debug, Clone, clap::Args)]
pub struct AuditLogArgs {
    /// Only changes at or after this time (RFC 3339, e.g. 2026-06-01T00:00:00Z)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub since: Option<DateTime<Utc>>,
    /// Only this IAM operation (e.g. CreateRole; case-insensitive)
    #[arg(long, value_name = "NAME")]
    pub operation: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: AuditFormat,
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("not an RFC 3339 time ({e}): e.g. 2026-06-01T00:00:00Z"))
}

/// Whether `record` passes the filters of `args`.
pub fn wanted(args: &AuditLogArgs, record: &Record) -> bool {
    args.since.is_none_or(|t| record.time >= t)
        && args
            .operation
            .as_deref()
            .is_none_or(|op| record.operation.eq_ignore_ascii_case(op))
}

pub fn run(args: &AuditLogArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let paths = match Paths::from_env() {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(err, "iamtui: {e}");
            return 1;
        }
    };
    print(args, &paths.data_dir().join(audit::FILE_NAME), out, err)
}

/// Prints the records of the log at `path` that pass the filters.
pub fn print(args: &AuditLogArgs, path: &Path, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let records = match audit::read(path) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(
                err,
                "iamtui: cannot read the audit log {}: {e}",
                path.display()
            );
            return 1;
        }
    };
    for record in records.iter().filter(|r| wanted(args, r)) {
        let line = match args.format {
            AuditFormat::Human => record.human(),
            AuditFormat::Json => serde_json::to_string(record).unwrap_or_default(),
        };
        if writeln!(out, "{line}").is_err() {
            return 1;
        }
    }
    0
}
