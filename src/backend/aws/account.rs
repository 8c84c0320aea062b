//! Account settings: aliases, the password policy, SAML and OIDC providers, the credential
//! report.

use super::*;

pub(super) async fn list_account_aliases(b: &AwsBackend) -> Result<Vec<String>> {
    all_pages!("ListAccountAliases", b.iam.list_account_aliases(), |out| {
        out.account_aliases().to_vec()
    })
}

unit_calls! {
    "CreateAccountAlias" create_account_alias(alias: &str).account_alias(alias);
    "DeleteAccountAlias" delete_account_alias(alias: &str).account_alias(alias);
}

pub(super) async fn get_password_policy(b: &AwsBackend) -> Result<Option<PasswordPolicy>> {
    let out = match send!(
        "GetAccountPasswordPolicy",
        b.iam.get_account_password_policy()
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

pub(super) async fn get_account_summary(b: &AwsBackend) -> Result<AccountSummary> {
    let out = send!("GetAccountSummary", b.iam.get_account_summary())?;
    Ok(AccountSummary {
        entries: out
            .summary_map()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str().to_string(), i64::from(*v)))
            .collect(),
    })
}

unit_calls! {
    "UpdateAccountPasswordPolicy"
    update_password_policy as update_account_password_policy(p: &PasswordPolicy)
        .set_minimum_password_length(p.minimum_password_length)
        .require_symbols(p.require_symbols)
        .require_numbers(p.require_numbers)
        .require_uppercase_characters(p.require_uppercase_characters)
        .require_lowercase_characters(p.require_lowercase_characters)
        .allow_users_to_change_password(p.allow_users_to_change_password)
        .set_max_password_age(p.max_password_age)
        .set_password_reuse_prevention(p.password_reuse_prevention)
        .set_hard_expiry(p.hard_expiry);
    "DeleteAccountPasswordPolicy" delete_password_policy as delete_account_password_policy();
    "DeleteSAMLProvider" delete_saml_provider(arn: &str).saml_provider_arn(arn);
    "DeleteOpenIDConnectProvider" delete_oidc_provider as delete_open_id_connect_provider(arn: &str)
        .open_id_connect_provider_arn(arn);
    "AddClientIDToOpenIDConnectProvider"
    add_oidc_client_id as add_client_id_to_open_id_connect_provider(arn: &str, client_id: &str)
        .open_id_connect_provider_arn(arn)
        .client_id(client_id);
    "RemoveClientIDFromOpenIDConnectProvider"
    remove_oidc_client_id as remove_client_id_from_open_id_connect_provider(
        arn: &str,
        client_id: &str
    )
        .open_id_connect_provider_arn(arn)
        .client_id(client_id);
    "UpdateOpenIDConnectProviderThumbprint"
    update_oidc_thumbprints as update_open_id_connect_provider_thumbprint(
        arn: &str,
        thumbprints: &[String]
    )
        .open_id_connect_provider_arn(arn)
        .set_thumbprint_list(Some(thumbprints.to_vec()));
}

pub(super) async fn list_saml_providers(b: &AwsBackend) -> Result<Vec<SamlProvider>> {
    let out = send!("ListSAMLProviders", b.iam.list_saml_providers())?;
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

pub(super) async fn get_saml_provider(b: &AwsBackend, arn: &str) -> Result<SamlProvider> {
    let out = send!(
        "GetSAMLProvider",
        b.iam.get_saml_provider().saml_provider_arn(arn)
    )?;
    Ok(SamlProvider {
        arn: arn.to_string(),
        create_date: ts_opt(out.create_date()),
        valid_until: ts_opt(out.valid_until()),
        metadata_document: out.saml_metadata_document().map(str::to_string),
        tags: tags_from(out.tags()),
    })
}

pub(super) async fn create_saml_provider(
    b: &AwsBackend,
    name: &str,
    metadata_document: &str,
    tags: &[Tag],
) -> Result<String> {
    let out = send!(
        "CreateSAMLProvider",
        b.iam
            .create_saml_provider()
            .name(name)
            .saml_metadata_document(metadata_document)
            .set_tags(Some(tags_to(tags)?))
    )?;
    Ok(out.saml_provider_arn().unwrap_or_default().to_string())
}

pub(super) async fn update_saml_provider(
    b: &AwsBackend,
    arn: &str,
    metadata_document: &str,
) -> Result<String> {
    let out = send!(
        "UpdateSAMLProvider",
        b.iam
            .update_saml_provider()
            .saml_provider_arn(arn)
            .saml_metadata_document(metadata_document)
    )?;
    Ok(out.saml_provider_arn().unwrap_or(arn).to_string())
}

pub(super) async fn list_oidc_providers(b: &AwsBackend) -> Result<Vec<OidcProvider>> {
    let out = send!(
        "ListOpenIDConnectProviders",
        b.iam.list_open_id_connect_providers()
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

pub(super) async fn get_oidc_provider(b: &AwsBackend, arn: &str) -> Result<OidcProvider> {
    let out = send!(
        "GetOpenIDConnectProvider",
        b.iam
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

pub(super) async fn create_oidc_provider(
    b: &AwsBackend,
    req: CreateOidcProvider,
) -> Result<String> {
    let out = send!(
        "CreateOpenIDConnectProvider",
        b.iam
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

pub(super) async fn generate_credential_report(b: &AwsBackend) -> Result<ReportState> {
    let out = send!(
        "GenerateCredentialReport",
        b.iam.generate_credential_report()
    )?;
    Ok(match out.state() {
        Some(iam_t::ReportStateType::Complete) => ReportState::Complete,
        Some(iam_t::ReportStateType::Inprogress) => ReportState::InProgress,
        _ => ReportState::Started,
    })
}

pub(super) async fn get_credential_report(b: &AwsBackend) -> Result<CredentialReport> {
    let out = send!("GetCredentialReport", b.iam.get_credential_report())?;
    let content = out.content().map(|b| b.as_ref()).unwrap_or_default();
    CredentialReport::parse_csv(ts_opt(out.generated_time()), content)
        .map_err(|e| service_error("GetCredentialReport", "MalformedReport", e.to_string()))
}
