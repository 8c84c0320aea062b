//! IAM domain: the types the console shows and the one interface both backends implement.
//!
//! Nothing here knows about the AWS SDK or the terminal; backends translate into these types.

pub mod backend;
pub mod error;
pub mod ops;
pub mod totp;
pub mod types;

pub use backend::{Backend, collect_pages};
pub use error::{BackendError, ErrorKind};
pub use types::*;
