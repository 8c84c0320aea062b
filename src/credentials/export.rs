//! Handing temporary credentials on: to a child process's environment, as shell lines, or in
//! the `credential_process` JSON that `~/.aws/config` can run.

use secrecy::ExposeSecret;

use crate::iam::Credentials;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Shell {
    /// bash, zsh, sh
    #[default]
    Posix,
    Fish,
    #[value(name = "powershell")]
    PowerShell,
}

/// The variables SDKs and CLIs read, in the order they are printed.
pub fn env_vars(c: &Credentials, region: Option<&str>) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("AWS_ACCESS_KEY_ID", c.access_key_id.clone()),
        (
            "AWS_SECRET_ACCESS_KEY",
            c.secret_access_key.expose_secret().to_string(),
        ),
    ];
    if let Some(t) = &c.session_token {
        v.push(("AWS_SESSION_TOKEN", t.expose_secret().to_string()));
    }
    if let Some(r) = region {
        v.push(("AWS_REGION", r.to_string()));
        v.push(("AWS_DEFAULT_REGION", r.to_string()));
    }
    if let Some(e) = c.expiration {
        // Read by the AWS SDKs and by tools such as aws-vault's consumers.
        v.push(("AWS_CREDENTIAL_EXPIRATION", rfc3339(e)));
    }
    v
}

fn rfc3339(t: crate::iam::Timestamp) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Single quotes, with the shell's own escape for a quote inside.
fn quote(shell: Shell, value: &str) -> String {
    match shell {
        Shell::Posix => format!("'{}'", value.replace('\'', "'\\''")),
        Shell::Fish => format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'")),
        Shell::PowerShell => format!("'{}'", value.replace('\'', "''")),
    }
}

/// Lines that set the variables in `shell`: `eval "$(iamtui assume R --export)"`.
pub fn shell_lines(c: &Credentials, region: Option<&str>, shell: Shell) -> String {
    env_vars(c, region)
        .into_iter()
        .map(|(k, v)| {
            let v = quote(shell, &v);
            match shell {
                Shell::Posix => format!("export {k}={v}\n"),
                Shell::Fish => format!("set -gx {k} {v}\n"),
                Shell::PowerShell => format!("$Env:{k} = {v}\n"),
            }
        })
        .collect()
}

/// The `credential_process` output format (Version 1).
pub fn credential_process_json(c: &Credentials) -> String {
    let mut v = serde_json::json!({
        "Version": 1,
        "AccessKeyId": c.access_key_id,
        "SecretAccessKey": c.secret_access_key.expose_secret(),
    });
    if let Some(t) = &c.session_token {
        v["SessionToken"] = t.expose_secret().into();
    }
    if let Some(e) = c.expiration {
        v["Expiration"] = rfc3339(e).into();
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn creds() -> Credentials {
        Credentials {
            access_key_id: "ASIAEXAMPLE".into(),
            secret_access_key: "s3cr'et".to_string().into(),
            session_token: Some("tok".to_string().into()),
            expiration: Some(chrono::Utc.with_ymd_and_hms(2026, 12, 1, 13, 0, 0).unwrap()),
        }
    }

    #[test]
    fn shells_quote_their_own_way() {
        let posix = shell_lines(&creds(), Some("eu-west-1"), Shell::Posix);
        assert!(
            posix.contains("export AWS_SECRET_ACCESS_KEY='s3cr'\\''et'\n"),
            "{posix}"
        );
        assert!(posix.contains("export AWS_SESSION_TOKEN='tok'\n"));
        assert!(posix.contains("export AWS_REGION='eu-west-1'\n"));
        assert!(posix.contains("export AWS_CREDENTIAL_EXPIRATION='2026-12-01T13:00:00Z'\n"));
        let fish = shell_lines(&creds(), None, Shell::Fish);
        assert!(
            fish.contains("set -gx AWS_SECRET_ACCESS_KEY 's3cr\\'et'\n"),
            "{fish}"
        );
        let ps = shell_lines(&creds(), None, Shell::PowerShell);
        assert!(
            ps.contains("$Env:AWS_SECRET_ACCESS_KEY = 's3cr''et'\n"),
            "{ps}"
        );
    }

    #[test]
    fn credential_process_format() {
        let v: serde_json::Value =
            serde_json::from_str(&credential_process_json(&creds())).unwrap();
        assert_eq!(v["Version"], 1);
        assert_eq!(v["AccessKeyId"], "ASIAEXAMPLE");
        assert_eq!(v["SessionToken"], "tok");
        assert_eq!(v["Expiration"], "2026-12-01T13:00:00Z");
    }
}
