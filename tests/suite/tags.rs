//! Tagging: add, overwrite, remove, list.

use std::sync::Arc;

use iamtui::iam::*;

use super::util::*;

/// Tag, overwrite a value, untag, on one target that starts without tags. The value uses
/// every punctuation IAM allows in tags (`[\p{L}\p{Z}\p{N}_.:/=+\-@]`); `&` is not among them.
pub async fn exercise_tags(b: &Arc<dyn Backend>, target: &TagTarget) {
    assert!(
        b.list_tags(target).await.unwrap().is_empty(),
        "{target:?} starts untagged"
    );
    b.tag(
        target,
        &[Tag::new("env", "dev"), Tag::new("owner", "a b+c=d@e/f:g")],
    )
    .await
    .unwrap_or_else(|e| panic!("tag {target:?}: {e}"));
    assert_eq!(
        sorted_tags(&b.list_tags(target).await.unwrap()),
        [Tag::new("env", "dev"), Tag::new("owner", "a b+c=d@e/f:g")],
        "{target:?}"
    );
    // Same key again: the value is replaced, not duplicated.
    b.tag(target, &[Tag::new("env", "prod"), Tag::new("tier", "")])
        .await
        .unwrap();
    assert_eq!(
        sorted_tags(&b.list_tags(target).await.unwrap()),
        [
            Tag::new("env", "prod"),
            Tag::new("owner", "a b+c=d@e/f:g"),
            Tag::new("tier", "")
        ],
        "{target:?}"
    );
    b.untag(target, &["owner".to_string(), "tier".to_string()])
        .await
        .unwrap_or_else(|e| panic!("untag {target:?}: {e}"));
    assert_eq!(
        b.list_tags(target).await.unwrap(),
        [Tag::new("env", "prod")],
        "{target:?}"
    );
    // Removing a key that is not there is not an error.
    b.untag(target, &["absent".to_string()]).await.unwrap();
    assert_eq!(b.list_tags(target).await.unwrap().len(), 1);
}

pub async fn tags_on_users_roles_policies(b: Arc<dyn Backend>) {
    user(&*b, "u").await;
    role(&*b, "r").await;
    let p = policy(&*b, "p").await;
    for target in [
        TagTarget::User("u".into()),
        TagTarget::Role("r".into()),
        TagTarget::Policy(p.arn.clone()),
    ] {
        exercise_tags(&b, &target).await;
    }
    // Tags show on the entity too.
    assert_eq!(
        b.get_user(Some("u")).await.unwrap().tags,
        [Tag::new("env", "prod")]
    );
    assert_eq!(
        b.get_role("r").await.unwrap().tags,
        [Tag::new("env", "prod")]
    );
    assert_eq!(
        b.get_policy(&p.arn).await.unwrap().tags,
        [Tag::new("env", "prod")]
    );

    assert_err!(
        b.list_tags(&TagTarget::User("ghost".into())).await,
        ErrorKind::NotFound(_)
    );
    assert_err!(
        b.tag(&TagTarget::Role("ghost".into()), &[Tag::new("a", "b")])
            .await,
        ErrorKind::NotFound(_)
    );
}

pub async fn tags_on_oidc_provider(b: Arc<dyn Backend>) {
    let arn = b
        .create_oidc_provider(CreateOidcProvider {
            url: "https://tags.example.com".into(),
            client_ids: vec!["sts.amazonaws.com".into()],
            thumbprints: vec!["9e99a48a9960b14926bb7f3b02e22da2b0ab7280".into()],
            tags: Vec::new(),
        })
        .await
        .expect("create oidc provider");
    exercise_tags(&b, &TagTarget::OidcProvider(arn.clone())).await;
    assert_eq!(
        b.get_oidc_provider(&arn).await.unwrap().tags,
        [Tag::new("env", "prod")]
    );
}

/// For backends that tag SAML providers and MFA devices: the local account does; moto 5.2.5 does
/// not (HTTP 500, pinned in `aws_moto.rs`).
#[allow(dead_code)]
pub async fn tags_on_saml_provider_and_mfa_device(b: Arc<dyn Backend>) {
    let saml = b
        .create_saml_provider("tagged", &saml_metadata("https://idp.example.com/"), &[])
        .await
        .expect("create saml provider");
    exercise_tags(&b, &TagTarget::SamlProvider(saml)).await;
    let mfa = b
        .create_virtual_mfa_device("tagged", None)
        .await
        .expect("create mfa");
    exercise_tags(&b, &TagTarget::MfaDevice(mfa.serial_number)).await;
}

/// Instance profiles: TagInstanceProfile and UntagInstanceProfile, read back with
/// GetInstanceProfile (what every backend does; ListInstanceProfileTags is in
/// `tags_listed_on_instance_profile`).
pub async fn tags_on_instance_profile(b: Arc<dyn Backend>) {
    b.create_instance_profile("tagged", None)
        .await
        .expect("create instance profile");
    let target = TagTarget::InstanceProfile("tagged".into());
    let read = || async { sorted_tags(&b.get_instance_profile("tagged").await.unwrap().tags) };
    assert!(read().await.is_empty());
    b.tag(&target, &[Tag::new("env", "dev"), Tag::new("owner", "a b")])
        .await
        .unwrap();
    // Same key again: the value is replaced, not duplicated.
    b.tag(&target, &[Tag::new("env", "prod")]).await.unwrap();
    assert_eq!(
        read().await,
        [Tag::new("env", "prod"), Tag::new("owner", "a b")]
    );
    b.untag(&target, &["owner".to_string(), "absent".to_string()])
        .await
        .unwrap();
    assert_eq!(read().await, [Tag::new("env", "prod")]);
    assert_err!(
        b.tag(
            &TagTarget::InstanceProfile("ghost".into()),
            &[Tag::new("a", "b")]
        )
        .await,
        ErrorKind::NotFound(_)
    );
}

/// For backends that list an instance profile's tags (ListInstanceProfileTags): the local
/// account does; moto 5.2.5 does not (HTTP 500, pinned in `aws_moto.rs`).
#[allow(dead_code)]
pub async fn tags_listed_on_instance_profile(b: Arc<dyn Backend>) {
    b.create_instance_profile("listed", None)
        .await
        .expect("create instance profile");
    exercise_tags(&b, &TagTarget::InstanceProfile("listed".into())).await;
    assert_eq!(
        b.get_instance_profile("listed").await.unwrap().tags,
        [Tag::new("env", "prod")]
    );
    assert_err!(
        b.list_tags(&TagTarget::InstanceProfile("ghost".into()))
            .await,
        ErrorKind::NotFound(_)
    );
}
