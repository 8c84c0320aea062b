//! SSH public keys and signing certificates: upload, list, delete, IAM's checks and quotas, and
//! DeleteUser refusing a user that still has them.

use std::sync::Arc;

use iamtui::iam::*;

use super::util::*;

pub const ED25519: &str = include_str!("../../src/backend/local/testdata/public_keys/ed25519.pub");
pub const RSA: &str = include_str!("../../src/backend/local/testdata/public_keys/rsa.pub");
pub const CERT1: &str = include_str!("../../src/backend/local/testdata/public_keys/cert1.pem");
pub const CERT2: &str = include_str!("../../src/backend/local/testdata/public_keys/cert2.pem");
pub const CERT3: &str = include_str!("../../src/backend/local/testdata/public_keys/cert3.pem");

pub async fn ssh_public_key_lifecycle(b: Arc<dyn Backend>) {
    user(&*b, "alice").await;
    assert!(b.list_ssh_public_keys("alice").await.unwrap().is_empty());
    let ed = b
        .upload_ssh_public_key("alice", ED25519)
        .await
        .expect("upload ed25519");
    assert_eq!(ed.user_name, "alice");
    assert_eq!(ed.status, KeyStatus::Active);
    assert!(ed.ssh_public_key_id.starts_with("APKA"), "{ed:?}");
    assert!(ed.fingerprint.as_deref().is_some_and(|f| !f.is_empty()));
    let rsa = b
        .upload_ssh_public_key("alice", RSA)
        .await
        .expect("upload rsa");
    let listed = b.list_ssh_public_keys("alice").await.unwrap();
    assert_eq!(
        sorted(listed.iter().map(|k| k.ssh_public_key_id.as_str())),
        sorted([
            ed.ssh_public_key_id.as_str(),
            rsa.ssh_public_key_id.as_str()
        ])
    );

    b.delete_ssh_public_key("alice", &ed.ssh_public_key_id)
        .await
        .expect("delete");
    assert_err!(
        b.delete_ssh_public_key("alice", &ed.ssh_public_key_id)
            .await,
        ErrorKind::NotFound(_)
    );
    assert_err!(
        b.upload_ssh_public_key("nobody", ED25519).await,
        ErrorKind::NotFound(_)
    );
    assert_err!(
        b.list_ssh_public_keys("nobody").await,
        ErrorKind::NotFound(_)
    );
    b.delete_ssh_public_key("alice", &rsa.ssh_public_key_id)
        .await
        .unwrap();
    b.delete_user("alice").await.expect("nothing left");
}

/// What IAM refuses on upload, and DeleteUser's refusal (the local account; moto accepts these:
/// see `moto_differences_from_iam`).
#[allow(dead_code)]
pub async fn ssh_public_key_errors(b: Arc<dyn Backend>) {
    user(&*b, "bob").await;
    assert_err!(
        b.upload_ssh_public_key("bob", "not a key").await,
        ErrorKind::Validation(_)
    );
    // DeleteUser refuses a user with an SSH key or a signing certificate.
    let key = b.upload_ssh_public_key("bob", RSA).await.unwrap();
    let e = assert_err!(b.delete_user("bob").await, ErrorKind::DeleteConflict(_));
    assert!(e.to_string().contains("SSH public keys"), "{e}");
    b.delete_ssh_public_key("bob", &key.ssh_public_key_id)
        .await
        .unwrap();
    let cert = b.upload_signing_certificate("bob", CERT3).await.unwrap();
    let e = assert_err!(b.delete_user("bob").await, ErrorKind::DeleteConflict(_));
    assert!(e.to_string().contains("signing certificates"), "{e}");
    b.delete_signing_certificate("bob", &cert.certificate_id)
        .await
        .unwrap();
    b.delete_user("bob").await.unwrap();
}

