//! The embedded policy engine: parse with spans, validate, evaluate.
//!
//! Pure: no terminal, runtime or SDK dependency, so it can be tested, fuzzed and benchmarked on
//! its own. Text goes in; an AST, findings and decisions come out, each with spans into the text.

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
pub mod validate;

pub use ast::Policy;
pub use finding::{Finding, Severity};
pub use lower::{Parsed, parse_policy};
