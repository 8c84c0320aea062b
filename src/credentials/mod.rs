//! Credentials on disk and their rotation.

pub mod file;
pub mod rotate;
