//! Credentials on disk and their rotation.

pub mod assume;
pub mod export;
pub mod file;
pub mod password;
pub mod rotate;
