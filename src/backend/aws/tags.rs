//! Tags. IAM has a call per taggable resource, each with its own SDK builder; [`per_target!`]
//! writes the seven arms.

use super::*;

/// `$finish` applied to the flavour of a call for `$target`: `$req` is its builder (the SDK's
/// `$method` for the target's kind), already naming the resource, and `$op` its IAM name (`$pre`
/// resource `$post`).
macro_rules! per_target {
    ($b:expr, $target:expr, $pre:literal $post:literal, [$($method:ident),+],
     |$op:ident, $req:ident| $finish:expr) => {
        per_target!(@arms $b, $target, $pre $post, [$($method),+], |$op, $req| $finish, [
            User "User" user_name,
            Role "Role" role_name,
            Policy "Policy" policy_arn,
            MfaDevice "MFADevice" serial_number,
            OidcProvider "OpenIDConnectProvider" open_id_connect_provider_arn,
            SamlProvider "SAMLProvider" saml_provider_arn,
            InstanceProfile "InstanceProfile" instance_profile_name
        ])
    };
    (@arms $b:expr, $target:expr, $pre:literal $post:literal, [$($method:ident),+],
     |$op:ident, $req:ident| $finish:expr, [$($kind:ident $name:literal $by:ident),+]) => {
        match $target {
            $(TagTarget::$kind(id) => {
                let ($op, $req) = (concat!($pre, $name, $post), $b.iam.$method().$by(id));
                $finish
            })+
        }
    };
}

pub(super) async fn list_tags(b: &AwsBackend, target: &TagTarget) -> Result<Vec<Tag>> {
    per_target!(
        b,
        target,
        "List" "Tags",
        [
            list_user_tags,
            list_role_tags,
            list_policy_tags,
            list_mfa_device_tags,
            list_open_id_connect_provider_tags,
            list_saml_provider_tags,
            list_instance_profile_tags
        ],
        |op, req| all_pages!(op, req.clone(), |out| tags_from(out.tags()))
    )
}

pub(super) async fn tag(b: &AwsBackend, target: &TagTarget, tags: &[Tag]) -> Result<()> {
    let tags = Some(tags_to(tags)?);
    per_target!(
        b,
        target,
        "Tag" "",
        [
            tag_user,
            tag_role,
            tag_policy,
            tag_mfa_device,
            tag_open_id_connect_provider,
            tag_saml_provider,
            tag_instance_profile
        ],
        |op, req| send_unit!(op, req.set_tags(tags))
    )
}

pub(super) async fn untag(b: &AwsBackend, target: &TagTarget, keys: &[String]) -> Result<()> {
    let keys = Some(keys.to_vec());
    per_target!(
        b,
        target,
        "Untag" "",
        [
            untag_user,
            untag_role,
            untag_policy,
            untag_mfa_device,
            untag_open_id_connect_provider,
            untag_saml_provider,
            untag_instance_profile
        ],
        |op, req| send_unit!(op, req.set_tag_keys(keys))
    )
}
