//! SSH public keys (for CodeCommit) and X.509 signing certificates of users, checked as IAM
//! checks them on upload: the encoding, the key or certificate itself, duplicates, and the
//! per-user quotas (5 SSH keys, 2 signing certificates).

use sha1::{Digest, Sha1};

use crate::iam::error::Result;
use crate::iam::types::*;
use crate::policy::eval::condition::base64_decode;

use super::super::call::Call;
use super::super::model::{SigningCertRecord, SshKeyRecord};
use super::identities::{named, user_arn};
use super::quota;

/// The longest body IAM takes (`SSHPublicKeyBody`, `CertificateBody`).
const MAX_BODY: usize = 16_384;

fn ssh_key_of(user: &str, k: &SshKeyRecord, fingerprint: bool) -> SshPublicKey {
    SshPublicKey {
        user_name: user.to_string(),
        ssh_public_key_id: k.id.clone(),
        fingerprint: fingerprint.then(|| k.fingerprint.clone()),
        status: k.status,
        upload_date: k.upload_date,
    }
}

fn cert_of(user: &str, k: &SigningCertRecord) -> SigningCertificate {
    SigningCertificate {
        user_name: user.to_string(),
        certificate_id: k.id.clone(),
        status: k.status,
        upload_date: k.upload_date,
    }
}

/// A length-prefixed field of an SSH wire-format key blob, and the rest.
fn ssh_field(blob: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?) as usize;
    let rest = &blob[4..];
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// Why IAM refuses an SSH public key body: (error code, message); `Ok` carries the key's
/// blob (what duplicates are compared on).
fn parse_ssh_key(body: &str) -> std::result::Result<Vec<u8>, (&'static str, String)> {
    let body = body.trim();
    let unrecognized = || {
        (
            "UnrecognizedPublicKeyEncoding",
            "The SSH public key must be in ssh-rsa or ssh-ed25519 (OpenSSH) format, or PEM."
                .to_string(),
        )
    };
    let invalid = |why: &str| {
        (
            "InvalidPublicKey",
            format!("The public key is invalid: {why}."),
        )
    };
    if let Some(pem) = body.strip_prefix("-----BEGIN PUBLIC KEY-----") {
        let inner = pem
            .trim()
            .strip_suffix("-----END PUBLIC KEY-----")
            .ok_or_else(unrecognized)?;
        let b64: String = inner.split_whitespace().collect();
        let der = base64_decode(&b64).ok_or_else(|| invalid("its base64 does not decode"))?;
        if der.first() != Some(&0x30) || der.len() < 32 {
            return Err(invalid("it is not a DER public key"));
        }
        return Ok(der);
    }
    let mut words = body.split_whitespace();
    let (Some(kind), Some(b64)) = (words.next(), words.next()) else {
        return Err(unrecognized());
    };
    if !matches!(kind, "ssh-rsa" | "ssh-ed25519") {
        return Err(unrecognized());
    }
    let blob = base64_decode(b64).ok_or_else(|| invalid("its base64 does not decode"))?;
    let (named_kind, rest) = ssh_field(&blob).ok_or_else(|| invalid("it is truncated"))?;
    if named_kind != kind.as_bytes() {
        return Err(invalid("the key inside is not the kind its prefix names"));
    }
    match kind {
        "ssh-rsa" => {
            let (e, rest) = ssh_field(rest).ok_or_else(|| invalid("it is truncated"))?;
            let (n, rest) = ssh_field(rest).ok_or_else(|| invalid("it is truncated"))?;
            if e.is_empty() || n.len() < 64 || !rest.is_empty() {
                return Err(invalid("it is not an RSA public key"));
            }
        }
        _ => {
            let (k, rest) = ssh_field(rest).ok_or_else(|| invalid("it is truncated"))?;
            if k.len() != 32 || !rest.is_empty() {
                return Err(invalid("an Ed25519 key is 32 bytes"));
            }
        }
    }
    Ok(blob)
}

/// The DER bytes of a PEM certificate, `None` when it is not one.
fn parse_certificate(body: &str) -> Option<Vec<u8>> {
    let inner = body
        .trim()
        .strip_prefix("-----BEGIN CERTIFICATE-----")?
        .strip_suffix("-----END CERTIFICATE-----")?;
    let b64: String = inner.split_whitespace().collect();
    let der = base64_decode(&b64)?;
    // An X.509 certificate is a DER SEQUENCE of a SEQUENCE (TBSCertificate) and more.
    (der.len() > 64 && der[0] == 0x30 && der.get(2..).is_some_and(|r| r.contains(&0x30)))
        .then_some(der)
}

fn fingerprint(blob: &[u8]) -> String {
    // IAM shows an MD5 fingerprint; the local account, which has no MD5, shows SHA-1's.
    let digest = Sha1::digest(blob);
    let hex: Vec<String> = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex.join(":")
}

fn check_body(c: &Call<'_>, field: &str, body: &str) -> Result<()> {
    let n = body.chars().count();
    if n == 0 || n > MAX_BODY {
        return c.fail(
            "ValidationError",
            format!(
                "1 validation error detected: Value at '{field}' failed to satisfy constraint: Member must have length between 1 and {MAX_BODY}"
            ),
        );
    }
    Ok(())
}

pub fn list_ssh_public_keys(c: &mut Call<'_>, user: &str) -> Result<Vec<SshPublicKey>> {
    c.authorize("iam:ListSSHPublicKeys", &user_arn(c, user))?;
    let u = named(c, &c.account.users, "user", user)?;
    Ok(u.ssh_public_keys
        .iter()
        .map(|k| ssh_key_of(&u.name, k, false))
        .collect())
}

