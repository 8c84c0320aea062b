//! Commands that run without the console, for people, scripts and CI pipelines. Each returns
//! the process exit code; none of them touches the terminal beyond stdout and stderr.

pub mod assume;
pub mod info;
pub mod rotate;
pub mod simulate;
pub mod validate;

use std::io::Read;
use std::path::Path;

/// Reads a file argument; `-` is standard input.
pub fn read_input(path: &Path) -> std::io::Result<String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path)
    }
}

/// How a file argument is named in messages.
pub fn display_name(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}
