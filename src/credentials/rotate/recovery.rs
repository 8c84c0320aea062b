//! The recovery file: a new key's secret kept on disk (0600, in a 0700 directory) from the
//! moment IAM returns it until it is safely in a profile or the key is gone. Whatever fails
//! after CreateAccessKey, a key that may work never exists with its secret nowhere.

use std::io;
use std::path::{Path, PathBuf};

use secrecy::ExposeSecret;

use crate::credentials::file::{atomic_write_private, create_private_dir};
use crate::iam::NewAccessKey;

/// The directory used when the caller names none: the data directory's `recovered-keys`, else
/// one under the system's temporary directory.
pub fn default_dir() -> PathBuf {
    crate::config::Paths::from_env()
        .map(|p| p.data_dir().join("recovered-keys"))
        .unwrap_or_else(|_| std::env::temp_dir().join("iamtui-recovered-keys"))
}

/// Writes the key as a credentials-file profile named `<user>-<key id>`, ready to paste.
pub fn write(dir: &Path, user: &str, key: &NewAccessKey) -> io::Result<PathBuf> {
    create_private_dir(dir)?;
    let id = &key.key.access_key_id;
    let path = dir.join(format!("{user}-{id}.credentials"));
    let text = format!(
        "# iamtui kept the secret of access key {id} of user {user} here because a rotation did not\n\
         # finish. Copy the two key lines into the profile that should use it, then delete this file.\n\
         [{user}-{id}]\naws_access_key_id = {id}\naws_secret_access_key = {}\n",
        key.secret_access_key.expose_secret()
    );
    atomic_write_private(&path, text.as_bytes())?;
    Ok(path)
}

/// Removes the file once the secret is safe elsewhere (or the key is gone).
pub fn discard(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::file::CredentialsFile;
    #[cfg(unix)]
    use crate::credentials::file::tests::mode;
    use crate::iam::{AccessKey, KeyStatus};

    #[test]
    fn the_file_is_private_and_reads_as_a_profile() {
        let dir = tempfile::tempdir().unwrap();
        let key = NewAccessKey {
            key: AccessKey {
                user_name: "kim".into(),
                access_key_id: "AKIAEXAMPLEEXAMPLE01".into(),
                status: KeyStatus::Active,
                create_date: chrono::Utc::now(),
            },
            secret_access_key: "s3cr3t/with+chars".to_string().into(),
        };
        let sub = dir.path().join("recovered-keys");
        let path = write(&sub, "kim", &key).unwrap();
        let f = CredentialsFile::load(&path).unwrap();
        let profile = "kim-AKIAEXAMPLEEXAMPLE01";
        assert_eq!(
            f.access_key_id(profile).as_deref(),
            Some("AKIAEXAMPLEEXAMPLE01")
        );
        assert_eq!(
            f.value(profile, "aws_secret_access_key").as_deref(),
            Some("s3cr3t/with+chars")
        );
        #[cfg(unix)]
        assert_eq!((mode(&path), mode(&sub)), (0o600, 0o700));
        discard(&path).unwrap();
        assert!(!path.exists());
        discard(&path).unwrap();
    }
}
