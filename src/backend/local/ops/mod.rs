//! The IAM and STS operations of the local account, one module per area. Each operation checks
//! its input, authorises the caller, checks existence and quotas, and only then changes the
//! account, so a refused call changes nothing.

pub mod account;
pub mod credentials;
pub mod identities;
pub mod policies;
pub mod public_keys;
pub mod service_roles;
pub mod sts;

use crate::iam::error::Result;
use crate::policy::Severity;
use crate::policy::json::LineIndex;
use crate::policy::validate::{Options, validate};

use super::call::Call;

// IAM quotas (IAM User Guide, "IAM and AWS STS quotas"). The account-wide counts use the
// highest value IAM grants on request, so accounts imported from large real ones fit; the
// per-entity ones are IAM's defaults (an import keeps more than ten attachments where a raised
// quota allowed them, but refuses to add another).
pub const USERS: usize = 5_000;
pub const GROUPS: usize = 300;
pub const ROLES: usize = 5_000;
pub const CUSTOMER_POLICIES: usize = 5_000;
pub const GROUPS_PER_USER: usize = 10;
pub const MANAGED_POLICIES_PER_ENTITY: usize = 10;
pub const ACCESS_KEYS_PER_USER: usize = 2;
pub const VERSIONS_PER_POLICY: usize = 5;
pub const MFA_DEVICES_PER_USER: usize = 8;
pub const SSH_KEYS_PER_USER: usize = 5;
pub const SIGNING_CERTIFICATES_PER_USER: usize = 2;
pub const SAML_PROVIDERS: usize = 100;
pub const OIDC_PROVIDERS: usize = 100;

/// LimitExceeded in IAM's words once `count` has reached `limit`.
pub(crate) fn quota(c: &Call<'_>, count: usize, limit: usize, name: &str) -> Result<()> {
    if count >= limit {
        return c.fail(
            "LimitExceeded",
            format!("Cannot exceed quota for {name}: {limit}"),
        );
    }
    Ok(())
}

/// ValidationError in IAM's words when `value` is given and outside `min..=max`.
fn range(c: &Call<'_>, field: &str, value: Option<i32>, min: i32, max: i32) -> Result<()> {
    match value {
        Some(v) if !(min..=max).contains(&v) => c.fail(
            "ValidationError",
            format!("1 validation error detected: Value '{v}' at '{field}' failed to satisfy constraint: Member must have value between {min} and {max}"),
        ),
        _ => Ok(()),
    }
}

/// `list` in a Get call's answer, nothing in a List call's (IAM lists leave tags and such out).
pub(crate) fn detail_only<T: Clone>(detail: bool, list: &[T]) -> Vec<T> {
    if detail { list.to_vec() } else { Vec::new() }
}

/// Error findings that IAM itself accepts on write: it does not check actions and services
/// against its own catalog (the console and Access Analyzer only warn), condition values
/// against their operator's type, or variables in a 2008-10-17 policy (they stay literal).
const ACCEPTED_BY_IAM: [&str; 4] = [
    "unknown-service",
    "unknown-action",
    "invalid-condition-value",
    "variable-in-old-version",
];

/// Refuses a document the validator finds an error in, as IAM refuses it
/// (`MalformedPolicyDocument`), naming the finding and where it is.
pub(crate) fn check_document(c: &Call<'_>, document: &str, options: Options) -> Result<()> {
    let report = validate(document, &options);
    let Some(f) = report
        .findings
        .iter()
        .find(|f| f.severity == Severity::Error && !ACCEPTED_BY_IAM.contains(&f.code))
    else {
        return Ok(());
    };
    let pos = LineIndex::new(document).position(document, f.span.start);
    let code = if f.code == "policy-too-large" {
        "LimitExceeded"
    } else {
        "MalformedPolicyDocument"
    };
    c.fail(
        code,
        format!(
            "{} (line {}, column {}: {})",
            f.message, pos.line, pos.column, f.code
        ),
    )
}
