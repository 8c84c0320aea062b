//! Commands that run without the console, for people, scripts and CI pipelines. Each returns
//! the process exit code; none of them touches the terminal beyond stdout and stderr.

pub mod assume;
pub mod audit_log;
pub mod info;
pub mod rotate;
pub mod simulate;
pub mod validate;

use std::io::{Read, Write};
use std::path::Path;

/// Reads a file argument (`-` is standard input), with the name messages give it; says on
/// `err` why it cannot be read.
pub fn read_input(path: &Path, err: &mut dyn Write) -> Option<(String, String)> {
    let (name, text) = if path.as_os_str() == "-" {
        let mut text = String::new();
        let read = std::io::stdin().read_to_string(&mut text);
        ("<stdin>".to_string(), read.map(|_| text))
    } else {
        (path.display().to_string(), std::fs::read_to_string(path))
    };
    match text {
        Ok(text) => Some((name, text)),
        Err(e) => {
            let _ = writeln!(err, "iamtui: cannot read `{name}`: {e}");
            None
        }
    }
}
