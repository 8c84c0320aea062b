//! The account forms' fields and IAM's bounds for them (UpdateAccountPasswordPolicy and
//! CreateAccountAlias in the IAM API Reference).

use crate::app::shell::form::{Field, Form};
use crate::iam::PasswordPolicy;

/// A whole number in `lo..=hi`, or empty when `optional`.
fn bounded(s: &str, lo: i32, hi: i32, optional: bool) -> Result<(), String> {
    if s.is_empty() && optional {
        return Ok(());
    }
    match s.parse::<i32>() {
        Ok(n) if (lo..=hi).contains(&n) => Ok(()),
        _ if optional => Err(format!("{lo} to {hi}, or empty for none")),
        _ => Err(format!("a whole number from {lo} to {hi}")),
    }
}

fn minimum(s: &str) -> Result<(), String> {
    bounded(s, 6, 128, false)
}

fn max_age(s: &str) -> Result<(), String> {
    bounded(s, 1, 1095, true)
}

fn reuse(s: &str) -> Result<(), String> {
    bounded(s, 1, 24, true)
}

/// IAM's alias pattern: 3–63 characters, lowercase letters, digits and hyphens, starting and
/// ending with a letter or digit, no two hyphens together. Empty: no alias.
pub fn alias(s: &str) -> Result<(), String> {
    if s.is_empty() {
        return Ok(());
    }
    let n = s.chars().count();
    if !(3..=63).contains(&n) {
        return Err(format!("{n} characters: an alias has 3 to 63"));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "`{c}` cannot be in an alias (lowercase letters, digits and hyphens)"
        ));
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Err("an alias starts and ends with a letter or digit".into());
    }
    if s.contains("--") {
        return Err("two hyphens together are not allowed".into());
    }
    Ok(())
}

pub fn password_policy_form(p: Option<&PasswordPolicy>) -> Form {
    let num = |v: Option<i32>| v.map_or_else(String::new, |n| n.to_string());
    let on = |f: fn(&PasswordPolicy) -> bool, default: bool| p.map_or(default, f);
    Form::new(vec![
        Field::text(
            "minimum",
            "Minimum length",
            &p.and_then(|p| p.minimum_password_length)
                .unwrap_or(14)
                .to_string(),
        )
        .check(minimum)
        .hint("6 to 128 characters (without a policy IAM asks for 8)"),
        Field::switch(
            "upper",
            "Require uppercase",
            on(|p| p.require_uppercase_characters, true),
        )
        .hint("at least one letter A–Z"),
        Field::switch(
            "lower",
            "Require lowercase",
            on(|p| p.require_lowercase_characters, true),
        )
        .hint("at least one letter a–z"),
        Field::switch(
            "numbers",
            "Require numbers",
            on(|p| p.require_numbers, true),
        )
        .hint("at least one digit 0–9"),
        Field::switch(
            "symbols",
            "Require symbols",
            on(|p| p.require_symbols, true),
        )
        .hint("at least one of ! @ # $ % ^ & * ( ) _ + - = [ ] { } | '"),
        Field::switch(
            "change",
            "Users may change it",
            on(|p| p.allow_users_to_change_password, true),
        )
        .hint("users change their own password without a policy granting iam:ChangePassword"),
        Field::text(
            "age",
            "Expire after (days)",
            &num(p.and_then(|p| p.max_password_age)),
        )
        .check(max_age)
        .hint("1 to 1,095 days; empty: passwords never expire"),
        Field::text(
            "reuse",
            "Remember last",
            &num(p.and_then(|p| p.password_reuse_prevention)),
        )
        .check(reuse)
        .hint("1 to 24 passwords a user may not set again; empty: no check"),
        Field::switch(
            "hard",
            "Admin resets expired",
            p.and_then(|p| p.hard_expiry).unwrap_or(false),
        )
        .hint("hard expiry: a user whose password expired cannot sign in to set a new one"),
    ])
}

/// The policy the form describes (its checks have passed).
pub fn read_password_policy(f: &Form) -> PasswordPolicy {
    let num = |id: &str| f.get(id).parse::<i32>().ok();
    PasswordPolicy {
        minimum_password_length: num("minimum"),
        require_symbols: f.on("symbols"),
        require_numbers: f.on("numbers"),
        require_uppercase_characters: f.on("upper"),
        require_lowercase_characters: f.on("lower"),
        allow_users_to_change_password: f.on("change"),
        expire_passwords: num("age").is_some(),
        max_password_age: num("age"),
        password_reuse_prevention: num("reuse"),
        hard_expiry: Some(f.on("hard")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iams_bounds() {
        assert!(minimum("6").is_ok() && minimum("128").is_ok());
        assert!(minimum("5").is_err() && minimum("").is_err());
        assert!(max_age("").is_ok() && max_age("1095").is_ok() && max_age("1096").is_err());
        assert!(reuse("24").is_ok() && reuse("0").is_err());
        assert!(alias("acme-prod").is_ok() && alias("").is_ok());
        assert!(alias("ab").is_err() && alias("Acme").is_err());
        assert!(alias("-acme").is_err() && alias("acme--prod").is_err());
    }

    #[test]
    fn the_form_reads_back_what_it_was_given() {
        let p = PasswordPolicy {
            minimum_password_length: Some(20),
            require_symbols: false,
            require_numbers: true,
            require_uppercase_characters: true,
            require_lowercase_characters: false,
            allow_users_to_change_password: true,
            expire_passwords: true,
            max_password_age: Some(90),
            password_reuse_prevention: Some(5),
            hard_expiry: Some(true),
        };
        assert_eq!(read_password_policy(&password_policy_form(Some(&p))), p);
    }
}
