//! The one interface the console talks to. Two implementations: `backend::aws` (the AWS SDK,
//! also against IAM-compatible endpoints) and `backend::local` (the embedded account).
//!
//! Top-level lists are paged so the console can show rows as soon as the first page arrives;
//! lists hanging off one entity (attachments, keys, versions) are small and come back whole.

use std::future::Future;
use std::sync::Arc;

use async_trait::async_trait;

use super::error::Result;
use super::types::*;

/// Which backend an implementation is, for the status bar and `info`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendInfo {
    /// "aws" or "local".
    pub kind: &'static str,
    /// Profile, endpoint or account file: where the data comes from.
    pub source: String,
    pub region: Option<String>,
    pub read_only: bool,
    /// Why it is read-only, as refusals say it: the flag or configuration that asked for it,
    /// another iamtui holding the account file, the file's permissions.
    pub read_only_reason: Option<String>,
}

/// The interface: the hand-written methods here, one method per operation declared in
/// [`super::ops`].
macro_rules! backend_trait {
    ([] $(
        $(#[$doc:meta])*
        $kind:ident $([$op:expr])? $method:ident ($($arg:ident : $aty:ty),* $(,)?) -> $ret:ty
            => $call:ident $({ $($field:ident : $fty:ty),* $(,)? })? ($($built:expr),* $(,)?);
    )*) => {
        #[async_trait]
        pub trait Backend: Send + Sync + 'static {
            fn info(&self) -> BackendInfo;

            /// The same backend acting with other credentials (an assumed role, an MFA session).
            fn with_credentials(&self, credentials: Credentials) -> Result<Arc<dyn Backend>>;

            /// The same backend making one attempt per call, for a caller that retries itself
            /// within a deadline of its own (the key rotation) and must see each failure as it
            /// happens. `None` when this backend does not retry anyway.
            fn single_attempt(&self) -> Option<Arc<dyn Backend>> {
                None
            }

            $( $(#[$doc])* async fn $method(&self, $($arg: $aty),*) -> Result<$ret>; )*
        }
    };
}
super::ops::backend_ops!([backend_trait]);

/// Follows markers until IAM says the list is complete. A marker that repeats ends the loop
/// with an error instead of spinning forever on a misbehaving endpoint.
pub async fn collect_pages<T, F, Fut>(operation: &'static str, mut fetch: F) -> Result<Vec<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    let mut items = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = fetch(marker.clone()).await?;
        items.extend(page.items);
        match page.next_marker {
            Some(next) if Some(&next) == marker.as_ref() => {
                return Err(super::BackendError::new(
                    operation,
                    super::ErrorKind::Service {
                        code: "PaginationLoop".into(),
                        message: "the endpoint returned the same marker twice".into(),
                    },
                ));
            }
            Some(next) => marker = Some(next),
            None => return Ok(items),
        }
    }
}

/// Convenience wrappers that collect every page of the top-level lists.
pub async fn all_users(b: &dyn Backend) -> Result<Vec<User>> {
    collect_pages("ListUsers", |m| b.list_users(PageRequest::after(m))).await
}
pub async fn all_groups(b: &dyn Backend) -> Result<Vec<Group>> {
    collect_pages("ListGroups", |m| b.list_groups(PageRequest::after(m))).await
}
pub async fn all_roles(b: &dyn Backend) -> Result<Vec<Role>> {
    collect_pages("ListRoles", |m| b.list_roles(PageRequest::after(m))).await
}
pub async fn all_policies(
    b: &dyn Backend,
    scope: PolicyScope,
    only_attached: bool,
) -> Result<Vec<ManagedPolicy>> {
    collect_pages("ListPolicies", |m| {
        b.list_policies(scope, only_attached, PageRequest::after(m))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn collect_pages_follows_markers_to_the_end() {
        let page = |items: Vec<u32>, next: Option<&str>| Page {
            items,
            next_marker: next.map(str::to_string),
        };
        let pages = [
            page(vec![1, 2], Some("a")),
            page(vec![3], Some("b")),
            page(vec![4], None),
        ];
        let mut seen = Vec::new();
        let got = collect_pages("T", |m| {
            seen.push(m.clone());
            let i = match m.as_deref() {
                None => 0,
                Some("a") => 1,
                Some("b") => 2,
                _ => 99,
            };
            let p = pages[i].clone();
            async move { Ok(p) }
        })
        .await
        .unwrap();
        assert_eq!(got, vec![1, 2, 3, 4]);
        assert_eq!(seen, vec![None, Some("a".into()), Some("b".into())]);
    }

    #[tokio::test]
    async fn collect_pages_refuses_a_marker_loop() {
        let err = collect_pages::<u32, _, _>("T", |_| async {
            Ok(Page {
                items: vec![1],
                next_marker: Some("same".into()),
            })
        })
        .await
        .unwrap_err();
        assert_eq!(err.operation, "T");
    }
}
