//! The AWS backend: aws-sdk-iam and aws-sdk-sts behind the [`Backend`] trait.
//!
//! Credentials come from aws-config's default chain (environment, profiles, SSO,
//! credential_process, assume-role profiles); `endpoint_url` points both clients at an
//! IAM-compatible endpoint such as the moto emulator.
//!
//! This module connects and translates errors and shared shapes; each operation is a function
//! of the same name in the module of its resource.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_iam::types as iam_t;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use secrecy::{ExposeSecret, SecretString};

use super::decode_policy_document;
use crate::iam::backend::BackendInfo;
use crate::iam::error::{BackendError, ErrorKind, Result};
use crate::iam::ops::impl_backend;
use crate::iam::types::*;
use crate::iam::{Backend, collect_pages};

/// IAM is a global service; its endpoint is signed for us-east-1 in the commercial partition.
pub const DEFAULT_REGION: &str = "us-east-1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retries {
    /// The SDK's standard mode: exponential backoff with jitter on throttling and transient
    /// errors, up to this many attempts.
    Standard { max_attempts: u32 },
    /// One attempt only (tests, where an unsupported call must fail fast).
    Disabled,
}

#[derive(Debug, Clone)]
pub struct AwsOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// Use these instead of the default chain.
    pub credentials: Option<Credentials>,
    pub retries: Retries,
    pub connect_timeout: Duration,
    pub attempt_timeout: Duration,
}

impl Default for AwsOptions {
    fn default() -> Self {
        Self {
            profile: None,
            region: None,
            endpoint_url: None,
            credentials: None,
            retries: Retries::Standard { max_attempts: 5 },
            connect_timeout: Duration::from_secs(5),
            attempt_timeout: Duration::from_secs(30),
        }
    }
}

pub struct AwsBackend {
    iam: aws_sdk_iam::Client,
    sts: aws_sdk_sts::Client,
    config: SdkConfig,
    source: String,
}

impl AwsBackend {
    /// Loads configuration and builds the clients. Fails early, with a message that says what to
    /// do, when a named profile does not exist; other problems (no credentials, unreachable
    /// endpoint) surface on the first call, as typed errors.
    pub async fn connect(options: AwsOptions) -> Result<Self> {
        let profile = options
            .profile
            .clone()
            .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()));
        if let (Some(name), None) = (&profile, &options.credentials) {
            check_profile_exists(name).await?;
        }

        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(match options.retries {
                Retries::Standard { max_attempts } => {
                    RetryConfig::standard().with_max_attempts(max_attempts)
                }
                Retries::Disabled => RetryConfig::disabled(),
            })
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(options.connect_timeout)
                    .operation_attempt_timeout(options.attempt_timeout)
                    .build(),
            );
        if let Some(name) = &options.profile {
            loader = loader.profile_name(name);
        }
        if let Some(region) = &options.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        if let Some(creds) = &options.credentials {
            loader = loader.credentials_provider(sdk_credentials(creds));
        }
        let mut config = loader.load().await;
        if config.region().is_none() {
            config = config
                .to_builder()
                .region(Region::new(DEFAULT_REGION))
                .build();
        }

        let source = match (&options.endpoint_url, &profile) {
            (Some(url), _) => format!("endpoint {url}"),
            (None, Some(p)) => format!("profile {p}"),
            (None, None) => match std::env::var("AWS_ENDPOINT_URL") {
                Ok(url) if !url.is_empty() => format!("endpoint {url}"),
                _ => "default credentials".to_string(),
            },
        };
        Ok(Self::from_config(config, source))
    }

    fn from_config(config: SdkConfig, source: String) -> Self {
        Self {
            iam: aws_sdk_iam::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            config,
            source,
        }
    }

    pub fn region(&self) -> Option<String> {
        self.config.region().map(|r| r.to_string())
    }
}

/// A missing profile otherwise shows up much later as an opaque credentials error.
async fn check_profile_exists(name: &str) -> Result<()> {
    use aws_runtime::env_config::file::EnvConfigFiles;
    use aws_types::os_shim_internal::{Env, Fs};
    let set =
        aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None)
            .await
            .map_err(|e| {
                BackendError::new(
                    "LoadProfile",
                    ErrorKind::Credentials(format!("cannot read the AWS config files: {e}")),
                )
            })?;
    if set.get_profile(name).is_some() {
        return Ok(());
    }
    let mut known: Vec<&str> = set.profiles().collect();
    known.sort_unstable();
    let hint = if known.is_empty() {
        "no profiles are configured".to_string()
    } else {
        format!("known profiles: {}", known.join(", "))
    };
    Err(BackendError::new(
        "LoadProfile",
        ErrorKind::Credentials(format!(
            "profile `{name}` is not in ~/.aws/config or ~/.aws/credentials ({hint}); \
             create it with `aws configure --profile {name}` or pick another with --profile"
        )),
    ))
}

