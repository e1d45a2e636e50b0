//! Writing files so that nothing is lost or half-written, and nothing is
//! replaced that was not a file of ours to replace.
//!
//! A regular file tradeoff writes goes to a temporary file in the target's
//! directory first, is flushed to disk, and is then renamed into place: a
//! crash, a full disk or Ctrl-C leaves either the old file or the new one,
//! never a truncated mix. The temporary file gets the mode a plain create
//! would give (0666 less the umask), or the mode of the file it replaces, so
//! that writing a record or an answers file never changes who can read it.
//!
//! A rename is right only over a regular file. A symbolic link is followed
//! and the file it points at is replaced (the link stays); a device, a FIFO
//! or anything else that is not a regular file is written into, as a shell
//! redirect (`> PATH`) would, so `--output /dev/stdout` writes to standard
//! output instead of replacing the device node; a directory is refused.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// The prefix of every temporary file tradeoff stages, so that a run can
/// recognise and remove the ones a killed run left behind.
pub const TEMP_PREFIX: &str = ".tradeoff-";
/// The suffix of every temporary file tradeoff stages.
pub const TEMP_SUFFIX: &str = ".tmp";

/// A temporary file beside `path` holding `text`, flushed to disk, for the
/// caller to move into place (`persist`, `persist_noclobber`). It has the
/// mode of the regular file at `path` if there is one, else the mode a
/// plain create would give.
pub fn stage(path: &Path, text: &str) -> io::Result<tempfile::NamedTempFile> {
    stage_with_prefix(path, text, TEMP_PREFIX)
}

/// [`stage`] with another name prefix (it should start with [`TEMP_PREFIX`]).
pub fn stage_with_prefix(
    path: &Path,
    text: &str,
    prefix: &str,
) -> io::Result<tempfile::NamedTempFile> {
    let parent = parent_of(path);
    fs::create_dir_all(parent)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(TEMP_SUFFIX);
    plain_create_mode(&mut builder);
    let mut temp = builder.tempfile_in(parent)?;
    if let Ok(meta) = fs::metadata(path)
        && meta.is_file()
    {
        fs::set_permissions(temp.path(), meta.permissions())?;
    }
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// The directory a file lives in (`.` for a bare name).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Asks for mode 0666 at creation, which the umask then narrows, as it
/// narrows any plain create (tempfile's own default is 0600).
#[cfg(unix)]
fn plain_create_mode(builder: &mut tempfile::Builder<'_, '_>) {
    use std::os::unix::fs::PermissionsExt as _;
    builder.permissions(fs::Permissions::from_mode(0o666));
}

#[cfg(not(unix))]
fn plain_create_mode(_builder: &mut tempfile::Builder<'_, '_>) {}

/// What is at a path we are asked to write.
enum Target {
    /// Nothing: a new regular file goes there.
    Missing,
    /// A regular file, at this path (the end of any symbolic links).
    Regular(PathBuf),
    /// A device, a FIFO, a socket, or a link to nothing: written into.
    Special,
}

fn target(path: &Path) -> io::Result<Target> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            format!("`{}` is a directory", path.display()),
        )),
        Ok(meta) if meta.is_file() => {
            let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            Ok(Target::Regular(if is_link {
                fs::canonicalize(path)?
            } else {
                path.to_path_buf()
            }))
        }
        Ok(_) => Ok(Target::Special),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                Ok(Target::Special)
            } else {
                Ok(Target::Missing)
            }
        }
        Err(e) => Err(e),
    }
}

/// Writes `path`, replacing a regular file atomically; see the module
/// documentation for links, devices and directories.
pub fn replace(path: &Path, text: &str) -> io::Result<()> {
    match target(path)? {
        Target::Missing => {
            stage(path, text)?.persist(path).map_err(|e| e.error)?;
        }
        Target::Regular(real) => {
            stage(&real, text)?.persist(&real).map_err(|e| e.error)?;
        }
        Target::Special => redirect(path, text)?,
    }
    Ok(())
}

/// Writes into what is at `path` as `> PATH` would: opened for writing,
/// truncated where that means anything, never replaced.
fn redirect(path: &Path, text: &str) -> io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.flush()
}

