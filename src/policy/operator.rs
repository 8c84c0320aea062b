//! Condition operators as IAM names them: a base operator, an optional `...IfExists` suffix and
//! an optional `ForAllValues:` / `ForAnyValue:` set qualifier.

use std::fmt;

spelled_enum! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum BaseOperator (name, from_name) {
        StringEquals,
        StringNotEquals,
        StringEqualsIgnoreCase,
        StringNotEqualsIgnoreCase,
        StringLike,
        StringNotLike,
        NumericEquals,
        NumericNotEquals,
        NumericLessThan,
        NumericLessThanEquals,
        NumericGreaterThan,
        NumericGreaterThanEquals,
        DateEquals,
        DateNotEquals,
        DateLessThan,
        DateLessThanEquals,
        DateGreaterThan,
        DateGreaterThanEquals,
        Bool,
        BinaryEquals,
        IpAddress,
        NotIpAddress,
        ArnEquals,
        ArnLike,
        ArnNotEquals,
        ArnNotLike,
        Null,
    }
}

/// What kind of value an operator compares, for type checks and completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperandType {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

impl BaseOperator {
    /// Negated operators are true when the key is absent and when no value matches.
    pub fn is_negated(self) -> bool {
        matches!(
            self,
            Self::StringNotEquals
                | Self::StringNotEqualsIgnoreCase
                | Self::StringNotLike
                | Self::NumericNotEquals
                | Self::DateNotEquals
                | Self::NotIpAddress
                | Self::ArnNotEquals
                | Self::ArnNotLike
        )
    }

    /// The positive operator a negated one inverts (identity for positive ones).
    pub fn positive(self) -> Self {
        match self {
            Self::StringNotEquals => Self::StringEquals,
            Self::StringNotEqualsIgnoreCase => Self::StringEqualsIgnoreCase,
            Self::StringNotLike => Self::StringLike,
            Self::NumericNotEquals => Self::NumericEquals,
            Self::DateNotEquals => Self::DateEquals,
            Self::NotIpAddress => Self::IpAddress,
            Self::ArnNotEquals => Self::ArnEquals,
            Self::ArnNotLike => Self::ArnLike,
            other => other,
        }
    }

    pub fn operand_type(self) -> OperandType {
        use BaseOperator::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => OperandType::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => OperandType::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => OperandType::Date,
            Bool => OperandType::Bool,
            BinaryEquals => OperandType::Binary,
            IpAddress | NotIpAddress => OperandType::Ip,
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => OperandType::Arn,
            Null => OperandType::Null,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Operator {
    pub set: Option<SetQualifier>,
    pub base: BaseOperator,
    pub if_exists: bool,
}

impl Operator {
    /// Parses an operator name exactly as IAM spells it (case-sensitive). `Null` takes no
    /// `IfExists` form.
    pub fn parse(name: &str) -> Option<Self> {
        let (set, rest) = if let Some(r) = name.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), r)
        } else if let Some(r) = name.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), r)
        } else {
            (None, name)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(b) => (BaseOperator::from_name(b)?, true),
            None => (BaseOperator::from_name(rest)?, false),
        };
        if if_exists && base == BaseOperator::Null {
            return None;
        }
        Some(Self {
            set,
            base,
            if_exists,
        })
    }

    /// Every spelling `parse` accepts, for completion and "did you mean".
    pub fn all_names() -> impl Iterator<Item = String> {
        BaseOperator::ALL.into_iter().flat_map(|b| {
            let forms: Vec<String> = if b == BaseOperator::Null {
                vec![b.name().to_string()]
            } else {
                vec![b.name().to_string(), format!("{}IfExists", b.name())]
            };
            forms.into_iter().flat_map(|f| {
                [
                    f.clone(),
                    format!("ForAllValues:{f}"),
                    format!("ForAnyValue:{f}"),
                ]
            })
        })
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.set {
            Some(SetQualifier::ForAllValues) => f.write_str("ForAllValues:")?,
            Some(SetQualifier::ForAnyValue) => f.write_str("ForAnyValue:")?,
            None => {}
        }
        f.write_str(self.base.name())?;
        if self.if_exists {
            f.write_str("IfExists")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        let op = Operator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.set, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, BaseOperator::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.to_string(), "ForAnyValue:StringLikeIfExists");
        assert!(Operator::parse("NullIfExists").is_none());
        assert!(Operator::parse("stringequals").is_none());
        assert!(Operator::parse("StringEqualsX").is_none());
        for name in Operator::all_names() {
            assert_eq!(Operator::parse(&name).unwrap().to_string(), name);
        }
        assert_eq!(Operator::all_names().count(), 26 * 6 + 3);
    }
}
