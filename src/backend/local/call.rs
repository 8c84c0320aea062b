//! One call served by the local account: the account, who is calling, when, and which IAM
//! operation it is; with the errors IAM answers, by IAM's error codes and wording.

use crate::iam::error::{BackendError, Result};
use crate::iam::types::Timestamp;
use crate::policy::eval::Context;

use super::caller::Caller;
use super::model::Account;
use super::names::IdSource;

pub struct Call<'a> {
    pub account: &'a mut Account,
    /// Where the ids, secrets and seeds of what the call creates come from.
    pub ids: &'a dyn IdSource,
    pub caller: Caller,
    pub now: Timestamp,
    pub operation: &'static str,
}

impl Call<'_> {
    /// An error with an IAM error code (`NoSuchEntity`, `LimitExceeded`, …) for this operation.
    pub fn fail<T>(&self, code: &str, message: impl AsRef<str>) -> Result<T> {
        Err(self.error(code, message))
    }

    pub fn error(&self, code: &str, message: impl AsRef<str>) -> BackendError {
        let status = match code {
            "NoSuchEntity" => 404,
            "EntityAlreadyExists" | "LimitExceeded" | "DeleteConflict" => 409,
            "AccessDenied" => 403,
            _ => 400,
        };
        BackendError::from_code(self.operation, Some(code), message.as_ref(), Some(status))
    }

    pub fn account_id(&self) -> &str {
        &self.account.account_id
    }

    /// `arn:aws:iam::ACCOUNT:KIND{path}{name}` (paths begin and end with `/`).
    pub fn arn(&self, kind: &str, path: &str, name: &str) -> String {
        iam_arn(&self.account.account_id, kind, path, name)
    }

    /// Lets the call through when the caller's policies allow `action` on `resource`.
    pub fn authorize(&self, action: &str, resource: &str) -> Result<()> {
        self.authorize_with(action, resource, |_| {})
    }

    /// [`Call::authorize`] with request-specific context keys (`aws:RequestTag/…`,
    /// `iam:PolicyARN`, …).
    pub fn authorize_with(
        &self,
        action: &str,
        resource: &str,
        extra: impl FnOnce(&mut Context),
    ) -> Result<()> {
        self.caller.authorize(
            self.account,
            self.operation,
            action,
            resource,
            self.now,
            extra,
        )
    }

    /// The user a self-service call (`UserName` omitted) is about: the caller's own.
    pub fn own_user(&self, name: Option<&str>) -> Result<String> {
        match name {
            Some(n) => Ok(n.to_string()),
            None => match self.caller.user_name() {
                Some(u) => Ok(u.to_string()),
                None => self.fail(
                    "ValidationError",
                    "Must specify userName when calling with non-User credentials",
                ),
            },
        }
    }
}

pub fn iam_arn(account: &str, kind: &str, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{account}:{kind}{path}{name}")
}

/// `(path, name)` of an IAM ARN's resource part `KIND/path/name` (`arn:aws:iam::A:policy/x/y`
/// → `("/x/", "y")`), when the ARN is of that kind in `account`.
pub fn split_iam_arn<'a>(arn: &'a str, account: &str, kind: &str) -> Option<(&'a str, &'a str)> {
    let prefix = format!("arn:aws:iam::{account}:{kind}/");
    let rest = arn.strip_prefix(prefix.as_str())?;
    let name_at = rest.rfind('/').map_or(0, |i| i + 1);
    // The path runs from the `/` after the kind to the last `/`.
    Some((
        &arn[prefix.len() - 1..prefix.len() + name_at],
        &rest[name_at..],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paths_and_names_out_of_arns() {
        let a = "123456789012";
        assert_eq!(
            split_iam_arn("arn:aws:iam::123456789012:policy/x/y/Name", a, "policy"),
            Some(("/x/y/", "Name"))
        );
        assert_eq!(
            split_iam_arn("arn:aws:iam::123456789012:policy/Name", a, "policy"),
            Some(("/", "Name"))
        );
        assert_eq!(
            split_iam_arn("arn:aws:iam::aws:policy/service-role/R", "aws", "policy"),
            Some(("/service-role/", "R"))
        );
        assert_eq!(
            split_iam_arn("arn:aws:iam::999999999999:policy/Name", a, "policy"),
            None
        );
        assert_eq!(
            split_iam_arn("arn:aws:iam::123456789012:role/Name", a, "policy"),
            None
        );
    }
}
