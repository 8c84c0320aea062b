//! Access keys and MFA devices.

use super::*;

pub(super) async fn list_access_keys(b: &AwsBackend, user: Option<&str>) -> Result<Vec<AccessKey>> {
    all_pages!(
        "ListAccessKeys",
        b.iam
            .list_access_keys()
            .set_user_name(user.map(str::to_string)),
        |out| out
            .access_key_metadata()
            .iter()
            .map(key_from)
            .collect::<Vec<_>>()
    )
}

pub(super) async fn get_access_key_last_used(
    b: &AwsBackend,
    access_key_id: &str,
) -> Result<AccessKeyLastUsed> {
    let out = send!(
        "GetAccessKeyLastUsed",
        b.iam
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

pub(super) async fn create_access_key(b: &AwsBackend, user: Option<&str>) -> Result<NewAccessKey> {
    let out = send!(
        "CreateAccessKey",
        b.iam
            .create_access_key()
            .set_user_name(user.map(str::to_string))
    )?;
    let k = required(out.access_key(), "CreateAccessKey", "key")?;
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

unit_calls! {
    "UpdateAccessKey" update_access_key(user: Option<&str>, access_key_id: &str, status: KeyStatus)
        .set_user_name(user.map(str::to_string))
        .access_key_id(access_key_id)
        .status(status_to(status));
    "DeleteAccessKey" delete_access_key(user: Option<&str>, access_key_id: &str)
        .set_user_name(user.map(str::to_string))
        .access_key_id(access_key_id);
}

pub(super) async fn list_mfa_devices(b: &AwsBackend, user: Option<&str>) -> Result<Vec<MfaDevice>> {
    all_pages!(
        "ListMFADevices",
        b.iam
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

pub(super) async fn list_virtual_mfa_devices(
    b: &AwsBackend,
    filter: MfaAssignment,
) -> Result<Vec<MfaDevice>> {
    let status = match filter {
        MfaAssignment::Any => iam_t::AssignmentStatusType::Any,
        MfaAssignment::Assigned => iam_t::AssignmentStatusType::Assigned,
        MfaAssignment::Unassigned => iam_t::AssignmentStatusType::Unassigned,
    };
    all_pages!(
        "ListVirtualMFADevices",
        b.iam
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

pub(super) async fn create_virtual_mfa_device(
    b: &AwsBackend,
    name: &str,
    path: Option<&str>,
) -> Result<NewVirtualMfa> {
    let out = send!(
        "CreateVirtualMFADevice",
        b.iam
            .create_virtual_mfa_device()
            .virtual_mfa_device_name(name)
            .set_path(path.map(str::to_string))
    )?;
    let d = out.virtual_mfa_device();
    let d = required(d, "CreateVirtualMFADevice", "device")?;
    // The SDK has already base64-decoded the blob: its bytes are the Base32 seed text.
    let seed = d
        .base32_string_seed()
        .map(|b| String::from_utf8_lossy(b.as_ref()).into_owned())
        .ok_or_else(|| {
            let why = "the response carried no Base32 seed";
            service_error("CreateVirtualMFADevice", "MissingSeed", why)
        })?;
    Ok(NewVirtualMfa {
        serial_number: d.serial_number().to_string(),
        seed_base32: SecretString::from(seed),
    })
}

unit_calls! {
    "EnableMFADevice" enable_mfa_device(user: &str, serial: &str, code1: &str, code2: &str)
        .user_name(user)
        .serial_number(serial)
        .authentication_code1(code1)
        .authentication_code2(code2);
    "ResyncMFADevice" resync_mfa_device(user: &str, serial: &str, code1: &str, code2: &str)
        .user_name(user)
        .serial_number(serial)
        .authentication_code1(code1)
        .authentication_code2(code2);
    "DeactivateMFADevice" deactivate_mfa_device(user: &str, serial: &str)
        .user_name(user)
        .serial_number(serial);
    "DeleteVirtualMFADevice" delete_virtual_mfa_device(serial: &str).serial_number(serial);
}

pub(super) fn key_from(k: &iam_t::AccessKeyMetadata) -> AccessKey {
    AccessKey {
        user_name: k.user_name().unwrap_or_default().to_string(),
        access_key_id: k.access_key_id().unwrap_or_default().to_string(),
        status: status_from(k.status()),
        create_date: ts_opt(k.create_date()).unwrap_or_default(),
    }
}

pub(super) fn status_from(s: Option<&iam_t::StatusType>) -> KeyStatus {
    match s {
        Some(iam_t::StatusType::Active) => KeyStatus::Active,
        _ => KeyStatus::Inactive,
    }
}

pub(super) fn status_to(s: KeyStatus) -> iam_t::StatusType {
    match s {
        KeyStatus::Active => iam_t::StatusType::Active,
        KeyStatus::Inactive => iam_t::StatusType::Inactive,
    }
}

/// IAM writes "N/A" for a key that was never used.
pub(super) fn not_na(s: &str) -> Option<String> {
    (!s.is_empty() && s != "N/A").then(|| s.to_string())
}

// --- SSH public keys and signing certificates -------------------------------------------------

pub(super) async fn list_ssh_public_keys(b: &AwsBackend, user: &str) -> Result<Vec<SshPublicKey>> {
    all_pages!(
        "ListSSHPublicKeys",
        b.iam.list_ssh_public_keys().user_name(user),
        |out| out
            .ssh_public_keys()
            .iter()
            .map(|k| SshPublicKey {
                user_name: k.user_name().to_string(),
                ssh_public_key_id: k.ssh_public_key_id().to_string(),
                fingerprint: None,
                status: status_from(Some(k.status())),
                upload_date: ts(k.upload_date()),
            })
            .collect::<Vec<_>>()
    )
}

pub(super) async fn upload_ssh_public_key(
    b: &AwsBackend,
    user: &str,
    body: &str,
) -> Result<SshPublicKey> {
    let out = send!(
        "UploadSSHPublicKey",
        b.iam
            .upload_ssh_public_key()
            .user_name(user)
            .ssh_public_key_body(body)
    )?;
    let k = required(out.ssh_public_key(), "UploadSSHPublicKey", "key")?;
    Ok(SshPublicKey {
        user_name: k.user_name().to_string(),
        ssh_public_key_id: k.ssh_public_key_id().to_string(),
        fingerprint: Some(k.fingerprint().to_string()),
        status: status_from(Some(k.status())),
        upload_date: ts_opt(k.upload_date()).unwrap_or_else(chrono::Utc::now),
    })
}

fn certificate_from(c: &iam_t::SigningCertificate) -> SigningCertificate {
    SigningCertificate {
        user_name: c.user_name().to_string(),
        certificate_id: c.certificate_id().to_string(),
        status: status_from(Some(c.status())),
        upload_date: ts_opt(c.upload_date()).unwrap_or_default(),
    }
}

pub(super) async fn list_signing_certificates(
    b: &AwsBackend,
    user: &str,
) -> Result<Vec<SigningCertificate>> {
    all_pages!(
        "ListSigningCertificates",
        b.iam.list_signing_certificates().user_name(user),
        |out| out
            .certificates()
            .iter()
            .map(certificate_from)
            .collect::<Vec<_>>()
    )
}

pub(super) async fn upload_signing_certificate(
    b: &AwsBackend,
    user: &str,
    body: &str,
) -> Result<SigningCertificate> {
    let out = send!(
        "UploadSigningCertificate",
        b.iam
            .upload_signing_certificate()
            .user_name(user)
            .certificate_body(body)
    )?;
    let c = required(out.certificate(), "UploadSigningCertificate", "certificate")?;
    Ok(certificate_from(c))
}

unit_calls! {
    "DeleteSSHPublicKey" delete_ssh_public_key(user: &str, key_id: &str)
        .user_name(user)
        .ssh_public_key_id(key_id);
    "DeleteSigningCertificate" delete_signing_certificate(user: &str, certificate_id: &str)
        .user_name(user)
        .certificate_id(certificate_id);
}
