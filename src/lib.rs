//! iamtui: a terminal console for AWS IAM.
//!
//! The library holds everything the binary uses, so tests and benchmarks reach it directly.

pub mod backend;
pub mod iam;
