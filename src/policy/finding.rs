//! Findings: what the validator (and the parser) report, with a stable code, a severity in
//! IAM Access Analyzer's four categories, a message for people and the span it is about.

use super::json::Span;

spelled_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Severity (as_str, parse, Display) {
        Error = "error",
        SecurityWarning = "security-warning",
        Warning = "warning",
        Suggestion = "suggestion",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable kebab-case identifier, e.g. `unknown-action`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
}

impl Finding {
    pub fn new(
        code: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Self {
            code,
            severity,
            message: message.into(),
            span,
        }
    }
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, span, message)
    }
    pub fn security(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Severity::SecurityWarning, span, message)
    }
    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, span, message)
    }
    pub fn suggestion(code: &'static str, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Suggestion, span, message)
    }
}

/// The closest candidate by edit distance, for "did you mean" hints; `None` when nothing is
/// close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let length = lower.chars().count();
    let limit = (length / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        // The distance is at least the difference in length: a candidate that differs by more
        // than the limit cannot be the answer, and a long word costs nothing to rule out.
        if c.chars().count().abs_diff(length) > limit {
            continue;
        }
        let d = edit_distance(&lower, &c.to_ascii_lowercase());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

/// `; did you mean `x`?` for the candidate [`did_you_mean`] finds, or nothing.
pub fn hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(word, candidates)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

/// Characters of someone else's text a message quotes: a finding's message may quote its own
/// span in full, but text from elsewhere (another statement's Sid) only this much.
pub const QUOTED_CHARS: usize = 64;

/// `text` cut to `max` characters, with `…` where it was cut.
pub fn shorten(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some((end, _)) => format!("{}…", &text[..end]).into(),
    }
}

/// What findings of a code are, in the plural, for "and 9,990 more duplicate keys".
pub fn plural_noun(code: &str) -> Option<&'static str> {
    Some(match code {
        "json-syntax" => "JSON syntax errors",
        "root-not-object" => "documents that are not objects",
        "duplicate-key" => "duplicate keys",
        "unknown-top-level-key" => "unknown top-level keys",
        "unknown-statement-key" => "unknown statement keys",
        "invalid-element-type" => "elements of the wrong type",
        "missing-statement" => "missing statements",
        "unknown-version" => "unknown versions",
        "missing-effect" => "statements without an Effect",
        "invalid-effect" => "invalid effects",
        "missing-action" => "statements without an Action",
        "missing-resource" => "statements without a Resource",
        "missing-principal" => "statements without a Principal",
        "action-and-notaction" => "statements with both Action and NotAction",
        "resource-and-notresource" => "statements with both Resource and NotResource",
        "principal-and-notprincipal" => "statements with both Principal and NotPrincipal",
        "principal-not-allowed" => "principals this policy type cannot have",
        "resource-not-allowed" => "resources this policy type cannot have",
        "empty-principal" => "empty principals",
        "unknown-principal-type" => "unknown principal types",
        "invalid-principal" => "invalid principals",
        "wildcard-in-principal" => "wildcards in principal ARNs",
        "invalid-trust-action" => "actions a trust policy cannot allow",
        "malformed-action" => "malformed actions",
        "unknown-service" => "unknown services",
        "unknown-action" => "unknown actions",
        "malformed-arn" => "malformed ARNs",
        "unknown-condition-operator" => "unknown condition operators",
        "invalid-condition-value" => "invalid condition values",
        "variable-in-old-version" => "policy variables in a 2008-10-17 policy",
        "invalid-sid" => "invalid Sids",
        "duplicate-sid" => "duplicate Sids",
        "policy-too-large" => "size limits exceeded",
        "allow-with-not-action" => "Allow statements with NotAction",
        "allow-with-not-resource" => "Allow statements with NotResource",
        "allow-with-not-principal" => "Allow statements with NotPrincipal",
        "pass-role-all-resources" => "iam:PassRole grants on every resource",
        "allow-all-actions-all-resources" => "grants of every action on every resource",
        "trust-any-principal" => "trusts of every principal",
        "public-access" => "grants to everyone",
        "missing-version" => "missing versions",
        "unknown-global-condition-key" => "unknown global condition keys",
        "unknown-condition-key" => "unknown condition keys",
        "condition-key-not-supported" => "condition keys no action supports",
        "resource-service-mismatch" => "resources of a service the actions do not use",
        "empty-array" => "empty arrays",
        "missing-set-operator" => "conditions without a set operator",
        "set-operator-on-single-valued-key" => "set operators on single-valued keys",
        "undocumented-service" => "undocumented services",
        "undocumented-action" => "undocumented actions",
        "old-version" => "old versions",
        "redundant-statement" => "redundant statements",
        "duplicate-action" => "duplicate actions",
        _ => return None,
    })
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let c = ["Effect", "Action", "Resource", "Condition"];
        assert_eq!(did_you_mean("Efect", c), Some("Effect"));
        assert_eq!(did_you_mean("resource", c), Some("Resource"));
        assert_eq!(did_you_mean("Banana", c), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn a_long_word_is_ruled_out_without_comparing() {
        let long = "Effect".repeat(100_000);
        assert_eq!(did_you_mean(&long, ["Effect", "Action"]), None);
        // The same answers as comparing every candidate.
        let compare_all = |word: &str, candidates: &[&'static str]| {
            let limit = (word.chars().count() / 3).max(1);
            candidates
                .iter()
                .map(|c| {
                    (
                        edit_distance(&word.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                        *c,
                    )
                })
                .fold(None::<(usize, &str)>, |best, (d, c)| match best {
                    Some((bd, _)) if bd <= d => best,
                    _ => Some((d, c)),
                })
                .filter(|(d, _)| *d <= limit)
                .map(|(_, c)| c)
        };
        let candidates = [
            "Effect",
            "Efect",
            "Action",
            "NotAction",
            "Sid",
            "Id",
            "Resource",
        ];
        for word in [
            "Efect", "effects", "Actions", "Acton", "Sd", "ID", "Resorce", "x", "NotActin",
        ] {
            assert_eq!(
                did_you_mean(word, candidates),
                compare_all(word, &candidates),
                "{word}"
            );
        }
    }

    #[test]
    fn shorten_cuts_whole_characters() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("éééé", 2), "éé…");
        assert_eq!(shorten("", 0), "");
    }
}
