//! A line diff of two texts (the editor's save diff, the comparison of two policy versions).

use similar::{ChangeTag, TextDiff};

/// A line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    /// `+`, `-` or ` `; `…` between groups of changes.
    pub sign: char,
    pub text: String,
}

/// The lines that differ, with three lines of context around each change.
pub fn diff(before: &str, after: &str) -> Vec<DiffLine> {
    let d = TextDiff::from_lines(before, after);
    let mut out = Vec::new();
    for (i, group) in d.grouped_ops(3).iter().enumerate() {
        if i > 0 {
            out.push(DiffLine {
                sign: '…',
                text: String::new(),
            });
        }
        for op in group {
            for change in d.iter_changes(op) {
                let sign = match change.tag() {
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                    ChangeTag::Equal => ' ',
                };
                out.push(DiffLine {
                    sign,
                    text: change.value().trim_end_matches(['\n', '\r']).to_string(),
                });
            }
        }
    }
    out
}
