//! Writing files so that nothing is lost or half-written.
//!
//! Every file tradeoff writes goes to a temporary file in the target's
//! directory first, is flushed to disk, and is then renamed into place: a
//! crash, a full disk or Ctrl-C leaves either the old file or the new one,
//! never a truncated mix.

use std::io::{self, Write as _};
use std::path::Path;

/// A temporary file beside `path` holding `text`, flushed to disk, for the
/// caller to move into place (`persist`, `persist_noclobber`).
pub fn stage(path: &Path, text: &str) -> io::Result<tempfile::NamedTempFile> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".tradeoff-")
        .suffix(".tmp")
        .tempfile_in(parent)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// Writes `path`, replacing any previous version atomically.
pub fn replace(path: &Path, text: &str) -> io::Result<()> {
    stage(path, text)?.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `path` only if it does not exist (`AlreadyExists` otherwise).
pub fn create_new(path: &Path, text: &str) -> io::Result<()> {
    stage(path, text)?
        .persist_noclobber(path)
        .map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_atomically_and_creates_only_new_files() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("sub/file.txt");
        replace(&path, "one")?;
        replace(&path, "two")?;
        assert_eq!(std::fs::read_to_string(&path)?, "two");
        assert_eq!(
            create_new(&path, "three").map_err(|e| e.kind()),
            Err(io::ErrorKind::AlreadyExists)
        );
        assert_eq!(std::fs::read_to_string(&path)?, "two");
        let leftovers = std::fs::read_dir(path.parent().unwrap_or(dir.path()))?.count();
        assert_eq!(leftovers, 1, "no temporary files left behind");
        Ok(())
    }
}