fn sdk_credentials(c: &Credentials) -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(aws_credential_types::Credentials::new(
        c.access_key_id.clone(),
        c.secret_access_key.expose_secret().to_string(),
        c.session_token
            .as_ref()
            .map(|t| t.expose_secret().to_string()),
        c.expiration.map(std::time::SystemTime::from),
        "iamtui",
    ))
}

// --- error translation ----------------------------------------------------------------------

/// Translates any SDK error into a typed [`BackendError`] naming the operation.
fn sdk_err<E>(operation: &'static str, err: SdkError<E, HttpResponse>) -> BackendError
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    match &err {
        SdkError::ServiceError(se) => {
            let e = se.err();
            let status = se.raw().status().as_u16();
            match e.code() {
                Some(code) => BackendError::from_code(
                    operation,
                    Some(code),
                    e.message().unwrap_or_default(),
                    Some(status),
                ),
                // Some IAM-compatible endpoints (moto with authorization on) wrap the error as
                // <ErrorResponse><Errors><Error>, which the SDK's parser does not read; take the
                // code and message from the body itself.
                None => {
                    let body = se
                        .raw()
                        .body()
                        .bytes()
                        .map(String::from_utf8_lossy)
                        .unwrap_or_default();
                    let code = xml_element_text(&body, "Code");
                    let message = e
                        .message()
                        .map(str::to_string)
                        .or_else(|| xml_element_text(&body, "Message"))
                        .unwrap_or_default();
                    BackendError::from_code(operation, code.as_deref(), &message, Some(status))
                }
            }
        }
        SdkError::TimeoutError(_) => BackendError::new(
            operation,
            ErrorKind::Network("the request timed out".into()),
        ),
        SdkError::DispatchFailure(df) => {
            let chain = error_chain(&err);
            if df.is_io() || df.is_timeout() {
                BackendError::new(
                    operation,
                    ErrorKind::Network(format!("cannot reach the endpoint: {}", innermost(&err))),
                )
            } else {
                credentials_error(operation, &chain)
                    .unwrap_or_else(|| BackendError::new(operation, ErrorKind::Network(chain)))
            }
        }
        _ => {
            let chain = error_chain(&err);
            credentials_error(operation, &chain)
                .unwrap_or_else(|| service_error(operation, "ClientError", chain))
        }
    }
}

/// The text of the first `<tag>...</tag>` in an XML error body, unescaped; `None` when absent
/// or empty.
fn xml_element_text(body: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = body.find(&open)? + open.len();
    let end = start + body[start..].find(&close)?;
    let text = body[start..end].trim();
    (!text.is_empty()).then(|| {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    })
}

/// A Credentials error, saying what to do, when the error `chain` is about credentials.
fn credentials_error(operation: &'static str, chain: &str) -> Option<BackendError> {
    let c = chain.to_ascii_lowercase();
    let about =
        c.contains("credential") || c.contains("identity resolver") || c.contains("no identity");
    about.then(|| {
        let hint = format!(
            "no usable AWS credentials ({chain}); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, \
             run `aws sso login`, or use `iamtui --local` for the embedded account"
        );
        BackendError::new(operation, ErrorKind::Credentials(hint))
    })
}

/// "a: b: c" from an error and its sources, without repeats (the SDK nests the same text).
fn error_chain(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        let s = e.to_string();
        if !s.is_empty() && !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = e.source();
    }
    parts.join(": ")
}