/// Writes `path` only if nothing is there (`AlreadyExists` otherwise; a
/// directory is refused as one).
pub fn create_new(path: &Path, text: &str) -> io::Result<()> {
    if let Ok(meta) = fs::symlink_metadata(path) {
        return Err(if meta.is_dir() {
            io::Error::new(
                io::ErrorKind::IsADirectory,
                format!("`{}` is a directory", path.display()),
            )
        } else {
            io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("`{}` already exists", path.display()),
            )
        });
    }
    stage(path, text)?
        .persist_noclobber(path)
        .map_err(|e| e.error)?;
    Ok(())
}

/// Whether `dir` holds temporary files named `prefix*.tmp`.
pub fn has_temps(dir: &Path, prefix: &str) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(prefix) && name.ends_with(TEMP_SUFFIX)
        })
    })
}

/// Removes the temporary files named `prefix*.tmp` in `dir`: what a run
/// killed between staging and renaming leaves. Call it only where no other
/// writer can be staging under the same prefix (under a lock). Returns how
/// many were removed.
pub fn remove_stale_temps(dir: &Path, prefix: &str) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(prefix) && name.ends_with(TEMP_SUFFIX)
        })
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| fs::remove_file(e.path()).is_ok())
        .count()
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

    #[test]
    fn a_directory_is_refused() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        for result in [replace(dir.path(), "x"), create_new(dir.path(), "x")] {
            assert_eq!(
                result.map_err(|e| e.kind()),
                Err(io::ErrorKind::IsADirectory)
            );
        }
        Ok(())
    }

    #[cfg(unix)]
    mod unix {
        use super::*;
        use std::os::unix::fs::{FileTypeExt as _, PermissionsExt as _};

        fn mode(path: &Path) -> io::Result<u32> {
            Ok(fs::metadata(path)?.permissions().mode() & 0o777)
        }

        /// The mode a plain create gives here (0666 less the umask).
        fn plain_mode(dir: &Path) -> io::Result<u32> {
            let probe = dir.join("probe");
            fs::File::create(&probe)?;
            let mode = mode(&probe)?;
            fs::remove_file(probe)?;
            Ok(mode)
        }

        #[test]
        fn new_files_get_a_plain_create_mode_and_edits_keep_theirs() -> io::Result<()> {
            let dir = tempfile::tempdir()?;
            let new = dir.path().join("new.md");
            replace(&new, "x")?;
            assert_eq!(mode(&new)?, plain_mode(dir.path())?);
            let made = dir.path().join("made.md");
            create_new(&made, "x")?;
            assert_eq!(mode(&made)?, plain_mode(dir.path())?);
            let shared = dir.path().join("shared.md");
            fs::write(&shared, "x")?;
            fs::set_permissions(&shared, fs::Permissions::from_mode(0o664))?;
            replace(&shared, "y")?;
            assert_eq!(mode(&shared)?, 0o664);
            fs::set_permissions(&shared, fs::Permissions::from_mode(0o640))?;
            replace(&shared, "z")?;
            assert_eq!(mode(&shared)?, 0o640);
            Ok(())
        }

        #[test]
        fn a_symlink_is_followed_and_kept() -> io::Result<()> {
            let dir = tempfile::tempdir()?;
            let real = dir.path().join("real.txt");
            fs::write(&real, "old")?;
            let link = dir.path().join("link.txt");
            std::os::unix::fs::symlink(&real, &link)?;
            replace(&link, "new")?;
            assert!(fs::symlink_metadata(&link)?.file_type().is_symlink());
            assert_eq!(fs::read_to_string(&real)?, "new");
            Ok(())
        }

        #[test]
        fn a_fifo_is_written_into_not_replaced() -> io::Result<()> {
            let dir = tempfile::tempdir()?;
            let fifo = dir.path().join("pipe");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status()?;
            if !made.success() {
                eprintln!("mkfifo is not available: skipped");
                return Ok(());
            }
            let reader = {
                let fifo = fifo.clone();
                std::thread::spawn(move || fs::read_to_string(fifo))
            };
            replace(&fifo, "through the pipe")?;
            // Checked before joining: a replaced FIFO would leave the reader
            // waiting for a writer forever.
            assert!(fs::symlink_metadata(&fifo)?.file_type().is_fifo());
            let read = reader
                .join()
                .map_err(|_| io::Error::other("the reader panicked"))??;
            assert_eq!(read, "through the pipe");
            Ok(())
        }
    }
}