pub async fn signing_certificate_lifecycle(b: Arc<dyn Backend>) {
    user(&*b, "carol").await;
    assert!(
        b.list_signing_certificates("carol")
            .await
            .unwrap()
            .is_empty()
    );
    let c1 = b
        .upload_signing_certificate("carol", CERT1)
        .await
        .expect("upload");
    assert_eq!(c1.user_name, "carol");
    assert_eq!(c1.status, KeyStatus::Active);
    assert!(!c1.certificate_id.is_empty());
    let c2 = b
        .upload_signing_certificate("carol", CERT2)
        .await
        .expect("upload a second");
    let listed = b.list_signing_certificates("carol").await.unwrap();
    assert_eq!(
        sorted(listed.iter().map(|c| c.certificate_id.as_str())),
        sorted([c1.certificate_id.as_str(), c2.certificate_id.as_str()])
    );
    assert_err!(
        b.upload_signing_certificate(
            "carol",
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"
        )
        .await,
        ErrorKind::Validation(_)
    );
    b.delete_signing_certificate("carol", &c1.certificate_id)
        .await
        .expect("delete");
    assert_err!(
        b.delete_signing_certificate("carol", &c1.certificate_id)
            .await,
        ErrorKind::NotFound(_)
    );
    b.delete_signing_certificate("carol", &c2.certificate_id)
        .await
        .unwrap();
    b.delete_user("carol").await.expect("nothing left");
}

/// IAM's per-user quotas (5 SSH keys, 2 signing certificates) and duplicates (the local
/// account; moto takes the same SSH key twice).
#[allow(dead_code)]
pub async fn signing_certificate_quota(b: Arc<dyn Backend>) {
    user(&*b, "dave").await;
    b.upload_signing_certificate("dave", CERT1).await.unwrap();
    assert_err!(
        b.upload_signing_certificate("dave", CERT1).await,
        ErrorKind::AlreadyExists(_)
    );
    b.upload_signing_certificate("dave", CERT2).await.unwrap();
    assert_err!(
        b.upload_signing_certificate("dave", CERT3).await,
        ErrorKind::LimitExceeded(_)
    );
    // The credential report shows both certificates active.
    b.generate_credential_report().await.unwrap();
    let report = b.get_credential_report().await.unwrap();
    let row = report.rows.iter().find(|r| r.user == "dave").unwrap();
    assert_eq!(
        (row.cert_1_active.as_str(), row.cert_2_active.as_str()),
        ("true", "true")
    );
    assert_ne!(row.cert_1_last_rotated, "N/A");
    b.upload_ssh_public_key("dave", ED25519).await.unwrap();
    assert_err!(
        b.upload_ssh_public_key("dave", ED25519).await,
        ErrorKind::AlreadyExists(_)
    );
    for i in 1..5 {
        b.upload_ssh_public_key("dave", &ed25519_key(i))
            .await
            .unwrap();
    }
    assert_err!(
        b.upload_ssh_public_key("dave", &ed25519_key(9)).await,
        ErrorKind::LimitExceeded(_)
    );
    // The key inside must be the kind its prefix names.
    let mislabelled = ed25519_key(1).replacen("ssh-ed25519", "ssh-rsa", 1);
    assert_err!(
        b.upload_ssh_public_key("dave", &mislabelled).await,
        ErrorKind::Validation(_)
    );
}

/// An OpenSSH Ed25519 public key line whose 32 key bytes are all `fill`.
pub fn ed25519_key(fill: u8) -> String {
    let mut blob = Vec::new();
    blob.extend(11u32.to_be_bytes());
    blob.extend(b"ssh-ed25519");
    blob.extend(32u32.to_be_bytes());
    blob.extend([fill; 32]);
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in blob.chunks(3) {
        let n =
            chunk.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for i in 0..=chunk.len() {
            b64.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
        b64.extend(std::iter::repeat_n('=', 3 - chunk.len()));
    }
    format!("ssh-ed25519 {b64} test-{fill}")
}