fn innermost(err: &(dyn StdError + 'static)) -> String {
    let mut cur: &(dyn StdError + 'static) = err;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

// --- conversions ----------------------------------------------------------------------------

fn ts(dt: &aws_smithy_types::DateTime) -> Timestamp {
    chrono::DateTime::from_timestamp(dt.secs(), dt.subsec_nanos()).unwrap_or_default()
}

fn ts_opt(dt: Option<&aws_smithy_types::DateTime>) -> Option<Timestamp> {
    dt.map(ts)
}

fn tags_from(tags: &[iam_t::Tag]) -> Vec<Tag> {
    tags.iter().map(|t| Tag::new(t.key(), t.value())).collect()
}

fn tags_to(tags: &[Tag]) -> Result<Vec<iam_t::Tag>> {
    tags.iter()
        .map(|t| {
            iam_t::Tag::builder()
                .key(&t.key)
                .value(&t.value)
                .build()
                .map_err(|e| BackendError::new("Tag", ErrorKind::Validation(e.to_string())))
        })
        .collect()
}

fn page<T>(items: Vec<T>, truncated: bool, marker: Option<&str>) -> Page<T> {
    Page {
        items,
        next_marker: if truncated {
            marker.map(str::to_string)
        } else {
            None
        },
    }
}

macro_rules! send {
    ($op:expr, $req:expr) => {
        $req.send().await.map_err(|e| sdk_err($op, e))
    };
}

/// [`send!`] for a call whose answer carries nothing the console reads.
macro_rules! send_unit {
    ($op:expr, $req:expr) => {
        send!($op, $req).map(drop)
    };
}

/// A `pub(super) async fn` for each IAM call whose answer carries nothing the console reads:
/// `"Op" name(args) .setter(value)…;`, where `name` is also the SDK's method unless
/// `name as method` names another.
macro_rules! unit_calls {
    ($($op:literal $name:ident $(as $sdk:ident)? ($($arg:ident: $ty:ty),*)
        $(.$set:ident($val:expr))*;)*) => {
        $(unit_calls!(@fn $op $name [$($sdk)? $name] ($($arg: $ty),*) $(.$set($val))*);)*
    };
    (@fn $op:literal $name:ident [$sdk:ident $($default:ident)?] ($($arg:ident: $ty:ty),*)
        $(.$set:ident($val:expr))*) => {
        pub(super) async fn $name(b: &AwsBackend, $($arg: $ty),*) -> Result<()> {
            send_unit!($op, b.iam.$sdk()$(.$set($val))*)
        }
    };
}

/// Runs a paginated IAM call to the end, mapping each page with `$map`.
macro_rules! all_pages {
    ($op:expr, $builder:expr, |$out:ident| $map:expr) => {{
        collect_pages($op, |marker| {
            let req = $builder.set_marker(marker);
            async move {
                let $out = send!($op, req)?;
                let items = $map;
                Ok(page(items, $out.is_truncated(), $out.marker()))
            }
        })
        .await
    }};
}

/// One page of a top-level list (users, groups, roles, policies), mapping its items with `$map`.
macro_rules! one_page {
    ($op:literal, $builder:expr, $req:expr, |$out:ident| $map:expr) => {{
        let $out = send!(
            $op,
            $builder
                .set_marker($req.marker)
                .set_max_items($req.max_items)
                .set_path_prefix($req.path_prefix)
        )?;
        Ok(page($map, $out.is_truncated(), $out.marker()))
    }};
}

mod account;
mod attachments;
mod credentials;
mod groups;
mod policies;
mod roles;
mod sts;
mod tags;
mod users;

use self::{
    account::*, attachments::*, credentials::*, groups::*, policies::*, roles::*, sts::*, tags::*,
    users::*,
};

/// A `code` error the service did not send (a response short of what the call needs).
fn service_error(
    operation: impl Into<std::borrow::Cow<'static, str>>,
    code: &str,
    message: impl Into<String>,
) -> BackendError {
    let (code, message) = (code.into(), message.into());
    BackendError::new(operation, ErrorKind::Service { code, message })
}

/// What the call creates or reads, or the error for a response that lacks it.
fn required<T>(item: Option<T>, operation: &'static str, what: &str) -> Result<T> {
    let lacking = || format!("no {what} in the response");
    item.ok_or_else(|| BackendError::new(operation, ErrorKind::NotFound(lacking())))
}

/// Each operation is the function of the same name in the resource modules.
macro_rules! call_module_fn {
    ($this:tt; $kind:ident $([$op:expr])?; $method:ident($($arg:ident),*)) => {
        $method($this, $($arg),*).await
    };
}

impl_backend!(AwsBackend, call_module_fn, {
    fn info(&self) -> BackendInfo {
        BackendInfo {
            kind: "aws",
            source: self.source.clone(),
            region: self.region(),
            read_only: false,
            read_only_reason: None,
        }
    }

    fn with_credentials(&self, credentials: Credentials) -> Result<Arc<dyn Backend>> {
        let config = self
            .config
            .to_builder()
            .credentials_provider(sdk_credentials(&credentials))
            .build();
        Ok(Arc::new(Self::from_config(config, self.source.clone())))
    }

    fn single_attempt(&self) -> Option<Arc<dyn Backend>> {
        let config = self
            .config
            .to_builder()
            .retry_config(RetryConfig::disabled())
            .build();
        Some(Arc::new(Self::from_config(config, self.source.clone())))
    }
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_code_and_message_from_a_wrapped_error_body() {
        let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ErrorResponse><Errors><Error>\
                    <Code>InvalidClientTokenId</Code><Message>The token &amp; &lt;key&gt; \
                    is invalid.</Message><Type>Sender</Type></Error></Errors></ErrorResponse>";
        assert_eq!(
            xml_element_text(body, "Code").as_deref(),
            Some("InvalidClientTokenId")
        );
        assert_eq!(
            xml_element_text(body, "Message").as_deref(),
            Some("The token & <key> is invalid.")
        );
        assert_eq!(xml_element_text(body, "Missing"), None);
        assert_eq!(xml_element_text("<Code> </Code>", "Code"), None);
        assert_eq!(
            xml_element_text("<html><title>500 Internal Server Error</title>", "Code"),
            None
        );
    }
}
