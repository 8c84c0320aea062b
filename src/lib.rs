//! iamtui: a terminal console for AWS IAM.
//!
//! The library holds everything the binary uses, so tests and benchmarks reach it directly.

pub mod app;
pub mod backend;
pub mod cli;
pub mod commands;
pub mod config;
pub mod credentials;
pub mod headless;
pub mod iam;
pub mod policy;
pub mod ui;
