//! `iamtui validate`: findings printed like a compiler's, or as JSON for pipelines.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use crate::policy::json::LineIndex;
use crate::policy::validate::{Options, PolicyType, validate};
use crate::policy::{Finding, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ValidateArgs {
    /// Where the policy is used: it decides which elements are required
    #[arg(long = "type", value_enum, default_value = "identity")]
    pub policy_type: TypeArg,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Size limit in characters (whitespace not counted); the default depends on --type
    #[arg(long, value_name = "CHARS")]
    pub limit: Option<usize>,
    /// Policy files; `-` reads standard input
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TypeArg {
    Identity,
    Resource,
    Trust,
    Scp,
    Boundary,
    Session,
}

impl From<TypeArg> for PolicyType {
    fn from(t: TypeArg) -> Self {
        match t {
            TypeArg::Identity => PolicyType::Identity,
            TypeArg::Resource => PolicyType::Resource,
            TypeArg::Trust => PolicyType::Trust,
            TypeArg::Scp => PolicyType::Scp,
            TypeArg::Boundary => PolicyType::Boundary,
            TypeArg::Session => PolicyType::Session,
        }
    }
}

/// One finding as the JSON output shows it (1-based lines and columns; end is exclusive).
#[derive(Debug, Serialize)]
pub struct JsonFinding<'a> {
    pub file: &'a str,
    pub code: &'a str,
    pub severity: &'a str,
    pub message: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// Exit codes: 0 no error-severity finding, 1 at least one, 2 a file could not be read.
pub fn run(args: &ValidateArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let mut options = Options::new(args.policy_type.into());
    options.size_limit = args.limit;
    let mut any_error = false;
    let mut io_failed = false;
    let mut json_out: Vec<serde_json::Value> = Vec::new();
    for path in &args.files {
        let name = super::display_name(path);
        let text = match super::read_input(path) {
            Ok(t) => t,
            Err(e) => {
                let _ = writeln!(err, "iamtui: cannot read `{name}`: {e}");
                io_failed = true;
                continue;
            }
        };
        let report = validate(&text, &options);
        any_error |= report.has_errors();
        let index = LineIndex::new(&text);
        match args.format {
            Format::Human => {
                for f in &report.findings {
                    let _ = write_human(out, &name, &text, &index, f);
                }
            }
            Format::Json => {
                for f in &report.findings {
                    let start = index.position(&text, f.span.start);
                    let end = index.position(&text, f.span.end);
                    let j = JsonFinding {
                        file: &name,
                        code: f.code,
                        severity: f.severity.as_str(),
                        message: &f.message,
                        line: start.line,
                        column: start.column,
                        end_line: end.line,
                        end_column: end.column,
                    };
                    json_out.push(serde_json::to_value(&j).unwrap_or_default());
                }
            }
        }
        if args.format == Format::Human {
            let counts = count(&report.findings);
            if report.findings.is_empty() {
                let _ = writeln!(out, "{name}: no findings");
            } else {
                let _ = writeln!(out, "{name}: {counts}");
            }
        }
    }
    if args.format == Format::Json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&json_out).unwrap_or_else(|_| "[]".into())
        );
    }
    if io_failed { 2 } else { i32::from(any_error) }
}

fn count(findings: &[Finding]) -> String {
    let n = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let parts: Vec<String> = [
        (Severity::Error, "error"),
        (Severity::SecurityWarning, "security warning"),
        (Severity::Warning, "warning"),
        (Severity::Suggestion, "suggestion"),
    ]
    .into_iter()
    .filter_map(|(s, word)| {
        let c = n(s);
        (c > 0).then(|| format!("{c} {word}{}", if c == 1 { "" } else { "s" }))
    })
    .collect();
    parts.join(", ")
}

/// `file:line:col: severity[code]: message`, the source line, and a caret under the span.
fn write_human(
    out: &mut dyn Write,
    name: &str,
    text: &str,
    index: &LineIndex,
    f: &Finding,
) -> std::io::Result<()> {
    let start = index.position(text, f.span.start);
    let end = index.position(text, f.span.end);
    writeln!(
        out,
        "{name}:{}:{}: {}[{}]: {}",
        start.line, start.column, f.severity, f.code, f.message
    )?;
    let line = index.line_text(text, start.line);
    if line.is_empty() && text.is_empty() {
        return Ok(());
    }
    let gutter = start.line.to_string();
    let pad = " ".repeat(gutter.len());
    // Tabs would misalign the caret; show them as single spaces.
    let shown: String = line
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let width = if end.line == start.line {
        end.column.saturating_sub(start.column).max(1)
    } else {
        shown
            .chars()
            .count()
            .saturating_sub(start.column - 1)
            .max(1)
    };
    writeln!(out, "{pad} |")?;
    writeln!(out, "{gutter} | {shown}")?;
    writeln!(
        out,
        "{pad} | {}{}",
        " ".repeat(start.column - 1),
        "^".repeat(width)
    )?;
    Ok(())
}
