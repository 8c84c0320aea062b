//! IAM's rules for names, paths and other request parameters, its unique-id shapes, and the
//! random material the local account mints (ids, secrets, seeds).
//!
//! Constraints follow the IAM API Reference (the `Type` pages of each parameter); violations give
//! IAM's own `ValidationError` wording, so scripts that match on it behave the same locally.

use crate::iam::error::{BackendError, Result};
use crate::iam::types::{PasswordPolicy, Tag};

/// Characters IAM allows in user, group, role, policy, instance-profile and MFA device names:
/// `[\w+=,.@-]`.
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

fn validation(operation: &'static str, message: String) -> BackendError {
    BackendError::from_code(operation, Some("ValidationError"), &message, Some(400))
}

/// Checks a name against `[\w+=,.@-]+` and a length limit. `field` is the API's parameter name
/// in camel case (`userName`), as IAM's messages spell it.
pub fn check_name(operation: &'static str, field: &str, value: &str, max: usize) -> Result<()> {
    if value.is_empty() || value.chars().count() > max {
        return Err(validation(
            operation,
            format!(
                "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must have length between 1 and {max}"
            ),
        ));
    }
    if !value.chars().all(is_name_char) {
        return Err(validation(
            operation,
            format!(
                "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
            ),
        ));
    }
    Ok(())
}

/// A path: `/`, or `/` + printable ASCII + `/`, at most 512 characters.
pub fn check_path(operation: &'static str, field: &str, value: &str) -> Result<()> {
    let ok = value.len() <= 512
        && (value == "/"
            || (value.len() >= 2
                && value.starts_with('/')
                && value.ends_with('/')
                && value.bytes().all(|b| (0x21..=0x7e).contains(&b))));
    if ok {
        Ok(())
    } else {
        Err(validation(
            operation,
            format!(
                "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"
            ),
        ))
    }
}

/// A path prefix for list calls: starts with `/`, printable ASCII.
pub fn check_path_prefix(operation: &'static str, value: &str) -> Result<()> {
    if value.len() <= 512
        && value.starts_with('/')
        && value.bytes().all(|b| (0x21..=0x7e).contains(&b))
    {
        Ok(())
    } else {
        Err(validation(
            operation,
            format!(
                "1 validation error detected: Value '{value}' at 'pathPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: \\u002F[\\u0021-\\u007F]*"
            ),
        ))
    }
}

pub fn check_description(operation: &'static str, value: &str) -> Result<()> {
    if value.chars().count() > 1000 {
        return Err(validation(
            operation,
            "1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 1000".into(),
        ));
    }
    Ok(())
}

/// The symbols IAM's password policy counts.
const PASSWORD_SYMBOLS: &str = "!@#$%^&*()_+-=[]{}|'";

/// A console password against the account's password policy, or IAM's default one when the
/// account has none (8 characters, three of the four kinds). Every rule it breaks is named.
pub fn check_password(
    operation: &'static str,
    policy: Option<&PasswordPolicy>,
    password: &str,
) -> Result<()> {
    let n = password.chars().count();
    if n == 0 || n > 128 {
        return Err(validation(
            operation,
            "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length between 1 and 128".into(),
        ));
    }
    let kinds = [
        (
            "an uppercase letter",
            password.chars().any(|c| c.is_ascii_uppercase()),
        ),
        (
            "a lowercase letter",
            password.chars().any(|c| c.is_ascii_lowercase()),
        ),
        ("a number", password.chars().any(|c| c.is_ascii_digit())),
        (
            "a symbol",
            password.chars().any(|c| PASSWORD_SYMBOLS.contains(c)),
        ),
    ];
    let minimum = match policy {
        Some(p) => p.minimum_password_length.unwrap_or(6) as usize,
        None => 8,
    };
    let mut needs = Vec::new();
    if n < minimum {
        needs.push(format!("{minimum} characters"));
    }
    let mut mix = false;
    match policy {
        Some(p) => {
            let required = [
                p.require_uppercase_characters,
                p.require_lowercase_characters,
                p.require_numbers,
                p.require_symbols,
            ];
            for ((what, has), required) in kinds.iter().zip(required) {
                if required && !has {
                    needs.push(what.to_string());
                }
            }
        }
        None => mix = kinds.iter().filter(|(_, has)| *has).count() < 3,
    }
    let mut said = Vec::new();
    if let Some((last, rest)) = needs.split_last() {
        let list = match rest {
            [] => last.clone(),
            _ => format!("{} and {last}", rest.join(", ")),
        };
        said.push(format!("Password should have at least {list}."));
    }
    if mix {
        said.push(
            "Password should mix at least three of uppercase letters, lowercase letters, \
             numbers and symbols."
                .to_string(),
        );
    }
    if said.is_empty() {
        return Ok(());
    }
    Err(BackendError::from_code(
        operation,
        Some("PasswordPolicyViolation"),
        &said.join(" "),
        Some(400),
    ))
}

