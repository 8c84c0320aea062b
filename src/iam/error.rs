//! Typed backend errors, so the UI can say what happened and which call failed.

use std::borrow::Cow;
use thiserror::Error;

/// What went wrong, independent of which backend produced it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ErrorKind {
    /// The entity does not exist (IAM `NoSuchEntity`).
    #[error("not found: {0}")]
    NotFound(String),
    /// The caller may not do this; `action` is the IAM action that was denied.
    #[error("access denied to {action}: {message}")]
    AccessDenied { action: String, message: String },
    /// The service asked us to slow down (after the SDK's own retries).
    #[error("throttled: {0}")]
    Throttled(String),
    /// An IAM quota was hit (`LimitExceeded`), e.g. a third access key.
    #[error("limit exceeded: {0}")]
    LimitExceeded(String),
    /// The request was refused as invalid (`ValidationError`, `InvalidInput`,
    /// `MalformedPolicyDocument`, an invalid MFA code, ...).
    #[error("invalid request: {0}")]
    Validation(String),
    /// An entity with that name already exists.
    #[error("already exists: {0}")]
    AlreadyExists(String),
    /// The entity cannot be deleted while others depend on it (`DeleteConflict`).
    #[error("delete conflict: {0}")]
    DeleteConflict(String),
    /// No usable credentials, or the service rejected them (expired, unknown key).
    #[error("credentials: {0}")]
    Credentials(String),
    /// The endpoint could not be reached, or the connection dropped.
    #[error("network: {0}")]
    Network(String),
    /// Refused locally because the console runs read-only; says why (the flag, the
    /// configuration, another iamtui holding the account file, its permissions).
    #[error("refused: {0}")]
    ReadOnly(String),
    /// The backend (or the emulator behind it) does not implement this call.
    #[error("not supported by this backend: {0}")]
    Unsupported(String),
    /// The endpoint answered with an HTTP 5xx status and no IAM error code: a server fault, or
    /// (an emulator's HTML page) a call it does not implement. Worth retrying; never a verdict.
    #[error("server error: the endpoint answered HTTP {status}{}", if message.is_empty() { String::new() } else { format!(": {message}") })]
    ServerError { status: u16, message: String },
    /// Any other service error, with the service's own code and message.
    #[error("{code}: {message}")]
    Service { code: String, message: String },
}

/// A failed backend call: which operation (IAM/STS API name) and why.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{operation} failed: {kind}")]
pub struct BackendError {
    pub operation: Cow<'static, str>,
    pub kind: ErrorKind,
}

impl BackendError {
    pub fn new(operation: impl Into<Cow<'static, str>>, kind: ErrorKind) -> Self {
        Self {
            operation: operation.into(),
            kind,
        }
    }

    pub fn read_only(operation: &'static str, reason: impl Into<String>) -> Self {
        Self::new(operation, ErrorKind::ReadOnly(reason.into()))
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self.kind, ErrorKind::NotFound(_))
    }

    /// A failure that says nothing about the request itself: the network, a timeout, a server
    /// fault or throttling. The call may or may not have happened; asking again (or reading the
    /// state) is the only way to know.
    pub fn is_transient(&self) -> bool {
        match &self.kind {
            ErrorKind::Network(_) | ErrorKind::Throttled(_) | ErrorKind::ServerError { .. } => true,
            ErrorKind::Service { code, .. } => TRANSIENT_CODES.contains(&code.as_str()),
            _ => false,
        }
    }

    /// IAM's own answer that the credentials used are not valid (an unknown key id, a wrong
    /// secret, an expired session): the one verdict on a key.
    pub fn is_rejected_credentials(&self) -> bool {
        matches!(self.kind, ErrorKind::Credentials(_))
    }

    /// Builds the error from an AWS-style error code and message, as both the AWS SDK and the
    /// local account report them. `status` is the HTTP status when one is known.
    pub fn from_code(
        operation: impl Into<Cow<'static, str>>,
        code: Option<&str>,
        message: &str,
        status: Option<u16>,
    ) -> Self {
        let operation = operation.into();
        let message = message.to_string();
        let kind = match code.unwrap_or("") {
            "NoSuchEntity" | "NoSuchEntityException" | "NotFound" | "ResourceNotFound" => {
                ErrorKind::NotFound(message)
            }
            "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => {
                ErrorKind::AccessDenied {
                    action: denied_action(&message, &operation),
                    message,
                }
            }
            "Throttling" | "ThrottlingException" | "RequestLimitExceeded" | "TooManyRequests" => {
                ErrorKind::Throttled(message)
            }
            "LimitExceeded" | "LimitExceededException" => ErrorKind::LimitExceeded(message),
            "ValidationError"
            | "InvalidInput"
            | "MalformedPolicyDocument"
            | "InvalidAuthenticationCode"
            | "PasswordPolicyViolation"
            | "InvalidParameterValue"
            | "PackedPolicyTooLarge"
            | "RegionDisabledException"
            | "InvalidPublicKey"
            | "UnrecognizedPublicKeyEncoding"
            | "MalformedCertificate"
            | "InvalidCertificate" => ErrorKind::Validation(message),
            "EntityAlreadyExists"
            | "EntityAlreadyExistsException"
            | "DuplicateSSHPublicKey"
            | "DuplicateCertificate" => ErrorKind::AlreadyExists(message),
            "DeleteConflict" | "DeleteConflictException" => ErrorKind::DeleteConflict(message),
            "InvalidClientTokenId"
            | "ExpiredToken"
            | "ExpiredTokenException"
            | "SignatureDoesNotMatch"
            | "MissingAuthenticationToken"
            | "IncompleteSignature"
            | "InvalidAccessKeyId" => ErrorKind::Credentials(message),
            "" => match status {
                // Some IAM-compatible endpoints (moto with auth on) send 403 without a code.
                Some(403) => ErrorKind::AccessDenied {
                    action: denied_action(&message, &operation),
                    message,
                },
                Some(404) => ErrorKind::NotFound(message),
                Some(429) => ErrorKind::Throttled(message),
                Some(s) if s >= 500 => ErrorKind::ServerError { status: s, message },
                _ => ErrorKind::Service {
                    code: status.map_or_else(|| "Unknown".into(), |s| format!("HTTP {s}")),
                    message,
                },
            },
            other => ErrorKind::Service {
                code: other.to_string(),
                message,
            },
        };
        Self { operation, kind }
    }
}

