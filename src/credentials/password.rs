//! Console passwords made to the account's password policy.

use crate::iam::PasswordPolicy;

const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const DIGITS: &[u8] = b"23456789";
/// Symbols IAM's password policy counts, without quotes and brackets that shells and chat
/// clients mangle when the password is handed over.
const SYMBOLS: &[u8] = b"!@#$%^&*_+-=";

/// A random password that meets `policy`, or IAM's default policy when the account has none:
/// at least 20 characters (more when the policy asks), one of each kind, from letters and
/// digits that cannot be misread (no `0`/`O`, `1`/`l`/`I`).
pub fn generate(policy: Option<&PasswordPolicy>) -> String {
    let minimum = policy
        .and_then(|p| p.minimum_password_length)
        .unwrap_or(0)
        .max(0) as usize;
    let len = minimum.clamp(20, 128);
    let kinds = [UPPER, LOWER, DIGITS, SYMBOLS];
    let mut random = vec![0u8; len * 2];
    getrandom::fill(&mut random).expect("the operating system's random source failed");
    let (picks, order) = random.split_at(len);
    let all: Vec<u8> = kinds.concat();
    // One of each kind first, then any; then shuffled so the kinds do not sit in a row.
    let mut out: Vec<u8> = picks
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let from = kinds.get(i).copied().unwrap_or(&all);
            from[*r as usize % from.len()]
        })
        .collect();
    for (i, r) in order.iter().enumerate().rev().take(len - 1) {
        out.swap(i, *r as usize % (i + 1));
    }
    String::from_utf8(out).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(p: &str) -> [bool; 4] {
        [UPPER, LOWER, DIGITS, SYMBOLS].map(|k| p.bytes().any(|b| k.contains(&b)))
    }

    #[test]
    fn generated_passwords_meet_the_policy_and_differ() {
        let strict = PasswordPolicy {
            minimum_password_length: Some(40),
            require_symbols: true,
            require_numbers: true,
            require_uppercase_characters: true,
            require_lowercase_characters: true,
            ..PasswordPolicy::default()
        };
        for policy in [None, Some(&strict)] {
            let a = generate(policy);
            assert_eq!(a.len(), if policy.is_some() { 40 } else { 20 });
            assert_eq!(kinds(&a), [true; 4], "{a}");
            assert!(a.bytes().all(|b| b.is_ascii_graphic()), "{a}");
            assert_ne!(generate(policy), a);
        }
        let huge = PasswordPolicy {
            minimum_password_length: Some(500),
            ..PasswordPolicy::default()
        };
        assert_eq!(generate(Some(&huge)).len(), 128);
    }
}
