//! What a rotation reports of the user's keys: each key's status and where its secret is.

use std::fmt;
use std::path::PathBuf;

use crate::iam::KeyStatus;

/// Where a key's secret is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// In this profile of this credentials file.
    Profile { file: PathBuf, profile: String },
    /// In the credentials file's backup (the old key, once the profile was switched).
    Backup(PathBuf),
    /// In iamtui's recovery file (0600).
    Recovery(PathBuf),
    /// Returned to the caller to hand over (an administrator rotating someone else's key).
    HandOver,
    /// Returned by IAM but saved nowhere (the recovery file could not be written): the
    /// failure carries it so that it is shown once.
    Unsaved,
    /// A key this rotation did not create: its secret is wherever it was before.
    Elsewhere,
    /// Created by a request whose reply was lost: nobody has its secret.
    NeverReceived,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Profile { file, profile } => {
                write!(f, "secret in profile {profile} of {}", file.display())
            }
            Place::Backup(p) => write!(f, "secret in the backup {}", p.display()),
            Place::Recovery(p) => write!(f, "secret saved in {}", p.display()),
            Place::HandOver => f.write_str("secret shown once, for hand-over"),
            Place::Unsaved => f.write_str("secret shown below, once: it could not be saved"),
            Place::Elsewhere => f.write_str("secret wherever it was before this rotation"),
            Place::NeverReceived => {
                f.write_str("secret never received (its reply was lost): delete this key")
            }
        }
    }
}

crate::policy::spelled_enum! {
    /// A key's status as last read (or last known, when it could not be re-read), as reports
    /// word it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum KeyState (as_str, parse, Display) {
        Active,
        Inactive,
        Deleted = "deleted",
        /// A call that would change it got no answer, and it could not be read since.
        Unknown = "status unknown",
    }
}

impl From<KeyStatus> for KeyState {
    fn from(s: KeyStatus) -> Self {
        match s {
            KeyStatus::Active => KeyState::Active,
            KeyStatus::Inactive => KeyState::Inactive,
        }
    }
}

/// One key of the user after a rotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFact {
    pub id: String,
    pub state: KeyState,
    pub place: Place,
}

impl fmt::Display for KeyFact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.state {
            // A deleted key's secret no longer matters.
            KeyState::Deleted => write!(f, "{} deleted", self.id),
            s => write!(f, "{} {s}, {}", self.id, self.place),
        }
    }
}

/// The keys of a user as a report shows them, one per line.
pub fn describe(user: &str, keys: &[KeyFact], reread: &Result<(), String>) -> String {
    let mut out = match reread {
        Ok(()) => format!("keys of {user} (read back from IAM):"),
        Err(why) => format!("keys of {user} as last known (they could not be read back: {why}):"),
    };
    if keys.is_empty() {
        out.push_str(" none");
    }
    for k in keys {
        out.push_str(&format!("\n  {k}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_says_where_the_secret_is() {
        let keys = [
            KeyFact {
                id: "AKIANEW".into(),
                state: KeyState::Active,
                place: Place::Recovery("/d/kim-AKIANEW.credentials".into()),
            },
            KeyFact {
                id: "AKIAOLD".into(),
                state: KeyState::Inactive,
                place: Place::Backup("/h/credentials.iamtui-backup".into()),
            },
            KeyFact {
                id: "AKIALOST".into(),
                state: KeyState::Deleted,
                place: Place::NeverReceived,
            },
        ];
        assert_eq!(
            describe("kim", &keys, &Ok(())),
            "keys of kim (read back from IAM):\n  \
             AKIANEW Active, secret saved in /d/kim-AKIANEW.credentials\n  \
             AKIAOLD Inactive, secret in the backup /h/credentials.iamtui-backup\n  \
             AKIALOST deleted"
        );
        assert!(
            describe("kim", &keys[..1], &Err("connection reset".into())).starts_with(
                "keys of kim as last known (they could not be read back: connection reset):"
            )
        );
    }
}