pub fn upload_ssh_public_key(c: &mut Call<'_>, user: &str, body: &str) -> Result<SshPublicKey> {
    check_body(c, "sshPublicKeyBody", body)?;
    let blob = match parse_ssh_key(body) {
        Ok(blob) => blob,
        Err((code, message)) => return c.fail(code, message),
    };
    c.authorize("iam:UploadSSHPublicKey", &user_arn(c, user))?;
    let u = named(c, &c.account.users, "user", user)?;
    let print = fingerprint(&blob);
    if u.ssh_public_keys.iter().any(|k| k.fingerprint == print) {
        return c.fail(
            "DuplicateSSHPublicKey",
            "The SSH public key is already associated with the specified IAM user.",
        );
    }
    quota(
        c,
        u.ssh_public_keys.len(),
        super::SSH_KEYS_PER_USER,
        "SSHPublicKeysPerUser",
    )?;
    let record = SshKeyRecord {
        id: c.ids.access_key_id("APKA"),
        body: body.trim().to_string(),
        fingerprint: print,
        status: KeyStatus::Active,
        upload_date: c.now,
    };
    let u = &mut c.account.users[user];
    let key = ssh_key_of(&u.name, &record, true);
    u.ssh_public_keys.push(record);
    Ok(key)
}

pub fn delete_ssh_public_key(c: &mut Call<'_>, user: &str, key_id: &str) -> Result<()> {
    c.authorize("iam:DeleteSSHPublicKey", &user_arn(c, user))?;
    let u = named(c, &c.account.users, "user", user)?;
    if !u.ssh_public_keys.iter().any(|k| k.id == key_id) {
        return c.fail(
            "NoSuchEntity",
            format!("The Public Key with id {key_id} cannot be found."),
        );
    }
    c.account.users[user]
        .ssh_public_keys
        .retain(|k| k.id != key_id);
    Ok(())
}

pub fn list_signing_certificates(c: &mut Call<'_>, user: &str) -> Result<Vec<SigningCertificate>> {
    c.authorize("iam:ListSigningCertificates", &user_arn(c, user))?;
    let u = named(c, &c.account.users, "user", user)?;
    Ok(u.signing_certificates
        .iter()
        .map(|k| cert_of(&u.name, k))
        .collect())
}

pub fn upload_signing_certificate(
    c: &mut Call<'_>,
    user: &str,
    body: &str,
) -> Result<SigningCertificate> {
    check_body(c, "certificateBody", body)?;
    let Some(der) = parse_certificate(body) else {
        return c.fail(
            "MalformedCertificate",
            "Unable to parse certificate. Please ensure the certificate is in PEM format.",
        );
    };
    c.authorize("iam:UploadSigningCertificate", &user_arn(c, user))?;
    let u = named(c, &c.account.users, "user", user)?;
    let same = |k: &SigningCertRecord| parse_certificate(&k.body).is_some_and(|d| d == der);
    if u.signing_certificates.iter().any(same) {
        return c.fail(
            "DuplicateCertificate",
            "The certificate is already associated with the specified IAM user.",
        );
    }
    quota(
        c,
        u.signing_certificates.len(),
        super::SIGNING_CERTIFICATES_PER_USER,
        "SigningCertificatesPerUser",
    )?;
    let mut id = [0u8; 16];
    c.ids.fill(&mut id);
    let record = SigningCertRecord {
        id: id.iter().map(|b| format!("{b:02X}")).collect(),
        body: body.trim().to_string(),
        status: KeyStatus::Active,
        upload_date: c.now,
    };
    let u = &mut c.account.users[user];
    let cert = cert_of(&u.name, &record);
    u.signing_certificates.push(record);
    Ok(cert)
}

pub fn delete_signing_certificate(
    c: &mut Call<'_>,
    user: &str,
    certificate_id: &str,
) -> Result<()> {
    c.authorize("iam:DeleteSigningCertificate", &user_arn(c, user))?;
    let u = named(c, &c.account.users, "user", user)?;
    if !u
        .signing_certificates
        .iter()
        .any(|k| k.id == certificate_id)
    {
        return c.fail(
            "NoSuchEntity",
            format!("The Certificate with id {certificate_id} cannot be found."),
        );
    }
    c.account.users[user]
        .signing_certificates
        .retain(|k| k.id != certificate_id);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_keys_are_checked_as_iam_checks_them() {
        // An Ed25519 key: the type name, then 32 bytes.
        let mut blob = Vec::new();
        blob.extend(11u32.to_be_bytes());
        blob.extend(b"ssh-ed25519");
        blob.extend(32u32.to_be_bytes());
        blob.extend([7u8; 32]);
        let encoded = encode(&blob);
        assert!(parse_ssh_key(&format!("ssh-ed25519 {encoded} me@host")).is_ok());
        assert_eq!(
            parse_ssh_key(&format!("ssh-rsa {encoded}")).unwrap_err().0,
            "InvalidPublicKey"
        );
        assert_eq!(
            parse_ssh_key("ecdsa-sha2-nistp256 AAAA").unwrap_err().0,
            "UnrecognizedPublicKeyEncoding"
        );
        assert_eq!(
            parse_ssh_key("ssh-ed25519 !!!").unwrap_err().0,
            "InvalidPublicKey"
        );
        assert!(
            parse_certificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")
                .is_none()
        );
    }

    fn encode(bytes: &[u8]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
                << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
            out.extend(std::iter::repeat_n('=', 3 - chunk.len()));
        }
        out
    }
}
