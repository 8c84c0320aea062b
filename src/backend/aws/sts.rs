//! STS: who the caller is, assumed roles, MFA sessions.

use super::*;

pub(super) async fn whoami(b: &AwsBackend) -> Result<Identity> {
    let out = send!("GetCallerIdentity", b.sts.get_caller_identity())?;
    Ok(Identity {
        account: out.account().unwrap_or_default().to_string(),
        arn: out.arn().unwrap_or_default().to_string(),
        user_id: out.user_id().unwrap_or_default().to_string(),
    })
}

pub(super) async fn assume_role(b: &AwsBackend, req: AssumeRoleRequest) -> Result<AssumedRole> {
    let tags = req
        .tags
        .iter()
        .map(|t| {
            aws_sdk_sts::types::Tag::builder()
                .key(&t.key)
                .value(&t.value)
                .build()
                .map_err(|e| BackendError::new("AssumeRole", ErrorKind::Validation(e.to_string())))
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
        b.sts
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
    let creds = out
        .credentials()
        .ok_or_else(|| no_credentials("AssumeRole"))?;
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

pub(super) async fn get_session_token(
    b: &AwsBackend,
    req: GetSessionTokenRequest,
) -> Result<Credentials> {
    let out = send!(
        "GetSessionToken",
        b.sts
            .get_session_token()
            .set_duration_seconds(req.duration_seconds)
            .set_serial_number(req.serial_number)
            .set_token_code(req.token_code)
    )?;
    out.credentials()
        .map(sts_credentials)
        .ok_or_else(|| no_credentials("GetSessionToken"))
}

fn no_credentials(operation: &'static str) -> BackendError {
    service_error(
        operation,
        "MissingCredentials",
        "STS returned no credentials",
    )
}

pub(super) fn sts_credentials(c: &aws_sdk_sts::types::Credentials) -> Credentials {
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