/// An account alias: 3–63 lowercase letters, digits and single dashes, a letter or digit at
/// each end.
pub fn check_alias(operation: &'static str, alias: &str) -> Result<()> {
    let ok = (3..=63).contains(&alias.len())
        && alias
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !alias.starts_with('-')
        && !alias.ends_with('-')
        && !alias.contains("--");
    if ok {
        return Ok(());
    }
    Err(validation(
        operation,
        format!(
            "1 validation error detected: Value '{alias}' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){{1,61}}[a-z0-9]$"
        ),
    ))
}

/// Tag keys: 1–128 characters of letters, digits, spaces and `_.:/=+-@`, not starting with
/// `aws:`; values: 0–256 of the same; at most 50 tags on a resource.
pub fn check_tags(operation: &'static str, tags: &[Tag]) -> Result<()> {
    let allowed = |c: char| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c);
    for t in tags {
        if t.key.is_empty() || t.key.chars().count() > 128 || !t.key.chars().all(allowed) {
            return Err(validation(
                operation,
                format!(
                    "1 validation error detected: Value '{}' at 'tags.member.key' failed to satisfy constraint: Member must have length between 1 and 128 and satisfy regular expression pattern: [\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]+",
                    t.key
                ),
            ));
        }
        if t.key.to_ascii_lowercase().starts_with("aws:") {
            return Err(BackendError::from_code(
                operation,
                Some("InvalidInput"),
                &format!("Tag keys beginning with 'aws:' are reserved: {}", t.key),
                Some(400),
            ));
        }
        if t.value.chars().count() > 256 || !t.value.chars().all(allowed) {
            return Err(validation(
                operation,
                format!(
                    "1 validation error detected: Value '{}' at 'tags.member.value' failed to satisfy constraint: Member must have length less than or equal to 256 and satisfy regular expression pattern: [\\p{{L}}\\p{{Z}}\\p{{N}}_.:/=+\\-@]*",
                    t.value
                ),
            ));
        }
    }
    let mut keys: Vec<String> = tags.iter().map(|t| t.key.to_ascii_lowercase()).collect();
    keys.sort();
    if keys.windows(2).any(|w| w[0] == w[1]) {
        return Err(BackendError::from_code(
            operation,
            Some("InvalidInput"),
            "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
            Some(400),
        ));
    }
    Ok(())
}

/// Merges `new` into `existing` (a key already there, in any case, takes the new value) and
/// checks the 50-tag quota.
pub fn merge_tags(operation: &'static str, existing: &mut Vec<Tag>, new: &[Tag]) -> Result<()> {
    check_tags(operation, new)?;
    let mut merged = existing.clone();
    for t in new {
        match merged
            .iter_mut()
            .find(|e| e.key.eq_ignore_ascii_case(&t.key))
        {
            Some(e) => *e = t.clone(),
            None => merged.push(t.clone()),
        }
    }
    if merged.len() > 50 {
        return Err(BackendError::from_code(
            operation,
            Some("LimitExceeded"),
            "The number of tags has reached the maximum limit of 50.",
            Some(409),
        ));
    }
    *existing = merged;
    Ok(())
}

// --- random material -------------------------------------------------------------------------

/// Fills `buf` from the operating system's random source.
pub fn random_bytes(buf: &mut [u8]) {
    getrandom::fill(buf).expect("the operating system's random source failed");
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// `n` random characters of `[A-Z2-7]`, the alphabet of IAM's unique ids and key ids.
pub fn random_base32(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    random_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| BASE32[(b & 31) as usize] as char)
        .collect()
}

