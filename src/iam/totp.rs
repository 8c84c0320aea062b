//! Time-based one-time passwords as virtual MFA devices use them (RFC 6238 over RFC 4226:
//! HMAC-SHA1, 30-second steps, six digits), and the `otpauth://` URI authenticator apps scan.
//!
//! The local account checks codes with it; the console builds the enrolment QR code from the
//! URI for either backend (IAM's own `QRCodePNG` is not needed).

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

pub const STEP_SECONDS: u64 = 30;
pub const DIGITS: u32 = 6;

/// Decodes a Base32 seed (RFC 4648, padding and case ignored, spaces allowed).
pub fn decode_seed(seed_base32: &str) -> Option<Vec<u8>> {
    let cleaned: String = seed_base32
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    base32::decode(base32::Alphabet::Rfc4648 { padding: false }, &cleaned).filter(|k| !k.is_empty())
}

/// The HOTP value of `key` at `counter` (RFC 4226 §5.3), as six digits.
pub fn hotp(key: &[u8], counter: u64) -> String {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[digest.len() - 1] & 0x0f) as usize;
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!(
        "{:0width$}",
        binary % 10u32.pow(DIGITS),
        width = DIGITS as usize
    )
}

/// The 30-second step that `unix_seconds` falls in.
pub fn step_at(unix_seconds: u64) -> u64 {
    unix_seconds / STEP_SECONDS
}

/// The code shown at `unix_seconds`.
pub fn code_at(key: &[u8], unix_seconds: u64) -> String {
    hotp(key, step_at(unix_seconds))
}

/// Finds the step within `window` steps of `now_step` whose code is `code1` and whose next
/// step's code is `code2`: what IAM asks for when a device is enabled or resynchronised (two
/// consecutive codes). Returns the step of `code2`.
pub fn find_consecutive(
    key: &[u8],
    code1: &str,
    code2: &str,
    now_step: u64,
    window: u64,
) -> Option<u64> {
    let from = now_step.saturating_sub(window);
    (from..=now_step + 1)
        .find(|&s| hotp(key, s) == code1 && hotp(key, s + 1) == code2)
        .map(|s| s + 1)
}

/// Finds the step within `window` steps either side of `now_step` whose code is `code`.
pub fn find_code(key: &[u8], code: &str, now_step: u64, window: u64) -> Option<u64> {
    let from = now_step.saturating_sub(window);
    (from..=now_step + window).find(|&s| hotp(key, s) == code)
}

/// The key-URI an authenticator app scans: `otpauth://totp/ISSUER:LABEL?secret=…&issuer=…`
/// (the Google Authenticator key-URI format, which IAM's QR codes follow). The algorithm,
/// digits and period are the format's defaults (SHA1, 6, 30) and left out: a shorter URI makes
/// a smaller QR code, one that fits an 80×24 terminal.
pub fn otpauth_uri(issuer: &str, label: &str, seed_base32: &str) -> String {
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}",
        enc(issuer),
        enc(label),
        seed_base32,
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1 rows (eight digits there; the last six are the six-digit code).
    #[test]
    fn rfc_6238_test_vectors() {
        let key = b"12345678901234567890";
        for (time, eight) in [
            (59u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(code_at(key, time), &eight[2..], "T = {time}");
        }
    }

    /// RFC 4226 Appendix D.
    #[test]
    fn rfc_4226_hotp_values() {
        let key = b"12345678901234567890";
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(hotp(key, counter as u64), *code);
        }
    }

    #[test]
    fn consecutive_codes_are_found_only_in_order_and_in_the_window() {
        let key = decode_seed("JBSWY3DPEHPK3PXP").unwrap();
        let now = step_at(1_700_000_000);
        let (a, b) = (hotp(&key, now - 1), hotp(&key, now));
        assert_eq!(find_consecutive(&key, &a, &b, now, 10), Some(now));
        assert_eq!(find_consecutive(&key, &b, &a, now, 10), None);
        let (old1, old2) = (hotp(&key, now - 40), hotp(&key, now - 39));
        assert_eq!(find_consecutive(&key, &old1, &old2, now, 10), None);
        assert_eq!(find_code(&key, &b, now, 1), Some(now));
        assert_eq!(find_code(&key, "000000x", now, 1), None);
    }

    #[test]
    fn seeds_and_uris() {
        assert_eq!(
            decode_seed("jbsw y3dp ehpk 3pxp").unwrap(),
            b"Hello!\xde\xad\xbe\xef"
        );
        assert!(decode_seed("not base32 !").is_none());
        assert!(decode_seed("").is_none());
        let uri = otpauth_uri(
            "Amazon Web Services",
            "alice@123456789012",
            "JBSWY3DPEHPK3PXP",
        );
        assert_eq!(
            uri,
            "otpauth://totp/Amazon%20Web%20Services:alice%40123456789012?secret=JBSWY3DPEHPK3PXP&issuer=Amazon%20Web%20Services"
        );
    }
}
