//! The AWS backend: aws-sdk-iam and aws-sdk-sts behind the [`Backend`] trait.
//!
//! Credentials come from aws-config's default chain (environment, profiles, SSO,
//! credential_process, assume-role profiles); `endpoint_url` points both clients at an
//! IAM-compatible endpoint such as the moto emulator.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
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
            } else if looks_like_credentials(&chain) {
                BackendError::new(operation, ErrorKind::Credentials(credentials_hint(&chain)))
            } else {
                BackendError::new(operation, ErrorKind::Network(chain))
            }
        }
        _ => {
            let chain = error_chain(&err);
            if looks_like_credentials(&chain) {
                BackendError::new(operation, ErrorKind::Credentials(credentials_hint(&chain)))
            } else {
                BackendError::new(
                    operation,
                    ErrorKind::Service {
                        code: "ClientError".into(),
                        message: chain,
                    },
                )
            }
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

fn looks_like_credentials(chain: &str) -> bool {
    let c = chain.to_ascii_lowercase();
    c.contains("credential") || c.contains("identity resolver") || c.contains("no identity")
}

fn credentials_hint(chain: &str) -> String {
    format!(
        "no usable AWS credentials ({}); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, \
         run `aws sso login`, or use `iamtui --local` for the embedded account",
        chain
    )
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

fn user_from(u: &iam_t::User) -> User {
    User {
        name: u.user_name().to_string(),
        user_id: u.user_id().to_string(),
        arn: u.arn().to_string(),
        path: u.path().to_string(),
        create_date: ts(u.create_date()),
        password_last_used: ts_opt(u.password_last_used()),
        permissions_boundary: u
            .permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn())
            .map(str::to_string),
        tags: tags_from(u.tags()),
    }
}

fn group_from(g: &iam_t::Group) -> Group {
    Group {
        name: g.group_name().to_string(),
        group_id: g.group_id().to_string(),
        arn: g.arn().to_string(),
        path: g.path().to_string(),
        create_date: ts(g.create_date()),
    }
}

fn instance_profile_from(p: &iam_t::InstanceProfile) -> InstanceProfile {
    InstanceProfile {
        name: p.instance_profile_name().to_string(),
        instance_profile_id: p.instance_profile_id().to_string(),
        arn: p.arn().to_string(),
        path: p.path().to_string(),
        create_date: ts(p.create_date()),
        roles: p
            .roles()
            .iter()
            .map(|r| r.role_name().to_string())
            .collect(),
    }
}

fn role_from(r: &iam_t::Role) -> Role {
    Role {
        name: r.role_name().to_string(),
        role_id: r.role_id().to_string(),
        arn: r.arn().to_string(),
        path: r.path().to_string(),
        create_date: ts(r.create_date()),
        description: r.description().map(str::to_string),
        max_session_duration: r.max_session_duration().unwrap_or(3600),
        assume_role_policy: r
            .assume_role_policy_document()
            .map(|d| decode_policy_document(d).into_owned()),
        permissions_boundary: r
            .permissions_boundary()
            .and_then(|b| b.permissions_boundary_arn())
            .map(str::to_string),
        tags: tags_from(r.tags()),
        last_used: r.role_last_used().map(|l| RoleLastUsed {
            date: ts_opt(l.last_used_date()),
            region: l.region().map(str::to_string),
        }),
    }
}

fn policy_from(p: &iam_t::Policy) -> ManagedPolicy {
    let created = ts_opt(p.create_date()).unwrap_or_default();
    ManagedPolicy {
        name: p.policy_name().unwrap_or_default().to_string(),
        policy_id: p.policy_id().unwrap_or_default().to_string(),
        arn: p.arn().unwrap_or_default().to_string(),
        path: p.path().unwrap_or("/").to_string(),
        default_version_id: p.default_version_id().unwrap_or_default().to_string(),
        attachment_count: p.attachment_count().unwrap_or(0),
        permissions_boundary_usage_count: p.permissions_boundary_usage_count().unwrap_or(0),
        is_attachable: p.is_attachable(),
        description: p.description().map(str::to_string),
        create_date: created,
        update_date: ts_opt(p.update_date()).unwrap_or(created),
        tags: tags_from(p.tags()),
    }
}

fn version_from(v: &iam_t::PolicyVersion) -> PolicyVersion {
    PolicyVersion {
        version_id: v.version_id().unwrap_or_default().to_string(),
        is_default: v.is_default_version(),
        create_date: ts_opt(v.create_date()).unwrap_or_default(),
        document: v.document().map(|d| decode_policy_document(d).into_owned()),
    }
}

fn attached_from(p: &iam_t::AttachedPolicy) -> AttachedPolicy {
    AttachedPolicy {
        name: p.policy_name().unwrap_or_default().to_string(),
        arn: p.policy_arn().unwrap_or_default().to_string(),
    }
}

fn key_from(k: &iam_t::AccessKeyMetadata) -> AccessKey {
    AccessKey {
        user_name: k.user_name().unwrap_or_default().to_string(),
        access_key_id: k.access_key_id().unwrap_or_default().to_string(),
        status: status_from(k.status()),
        create_date: ts_opt(k.create_date()).unwrap_or_default(),
    }
}

fn status_from(s: Option<&iam_t::StatusType>) -> KeyStatus {
    match s {
        Some(iam_t::StatusType::Active) => KeyStatus::Active,
        _ => KeyStatus::Inactive,
    }
}

fn status_to(s: KeyStatus) -> iam_t::StatusType {
    match s {
        KeyStatus::Active => iam_t::StatusType::Active,
        KeyStatus::Inactive => iam_t::StatusType::Inactive,
    }
}

/// IAM writes "N/A" for a key that was never used.
fn not_na(s: &str) -> Option<String> {
    (!s.is_empty() && s != "N/A").then(|| s.to_string())
}

fn sts_credentials(c: &aws_sdk_sts::types::Credentials) -> Credentials {
    Credentials {
        access_key_id: c.access_key_id().to_string(),
        secret_access_key: SecretString::from(c.secret_access_key().to_string()),
        session_token: Some(SecretString::from(c.session_token().to_string())),
        expiration: Some(chrono::DateTime::from_timestamp(
            c.expiration().secs(),
            c.expiration().subsec_nanos(),
        ))
        .flatten(),
    }
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
    ($op:literal, $req:expr) => {
        $req.send().await.map_err(|e| sdk_err($op, e))
    };
}

/// Runs a paginated IAM call to the end, mapping each page with `$map`.
macro_rules! all_pages {
    ($op:literal, $builder:expr, |$out:ident| $map:expr) => {{
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

#[async_trait]
impl Backend for AwsBackend {
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

    async fn whoami(&self) -> Result<Identity> {
        let out = send!("GetCallerIdentity", self.sts.get_caller_identity())?;
        Ok(Identity {
            account: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
            user_id: out.user_id().unwrap_or_default().to_string(),
        })
    }

    async fn list_account_aliases(&self) -> Result<Vec<String>> {
        all_pages!(
            "ListAccountAliases",
            self.iam.list_account_aliases(),
            |out| { out.account_aliases().to_vec() }
        )
    }

    // --- users ----------------------------------------------------------------------------

    async fn list_users(&self, req: PageRequest) -> Result<Page<User>> {
        let out = send!(
            "ListUsers",
            self.iam
                .list_users()
                .set_marker(req.marker)
                .set_max_items(req.max_items)
                .set_path_prefix(req.path_prefix)
        )?;
        Ok(page(
            out.users().iter().map(user_from).collect(),
            out.is_truncated(),
            out.marker(),
        ))
    }

    async fn get_user(&self, name: Option<&str>) -> Result<User> {
        let out = send!(
            "GetUser",
            self.iam.get_user().set_user_name(name.map(str::to_string))
        )?;
        out.user().map(user_from).ok_or_else(|| {
            BackendError::new(
                "GetUser",
                ErrorKind::NotFound("no user in the response".into()),
            )
        })
    }

    async fn create_user(&self, req: CreateUser) -> Result<User> {
        let out = send!(
            "CreateUser",
            self.iam
                .create_user()
                .user_name(req.name)
                .set_path(req.path)
                .set_permissions_boundary(req.permissions_boundary)
                .set_tags(Some(tags_to(&req.tags)?))
        )?;
        out.user().map(user_from).ok_or_else(|| {
            BackendError::new(
                "CreateUser",
                ErrorKind::NotFound("no user in the response".into()),
            )
        })
    }

    async fn update_user(&self, name: &str, change: Rename) -> Result<()> {
        send!(
            "UpdateUser",
            self.iam
                .update_user()
                .user_name(name)
                .set_new_user_name(change.new_name)
                .set_new_path(change.new_path)
        )?;
        Ok(())
    }

    async fn delete_user(&self, name: &str) -> Result<()> {
        send!("DeleteUser", self.iam.delete_user().user_name(name))?;
        Ok(())
    }

    async fn list_groups_for_user(&self, name: &str) -> Result<Vec<Group>> {
        all_pages!(
            "ListGroupsForUser",
            self.iam.list_groups_for_user().user_name(name),
            |out| out.groups().iter().map(group_from).collect::<Vec<_>>()
        )
    }

    async fn get_login_profile(&self, user: &str) -> Result<Option<LoginProfile>> {
        match send!(
            "GetLoginProfile",
            self.iam.get_login_profile().user_name(user)
        ) {
            Ok(out) => Ok(out.login_profile().map(|p| LoginProfile {
                user_name: p.user_name().to_string(),
                create_date: ts(p.create_date()),
                password_reset_required: p.password_reset_required(),
            })),
            // IAM answers NoSuchEntity both for a missing user and for a user without a
            // password; tell them apart by asking for the user.
            Err(e) if e.is_not_found() => {
                send!("GetUser", self.iam.get_user().user_name(user))?;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    async fn delete_login_profile(&self, user: &str) -> Result<()> {
        send!(
            "DeleteLoginProfile",
            self.iam.delete_login_profile().user_name(user)
        )?;
        Ok(())
    }

    // --- groups ---------------------------------------------------------------------------

    async fn list_groups(&self, req: PageRequest) -> Result<Page<Group>> {
        let out = send!(
            "ListGroups",
            self.iam
                .list_groups()
                .set_marker(req.marker)
                .set_max_items(req.max_items)
                .set_path_prefix(req.path_prefix)
        )?;
        Ok(page(
            out.groups().iter().map(group_from).collect(),
            out.is_truncated(),
            out.marker(),
        ))
    }

    async fn get_group(&self, name: &str) -> Result<GroupDetail> {
        // GetGroup pages over members; the group itself repeats on every page.
        let mut group = None;
        let mut members = Vec::new();
        let mut marker: Option<String> = None;
        loop {
            let out = send!(
                "GetGroup",
                self.iam
                    .get_group()
                    .group_name(name)
                    .set_marker(marker.clone())
            )?;
            if group.is_none() {
                group = out.group().map(group_from);
            }
            members.extend(out.users().iter().map(user_from));
            match out.marker().filter(|_| out.is_truncated()) {
                Some(next) if Some(next) != marker.as_deref() => marker = Some(next.to_string()),
                _ => break,
            }
        }
        let group = group.ok_or_else(|| {
            BackendError::new("GetGroup", ErrorKind::NotFound(format!("group {name}")))
        })?;
        Ok(GroupDetail { group, members })
    }

    async fn create_group(&self, name: &str, path: Option<&str>) -> Result<Group> {
        let out = send!(
            "CreateGroup",
            self.iam
                .create_group()
                .group_name(name)
                .set_path(path.map(str::to_string))
        )?;
        out.group().map(group_from).ok_or_else(|| {
            BackendError::new(
                "CreateGroup",
                ErrorKind::NotFound("no group in the response".into()),
            )
        })
    }

    async fn update_group(&self, name: &str, change: Rename) -> Result<()> {
        send!(
            "UpdateGroup",
            self.iam
                .update_group()
                .group_name(name)
                .set_new_group_name(change.new_name)
                .set_new_path(change.new_path)
        )?;
        Ok(())
    }

    async fn delete_group(&self, name: &str) -> Result<()> {
        send!("DeleteGroup", self.iam.delete_group().group_name(name))?;
        Ok(())
    }

    async fn add_user_to_group(&self, group: &str, user: &str) -> Result<()> {
        send!(
            "AddUserToGroup",
            self.iam
                .add_user_to_group()
                .group_name(group)
                .user_name(user)
        )?;
        Ok(())
    }

    async fn remove_user_from_group(&self, group: &str, user: &str) -> Result<()> {
        send!(
            "RemoveUserFromGroup",
            self.iam
                .remove_user_from_group()
                .group_name(group)
                .user_name(user)
        )?;
        Ok(())
    }

    // --- roles ----------------------------------------------------------------------------

    async fn list_roles(&self, req: PageRequest) -> Result<Page<Role>> {
        let out = send!(
            "ListRoles",
            self.iam
                .list_roles()
                .set_marker(req.marker)
                .set_max_items(req.max_items)
                .set_path_prefix(req.path_prefix)
        )?;
        Ok(page(
            out.roles().iter().map(role_from).collect(),
            out.is_truncated(),
            out.marker(),
        ))
    }

    async fn get_role(&self, name: &str) -> Result<Role> {
        let out = send!("GetRole", self.iam.get_role().role_name(name))?;
        out.role().map(role_from).ok_or_else(|| {
            BackendError::new("GetRole", ErrorKind::NotFound(format!("role {name}")))
        })
    }

    async fn create_role(&self, req: CreateRole) -> Result<Role> {
        let out = send!(
            "CreateRole",
            self.iam
                .create_role()
                .role_name(req.name)
                .assume_role_policy_document(req.assume_role_policy)
                .set_path(req.path)
                .set_description(req.description)
                .set_max_session_duration(req.max_session_duration)
                .set_permissions_boundary(req.permissions_boundary)
                .set_tags(Some(tags_to(&req.tags)?))
        )?;
        out.role().map(role_from).ok_or_else(|| {
            BackendError::new(
                "CreateRole",
                ErrorKind::NotFound("no role in the response".into()),
            )
        })
    }

    async fn update_role(
        &self,
        name: &str,
        description: Option<&str>,
        max_session_duration: Option<i32>,
    ) -> Result<()> {
        send!(
            "UpdateRole",
            self.iam
                .update_role()
                .role_name(name)
                .set_description(description.map(str::to_string))
                .set_max_session_duration(max_session_duration)
        )?;
        Ok(())
    }

    async fn update_assume_role_policy(&self, name: &str, document: &str) -> Result<()> {
        send!(
            "UpdateAssumeRolePolicy",
            self.iam
                .update_assume_role_policy()
                .role_name(name)
                .policy_document(document)
        )?;
        Ok(())
    }

    async fn delete_role(&self, name: &str) -> Result<()> {
        send!("DeleteRole", self.iam.delete_role().role_name(name))?;
        Ok(())
    }

    async fn list_instance_profiles_for_role(&self, role: &str) -> Result<Vec<InstanceProfile>> {
        all_pages!(
            "ListInstanceProfilesForRole",
            self.iam.list_instance_profiles_for_role().role_name(role),
            |out| out
                .instance_profiles()
                .iter()
                .map(instance_profile_from)
                .collect::<Vec<_>>()
        )
    }

    async fn create_instance_profile(
        &self,
        name: &str,
        path: Option<&str>,
    ) -> Result<InstanceProfile> {
        let out = send!(
            "CreateInstanceProfile",
            self.iam
                .create_instance_profile()
                .instance_profile_name(name)
                .set_path(path.map(str::to_string))
        )?;
        out.instance_profile()
            .map(instance_profile_from)
            .ok_or_else(|| {
                BackendError::new(
                    "CreateInstanceProfile",
                    ErrorKind::NotFound("no instance profile in the response".into()),
                )
            })
    }

    async fn add_role_to_instance_profile(&self, profile: &str, role: &str) -> Result<()> {
        send!(
            "AddRoleToInstanceProfile",
            self.iam
                .add_role_to_instance_profile()
                .instance_profile_name(profile)
                .role_name(role)
        )?;
        Ok(())
    }

    async fn remove_role_from_instance_profile(&self, profile: &str, role: &str) -> Result<()> {
        send!(
            "RemoveRoleFromInstanceProfile",
            self.iam
                .remove_role_from_instance_profile()
                .instance_profile_name(profile)
                .role_name(role)
        )?;
        Ok(())
    }

    async fn delete_instance_profile(&self, name: &str) -> Result<()> {
        send!(
            "DeleteInstanceProfile",
            self.iam
                .delete_instance_profile()
                .instance_profile_name(name)
        )?;
        Ok(())
    }

    // --- managed policies -----------------------------------------------------------------

    async fn list_policies(
        &self,
        scope: PolicyScope,
        only_attached: bool,
        req: PageRequest,
    ) -> Result<Page<ManagedPolicy>> {
        let scope = match scope {
            PolicyScope::All => iam_t::PolicyScopeType::All,
            PolicyScope::Aws => iam_t::PolicyScopeType::Aws,
            PolicyScope::Local => iam_t::PolicyScopeType::Local,
        };
        let out = send!(
            "ListPolicies",
            self.iam
                .list_policies()
                .scope(scope)
                .only_attached(only_attached)
                .set_marker(req.marker)
                .set_max_items(req.max_items)
                .set_path_prefix(req.path_prefix)
        )?;
        Ok(page(
            out.policies().iter().map(policy_from).collect(),
            out.is_truncated(),
            out.marker(),
        ))
    }

    async fn get_policy(&self, arn: &str) -> Result<ManagedPolicy> {
        let out = send!("GetPolicy", self.iam.get_policy().policy_arn(arn))?;
        out.policy().map(policy_from).ok_or_else(|| {
            BackendError::new("GetPolicy", ErrorKind::NotFound(format!("policy {arn}")))
        })
    }

    async fn create_policy(&self, req: CreatePolicy) -> Result<ManagedPolicy> {
        let out = send!(
            "CreatePolicy",
            self.iam
                .create_policy()
                .policy_name(req.name)
                .policy_document(req.document)
                .set_path(req.path)
                .set_description(req.description)
                .set_tags(Some(tags_to(&req.tags)?))
        )?;
        out.policy().map(policy_from).ok_or_else(|| {
            BackendError::new(
                "CreatePolicy",
                ErrorKind::NotFound("no policy in the response".into()),
            )
        })
    }

    async fn delete_policy(&self, arn: &str) -> Result<()> {
        send!("DeletePolicy", self.iam.delete_policy().policy_arn(arn))?;
        Ok(())
    }

    async fn list_policy_versions(&self, arn: &str) -> Result<Vec<PolicyVersion>> {
        all_pages!(
            "ListPolicyVersions",
            self.iam.list_policy_versions().policy_arn(arn),
            |out| out.versions().iter().map(version_from).collect::<Vec<_>>()
        )
    }

    async fn get_policy_version(&self, arn: &str, version_id: &str) -> Result<PolicyVersion> {
        let out = send!(
            "GetPolicyVersion",
            self.iam
                .get_policy_version()
                .policy_arn(arn)
                .version_id(version_id)
        )?;
        out.policy_version().map(version_from).ok_or_else(|| {
            BackendError::new(
                "GetPolicyVersion",
                ErrorKind::NotFound(format!("{arn} version {version_id}")),
            )
        })
    }

    async fn create_policy_version(
        &self,
        arn: &str,
        document: &str,
        set_as_default: bool,
    ) -> Result<PolicyVersion> {
        let out = send!(
            "CreatePolicyVersion",
            self.iam
                .create_policy_version()
                .policy_arn(arn)
                .policy_document(document)
                .set_as_default(set_as_default)
        )?;
        let mut v = out.policy_version().map(version_from).ok_or_else(|| {
            BackendError::new(
                "CreatePolicyVersion",
                ErrorKind::NotFound("no version in the response".into()),
            )
        })?;
        if v.document.is_none() {
            v.document = Some(document.to_string());
        }
        Ok(v)
    }

    async fn delete_policy_version(&self, arn: &str, version_id: &str) -> Result<()> {
        send!(
            "DeletePolicyVersion",
            self.iam
                .delete_policy_version()
                .policy_arn(arn)
                .version_id(version_id)
        )?;
        Ok(())
    }

    async fn set_default_policy_version(&self, arn: &str, version_id: &str) -> Result<()> {
        send!(
            "SetDefaultPolicyVersion",
            self.iam
                .set_default_policy_version()
                .policy_arn(arn)
                .version_id(version_id)
        )?;
        Ok(())
    }

    async fn list_entities_for_policy(
        &self,
        arn: &str,
        usage: PolicyUsage,
    ) -> Result<PolicyEntities> {
        let filter = match usage {
            PolicyUsage::PermissionsPolicy => iam_t::PolicyUsageType::PermissionsPolicy,
            PolicyUsage::PermissionsBoundary => iam_t::PolicyUsageType::PermissionsBoundary,
        };
        let pages = all_pages!(
            "ListEntitiesForPolicy",
            self.iam
                .list_entities_for_policy()
                .policy_arn(arn)
                .policy_usage_filter(filter.clone()),
            |out| vec![(
                out.policy_users()
                    .iter()
                    .filter_map(|u| u.user_name().map(str::to_string))
                    .collect::<Vec<_>>(),
                out.policy_groups()
                    .iter()
                    .filter_map(|g| g.group_name().map(str::to_string))
                    .collect::<Vec<_>>(),
                out.policy_roles()
                    .iter()
                    .filter_map(|r| r.role_name().map(str::to_string))
                    .collect::<Vec<_>>(),
            )]
        )?;
        let mut entities = PolicyEntities::default();
        for (users, groups, roles) in pages {
            entities.users.extend(users);
            entities.groups.extend(groups);
            entities.roles.extend(roles);
        }
        Ok(entities)
    }

    // --- attachments and inline policies ---------------------------------------------------

    async fn list_attached_policies(&self, entity: &EntityRef) -> Result<Vec<AttachedPolicy>> {
        let name = entity.name.as_str();
        match entity.kind {
            EntityKind::User => all_pages!(
                "ListAttachedUserPolicies",
                self.iam.list_attached_user_policies().user_name(name),
                |out| out
                    .attached_policies()
                    .iter()
                    .map(attached_from)
                    .collect::<Vec<_>>()
            ),
            EntityKind::Group => all_pages!(
                "ListAttachedGroupPolicies",
                self.iam.list_attached_group_policies().group_name(name),
                |out| out
                    .attached_policies()
                    .iter()
                    .map(attached_from)
                    .collect::<Vec<_>>()
            ),
            EntityKind::Role => all_pages!(
                "ListAttachedRolePolicies",
                self.iam.list_attached_role_policies().role_name(name),
                |out| out
                    .attached_policies()
                    .iter()
                    .map(attached_from)
                    .collect::<Vec<_>>()
            ),
        }
    }

    async fn attach_policy(&self, entity: &EntityRef, arn: &str) -> Result<()> {
        let name = entity.name.as_str();
        match entity.kind {
            EntityKind::User => send!(
                "AttachUserPolicy",
                self.iam
                    .attach_user_policy()
                    .user_name(name)
                    .policy_arn(arn)
            )
            .map(drop),
            EntityKind::Group => send!(
                "AttachGroupPolicy",
                self.iam
                    .attach_group_policy()
                    .group_name(name)
                    .policy_arn(arn)
            )
            .map(drop),
            EntityKind::Role => send!(
                "AttachRolePolicy",
                self.iam
                    .attach_role_policy()
                    .role_name(name)
                    .policy_arn(arn)
            )
            .map(drop),
        }
    }

    async fn detach_policy(&self, entity: &EntityRef, arn: &str) -> Result<()> {
        let name = entity.name.as_str();
        match entity.kind {
            EntityKind::User => send!(
                "DetachUserPolicy",
                self.iam
                    .detach_user_policy()
                    .user_name(name)
                    .policy_arn(arn)
            )
            .map(drop),
            EntityKind::Group => send!(
                "DetachGroupPolicy",
                self.iam
                    .detach_group_policy()
                    .group_name(name)
                    .policy_arn(arn)
            )
            .map(drop),
            EntityKind::Role => send!(
                "DetachRolePolicy",
                self.iam
                    .detach_role_policy()
                    .role_name(name)
                    .policy_arn(arn)
            )
            .map(drop),
        }
    }

    async fn list_inline_policies(&self, entity: &EntityRef) -> Result<Vec<String>> {
        let name = entity.name.as_str();
        match entity.kind {
            EntityKind::User => all_pages!(
                "ListUserPolicies",
                self.iam.list_user_policies().user_name(name),
                |out| out.policy_names().to_vec()
            ),
            EntityKind::Group => all_pages!(
                "ListGroupPolicies",
                self.iam.list_group_policies().group_name(name),
                |out| out.policy_names().to_vec()
            ),
            EntityKind::Role => all_pages!(
                "ListRolePolicies",
                self.iam.list_role_policies().role_name(name),
                |out| out.policy_names().to_vec()
            ),
        }
    }

    async fn get_inline_policy(&self, entity: &EntityRef, policy: &str) -> Result<InlinePolicy> {
        let name = entity.name.as_str();
        let document = match entity.kind {
            EntityKind::User => send!(
                "GetUserPolicy",
                self.iam
                    .get_user_policy()
                    .user_name(name)
                    .policy_name(policy)
            )?
            .policy_document()
            .to_string(),
            EntityKind::Group => send!(
                "GetGroupPolicy",
                self.iam
                    .get_group_policy()
                    .group_name(name)
                    .policy_name(policy)
            )?
            .policy_document()
            .to_string(),
            EntityKind::Role => send!(
                "GetRolePolicy",
                self.iam
                    .get_role_policy()
                    .role_name(name)
                    .policy_name(policy)
            )?
            .policy_document()
            .to_string(),
        };
        Ok(InlinePolicy {
            name: policy.to_string(),
            document: decode_policy_document(&document).into_owned(),
        })
    }

    async fn put_inline_policy(&self, entity: &EntityRef, policy: &str, doc: &str) -> Result<()> {
        let name = entity.name.as_str();
        match entity.kind {
            EntityKind::User => send!(
                "PutUserPolicy",
                self.iam
                    .put_user_policy()
                    .user_name(name)
                    .policy_name(policy)
                    .policy_document(doc)
            )
            .map(drop),
            EntityKind::Group => send!(
                "PutGroupPolicy",
                self.iam
                    .put_group_policy()
                    .group_name(name)
                    .policy_name(policy)
                    .policy_document(doc)
            )
            .map(drop),
            EntityKind::Role => send!(
                "PutRolePolicy",
                self.iam
                    .put_role_policy()
                    .role_name(name)
                    .policy_name(policy)
                    .policy_document(doc)
            )
            .map(drop),
        }
    }

    async fn delete_inline_policy(&self, entity: &EntityRef, policy: &str) -> Result<()> {
        let name = entity.name.as_str();
        match entity.kind {
            EntityKind::User => send!(
                "DeleteUserPolicy",
                self.iam
                    .delete_user_policy()
                    .user_name(name)
                    .policy_name(policy)
            )
            .map(drop),
            EntityKind::Group => send!(
                "DeleteGroupPolicy",
                self.iam
                    .delete_group_policy()
                    .group_name(name)
                    .policy_name(policy)
            )
            .map(drop),
            EntityKind::Role => send!(
                "DeleteRolePolicy",
                self.iam
                    .delete_role_policy()
                    .role_name(name)
                    .policy_name(policy)
            )
            .map(drop),
        }
    }

    async fn put_permissions_boundary(&self, entity: &EntityRef, arn: &str) -> Result<()> {
        let name = entity.name.as_str();
        match entity.kind {
            EntityKind::User => send!(
                "PutUserPermissionsBoundary",
                self.iam
                    .put_user_permissions_boundary()
                    .user_name(name)
                    .permissions_boundary(arn)
            )
            .map(drop),
            EntityKind::Role => send!(
                "PutRolePermissionsBoundary",
                self.iam
                    .put_role_permissions_boundary()
                    .role_name(name)
                    .permissions_boundary(arn)
            )
            .map(drop),
            EntityKind::Group => Err(group_boundary("PutUserPermissionsBoundary")),
        }
    }

    async fn delete_permissions_boundary(&self, entity: &EntityRef) -> Result<()> {
        let name = entity.name.as_str();
        match entity.kind {
            EntityKind::User => send!(
                "DeleteUserPermissionsBoundary",
                self.iam.delete_user_permissions_boundary().user_name(name)
            )
            .map(drop),
            EntityKind::Role => send!(
                "DeleteRolePermissionsBoundary",
                self.iam.delete_role_permissions_boundary().role_name(name)
            )
            .map(drop),
            EntityKind::Group => Err(group_boundary("DeleteUserPermissionsBoundary")),
        }
    }

    // --- tags -----------------------------------------------------------------------------

    async fn list_tags(&self, target: &TagTarget) -> Result<Vec<Tag>> {
        match target {
            TagTarget::User(n) => all_pages!(
                "ListUserTags",
                self.iam.list_user_tags().user_name(n),
                |out| tags_from(out.tags())
            ),
            TagTarget::Role(n) => all_pages!(
                "ListRoleTags",
                self.iam.list_role_tags().role_name(n),
                |out| tags_from(out.tags())
            ),
            TagTarget::Policy(a) => all_pages!(
                "ListPolicyTags",
                self.iam.list_policy_tags().policy_arn(a),
                |out| tags_from(out.tags())
            ),
            TagTarget::MfaDevice(s) => all_pages!(
                "ListMFADeviceTags",
                self.iam.list_mfa_device_tags().serial_number(s),
                |out| tags_from(out.tags())
            ),
            TagTarget::OidcProvider(a) => all_pages!(
                "ListOpenIDConnectProviderTags",
                self.iam
                    .list_open_id_connect_provider_tags()
                    .open_id_connect_provider_arn(a),
                |out| tags_from(out.tags())
            ),
            TagTarget::SamlProvider(a) => all_pages!(
                "ListSAMLProviderTags",
                self.iam.list_saml_provider_tags().saml_provider_arn(a),
                |out| tags_from(out.tags())
            ),
        }
    }

    async fn tag(&self, target: &TagTarget, tags: &[Tag]) -> Result<()> {
        let tags = Some(tags_to(tags)?);
        match target {
            TagTarget::User(n) => {
                send!("TagUser", self.iam.tag_user().user_name(n).set_tags(tags)).map(drop)
            }
            TagTarget::Role(n) => {
                send!("TagRole", self.iam.tag_role().role_name(n).set_tags(tags)).map(drop)
            }
            TagTarget::Policy(a) => send!(
                "TagPolicy",
                self.iam.tag_policy().policy_arn(a).set_tags(tags)
            )
            .map(drop),
            TagTarget::MfaDevice(s) => send!(
                "TagMFADevice",
                self.iam.tag_mfa_device().serial_number(s).set_tags(tags)
            )
            .map(drop),
            TagTarget::OidcProvider(a) => send!(
                "TagOpenIDConnectProvider",
                self.iam
                    .tag_open_id_connect_provider()
                    .open_id_connect_provider_arn(a)
                    .set_tags(tags)
            )
            .map(drop),
            TagTarget::SamlProvider(a) => send!(
                "TagSAMLProvider",
                self.iam
                    .tag_saml_provider()
                    .saml_provider_arn(a)
                    .set_tags(tags)
            )
            .map(drop),
        }
    }

    async fn untag(&self, target: &TagTarget, keys: &[String]) -> Result<()> {
        let keys = Some(keys.to_vec());
        match target {
            TagTarget::User(n) => send!(
                "UntagUser",
                self.iam.untag_user().user_name(n).set_tag_keys(keys)
            )
            .map(drop),
            TagTarget::Role(n) => send!(
                "UntagRole",
                self.iam.untag_role().role_name(n).set_tag_keys(keys)
            )
            .map(drop),
            TagTarget::Policy(a) => send!(
                "UntagPolicy",
                self.iam.untag_policy().policy_arn(a).set_tag_keys(keys)
            )
            .map(drop),
            TagTarget::MfaDevice(s) => send!(
                "UntagMFADevice",
                self.iam
                    .untag_mfa_device()
                    .serial_number(s)
                    .set_tag_keys(keys)
            )
            .map(drop),
            TagTarget::OidcProvider(a) => send!(
                "UntagOpenIDConnectProvider",
                self.iam
                    .untag_open_id_connect_provider()
                    .open_id_connect_provider_arn(a)
                    .set_tag_keys(keys)
            )
            .map(drop),
            TagTarget::SamlProvider(a) => send!(
                "UntagSAMLProvider",
                self.iam
                    .untag_saml_provider()
                    .saml_provider_arn(a)
                    .set_tag_keys(keys)
            )
            .map(drop),
        }
    }

    // --- access keys ----------------------------------------------------------------------

    async fn list_access_keys(&self, user: Option<&str>) -> Result<Vec<AccessKey>> {
        all_pages!(
            "ListAccessKeys",
            self.iam
                .list_access_keys()
                .set_user_name(user.map(str::to_string)),
            |out| out
                .access_key_metadata()
                .iter()
                .map(key_from)
                .collect::<Vec<_>>()
        )
    }

    async fn get_access_key_last_used(&self, access_key_id: &str) -> Result<AccessKeyLastUsed> {
        let out = send!(
            "GetAccessKeyLastUsed",
            self.iam
                .get_access_key_last_used()
                .access_key_id(access_key_id)
        )?;
        Ok(out
            .access_key_last_used()
            .map(|l| AccessKeyLastUsed {
                date: ts_opt(l.last_used_date()),
                service: not_na(l.service_name()),
                region: not_na(l.region()),
            })
            .unwrap_or_default())
    }

    async fn create_access_key(&self, user: Option<&str>) -> Result<NewAccessKey> {
        let out = send!(
            "CreateAccessKey",
            self.iam
                .create_access_key()
                .set_user_name(user.map(str::to_string))
        )?;
        let k = out.access_key().ok_or_else(|| {
            BackendError::new(
                "CreateAccessKey",
                ErrorKind::NotFound("no key in the response".into()),
            )
        })?;
        Ok(NewAccessKey {
            key: AccessKey {
                user_name: k.user_name().to_string(),
                access_key_id: k.access_key_id().to_string(),
                status: status_from(Some(k.status())),
                create_date: ts_opt(k.create_date()).unwrap_or_else(chrono::Utc::now),
            },
            secret_access_key: SecretString::from(k.secret_access_key().to_string()),
        })
    }

    async fn update_access_key(
        &self,
        user: Option<&str>,
        access_key_id: &str,
        status: KeyStatus,
    ) -> Result<()> {
        send!(
            "UpdateAccessKey",
            self.iam
                .update_access_key()
                .set_user_name(user.map(str::to_string))
                .access_key_id(access_key_id)
                .status(status_to(status))
        )?;
        Ok(())
    }

    async fn delete_access_key(&self, user: Option<&str>, access_key_id: &str) -> Result<()> {
        send!(
            "DeleteAccessKey",
            self.iam
                .delete_access_key()
                .set_user_name(user.map(str::to_string))
                .access_key_id(access_key_id)
        )?;
        Ok(())
    }

    // --- MFA ------------------------------------------------------------------------------

    async fn list_mfa_devices(&self, user: Option<&str>) -> Result<Vec<MfaDevice>> {
        all_pages!(
            "ListMFADevices",
            self.iam
                .list_mfa_devices()
                .set_user_name(user.map(str::to_string)),
            |out| out
                .mfa_devices()
                .iter()
                .map(|d| MfaDevice {
                    serial_number: d.serial_number().to_string(),
                    user_name: Some(d.user_name().to_string()),
                    enable_date: Some(ts(d.enable_date())),
                    kind: MfaKind::from_serial(d.serial_number()),
                })
                .collect::<Vec<_>>()
        )
    }

    async fn list_virtual_mfa_devices(&self, filter: MfaAssignment) -> Result<Vec<MfaDevice>> {
        let status = match filter {
            MfaAssignment::Any => iam_t::AssignmentStatusType::Any,
            MfaAssignment::Assigned => iam_t::AssignmentStatusType::Assigned,
            MfaAssignment::Unassigned => iam_t::AssignmentStatusType::Unassigned,
        };
        all_pages!(
            "ListVirtualMFADevices",
            self.iam
                .list_virtual_mfa_devices()
                .assignment_status(status.clone()),
            |out| out
                .virtual_mfa_devices()
                .iter()
                .map(|d| MfaDevice {
                    serial_number: d.serial_number().to_string(),
                    user_name: d.user().map(|u| u.user_name().to_string()),
                    enable_date: ts_opt(d.enable_date()),
                    kind: MfaKind::Virtual,
                })
                .collect::<Vec<_>>()
        )
    }

    async fn create_virtual_mfa_device(
        &self,
        name: &str,
        path: Option<&str>,
    ) -> Result<NewVirtualMfa> {
        let out = send!(
            "CreateVirtualMFADevice",
            self.iam
                .create_virtual_mfa_device()
                .virtual_mfa_device_name(name)
                .set_path(path.map(str::to_string))
        )?;
        let d = out.virtual_mfa_device().ok_or_else(|| {
            BackendError::new(
                "CreateVirtualMFADevice",
                ErrorKind::NotFound("no device in the response".into()),
            )
        })?;
        // The SDK has already base64-decoded the blob: its bytes are the Base32 seed text.
        let seed = d
            .base32_string_seed()
            .map(|b| String::from_utf8_lossy(b.as_ref()).into_owned())
            .ok_or_else(|| {
                BackendError::new(
                    "CreateVirtualMFADevice",
                    ErrorKind::Service {
                        code: "MissingSeed".into(),
                        message: "the response carried no Base32 seed".into(),
                    },
                )
            })?;
        Ok(NewVirtualMfa {
            serial_number: d.serial_number().to_string(),
            seed_base32: SecretString::from(seed),
        })
    }

    async fn enable_mfa_device(
        &self,
        user: &str,
        serial: &str,
        code1: &str,
        code2: &str,
    ) -> Result<()> {
        send!(
            "EnableMFADevice",
            self.iam
                .enable_mfa_device()
                .user_name(user)
                .serial_number(serial)
                .authentication_code1(code1)
                .authentication_code2(code2)
        )?;
        Ok(())
    }

    async fn resync_mfa_device(
        &self,
        user: &str,
        serial: &str,
        code1: &str,
        code2: &str,
    ) -> Result<()> {
        send!(
            "ResyncMFADevice",
            self.iam
                .resync_mfa_device()
                .user_name(user)
                .serial_number(serial)
                .authentication_code1(code1)
                .authentication_code2(code2)
        )?;
        Ok(())
    }

    async fn deactivate_mfa_device(&self, user: &str, serial: &str) -> Result<()> {
        send!(
            "DeactivateMFADevice",
            self.iam
                .deactivate_mfa_device()
                .user_name(user)
                .serial_number(serial)
        )?;
        Ok(())
    }

    async fn delete_virtual_mfa_device(&self, serial: &str) -> Result<()> {
        send!(
            "DeleteVirtualMFADevice",
            self.iam.delete_virtual_mfa_device().serial_number(serial)
        )?;
        Ok(())
    }

    // --- account settings -----------------------------------------------------------------

    async fn get_password_policy(&self) -> Result<Option<PasswordPolicy>> {
        let out = match send!(
            "GetAccountPasswordPolicy",
            self.iam.get_account_password_policy()
        ) {
            Ok(out) => out,
            // IAM answers NoSuchEntity when the account has none: that is not an error here.
            Err(e) if e.is_not_found() => return Ok(None),
            Err(e) => return Err(e),
        };
        Ok(out.password_policy().map(|p| PasswordPolicy {
            minimum_password_length: p.minimum_password_length(),
            require_symbols: p.require_symbols(),
            require_numbers: p.require_numbers(),
            require_uppercase_characters: p.require_uppercase_characters(),
            require_lowercase_characters: p.require_lowercase_characters(),
            allow_users_to_change_password: p.allow_users_to_change_password(),
            expire_passwords: p.expire_passwords(),
            // Valid ages are 1..=1095 days; moto reports an unset age as 0.
            max_password_age: p.max_password_age().filter(|&days| days > 0),
            password_reuse_prevention: p.password_reuse_prevention(),
            hard_expiry: p.hard_expiry(),
        }))
    }

    async fn update_password_policy(&self, p: &PasswordPolicy) -> Result<()> {
        send!(
            "UpdateAccountPasswordPolicy",
            self.iam
                .update_account_password_policy()
                .set_minimum_password_length(p.minimum_password_length)
                .require_symbols(p.require_symbols)
                .require_numbers(p.require_numbers)
                .require_uppercase_characters(p.require_uppercase_characters)
                .require_lowercase_characters(p.require_lowercase_characters)
                .allow_users_to_change_password(p.allow_users_to_change_password)
                .set_max_password_age(p.max_password_age)
                .set_password_reuse_prevention(p.password_reuse_prevention)
                .set_hard_expiry(p.hard_expiry)
        )?;
        Ok(())
    }

    async fn delete_password_policy(&self) -> Result<()> {
        send!(
            "DeleteAccountPasswordPolicy",
            self.iam.delete_account_password_policy()
        )?;
        Ok(())
    }

    // --- identity providers ---------------------------------------------------------------

    async fn list_saml_providers(&self) -> Result<Vec<SamlProvider>> {
        let out = send!("ListSAMLProviders", self.iam.list_saml_providers())?;
        Ok(out
            .saml_provider_list()
            .iter()
            .map(|p| SamlProvider {
                arn: p.arn().unwrap_or_default().to_string(),
                create_date: ts_opt(p.create_date()),
                valid_until: ts_opt(p.valid_until()),
                metadata_document: None,
                tags: Vec::new(),
            })
            .collect())
    }

    async fn get_saml_provider(&self, arn: &str) -> Result<SamlProvider> {
        let out = send!(
            "GetSAMLProvider",
            self.iam.get_saml_provider().saml_provider_arn(arn)
        )?;
        Ok(SamlProvider {
            arn: arn.to_string(),
            create_date: ts_opt(out.create_date()),
            valid_until: ts_opt(out.valid_until()),
            metadata_document: out.saml_metadata_document().map(str::to_string),
            tags: tags_from(out.tags()),
        })
    }

    async fn create_saml_provider(
        &self,
        name: &str,
        metadata_document: &str,
        tags: &[Tag],
    ) -> Result<String> {
        let out = send!(
            "CreateSAMLProvider",
            self.iam
                .create_saml_provider()
                .name(name)
                .saml_metadata_document(metadata_document)
                .set_tags(Some(tags_to(tags)?))
        )?;
        Ok(out.saml_provider_arn().unwrap_or_default().to_string())
    }

    async fn delete_saml_provider(&self, arn: &str) -> Result<()> {
        send!(
            "DeleteSAMLProvider",
            self.iam.delete_saml_provider().saml_provider_arn(arn)
        )?;
        Ok(())
    }

    async fn list_oidc_providers(&self) -> Result<Vec<OidcProvider>> {
        let out = send!(
            "ListOpenIDConnectProviders",
            self.iam.list_open_id_connect_providers()
        )?;
        Ok(out
            .open_id_connect_provider_list()
            .iter()
            .filter_map(|p| p.arn())
            .map(|arn| OidcProvider {
                arn: arn.to_string(),
                url: None,
                client_ids: Vec::new(),
                thumbprints: Vec::new(),
                create_date: None,
                tags: Vec::new(),
            })
            .collect())
    }

    async fn get_oidc_provider(&self, arn: &str) -> Result<OidcProvider> {
        let out = send!(
            "GetOpenIDConnectProvider",
            self.iam
                .get_open_id_connect_provider()
                .open_id_connect_provider_arn(arn)
        )?;
        Ok(OidcProvider {
            arn: arn.to_string(),
            url: out.url().map(str::to_string),
            client_ids: out.client_id_list().to_vec(),
            thumbprints: out.thumbprint_list().to_vec(),
            create_date: ts_opt(out.create_date()),
            tags: tags_from(out.tags()),
        })
    }

    async fn create_oidc_provider(&self, req: CreateOidcProvider) -> Result<String> {
        let out = send!(
            "CreateOpenIDConnectProvider",
            self.iam
                .create_open_id_connect_provider()
                .url(req.url)
                .set_client_id_list(Some(req.client_ids))
                .set_thumbprint_list(Some(req.thumbprints))
                .set_tags(Some(tags_to(&req.tags)?))
        )?;
        Ok(out
            .open_id_connect_provider_arn()
            .unwrap_or_default()
            .to_string())
    }

    async fn delete_oidc_provider(&self, arn: &str) -> Result<()> {
        send!(
            "DeleteOpenIDConnectProvider",
            self.iam
                .delete_open_id_connect_provider()
                .open_id_connect_provider_arn(arn)
        )?;
        Ok(())
    }

    // --- credential report ----------------------------------------------------------------

    async fn generate_credential_report(&self) -> Result<ReportState> {
        let out = send!(
            "GenerateCredentialReport",
            self.iam.generate_credential_report()
        )?;
        Ok(match out.state() {
            Some(iam_t::ReportStateType::Complete) => ReportState::Complete,
            Some(iam_t::ReportStateType::Inprogress) => ReportState::InProgress,
            _ => ReportState::Started,
        })
    }

    async fn get_credential_report(&self) -> Result<CredentialReport> {
        let out = send!("GetCredentialReport", self.iam.get_credential_report())?;
        let content = out.content().map(|b| b.as_ref()).unwrap_or_default();
        CredentialReport::parse_csv(ts_opt(out.generated_time()), content).map_err(|e| {
            BackendError::new(
                "GetCredentialReport",
                ErrorKind::Service {
                    code: "MalformedReport".into(),
                    message: e.to_string(),
                },
            )
        })
    }

    // --- STS ------------------------------------------------------------------------------

    async fn assume_role(&self, req: AssumeRoleRequest) -> Result<AssumedRole> {
        let tags = req
            .tags
            .iter()
            .map(|t| {
                aws_sdk_sts::types::Tag::builder()
                    .key(&t.key)
                    .value(&t.value)
                    .build()
                    .map_err(|e| {
                        BackendError::new("AssumeRole", ErrorKind::Validation(e.to_string()))
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        let policy_arns = req
            .policy_arns
            .iter()
            .map(|a| {
                aws_sdk_sts::types::PolicyDescriptorType::builder()
                    .arn(a)
                    .build()
            })
            .collect::<Vec<_>>();
        let out = send!(
            "AssumeRole",
            self.sts
                .assume_role()
                .role_arn(req.role_arn)
                .role_session_name(req.session_name)
                .set_duration_seconds(req.duration_seconds)
                .set_external_id(req.external_id)
                .set_serial_number(req.serial_number)
                .set_token_code(req.token_code)
                .set_source_identity(req.source_identity)
                .set_tags((!tags.is_empty()).then_some(tags))
                .set_transitive_tag_keys(
                    (!req.transitive_tag_keys.is_empty()).then_some(req.transitive_tag_keys)
                )
                .set_policy(req.policy)
                .set_policy_arns((!policy_arns.is_empty()).then_some(policy_arns))
        )?;
        let creds = out.credentials().ok_or_else(|| {
            BackendError::new(
                "AssumeRole",
                ErrorKind::Service {
                    code: "MissingCredentials".into(),
                    message: "STS returned no credentials".into(),
                },
            )
        })?;
        let user = out.assumed_role_user();
        Ok(AssumedRole {
            credentials: sts_credentials(creds),
            assumed_role_arn: user.map(|u| u.arn().to_string()).unwrap_or_default(),
            assumed_role_id: user
                .map(|u| u.assumed_role_id().to_string())
                .unwrap_or_default(),
            session_token_utilization: out.session_token_utilization(),
            source_identity: out.source_identity().map(str::to_string),
        })
    }

    async fn get_session_token(&self, req: GetSessionTokenRequest) -> Result<Credentials> {
        let out = send!(
            "GetSessionToken",
            self.sts
                .get_session_token()
                .set_duration_seconds(req.duration_seconds)
                .set_serial_number(req.serial_number)
                .set_token_code(req.token_code)
        )?;
        out.credentials().map(sts_credentials).ok_or_else(|| {
            BackendError::new(
                "GetSessionToken",
                ErrorKind::Service {
                    code: "MissingCredentials".into(),
                    message: "STS returned no credentials".into(),
                },
            )
        })
    }
}

fn group_boundary(operation: &'static str) -> BackendError {
    BackendError::new(
        operation,
        ErrorKind::Validation("groups cannot have a permissions boundary".into()),
    )
}

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
