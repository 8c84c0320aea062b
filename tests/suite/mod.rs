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

/// Expands `$wrap! { name => suite::module::name, ... }` with every test of the suite, then the
/// entries after `$wrap,`: each binary's `$wrap` makes one `#[tokio::test]` per entry.
macro_rules! every_suite_test {
    ($wrap:ident $(, $($extra:tt)+)?) => {
        $wrap! {
            whoami => suite::identity::whoami,
            fresh_account_has_no_alias => suite::identity::fresh_account_has_no_alias,
            account_alias_lifecycle => suite::identity::account_alias_lifecycle,

            user_lifecycle => suite::users::user_lifecycle,
            user_errors => suite::users::user_errors,
            delete_user_with_policies_conflicts => suite::users::delete_user_with_policies_conflicts,
            users_small_pages => suite::users::users_small_pages,

            group_lifecycle => suite::groups::group_lifecycle,
            group_errors => suite::groups::group_errors,
            groups_small_pages => suite::groups::groups_small_pages,

            role_lifecycle => suite::roles::role_lifecycle,
            role_errors => suite::roles::role_errors,
            role_permissions_boundary => suite::roles::role_permissions_boundary,
            instance_profiles => suite::roles::instance_profiles,
            instance_profiles_listed_in_pages => suite::roles::instance_profiles_listed_in_pages,
            service_linked_role_lifecycle => suite::roles::service_linked_role_lifecycle,
            login_profile_absent => suite::users::login_profile_absent,
            login_profile_lifecycle => suite::users::login_profile_lifecycle,

            policy_lifecycle => suite::policies::policy_lifecycle,
            policy_versions => suite::policies::policy_versions,
            malformed_documents_are_rejected => suite::policies::malformed_documents_are_rejected,
            entities_for_policy => suite::policies::entities_for_policy,

            attach_and_detach => suite::attachments::attach_and_detach,
            inline_policies => suite::attachments::inline_policies,

            tags_on_users_roles_policies => suite::tags::tags_on_users_roles_policies,
            tags_on_oidc_provider => suite::tags::tags_on_oidc_provider,
            tags_on_instance_profile => suite::tags::tags_on_instance_profile,

            access_key_lifecycle => suite::access_keys::access_key_lifecycle,
            rotate_own_key => suite::access_keys::rotate_own_key,

            virtual_mfa_lifecycle => suite::mfa::virtual_mfa_lifecycle,
            mfa_errors => suite::mfa::mfa_errors,

            password_policy => suite::account::password_policy,
            saml_providers => suite::account::saml_providers,
            oidc_providers => suite::account::oidc_providers,
            saml_provider_update => suite::account::saml_provider_update,
            oidc_provider_thumbprints => suite::account::oidc_provider_thumbprints,
            credential_report => suite::account::credential_report,
            account_summary => suite::account::account_summary,

            assume_role_and_act_as_it => suite::sts::assume_role_and_act_as_it,
            session_token => suite::sts::session_token,

            read_only_refuses_every_write => suite::read_only::read_only_refuses_every_write,

            ssh_public_key_lifecycle => suite::public_keys::ssh_public_key_lifecycle,
            signing_certificate_lifecycle => suite::public_keys::signing_certificate_lifecycle,

            roles_span_pages => suite::pagination::roles_span_pages,
            policies_span_pages => suite::pagination::policies_span_pages,
            attached_policies_are_complete => suite::pagination::attached_policies_are_complete,
            $($($extra)+)?
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
pub mod public_keys;
pub mod read_only;
pub mod roles;
pub mod sts;
pub mod tags;
pub mod users;
