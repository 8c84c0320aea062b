//! The `/` filter: fuzzy by default (nucleo, the Helix editor's matcher), `!text` inverts it
//! (rows that do not match). Every cell of a row is searched, so a path or an ARN matches too.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::app::model::table::Row;

/// The text a row is searched by: its cells except dates, counts and ages, whose digits would
/// make almost any short pattern match fuzzily.
fn searchable(row: &Row) -> String {
    row.cells
        .iter()
        .filter(|c| !is_figure(c))
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `2026-11-30`, `42`, `120d`, `1h`, `-`, `…`.
fn is_figure(cell: &str) -> bool {
    let c = cell.trim_end_matches(['d', 'h']);
    !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit() || ch == '-')
        || cell == "…"
        || cell.is_empty()
}

/// A parsed filter.
pub struct Filter {
    pattern: Option<Pattern>,
    inverted: bool,
}

impl Filter {
    pub fn new(text: &str) -> Self {
        let (inverted, text) = match text.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let text = text.trim();
        Self {
            pattern: (!text.is_empty())
                .then(|| Pattern::parse(text, CaseMatching::Smart, Normalization::Smart)),
            inverted,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pattern.is_none()
    }

    /// The positions of the rows that pass: best match first for a plain filter (ties keep
    /// their order), in the order given when inverted or when `keep_order` (a sorted column
    /// wins over match quality).
    pub fn matching(&self, rows: &[Row], keep_order: bool) -> Vec<usize> {
        let Some(pattern) = &self.pattern else {
            return (0..rows.len()).collect();
        };
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize)> = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let text = searchable(row);
            let score = pattern.score(Utf32Str::new(&text, &mut buf), &mut matcher);
            match (score, self.inverted) {
                (Some(s), false) => scored.push((s, i)),
                (None, true) => scored.push((0, i)),
                _ => {}
            }
        }
        if !self.inverted && !keep_order {
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        scored.into_iter().map(|(_, i)| i).collect()
    }

    /// The rows that pass, best match first for a plain filter (ties keep their order); an
    /// inverted filter keeps the order it was given.
    pub fn apply(&self, rows: Vec<Row>) -> Vec<Row> {
        let Some(pattern) = &self.pattern else {
            return rows;
        };
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize, Row)> = Vec::with_capacity(rows.len());
        for (i, row) in rows.into_iter().enumerate() {
            let text = searchable(&row);
            let score = pattern.score(Utf32Str::new(&text, &mut buf), &mut matcher);
            match (score, self.inverted) {
                (Some(s), false) => scored.push((s, i, row)),
                (None, true) => scored.push((0, i, row)),
                _ => {}
            }
        }
        if !self.inverted {
            scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        scored.into_iter().map(|(_, _, r)| r).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::model::table::Mark;

    fn row(name: &str, path: &str) -> Row {
        Row {
            target: None,
            arn: None,
            cells: vec![name.into(), path.into()],
            numbers: vec![None, None],
            mark: Mark::Normal,
            json: None,
            access_key: None,
        }
    }

    fn names(rows: &[Row]) -> Vec<&str> {
        rows.iter().map(|r| r.cells[0].as_str()).collect()
    }

    #[test]
    fn fuzzy_inverted_and_empty() {
        let rows = vec![
            row("alice", "/eng/"),
            row("bob", "/ops/"),
            row("AdminRole", "/admin/"),
            row("carol", "/admin/"),
        ];
        assert_eq!(
            names(&Filter::new("adm").apply(rows.clone())),
            ["AdminRole", "carol"]
        );
        assert_eq!(names(&Filter::new("alc").apply(rows.clone())), ["alice"]);
        assert_eq!(
            names(&Filter::new("!admin").apply(rows.clone())),
            ["alice", "bob"]
        );
        assert_eq!(Filter::new("").apply(rows.clone()).len(), 4);
        assert_eq!(Filter::new("!").apply(rows.clone()).len(), 4);
        assert!(Filter::new("zzz").apply(rows).is_empty());
        // Dates and counts are not searched: `ec2` does not match a date's digits.
        let mut dated = row("ecs-task-role", "/");
        dated.cells.push("2026-12-01".into());
        dated.cells.push("12d".into());
        assert!(Filter::new("ec2").apply(vec![dated.clone()]).is_empty());
        assert_eq!(Filter::new("ecs").apply(vec![dated]).len(), 1);
    }
}
