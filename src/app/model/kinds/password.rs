//! The account's password policy, one setting a row.

use super::*;

pub static KIND: Kind = Kind {
    view: ViewKind::PasswordPolicy,
    names: &["passwordpolicy", "pwpolicy", "pp"],
    title: "Password policy",
    columns: &[col("SETTING", 0), col("VALUE", 0)],
    sort: None,
    lists: &[ViewKind::PasswordPolicy],
    pages: &[whole!(GetPasswordPolicy, PasswordPolicy, d => d.list_mut::<PasswordPolicy>())],
    rows,
    status: one_of::<PasswordPolicy>,
};

fn rows(data: &AccountData, _: RowOptions) -> Vec<Row> {
    let setting = |k: &str, v: String| row(None, None, vec![k.to_string(), v]);
    let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
    let Some(policy) = data.list::<PasswordPolicy>() else {
        return Vec::new();
    };
    match (policy.items.first(), &policy.status) {
        (Some(p), _) => vec![
            setting(
                "Minimum length",
                p.minimum_password_length
                    .map_or_else(|| "-".into(), |n| n.to_string()),
            ),
            setting(
                "Require uppercase letters",
                yes(p.require_uppercase_characters),
            ),
            setting(
                "Require lowercase letters",
                yes(p.require_lowercase_characters),
            ),
            setting("Require numbers", yes(p.require_numbers)),
            setting("Require symbols", yes(p.require_symbols)),
            setting(
                "Users may change their password",
                yes(p.allow_users_to_change_password),
            ),
            setting(
                "Passwords expire after",
                p.max_password_age
                    .map_or_else(|| "never".into(), |d| format!("{d} days")),
            ),
            setting(
                "Prevent reuse of the last",
                p.password_reuse_prevention
                    .map_or_else(|| "-".into(), |n| format!("{n} passwords")),
            ),
            setting(
                "Expired passwords need an administrator",
                yes(p.hard_expiry.unwrap_or(false)),
            ),
        ],
        (None, Status::Complete) => vec![setting(
            "Password policy",
            "none: IAM's defaults apply".into(),
        )],
        (None, _) => Vec::new(),
    }
}
