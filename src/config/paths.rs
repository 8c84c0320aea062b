//! Where iamtui keeps its files.
//!
//! Config (themes, keymaps) follows the platform's config directory, data (log, local account)
//! its data directory. `IAMTUI_CONFIG_DIR` and `IAMTUI_DATA_DIR` override them, so tests and
//! sandboxes never touch the real home directory.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

pub const CONFIG_DIR_ENV: &str = "IAMTUI_CONFIG_DIR";
pub const DATA_DIR_ENV: &str = "IAMTUI_DATA_DIR";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PathsError {
    #[error(
        "cannot find a home directory for iamtui's files; set {CONFIG_DIR_ENV} and {DATA_DIR_ENV}"
    )]
    NoHome,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    config_dir: PathBuf,
    data_dir: PathBuf,
}

impl Paths {
    /// The platform directories, with the environment overrides applied.
    pub fn from_env() -> Result<Self, PathsError> {
        Self::resolve(
            env_dir(CONFIG_DIR_ENV),
            env_dir(DATA_DIR_ENV),
            ProjectDirs::from("", "", "iamtui"),
        )
    }

    /// Overrides win; the platform directories are needed only for what is not overridden.
    pub fn resolve(
        config_override: Option<PathBuf>,
        data_override: Option<PathBuf>,
        platform: Option<ProjectDirs>,
    ) -> Result<Self, PathsError> {
        let config_dir = config_override
            .or_else(|| platform.as_ref().map(|p| p.config_dir().to_path_buf()))
            .ok_or(PathsError::NoHome)?;
        let data_dir = data_override
            .or_else(|| platform.as_ref().map(|p| p.data_dir().to_path_buf()))
            .ok_or(PathsError::NoHome)?;
        Ok(Self {
            config_dir,
            data_dir,
        })
    }

    pub fn config_dir(&self) -> &Path {
        &self.config_dir
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn log_file(&self) -> PathBuf {
        self.data_dir.join("iamtui.log")
    }

    pub fn themes_dir(&self) -> PathBuf {
        self.config_dir.join("themes")
    }

    pub fn keymaps_dir(&self) -> PathBuf {
        self.config_dir.join("keymaps")
    }

    /// The embedded local account's state.
    pub fn account_file(&self) -> PathBuf {
        self.data_dir.join("account.json")
    }
}

/// An empty variable counts as unset, as `IAMTUI_DATA_DIR= iamtui` usually means "default".
fn env_dir(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_need_no_home() {
        let p = Paths::resolve(Some("/c".into()), Some("/d".into()), None).unwrap();
        assert_eq!(p.config_dir(), Path::new("/c"));
        assert_eq!(p.themes_dir(), Path::new("/c/themes"));
        assert_eq!(p.keymaps_dir(), Path::new("/c/keymaps"));
        assert_eq!(p.log_file(), Path::new("/d/iamtui.log"));
        assert_eq!(p.account_file(), Path::new("/d/account.json"));
    }

    #[test]
    fn no_home_and_no_override_is_a_clear_error() {
        let err = Paths::resolve(Some("/c".into()), None, None).unwrap_err();
        assert_eq!(err, PathsError::NoHome);
        assert!(err.to_string().contains(DATA_DIR_ENV));
    }

    #[test]
    fn platform_dirs_fill_what_is_not_overridden() {
        let Some(platform) = ProjectDirs::from("", "", "iamtui") else {
            return; // no home directory on this machine: covered by the test above
        };
        let p = Paths::resolve(None, Some("/d".into()), Some(platform.clone())).unwrap();
        assert_eq!(p.config_dir(), platform.config_dir());
        assert_eq!(p.data_dir(), Path::new("/d"));
    }
}
