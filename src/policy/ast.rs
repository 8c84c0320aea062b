//! The policy document as IAM reads it, with a span on every element so that findings and
//! deciding statements can point into the text.

use super::json::Span;
use super::operator::Operator;

#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

/// The policy language versions IAM knows. A missing or unknown Version is read as 2008-10-17
/// (no policy variables).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V2012_10_17,
    V2008_10_17,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Policy {
    /// The Version value as written.
    pub version: Option<Spanned<String>>,
    pub id: Option<Spanned<String>>,
    pub statements: Vec<Statement>,
    /// Span of the `Statement` value (object or array).
    pub statement_span: Option<Span>,
    /// Span of the `Statement` key.
    pub statement_key_span: Option<Span>,
    pub span: Span,
}

impl Policy {
    pub fn effective_version(&self) -> Version {
        match self.version.as_ref().map(|v| v.value.as_str()) {
            Some("2012-10-17") => Version::V2012_10_17,
            _ => Version::V2008_10_17,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Statement {
    /// Position in the Statement array (0 for a lone statement object).
    pub index: usize,
    pub sid: Option<Spanned<String>>,
    /// `None` when missing or not Allow/Deny (the lowering reports it).
    pub effect: Option<Spanned<Effect>>,
    pub principal: Option<PrincipalClause>,
    pub action: Option<ListClause>,
    pub resource: Option<ListClause>,
    pub condition: Option<ConditionBlock>,
    pub span: Span,
}

impl Statement {
    pub fn is_allow(&self) -> bool {
        matches!(
            self.effect,
            Some(Spanned {
                value: Effect::Allow,
                ..
            })
        )
    }
    pub fn is_deny(&self) -> bool {
        matches!(
            self.effect,
            Some(Spanned {
                value: Effect::Deny,
                ..
            })
        )
    }
}

/// Action/NotAction or Resource/NotResource: a string or an array of strings.
#[derive(Debug, Clone, PartialEq)]
pub struct ListClause {
    /// `NotAction` / `NotResource`.
    pub negated: bool,
    pub items: Vec<Spanned<String>>,
    /// True when written as an array (an empty array is worth a finding).
    pub is_array: bool,
    pub key_span: Span,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalClause {
    /// `NotPrincipal`.
    pub negated: bool,
    pub value: PrincipalValue,
    pub key_span: Span,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PrincipalValue {
    /// `"Principal": "*"`: everyone, authenticated or anonymous.
    Any,
    Map(Vec<PrincipalEntry>),
}

spelled_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum PrincipalType (name, from_name) {
        Aws = "AWS",
        Service,
        Federated,
        CanonicalUser,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalEntry {
    pub kind: PrincipalType,
    pub kind_span: Span,
    pub values: Vec<Spanned<String>>,
    pub is_array: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConditionBlock {
    pub clauses: Vec<ConditionClause>,
    pub key_span: Span,
    pub span: Span,
}

/// One `operator -> key -> values` triple. Values are kept as text, as IAM compares them.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionClause {
    /// `None` when the operator name is unknown (the validator reports it).
    pub operator: Option<Operator>,
    pub operator_name: Spanned<String>,
    pub key: Spanned<String>,
    pub values: Vec<ConditionValue>,
    pub is_array: bool,
    pub values_span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    String,
    Number,
    Bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConditionValue {
    pub text: String,
    /// The JSON type it was written with.
    pub written_as: ValueType,
    pub span: Span,
}
