//! `iamtui simulate`: evaluates simulation cases and prints each decision with the statements
//! that decided it; `--check` compares with each case's `expected` for test suites and CI.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::validate::Format;
use crate::policy::case::{CaseRun, run_cases, run_cases_with};
use crate::policy::json::LineIndex;

#[derive(Debug, Clone, clap::Args)]
pub struct SimulateArgs {
    /// Compare each decision with the case's `expected`; print only mismatches and a summary
    #[arg(long)]
    pub check: bool,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// A case file: one case object or a JSON array of them; `-` reads standard input
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// One case's result as the JSON output shows it.
#[derive(Debug, Serialize)]
struct JsonRun<'a> {
    id: String,
    decision: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expected: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    passed: Option<bool>,
    reason: &'a str,
    deciding: Vec<JsonStatement>,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Debug, Serialize)]
struct JsonStatement {
    policy: String,
    statement_index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    sid: Option<String>,
    line: usize,
    column: usize,
}

#[derive(Debug, Serialize)]
struct JsonFinding<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    line: usize,
    column: usize,
}

/// Exit codes: 0 all ran (and with `--check`, all matched), 1 a mismatch or a case without
/// `expected` under `--check`, 2 the file cannot be read or is not a case file.
pub fn run(args: &SimulateArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some((name, text)) = super::read_input(&args.file, err) else {
        return 2;
    };
    // A check keeps only the failures: passing cases are counted and dropped as they run.
    let loaded = if args.check {
        run_cases_with(&text, |r| (r.passed() != Some(true)).then(|| Box::new(r))).map(|kept| {
            let total = kept.len();
            (kept.into_iter().flatten().map(|r| *r).collect(), total)
        })
    } else {
        run_cases(&text).map(|runs| {
            let total = runs.len();
            (runs, total)
        })
    };
    let (runs, total): (Vec<CaseRun>, usize) = match loaded {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "iamtui: {name}: {e}");
            return 2;
        }
    };
    let failed = runs.iter().filter(|r| r.passed() != Some(true)).count();
    let passed = total - failed;
    // A passing check prints no position: skip indexing a file of tens of megabytes.
    let index = if args.check && failed == 0 {
        LineIndex::new("")
    } else {
        LineIndex::new(&text)
    };
    let result = match args.format {
        Format::Human => write_human(out, args.check, &name, &text, &index, &runs),
        Format::Json => write_json(out, args.check, &text, &index, &runs),
    };
    if args.check && args.format == Format::Human {
        let _ = writeln!(out, "{passed} passed, {failed} failed");
    }
    if let Err(e) = result.and_then(|()| out.flush()) {
        // A closed pipe (`| head`) is not worth a message; anything else is.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(err, "iamtui: cannot write the output: {e}");
        }
        return 2;
    }
    i32::from(args.check && failed > 0)
}

// Under `--check`, a case without `expected` counts as failed: a check that checks nothing
// must not pass silently.

fn write_human(
    out: &mut dyn Write,
    check: bool,
    name: &str,
    text: &str,
    index: &LineIndex,
    runs: &[CaseRun],
) -> std::io::Result<()> {
    for run in runs {
        let verdict = run.passed();
        if check && verdict == Some(true) {
            continue;
        }
        let case_pos = index.position(text, run.span.start);
        let decision = run.decision.outcome;
        match (check, run.expected) {
            (true, None) => writeln!(
                out,
                "FAIL {} ({name}:{}): {decision}, but the case has no `expected` to check",
                run.name(),
                case_pos.line
            )?,
            (true, Some(expected)) => writeln!(
                out,
                "FAIL {} ({name}:{}): expected {expected}, got {decision}",
                run.name(),
                case_pos.line
            )?,
            (false, Some(expected)) if expected != decision => {
                writeln!(out, "{}: {decision} (expected {expected})", run.name())?
            }
            (false, _) => writeln!(out, "{}: {decision}", run.name())?,
        }
        writeln!(out, "  {}", run.decision.reason)?;
        for s in &run.decision.deciding {
            let pos = index.position(text, s.span.start);
            writeln!(out, "  - {s} ({name}:{}:{})", pos.line, pos.column)?;
        }
        for f in &run.findings {
            let pos = index.position(text, f.finding.span.start);
            writeln!(
                out,
                "  {}[{}] {name}:{}:{}: {}",
                f.finding.severity, f.finding.code, pos.line, pos.column, f.finding.message
            )?;
        }
    }
    Ok(())
}

fn write_json(
    out: &mut dyn Write,
    check: bool,
    text: &str,
    index: &LineIndex,
    runs: &[CaseRun],
) -> std::io::Result<()> {
    let items: Vec<JsonRun<'_>> = runs
        .iter()
        .filter(|r| !check || r.passed() != Some(true))
        .map(|r| JsonRun {
            id: r.name(),
            decision: r.decision.outcome.as_str(),
            expected: r.expected.map(|e| e.as_str()),
            passed: r.passed(),
            reason: &r.decision.reason,
            deciding: r
                .decision
                .deciding
                .iter()
                .map(|s| {
                    let pos = index.position(text, s.span.start);
                    JsonStatement {
                        policy: s.source.to_string(),
                        statement_index: s.statement_index,
                        sid: s.sid.clone(),
                        line: pos.line,
                        column: pos.column,
                    }
                })
                .collect(),
            findings: r
                .findings
                .iter()
                .map(|f| {
                    let pos = index.position(text, f.finding.span.start);
                    JsonFinding {
                        code: f.finding.code,
                        severity: f.finding.severity.as_str(),
                        message: &f.finding.message,
                        line: pos.line,
                        column: pos.column,
                    }
                })
                .collect(),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &items).map_err(std::io::Error::other)?;
    writeln!(out)
}
