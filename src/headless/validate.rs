//! `iamtui validate`: findings printed like a compiler's, or as JSON for pipelines.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use crate::app::editor::analysis::counts;
use crate::policy::Finding;
use crate::policy::finding::plural_noun;
use crate::policy::json::{LineIndex, Position};
use crate::policy::validate::{Options, PolicyType, Report, validate};
use crate::ui::thousands;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ValidateArgs {
    /// Where the policy is used: it decides which elements are required
    #[arg(long = "type", value_enum, default_value = "identity")]
    pub policy_type: PolicyType,
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

/// `--type` takes the policy types by their names.
impl clap::ValueEnum for PolicyType {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
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

/// Findings of one code printed in full per file; the others are counted in one line, so that
/// the output stays proportional to the input. `--format json` lists every finding.
const SHOWN_PER_CODE: usize = 10;

/// Lines up to this many characters are printed whole under a finding; longer ones are cut to
/// a window of this many around the span.
const WINDOW: usize = 120;

/// Characters kept before the span when a long line is cut.
const BEFORE: usize = 40;

/// Exit codes: 0 no error-severity finding, 1 at least one, 2 a file could not be read.
pub fn run(args: &ValidateArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let mut options = Options::new(args.policy_type);
    options.size_limit = args.limit;
    let mut out = BufWriter::new(out);
    let mut status = Status::default();
    match args.format {
        Format::Human => each_file(args, &options, err, &mut status, |name, text, report| {
            let _ = write_human(&mut out, name, text, &report.findings);
        }),
        Format::Json => {
            // Streamed: the array is never held in memory. Every file is validated even when
            // the output fails, so that the exit status stays right.
            let mut json = serde_json::Serializer::pretty(&mut out);
            let mut seq = json.serialize_seq(None).ok();
            each_file(args, &options, err, &mut status, |name, text, report| {
                let Some(seq) = seq.as_mut() else { return };
                let index = LineIndex::new(text);
                for f in &report.findings {
                    let _ = seq.serialize_element(&json_finding(name, text, &index, f));
                }
            });
            if let Some(seq) = seq {
                let _ = SerializeSeq::end(seq);
            }
            let _ = writeln!(out);
        }
    }
    let _ = out.flush();
    if status.io_failed {
        2
    } else {
        i32::from(status.any_error)
    }
}

#[derive(Default)]
struct Status {
    any_error: bool,
    io_failed: bool,
}

/// Reads and validates each file in turn, handing the report to `show`.
fn each_file(
    args: &ValidateArgs,
    options: &Options,
    err: &mut dyn Write,
    status: &mut Status,
    mut show: impl FnMut(&str, &str, &Report),
) {
    for path in &args.files {
        let Some((name, text)) = super::read_input(path, err) else {
            status.io_failed = true;
            continue;
        };
        let report = validate(&text, options);
        status.any_error |= report.has_errors();
        show(&name, &text, &report);
    }
}

fn json_finding<'a>(
    name: &'a str,
    text: &str,
    index: &LineIndex,
    f: &'a Finding,
) -> JsonFinding<'a> {
    let start = index.position(text, f.span.start);
    let end = index.position(text, f.span.end);
    JsonFinding {
        file: name,
        code: f.code,
        severity: f.severity.as_str(),
        message: &f.message,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

/// One file's findings: the first few of each code in full, a count of the rest, and a summary.
fn write_human(
    out: &mut dyn Write,
    name: &str,
    text: &str,
    findings: &[Finding],
) -> std::io::Result<()> {
    let index = LineIndex::new(text);
    let mut shown: HashMap<&str, usize> = HashMap::new();
    // Codes with findings not shown, in the order they first overflowed, with their counts.
    let mut hidden: Vec<(&Finding, usize)> = Vec::new();
    for f in findings {
        let n = shown.entry(f.code).or_default();
        if *n < SHOWN_PER_CODE {
            *n += 1;
            write_finding(out, name, text, &index, f)?;
        } else if let Some((_, count)) = hidden.iter_mut().find(|(h, _)| h.code == f.code) {
            *count += 1;
        } else {
            hidden.push((f, 1));
        }
    }
    for (f, count) in hidden {
        let kind =
            plural_noun(f.code).map_or_else(|| format!("`{}` findings", f.code), String::from);
        writeln!(
            out,
            "{name}: and {} more {kind} ({}[{}])",
            thousands(count),
            f.severity,
            f.code
        )?;
    }
    if findings.is_empty() {
        writeln!(out, "{name}: no findings")
    } else {
        let count = |s| findings.iter().filter(|f| f.severity == s).count();
        writeln!(out, "{name}: {}", counts(count, thousands))
    }
}

/// `file:line:col: severity[code]: message`, the source line (or a window of it), and a caret
/// under the span.
fn write_finding(
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
    let excerpt = if line.chars().take(WINDOW + 1).count() <= WINDOW {
        Excerpt::whole(line, start, end)
    } else {
        // Byte offsets in the line, on character boundaries; a span that ends on a later line
        // runs to the end of this one.
        let line_start = index.line_start(text, start.line);
        let at = |offset: usize| {
            text.floor_char_boundary(offset.min(text.len()))
                .saturating_sub(line_start)
                .min(line.len())
        };
        let from = at(f.span.start);
        let to = if end.line == start.line {
            at(f.span.end).max(from)
        } else {
            line.len()
        };
        Excerpt::window(line, from, to)
    };
    let gutter = start.line.to_string();
    let pad = " ".repeat(gutter.len());
    writeln!(out, "{pad} |")?;
    writeln!(out, "{gutter} | {}", excerpt.text)?;
    writeln!(
        out,
        "{pad} | {}{}",
        " ".repeat(excerpt.caret_at),
        "^".repeat(excerpt.caret_width)
    )?;
    Ok(())
}

/// The source shown under a finding, and where the caret goes in it (in characters).
#[derive(Debug, PartialEq, Eq)]
struct Excerpt {
    text: String,
    caret_at: usize,
    caret_width: usize,
}

/// Tabs would misalign the caret; they are shown as single spaces.
fn untab(text: &str) -> String {
    text.replace('\t', " ")
}

impl Excerpt {
    /// A short line, whole.
    fn whole(line: &str, start: Position, end: Position) -> Self {
        let caret_width = if end.line == start.line {
            end.column.saturating_sub(start.column).max(1)
        } else {
            line.chars().count().saturating_sub(start.column - 1).max(1)
        };
        Self {
            text: untab(line),
            caret_at: start.column - 1,
            caret_width,
        }
    }

    /// A window of `WINDOW` characters of a long line around the span `from..to` (byte offsets
    /// on character boundaries): up to `BEFORE` characters before it (more when the line ends
    /// soon after), the span and what follows; `…` marks each side that was cut. The work is
    /// proportional to the window, not to the line.
    fn window(line: &str, from: usize, to: usize) -> Self {
        let mut left = from;
        let mut before = 0;
        for (i, _) in line[..from].char_indices().rev().take(BEFORE) {
            left = i;
            before += 1;
        }
        let mut right = from;
        let mut after = 0;
        for (i, c) in line[from..].char_indices().take(WINDOW - before) {
            right = from + i + c.len_utf8();
            after += 1;
        }
        if right == line.len() {
            for (i, _) in line[..left]
                .char_indices()
                .rev()
                .take(WINDOW - before - after)
            {
                left = i;
                before += 1;
            }
        }
        let cut_left = left > 0;
        let cut_right = right < line.len();
        let caret_width = line[from..to.min(right)].chars().count().max(1);
        Self {
            text: format!(
                "{}{}{}",
                if cut_left { "…" } else { "" },
                untab(&line[left..right]),
                if cut_right { "…" } else { "" }
            ),
            caret_at: before + usize::from(cut_left),
            caret_width,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The excerpt with the caret drawn under it, for readable assertions.
    fn drawn(e: &Excerpt) -> String {
        format!(
            "{}\n{}{}",
            e.text,
            " ".repeat(e.caret_at),
            "^".repeat(e.caret_width)
        )
    }

    #[test]
    fn a_window_keeps_the_caret_under_the_span() {
        let line = format!("{}[\"X\"]{}", "a".repeat(500), "b".repeat(500));
        let from = line.find('"').unwrap();
        let e = Excerpt::window(&line, from, from + 3);
        assert_eq!(e.text.chars().count(), WINDOW + 2);
        assert!(
            e.text.starts_with('…') && e.text.ends_with('…'),
            "{}",
            e.text
        );
        let drawn = drawn(&e);
        let (text, caret) = drawn.split_once('\n').unwrap();
        let under: String = text
            .chars()
            .skip(caret.find('^').unwrap())
            .take(3)
            .collect();
        assert_eq!(under, "\"X\"");
        assert_eq!(caret.trim_start(), "^^^");
    }

    #[test]
    fn a_window_never_splits_a_character() {
        // Multi-byte characters everywhere: slicing off a boundary would panic.
        let line = "é€𝄞".repeat(200);
        for from in (0..line.len())
            .filter(|&i| line.is_char_boundary(i))
            .step_by(7)
        {
            let to = line.ceil_char_boundary(from + 5);
            let e = Excerpt::window(&line, from, to);
            assert!(e.text.chars().count() <= WINDOW + 2);
            assert!(e.caret_at + e.caret_width <= e.text.chars().count() + 1);
        }
    }

    #[test]
    fn a_window_near_an_end_shows_more_of_the_other_side() {
        let line = format!("{}END", "x".repeat(300));
        let from = line.len() - 3;
        let e = Excerpt::window(&line, from, line.len());
        assert_eq!(e.text, format!("…{}END", "x".repeat(WINDOW - 3)));
        assert_eq!((e.caret_at, e.caret_width), (WINDOW - 2, 3));
        // A span past the last character (the end of the input).
        let e = Excerpt::window(&line, line.len(), line.len());
        assert_eq!(e.caret_at, WINDOW + 1);
        assert_eq!(e.caret_width, 1);
        let e = Excerpt::window(&line, 0, 1);
        assert_eq!(e.text, format!("{}…", "x".repeat(WINDOW)));
        assert_eq!((e.caret_at, e.caret_width), (0, 1));
    }

    #[test]
    fn a_wide_span_is_underlined_to_the_edge_of_the_window() {
        let line = "y".repeat(1_000);
        let e = Excerpt::window(&line, 100, 900);
        assert_eq!(e.caret_at, BEFORE + 1);
        assert_eq!(e.caret_width, WINDOW - BEFORE);
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(9_990), "9,990");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
