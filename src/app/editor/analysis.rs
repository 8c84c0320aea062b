//! What the engine says about the text being edited, placed on lines and columns: the
//! validator's findings (markers in the gutter, the one under the cursor) and the size against
//! IAM's limit. Recomputed on every change; a document of IAM's largest size takes well under a
//! millisecond (`cargo bench --bench policy_engine`).

use std::collections::BTreeMap;

use crate::policy::json::{LineIndex, Span};
use crate::policy::validate::{Options, PolicyType, policy_size, validate};
use crate::policy::{Finding, Policy, Severity};

/// A finding with its place in the text (0-based line and character column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub finding: Finding,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// In text order.
    pub findings: Vec<Placed>,
    /// The most severe finding that starts on each line.
    pub markers: BTreeMap<usize, Severity>,
    /// The parsed policy, when it parses (for the simulate pane).
    pub policy: Option<Policy>,
    /// Characters IAM counts (whitespace excluded).
    pub size: usize,
}

impl Analysis {
    pub fn of(text: &str, policy_type: PolicyType, limit: usize) -> Self {
        let report = validate(text, &Options::new(policy_type).with_limit(limit));
        let index = LineIndex::new(text);
        let mut findings: Vec<Placed> = report
            .findings
            .into_iter()
            .map(|f| {
                let start = index.position(text, f.span.start);
                let end = index.position(text, f.span.end.max(f.span.start));
                Placed {
                    line: start.line - 1,
                    column: start.column - 1,
                    end_line: end.line - 1,
                    finding: f,
                }
            })
            .collect();
        findings.sort_by_key(|p| (p.line, p.column, p.finding.severity));
        let mut markers = BTreeMap::new();
        for p in &findings {
            markers
                .entry(p.line)
                .and_modify(|s: &mut Severity| *s = (*s).min(p.finding.severity))
                .or_insert(p.finding.severity);
        }
        Self {
            findings,
            markers,
            policy: report.policy,
            size: policy_size(text),
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|p| p.finding.severity == severity)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// The finding to show for a cursor position: the most severe one whose lines include
    /// the cursor's, nearest to it.
    pub fn at(&self, line: usize, column: usize) -> Option<&Placed> {
        self.findings
            .iter()
            .filter(|p| p.line <= line && line <= p.end_line)
            .min_by_key(|p| {
                let distance = if p.line == line {
                    p.column.abs_diff(column)
                } else {
                    usize::MAX / 2
                };
                (p.finding.severity, distance)
            })
    }

    /// The next finding after the position (wrapping), or the previous one before it.
    pub fn step(&self, line: usize, column: usize, forward: bool) -> Option<&Placed> {
        let here = (line, column);
        if forward {
            self.findings
                .iter()
                .find(|p| (p.line, p.column) > here)
                .or(self.findings.first())
        } else {
            self.findings
                .iter()
                .rev()
                .find(|p| (p.line, p.column) < here)
                .or(self.findings.last())
        }
    }

    /// One line of counts: `2 errors, 1 warning` or `no findings`.
    pub fn summary(&self) -> String {
        let counts = counts(|s| self.count(s), |n| n.to_string());
        if counts.is_empty() {
            "no findings".into()
        } else {
            counts
        }
    }
}

/// `2 errors, 1 warning`: the findings of each severity there are, most severe first, counted
/// by `count` and the numbers written by `number`; empty when there are none.
pub fn counts(count: impl Fn(Severity) -> usize, number: impl Fn(usize) -> String) -> String {
    let parts: Vec<String> = [
        (Severity::Error, "error"),
        (Severity::SecurityWarning, "security warning"),
        (Severity::Warning, "warning"),
        (Severity::Suggestion, "suggestion"),
    ]
    .into_iter()
    .filter_map(|(s, name)| {
        let n = count(s);
        (n > 0).then(|| format!("{} {name}{}", number(n), if n == 1 { "" } else { "s" }))
    })
    .collect();
    parts.join(", ")
}

/// The 0-based lines a byte span covers.
pub fn lines_of(text: &str, span: Span) -> std::ops::RangeInclusive<usize> {
    let index = LineIndex::new(text);
    let a = index.position(text, span.start).line - 1;
    let b = index
        .position(text, span.end.saturating_sub(1).max(span.start))
        .line
        - 1;
    a..=b
}

/// The byte offset of a 0-based (line, character column) position.
pub fn offset(lines: &[String], line: usize, column: usize) -> usize {
    let before: usize = lines.iter().take(line).map(|l| l.len() + 1).sum();
    let within = lines.get(line).map_or(0, |l| {
        l.char_indices().nth(column).map_or(l.len(), |(i, _)| i)
    });
    before + within
}

/// The 0-based (line, character column) of a byte offset.
pub fn position(lines: &[String], offset: usize) -> (usize, usize) {
    let mut left = offset;
    for (i, l) in lines.iter().enumerate() {
        if left <= l.len() {
            let col = l[..l.floor_char_boundary(left)].chars().count();
            return (i, col);
        }
        left -= l.len() + 1;
    }
    let last = lines.len().saturating_sub(1);
    (last, lines.last().map_or(0, |l| l.chars().count()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_placed_and_markers_keep_the_most_severe() {
        let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\",\n    \"Action\": \"s3:GetObjekt\", \"Resource\": \"*\"}]\n}";
        let a = Analysis::of(text, PolicyType::Identity, 6144);
        let unknown = a
            .findings
            .iter()
            .find(|p| p.finding.code == "unknown-action")
            .expect("unknown action found");
        assert_eq!(unknown.line, 3);
        assert_eq!(a.markers.get(&3), Some(&Severity::Error));
        assert!(a.has_errors());
        assert_eq!(a.at(3, 0).unwrap().finding.code, "unknown-action");
        assert_eq!(
            a.step(0, 0, true).unwrap().line,
            unknown.line.min(a.findings[0].line)
        );
        assert!(a.summary().contains("1 error"), "{}", a.summary());
    }

    #[test]
    fn offsets_and_positions_round_trip_with_multibyte_text() {
        let lines: Vec<String> = vec!["{\"Sid\": \"é✓\",".into(), "  \"x\"".into()];
        for (l, c) in [(0, 0), (0, 9), (0, 12), (1, 0), (1, 5)] {
            let o = offset(&lines, l, c);
            assert_eq!(position(&lines, o), (l, c));
        }
    }
}
