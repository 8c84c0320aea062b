//! Backend-agnostic integration tests.
//!
//! Every test is `pub async fn name(b: Arc<dyn Backend>)` and starts from an empty account. The
//! bodies assert what IAM itself does, so the same functions run against every implementation of
//! [`iamtui::iam::Backend`] (today the AWS SDK backend against the moto emulator, see
//! `tests/aws_moto.rs`). Where an emulator differs from IAM, the body asserts only what both do,
//! and the difference is pinned in the backend's own test file.

/// Asserts that `$res` (a `Result<T, BackendError>`) failed with an error kind matching `$pat`,
/// and returns the error.
macro_rules! assert_err {
    ($res:expr, $pat:pat $(,)?) => {
        match $res {
            Ok(value) => panic!(
                "expected an error matching {}, got Ok({:?})",
                stringify!($pat),
                value
            ),
            Err(e) => {
                assert!(
                    matches!(e.kind, $pat),
                    "expected an error matching {}, got {:?}",
                    stringify!($pat),
                    e
                );
                e
            }
        }
    };
}

pub mod util;

pub mod access_keys;
pub mod account;
pub mod attachments;
pub mod groups;
pub mod identity;
pub mod mfa;
pub mod pagination;
pub mod policies;
pub mod read_only;
pub mod roles;
pub mod sts;
pub mod tags;
pub mod users;
