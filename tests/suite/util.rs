//! Helpers for the suite: documents, fixtures, comparisons.
#![allow(dead_code)]

use std::collections::BTreeSet;

use iamtui::iam::*;
use serde_json::{Value, json};

/// Parses JSON text, failing the test with the text when it is not JSON.
pub fn parse(text: &str) -> Value {
    serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("not valid JSON ({e}), the document was:\n{text}"))
}

/// A policy document with one statement.
pub fn allow(action: &str, resource: &str) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]
    })
    .to_string()
}

/// A document whose condition value holds every character URL-encoding can mangle: space, `&`,
/// `%` followed by hex digits, `+`, and non-ASCII.
pub const TRICKY_VALUE: &str = "a b&c%20+é ✓";

pub fn tricky_doc(sid: &str) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": sid,
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::bucket-a", "arn:aws:s3:::bucket-a/*"],
            "Condition": {"StringEquals": {"s3:prefix": TRICKY_VALUE}}
        }]
    })
    .to_string()
}

/// The documented self-service policy: a user may read itself and manage its own access keys
/// and MFA devices (`${aws:username}`), as IAM requires before a user can rotate its own key.
pub fn self_service() -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": [
                "iam:GetUser", "iam:ListAccessKeys", "iam:CreateAccessKey",
                "iam:UpdateAccessKey", "iam:DeleteAccessKey", "iam:ListMFADevices"
            ],
            "Resource": "arn:aws:iam::*:user/${aws:username}"
        }]
    })
    .to_string()
}

/// Gives a user the [`self_service`] policy inline.
pub async fn allow_self_service(b: &dyn Backend, name: &str) {
    b.put_inline_policy(&EntityRef::user(name), "self-service", &self_service())
        .await
        .unwrap_or_else(|e| panic!("self-service policy for {name}: {e}"));
}

/// A trust policy letting a service assume the role.
pub fn trust_service(service: &str) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "sts:AssumeRole"
        }]
    })
    .to_string()
}

/// A trust policy letting the account's principals assume the role.
pub fn trust_account(account: &str) -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": format!("arn:aws:iam::{account}:root")},
            "Action": "sts:AssumeRole"
        }]
    })
    .to_string()
}

#[allow(unused_imports)] // not every binary that includes this file creates users
pub use crate::common::create_user as user;

pub async fn account_id(b: &dyn Backend) -> String {
    b.whoami().await.expect("whoami").account
}

pub async fn group(b: &dyn Backend, name: &str) -> Group {
    b.create_group(name, None)
        .await
        .unwrap_or_else(|e| panic!("create group {name}: {e}"))
}

pub async fn role(b: &dyn Backend, name: &str) -> Role {
    role_with(b, name, &trust_service("ec2.amazonaws.com")).await
}

pub async fn role_with(b: &dyn Backend, name: &str, trust: &str) -> Role {
    b.create_role(CreateRole {
        name: name.into(),
        assume_role_policy: trust.into(),
        ..CreateRole::default()
    })
    .await
    .unwrap_or_else(|e| panic!("create role {name}: {e}"))
}

pub async fn policy(b: &dyn Backend, name: &str) -> ManagedPolicy {
    policy_with(b, name, &allow("s3:GetObject", "*")).await
}

pub async fn policy_with(b: &dyn Backend, name: &str, document: &str) -> ManagedPolicy {
    b.create_policy(CreatePolicy {
        name: name.into(),
        document: document.into(),
        ..CreatePolicy::default()
    })
    .await
    .unwrap_or_else(|e| panic!("create policy {name}: {e}"))
}

/// An update to `new_name` and `new_path` (`None`: unchanged).
pub fn rename(new_name: Option<&str>, new_path: Option<&str>) -> Rename {
    Rename {
        new_name: new_name.map(Into::into),
        new_path: new_path.map(Into::into),
    }
}

/// Sorted names, for order-free comparisons (IAM does not promise an order).
pub fn sorted<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut v: Vec<String> = items.into_iter().map(Into::into).collect();
    v.sort();
    v
}

pub fn sorted_tags(tags: &[Tag]) -> Vec<Tag> {
    let mut v = tags.to_vec();
    v.sort_by(|a, b| a.key.cmp(&b.key));
    v
}

/// Fails when a name occurs twice; returns the set.
pub fn unique(names: &[String]) -> BTreeSet<String> {
    let set: BTreeSet<String> = names.iter().cloned().collect();
    assert_eq!(
        set.len(),
        names.len(),
        "duplicates in a list of {} names",
        names.len()
    );
    set
}

/// A Base32 (RFC 4648, upper case, no padding) secret of at least 80 bits.
pub fn assert_base32_seed(seed: &str) {
    assert!(
        seed.len() >= 16,
        "seed too short for a TOTP secret: {} chars",
        seed.len()
    );
    assert!(
        seed.bytes()
            .all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c)),
        "seed is not Base32: {seed:?}"
    );
}

/// A SAML 2.0 IdP metadata document of the shape IAM accepts (IAM wants at least 1,000
/// characters and a signing certificate).
pub fn saml_metadata(entity_id: &str) -> String {
    // A self-signed certificate's base64 body (content is not checked beyond being base64).
    let cert = "MIIDBzCCAe+gAwIBAgIJAO7xVJwbqe0kMA0GCSqGSIb3DQEBCwUAMBoxGDAWBgNVBAMMD2lkcC5leGFtcGxl\
                LmNvbTAeFw0yNDAxMDEwMDAwMDBaFw0zNDAxMDEwMDAwMDBaMBoxGDAWBgNVBAMMD2lkcC5leGFtcGxlLmNv\
                bTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAMq6U0GkZ7hxrG8kI2s5Bw7XcG3rA1oA9e5Zq2Wn\
                Ds7VY0m9q4y6Jp1b0w5lE7WQ2nS8m3bR7c4u0l9v8x1yF2aT6gH3jK4L5mN6oP7qR8sT9uV0wX1yZ2aB3cD4\
                eF5gH6iJ7kL8mN9oP0qR1sT2uV3wX4yZ5aB6cD7eF8gH9iJ0kL1mN2oP3qR4sT5uV6wX7yZ8aB9cD0eF1gH\
                2iJ3kL4mN5oP6qR7sT8uV9wX0yZ1aB2cD3eF4gH5iJ6kL7mN8oP9qR0sT1uV2wX3yZ4aB5cD6eF7gH8iJ9k\
                L0mN1oP2qR3sT4uV5wX6yZ7aB8cD9eF0gH1iJ2kL3mN4oP5qR6sT7uV8wX9yZ0CAwEAAaNQME4wHQYDVR0O\
                BBYEFBQUFBQUFBQUFBQUFBQUFBQUFBQUMB8GA1UdIwQYMBaAFBQUFBQUFBQUFBQUFBQUFBQUFBQUMAwGA1Ud\
                EwQFMAMBAf8wDQYJKoZIhvcNAQELBQADggEBAA==";
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{entity_id}" validUntil="2049-12-31T23:59:59Z">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo>
        <ds:X509Data>
          <ds:X509Certificate>{cert}</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{entity_id}sso/redirect"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{entity_id}sso/post"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"#
    )
}

/// The timestamp is within ten minutes of now (a fresh server-side "now", allowing for skew).
pub fn assert_recent(t: Timestamp, what: &str) {
    let skew = (chrono::Utc::now() - t).num_seconds().abs();
    assert!(
        skew < 600,
        "{what} is {t}, {skew} s away from now (expected a fresh timestamp)"
    );
}

/// A page of at most `max_items`, from `marker`.
pub fn small_page(marker: Option<String>, max_items: i32) -> PageRequest {
    PageRequest {
        marker,
        max_items: Some(max_items),
        path_prefix: None,
    }
}