/// Service error codes that mean "the service failed", not "the request is wrong" (AWS's
/// documented common errors, and the codes its SDKs retry).
const TRANSIENT_CODES: &[&str] = &[
    "InternalFailure",
    "InternalError",
    "InternalServerError",
    "ServiceFailure",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
    "BandwidthLimitExceeded",
    "SlowDown",
    "EC2ThrottledException",
    "TransactionInProgressException",
];

/// The IAM action named in an access-denied message ("... is not authorized to perform:
/// iam:ListUsers on resource: ..."), or the action the operation maps to.
fn denied_action(message: &str, operation: &str) -> String {
    const MARK: &str = "perform: ";
    if let Some(at) = message.find(MARK) {
        let rest = &message[at + MARK.len()..];
        let action: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '-' || *c == '*')
            .collect();
        if action.contains(':') {
            return action;
        }
    }
    format!("{}:{operation}", service_of(operation))
}

/// The service an operation belongs to: `sts` for the STS calls, `iam` for the others.
pub fn service_of(operation: &str) -> &'static str {
    match operation {
        "AssumeRole" | "GetSessionToken" | "GetCallerIdentity" | "AssumeRoleWithWebIdentity" => {
            "sts"
        }
        _ => "iam",
    }
}

pub type Result<T, E = BackendError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_denied_names_the_action_from_the_message() {
        let e = BackendError::from_code(
            "ListUsers",
            Some("AccessDenied"),
            "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::123456789012:user/",
            Some(403),
        );
        assert_eq!(
            e.kind,
            ErrorKind::AccessDenied {
                action: "iam:ListUsers".into(),
                message: "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::123456789012:user/".into(),
            }
        );
        assert!(
            e.to_string()
                .starts_with("ListUsers failed: access denied to iam:ListUsers")
        );
    }

    #[test]
    fn access_denied_without_action_falls_back_to_operation() {
        let e = BackendError::from_code("AssumeRole", None, "", Some(403));
        match e.kind {
            ErrorKind::AccessDenied { action, .. } => assert_eq!(action, "sts:AssumeRole"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn codes_map_to_kinds() {
        let weird = ErrorKind::Service {
            code: "Weird".into(),
            message: "m".into(),
        };
        for (code, kind) in [
            ("NoSuchEntity", ErrorKind::NotFound("m".into())),
            ("LimitExceeded", ErrorKind::LimitExceeded("m".into())),
            ("Throttling", ErrorKind::Throttled("m".into())),
            ("DeleteConflict", ErrorKind::DeleteConflict("m".into())),
            ("EntityAlreadyExists", ErrorKind::AlreadyExists("m".into())),
            ("MalformedPolicyDocument", ErrorKind::Validation("m".into())),
            ("InvalidClientTokenId", ErrorKind::Credentials("m".into())),
            ("Weird", weird),
        ] {
            let got = BackendError::from_code("Op", Some(code), "m", Some(400)).kind;
            assert_eq!(got, kind, "{code}");
        }
    }

    #[test]
    fn transient_failures_are_told_from_verdicts() {
        let e = |code: Option<&str>, status| BackendError::from_code("Op", code, "m", Some(status));
        assert!(e(None, 500).is_transient(), "an HTML 500 page");
        assert!(e(None, 503).is_transient());
        assert!(e(Some("ServiceUnavailable"), 503).is_transient());
        assert!(e(Some("InternalFailure"), 500).is_transient());
        assert!(e(Some("Throttling"), 400).is_transient());
        assert!(BackendError::new("Op", ErrorKind::Network("reset".into())).is_transient());
        // IAM's answers are verdicts, not accidents.
        for code in ["InvalidClientTokenId", "SignatureDoesNotMatch"] {
            let v = e(Some(code), 403);
            assert!(!v.is_transient(), "{code}");
            assert!(v.is_rejected_credentials(), "{code}");
        }
        for code in [
            "LimitExceeded",
            "NoSuchEntity",
            "AccessDenied",
            "ValidationError",
        ] {
            assert!(!e(Some(code), 400).is_transient(), "{code}");
            assert!(!e(Some(code), 400).is_rejected_credentials(), "{code}");
        }
        assert_eq!(
            e(None, 500).to_string(),
            "Op failed: server error: the endpoint answered HTTP 500: m"
        );
    }
}
