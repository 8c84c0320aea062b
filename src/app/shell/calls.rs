//! Backend calls as data. `update` decides which calls to make and gets their replies back as
//! messages; only [`execute`] talks to the backend, inside a background task. Describing calls
//! as values keeps `update` free of I/O and lets tests see what it asked for.
//!
//! `Call` has one variant per operation declared in [`crate::iam::ops`], shaped as the console
//! asks for it; `Reply` has one variant per result type, so calls that return the same thing
//! share it.

use std::sync::Arc;

use crate::iam::error::Result;
use crate::iam::ops::by_kind;
use crate::iam::*;

/// The console's page: up to 1000 rows after `marker`.
fn console_page(marker: Option<String>) -> PageRequest {
    PageRequest {
        marker,
        max_items: Some(1000),
        path_prefix: None,
    }
}

macro_rules! is_write {
    (read) => {
        false
    };
    (write) => {
        true
    };
}

macro_rules! operation_name {
    ([$op:expr] $fallback:expr) => {
        $op
    };
    ($fallback:expr) => {
        $fallback
    };
}

macro_rules! calls {
    ([] $(
        $(#[$doc:meta])*
        $kind:ident $([$op:expr])? $method:ident ($($arg:ident : $aty:ty),* $(,)?) -> $ret:ty
            => $call:ident $({ $($field:ident : $fty:ty),* $(,)? })? ($($built:expr),* $(,)?);
    )*) => {
        /// One backend call.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Call {
            $( $(#[$doc])* $call $({ $($field: $fty),* })?, )*
        }

        impl Call {
            /// The call's kind without its arguments, for logs (arguments may hold MFA codes).
            pub fn label(&self) -> &'static str {
                match self {
                    $( Call::$call { .. } => stringify!($call), )*
                }
            }

            /// The IAM operation the call makes (`CreateRole`, `PutUserPolicy`), as declared in
            /// [`crate::iam::ops`]; the call's own name where none is declared.
            #[allow(unused_variables)]
            pub fn operation(&self) -> &'static str {
                match self {
                    $( Call::$call { $($($field),*)? } => {
                        operation_name!($([$op])? stringify!($call))
                    } )*
                }
            }

            /// The call's arguments by name, for the audit trail to find what a call acts on.
            pub fn fields(&self) -> Vec<(&'static str, &dyn std::any::Any)> {
                match self {
                    $( Call::$call { $($($field),*)? } => vec![
                        $($((stringify!($field), $field as &dyn std::any::Any)),*)?
                    ], )*
                }
            }

            /// Whether the call changes the account (refused up front in read-only mode).
            pub fn mutates(&self) -> bool {
                match self {
                    $( Call::$call { .. } => is_write!($kind), )*
                }
            }
        }

        /// Makes the call. The only function of the app that awaits the backend.
        pub async fn execute(b: Arc<dyn Backend>, call: Call) -> Result<Reply> {
            Ok(match call {
                $( Call::$call { $($($field),*)? } => b.$method($($built),*).await?.into(), )*
            })
        }
    };
}
ops::backend_ops!([calls]);

macro_rules! replies {
    ($($(#[$doc:meta])* $variant:ident($ty:ty),)*) => {
        /// A call's result.
        #[derive(Debug, Clone)]
        pub enum Reply {
            $($(#[$doc])* $variant($ty),)*
            Assumed(Box<AssumedRole>),
            Done,
        }
        $(impl From<$ty> for Reply {
            fn from(value: $ty) -> Self {
                Self::$variant(value)
            }
        })*
    };
}
replies! {
    Identity(Identity),
    Users(Page<User>),
    Groups(Page<Group>),
    Roles(Page<Role>),
    Policies(Page<ManagedPolicy>),
    InstanceProfilePage(Page<InstanceProfile>),
    AccountSummary(AccountSummary),
    ReportState(ReportState),
    Report(CredentialReport),
    MfaDevices(Vec<MfaDevice>),
    SamlProviders(Vec<SamlProvider>),
    OidcProviders(Vec<OidcProvider>),
    PasswordPolicy(Option<PasswordPolicy>),
    User(User),
    GroupList(Vec<Group>),
    /// A group just created (a detail view's group comes with its members).
    NewGroup(Group),
    AccessKeys(Vec<AccessKey>),
    KeyLastUsed(AccessKeyLastUsed),
    LoginProfile(Option<LoginProfile>),
    /// A console password just set.
    NewLoginProfile(LoginProfile),
    Group(GroupDetail),
    Role(Role),
    InstanceProfile(InstanceProfile),
    InstanceProfiles(Vec<InstanceProfile>),
    Policy(ManagedPolicy),
    Versions(Vec<PolicyVersion>),
    Version(PolicyVersion),
    Entities(PolicyEntities),
    Attached(Vec<AttachedPolicy>),
    Names(Vec<String>),
    Inline(InlinePolicy),
    Tags(Vec<Tag>),
    Saml(SamlProvider),
    Oidc(OidcProvider),
    /// What a call made: a new identity provider's ARN, a role deletion task's id.
    Created(String),
    RoleDeletion(RoleDeletion),
    /// A new access key: the only moment its secret exists outside IAM.
    NewKey(NewAccessKey),
    /// A new virtual MFA device and its seed.
    NewMfa(NewVirtualMfa),
    Session(Credentials),
    SshKeys(Vec<SshPublicKey>),
    SshKey(SshPublicKey),
    SigningCerts(Vec<SigningCertificate>),
    SigningCert(SigningCertificate),
}

impl From<AssumedRole> for Reply {
    fn from(assumed: AssumedRole) -> Self {
        Self::Assumed(Box::new(assumed))
    }
}

impl From<()> for Reply {
    fn from((): ()) -> Self {
        Self::Done
    }
}