/// An IAM unique id: a four-letter prefix (`AIDA` user, `AGPA` group, `AROA` role, `ANPA`
/// managed policy, `AIPA` instance profile) and 17 characters.
pub fn unique_id(prefix: &str) -> String {
    format!("{prefix}{}", random_base32(17))
}

/// An access key id: `AKIA` (long-term) or `ASIA` (temporary) and 16 characters.
pub fn access_key_id(prefix: &str) -> String {
    format!("{prefix}{}", random_base32(16))
}

/// A 40-character secret access key (base64 alphabet, as AWS's are).
pub fn secret_access_key() -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bytes = [0u8; 40];
    random_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[(b & 63) as usize] as char)
        .collect()
}

/// A session token: long and opaque, like STS's.
pub fn session_token() -> String {
    let mut bytes = [0u8; 96];
    random_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("IQoJb3JpZ2luX2VjE{hex}")
}

/// A TOTP seed: 40 random bytes, Base32 without padding (64 characters, as IAM's are).
pub fn totp_seed() -> String {
    let mut bytes = [0u8; 40];
    random_bytes(&mut bytes);
    base32::encode(base32::Alphabet::Rfc4648 { padding: false }, &bytes)
}

/// A random 12-digit account id that does not start with 0.
pub fn account_id() -> String {
    let mut bytes = [0u8; 12];
    random_bytes(&mut bytes);
    bytes
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let d = if i == 0 { 1 + b % 9 } else { b % 10 };
            char::from(b'0' + d)
        })
        .collect()
}

// --- where ids come from ---------------------------------------------------------------------

/// Where the local account's ids, secrets, MFA seeds and account ids come from: the operating
/// system's random source ([`RandomIds`]) for real accounts, a counter ([`SequentialIds`]) where
/// a test wants the same account every time.
pub trait IdSource: Send + Sync + std::panic::RefUnwindSafe {
    /// An IAM unique id of `prefix` (`AIDA`, `AGPA`, `AROA`, `ANPA`, `AIPA`): 21 characters.
    fn unique_id(&self, prefix: &str) -> String;
    /// An access key id of `prefix` (`AKIA`, `ASIA`): 20 characters.
    fn access_key_id(&self, prefix: &str) -> String;
    /// A 40-character secret access key.
    fn secret_access_key(&self) -> String;
    /// An STS session token.
    fn session_token(&self) -> String;
    /// A 64-character Base32 TOTP seed.
    fn totp_seed(&self) -> String;
    /// A 12-digit account id.
    fn account_id(&self) -> String;
    /// Opaque bytes (external ids, certificates).
    fn fill(&self, buf: &mut [u8]);
}

/// Ids and secrets from the operating system's random source.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomIds;

impl IdSource for RandomIds {
    fn unique_id(&self, prefix: &str) -> String {
        unique_id(prefix)
    }
    fn access_key_id(&self, prefix: &str) -> String {
        access_key_id(prefix)
    }
    fn secret_access_key(&self) -> String {
        secret_access_key()
    }
    fn session_token(&self) -> String {
        session_token()
    }
    fn totp_seed(&self) -> String {
        totp_seed()
    }
    fn account_id(&self) -> String {
        account_id()
    }
    fn fill(&self, buf: &mut [u8]) {
        random_bytes(buf)
    }
}

/// Deterministic ids for tests: unique and key ids are their prefix and a zero-padded counter
/// shared by all prefixes (`AIDA00000000000000001`, `AKIA0000000000000002`, …); every secret
/// is `S`×40, every seed the same valid Base32 seed, the account `123456789012`, and opaque
/// bytes a fixed pseudo-random sequence.
#[derive(Debug, Default)]
pub struct SequentialIds {
    counter: std::sync::atomic::AtomicU64,
    bytes: std::sync::Mutex<u64>,
}

impl SequentialIds {
    pub fn new() -> Self {
        Self::default()
    }

    fn next(&self, prefix: &str, len: usize) -> String {
        let n = 1 + self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!(
            "{prefix}{n:0width$}",
            width = len.saturating_sub(prefix.len())
        )
    }
}

