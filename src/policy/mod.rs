//! The embedded policy engine: parse with spans, validate, evaluate.
//!
//! Pure: no terminal, runtime or SDK dependency, so it can be tested, fuzzed and benchmarked on
//! its own. Text goes in; an AST, findings and decisions come out, each with spans into the text.

/// Declares a fieldless enum whose variants have a spelling (the identifier, or the string after
/// `=`), with `ALL` (every variant in order), `$name()` giving the spelling and `$parse()` its
/// exact inverse; with `Display` after them, the spelling is also what it displays as.
macro_rules! spelled_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $ty:ident ($name:ident, $parse:ident $(, $display:ident)?) {
            $($(#[$vmeta:meta])* $variant:ident $(= $spelling:literal)?,)*
        }
    ) => {
        $(#[$meta])*
        $vis enum $ty {
            $($(#[$vmeta])* $variant,)*
        }

        impl $ty {
            pub const ALL: [Self; [$(stringify!($variant)),*].len()] = [$(Self::$variant),*];

            /// The variant's spelling.
            pub fn $name(self) -> &'static str {
                match self {
                    $(Self::$variant => $crate::policy::spelled_enum!(@spelling $variant $($spelling)?),)*
                }
            }

            /// The variant spelled exactly `s`.
            pub fn $parse(s: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|v| v.$name() == s)
            }
        }

        $($crate::policy::spelled_enum!(@$display $ty $name);)?
    };
    (@Display $ty:ident $name:ident) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.$name())
            }
        }
    };
    (@spelling $variant:ident) => {
        stringify!($variant)
    };
    (@spelling $variant:ident $spelling:literal) => {
        $spelling
    };
}
pub(crate) use spelled_enum;

pub mod ast;
pub mod case;
pub mod catalog;
pub mod complete;
pub mod eval;
pub mod finding;
pub mod format;
pub mod json;
pub mod lower;
pub mod operator;
mod redundancy;
pub mod templates;
pub mod trust;
pub mod validate;

pub use ast::Policy;
pub use finding::{Finding, Severity};
pub use lower::{Parsed, parse_policy};
