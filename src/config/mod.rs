//! Configuration: where files live (themes, keymaps and settings will join later).

pub mod paths;

pub use paths::{Paths, PathsError};
