//! The two implementations of [`crate::iam::Backend`] and what they share.

pub mod audited;
pub mod aws;
pub mod local;
pub mod read_only;

pub use read_only::ReadOnly;

use std::borrow::Cow;

/// IAM returns policy documents URL-encoded (RFC 3986) from most calls; some IAM-compatible
/// endpoints return them raw. A JSON document always starts with `{` once whitespace is
/// trimmed and an encoded one never does (`{` encodes as `%7B`), so decode exactly when needed.
pub fn decode_policy_document(text: &str) -> Cow<'_, str> {
    if text.trim_start().starts_with('{') {
        Cow::Borrowed(text)
    } else {
        percent_encoding::percent_decode_str(text).decode_utf8_lossy()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_encoded_documents_once() {
        let raw = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::a%b"}]}"#;
        assert_eq!(decode_policy_document(raw), raw);
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%7D";
        assert_eq!(
            decode_policy_document(encoded),
            r#"{"Version":"2012-10-17"}"#
        );
        // A raw document containing a literal percent sign is left alone (decoding twice
        // would corrupt it).
        assert!(decode_policy_document(raw).contains("a%b"));
        assert_eq!(decode_policy_document("  \n{}"), "  \n{}");
    }
}