impl IdSource for SequentialIds {
    fn unique_id(&self, prefix: &str) -> String {
        self.next(prefix, 21)
    }
    fn access_key_id(&self, prefix: &str) -> String {
        self.next(prefix, 20)
    }
    fn secret_access_key(&self) -> String {
        "S".repeat(40)
    }
    fn session_token(&self) -> String {
        format!("IQoJb3JpZ2luX2VjE{}", self.next("", 192))
    }
    fn totp_seed(&self) -> String {
        "JBSWY3DPEHPK3PXP".repeat(4)
    }
    fn account_id(&self) -> String {
        "123456789012".into()
    }
    fn fill(&self, buf: &mut [u8]) {
        // A xorshift stream, continued from call to call.
        let mut state = self.bytes.lock().unwrap_or_else(|e| e.into_inner());
        let mut x = *state ^ 0x9e37_79b9_7f4a_7c15;
        for b in buf.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = (x >> 24) as u8;
        }
        *state = x ^ 0x9e37_79b9_7f4a_7c15;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_iams_pattern_and_length() {
        assert!(check_name("CreateUser", "userName", "alice.smith+ops@x_y=z,-", 64).is_ok());
        for bad in ["", "with space", "slash/no", "ü", &"a".repeat(65)] {
            let e = check_name("CreateUser", "userName", bad, 64).unwrap_err();
            assert!(
                matches!(e.kind, crate::iam::ErrorKind::Validation(_)),
                "{bad}: {e}"
            );
            assert!(e.to_string().contains("userName"), "{e}");
        }
        assert!(check_name("CreateGroup", "groupName", &"g".repeat(128), 128).is_ok());
    }

    #[test]
    fn paths_start_and_end_with_a_slash() {
        for ok in ["/", "/eng/", "/a/b/c/", "/x~!/"] {
            assert!(check_path("CreateUser", "path", ok).is_ok(), "{ok}");
        }
        for bad in ["", "eng/", "/eng", "//x", "/a b/", "/é/"] {
            // `//x` does not end with a slash; `//` alone is accepted by the pattern.
            assert!(check_path("CreateUser", "path", bad).is_err(), "{bad}");
        }
        assert!(check_path_prefix("ListUsers", "/en").is_ok());
        assert!(check_path_prefix("ListUsers", "en").is_err());
    }

    #[test]
    fn tags_are_checked_and_merged_without_regard_to_case() {
        let mut tags = vec![Tag::new("Team", "blue")];
        merge_tags(
            "TagUser",
            &mut tags,
            &[Tag::new("team", "red"), Tag::new("x", "")],
        )
        .unwrap();
        assert_eq!(tags, [Tag::new("team", "red"), Tag::new("x", "")]);
        assert!(check_tags("TagUser", &[Tag::new("aws:x", "1")]).is_err());
        assert!(check_tags("TagUser", &[Tag::new("a", "1"), Tag::new("A", "2")]).is_err());
        assert!(check_tags("TagUser", &[Tag::new("bad*key", "1")]).is_err());
        let many: Vec<Tag> = (0..51).map(|i| Tag::new(format!("k{i}"), "v")).collect();
        let e = merge_tags("TagUser", &mut Vec::new(), &many).unwrap_err();
        assert!(
            matches!(e.kind, crate::iam::ErrorKind::LimitExceeded(_)),
            "{e}"
        );
    }

    #[test]
    fn ids_and_secrets_have_iams_shapes() {
        let id = unique_id("AIDA");
        assert_eq!(id.len(), 21);
        assert!(id.bytes().all(|b| BASE32.contains(&b)));
        assert_ne!(unique_id("AIDA"), id);
        let key = access_key_id("AKIA");
        assert_eq!(key.len(), 20);
        assert!(key.starts_with("AKIA"));
        assert_eq!(secret_access_key().len(), 40);
        let seed = totp_seed();
        assert_eq!(seed.len(), 64);
        assert!(base32::decode(base32::Alphabet::Rfc4648 { padding: false }, &seed).is_some());
        let a = account_id();
        assert_eq!(a.len(), 12);
        assert!(a.bytes().all(|b| b.is_ascii_digit()) && !a.starts_with('0'));
    }
}
