//! The request context: condition keys and their values. Key names are case-insensitive
//! (`aws:SourceIp` is `AWS:sourceip`); values are kept as text, as IAM compares them.
//!
//! A key is single-valued (a string) or multivalued (a list). The difference matters: a
//! multivalued key cannot be used as a policy variable, and only multivalued keys give
//! `ForAllValues`/`ForAnyValue` more than one value to test.

use std::fmt;

use crate::policy::json::{Kind, Span, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    Single(String),
    Multi(Vec<String>),
}

impl ContextValue {
    /// The values as a slice (one for a single value).
    pub fn values(&self) -> &[String] {
        match self {
            ContextValue::Single(s) => std::slice::from_ref(s),
            ContextValue::Multi(v) => v,
        }
    }
    pub fn is_multi(&self) -> bool {
        matches!(self, ContextValue::Multi(_))
    }
    /// The single value, `None` for a multivalued key.
    pub fn as_single(&self) -> Option<&str> {
        match self {
            ContextValue::Single(s) => Some(s),
            ContextValue::Multi(_) => None,
        }
    }
}

impl From<&str> for ContextValue {
    fn from(s: &str) -> Self {
        ContextValue::Single(s.to_string())
    }
}
impl From<String> for ContextValue {
    fn from(s: String) -> Self {
        ContextValue::Single(s)
    }
}
impl<S: Into<String>> From<Vec<S>> for ContextValue {
    fn from(v: Vec<S>) -> Self {
        ContextValue::Multi(v.into_iter().map(Into::into).collect())
    }
}

/// Condition keys of one request. Lookups ignore ASCII case; setting a key again (in any case)
/// replaces its value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    entries: Vec<(String, ContextValue)>,
}

/// A context object that is not of the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextError {
    pub message: String,
    pub span: Span,
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ContextError {}

impl Context {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builder form of [`Context::insert`].
    pub fn with(mut self, key: impl Into<String>, value: impl Into<ContextValue>) -> Self {
        self.insert(key, value);
        self
    }

    /// Builder for a multivalued key.
    pub fn with_multi<S: Into<String>>(
        mut self,
        key: impl Into<String>,
        values: impl IntoIterator<Item = S>,
    ) -> Self {
        self.insert(
            key,
            ContextValue::Multi(values.into_iter().map(Into::into).collect()),
        );
        self
    }

    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<ContextValue>) {
        let key = key.into();
        let value = value.into();
        match self
            .entries
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case(&key))
        {
            Some(slot) => *slot = (key, value),
            None => self.entries.push((key, value)),
        }
    }

    /// The value of a key, ignoring case.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        self.entries
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Keys and values in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Reads a JSON object whose values are strings or arrays of strings. Numbers and booleans
    /// are taken as their text (`"aws:MultiFactorAuthAge": 60` is `"60"`).
    pub fn from_json(value: &Value) -> Result<Context, ContextError> {
        let Some(entries) = value.as_object() else {
            return Err(ContextError {
                message: format!("the context must be an object, not {}", value.type_name()),
                span: value.span,
            });
        };
        let mut ctx = Context {
            entries: Vec::with_capacity(entries.len()),
        };
        for (key, v) in entries {
            let cv = match &v.kind {
                Kind::Array(items) => ContextValue::Multi(
                    items
                        .iter()
                        .map(|item| scalar_text(item, &key.text))
                        .collect::<Result<_, _>>()?,
                ),
                _ => ContextValue::Single(scalar_text(v, &key.text)?),
            };
            ctx.insert(key.text.clone(), cv);
        }
        Ok(ctx)
    }
}

fn scalar_text(v: &Value, key: &str) -> Result<String, ContextError> {
    match &v.kind {
        Kind::String(s) => Ok(s.clone()),
        Kind::Number(n) => Ok(n.clone()),
        Kind::Bool(b) => Ok(b.to_string()),
        _ => Err(ContextError {
            message: format!(
                "context key `{key}` must be a string, number, boolean or an array of them, not {}",
                v.type_name()
            ),
            span: v.span,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::json;

    #[test]
    fn keys_are_case_insensitive() {
        let ctx = Context::new()
            .with("aws:SourceIp", "10.1.2.3")
            .with_multi("aws:TagKeys", ["a", "b"]);
        assert_eq!(
            ctx.get("AWS:sourceip").unwrap().as_single(),
            Some("10.1.2.3")
        );
        assert_eq!(ctx.get("aws:tagkeys").unwrap().values(), ["a", "b"]);
        assert!(ctx.get("aws:tagkeys").unwrap().is_multi());
        assert!(ctx.get("aws:username").is_none());
        let ctx = ctx.with("AWS:SOURCEIP", "10.9.9.9");
        assert_eq!(ctx.len(), 2, "setting a key again replaces it");
        assert_eq!(
            ctx.get("aws:SourceIp").unwrap().as_single(),
            Some("10.9.9.9")
        );
    }

    #[test]
    fn from_json_object() {
        let v = json::parse(
            r#"{"aws:SourceIp": "10.1.2.3", "aws:TagKeys": ["a", "b"], "aws:MultiFactorAuthAge": 60,
                "aws:SecureTransport": true, "aws:CalledVia": []}"#,
        )
        .unwrap();
        let ctx = Context::from_json(&v).unwrap();
        assert_eq!(
            ctx.get("aws:multifactorauthage").unwrap().as_single(),
            Some("60")
        );
        assert_eq!(
            ctx.get("aws:securetransport").unwrap().as_single(),
            Some("true")
        );
        assert_eq!(ctx.get("aws:calledvia").unwrap().values().len(), 0);
        let bad = json::parse(r#"{"k": null}"#).unwrap();
        let err = Context::from_json(&bad).unwrap_err();
        assert!(err.message.contains("`k`"), "{}", err.message);
        assert_eq!(err.span, Span::new(6, 10));
        assert!(Context::from_json(&json::parse("[]").unwrap()).is_err());
        assert!(Context::from_json(&json::parse(r#"{"k": [{}]}"#).unwrap()).is_err());
    }
}
