//! Where an unfinished session is kept.
//!
//! Sessions live under the user's state directory, one file per working
//! directory: `$XDG_STATE_HOME/tradeoff/sessions/` (by default
//! `~/.local/state/tradeoff/sessions/`), named after the directory and a
//! hash of its full path. So a session never lands in a repository, where it
//! could be committed by mistake (it holds every answer given), and needs no
//! `.gitignore` entry; `tradeoff ask --resume` in the same directory finds it
//! again. `--session FILE` puts it anywhere else. Without a home directory
//! (neither `XDG_STATE_HOME` nor `HOME` set), the session is kept in the
//! working directory as `.tradeoff-session.toml`.

use sha2::{Digest as _, Sha256};
use std::path::{Path, PathBuf};

/// The session file in the working directory, when there is no state directory.
pub const LOCAL_FILE: &str = ".tradeoff-session.toml";

/// The session file for work in `dir`, under the state directory that
/// `env` (a variable's value by name) points at.
pub fn default_path(dir: &Path, env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    let state = env("XDG_STATE_HOME")
        .filter(|s| Path::new(s).is_absolute())
        .map(PathBuf::from)
        .or_else(|| {
            env("HOME")
                .filter(|h| !h.is_empty())
                .map(|home| Path::new(&home).join(".local/state"))
        });
    match state {
        Some(state) => state.join("tradeoff/sessions").join(file_name(dir)),
        None => dir.join(LOCAL_FILE),
    }
}

/// `checkout-1a2b3c4d5e6f.toml`: the directory's name, for people, and a
/// hash of its whole path, to tell apart directories of the same name.
fn file_name(dir: &Path) -> String {
    let hash = Sha256::digest(dir.as_os_str().as_encoded_bytes());
    let hex: String = hash.iter().take(6).map(|b| format!("{b:02x}")).collect();
    let name: String = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches('-')
        .to_owned();
    if name.is_empty() {
        format!("{hex}.toml")
    } else {
        format!("{name}-{hex}.toml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn sessions_live_in_the_state_directory_one_per_working_directory() {
        let work = Path::new("/home/ann/src/checkout");
        let path = default_path(
            work,
            &env(&[("XDG_STATE_HOME", "/state"), ("HOME", "/home/ann")]),
        );
        assert!(path.starts_with("/state/tradeoff/sessions"), "{path:?}");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("checkout-") && name.ends_with(".toml"),
            "{name}"
        );
        let home = default_path(work, &env(&[("HOME", "/home/ann")]));
        assert!(home.starts_with("/home/ann/.local/state/tradeoff/sessions"));
        assert_eq!(home.file_name(), path.file_name());
        let other = default_path(Path::new("/tmp/checkout"), &env(&[("HOME", "/home/ann")]));
        assert_ne!(other, home, "two directories of the same name");
        // A relative XDG_STATE_HOME is ignored, as the specification says.
        let relative = default_path(work, &env(&[("XDG_STATE_HOME", "state"), ("HOME", "/h")]));
        assert!(relative.starts_with("/h/.local/state"));
        assert_eq!(default_path(work, &env(&[])), work.join(LOCAL_FILE));
    }
}
