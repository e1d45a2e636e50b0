//! One writer at a time in an ADR directory, and readers that never see
//! half an edit.
//!
//! Editing a record is a read-modify-write: two `adr link` runs that read
//! the same file both write it back, and one link is lost; two `decide
//! --adr` runs both see that a decision is not on record yet, and write it
//! twice. So every change to a directory holds an exclusive OS advisory lock
//! on the directory itself (`flock` where there is one) from the moment it
//! reads the records until its last rename, and commands that only read hold
//! a shared one. The kernel releases the lock when the process ends, however
//! it ends, so a killed run leaves no lock behind, unlike a lock file.
//! Locking the directory rather than each record also makes the choice of
//! the next number, and the check that a decision is already on record, part
//! of the same critical section as the write.

use std::fs::File;
use std::io;
use std::path::Path;

/// What the holder will do in the directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Read only: many at once.
    Read,
    /// Change records: alone.
    Write,
}

/// A held lock on a directory, released when dropped (or when the process ends).
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}

impl DirLock {
    /// Waits for the lock on `dir`, which must exist. `None` where the file
    /// system cannot lock (some network file systems): the caller goes on
    /// unlocked, as tools without locks do.
    pub fn acquire(dir: &Path, access: Access) -> io::Result<Option<Self>> {
        let file = open_handle(dir)?;
        let locked = match access {
            Access::Read => file.lock_shared(),
            Access::Write => file.lock(),
        };
        match locked {
            Ok(()) => Ok(Some(Self { _file: file })),
            Err(e) if e.kind() == io::ErrorKind::Unsupported => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The directory itself, opened for reading, which is enough to lock it.
#[cfg(unix)]
fn open_handle(dir: &Path) -> io::Result<File> {
    File::open(dir)
}

/// Where a directory cannot be opened as a file, a lock file inside it
/// stands for it (it is never removed, so every process locks the same one).
#[cfg(not(unix))]
fn open_handle(dir: &Path) -> io::Result<File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join(".tradeoff.lock"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn writers_exclude_each_other_and_readers_share() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let inside = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let (path, inside, most) = (dir.path().to_path_buf(), inside.clone(), most.clone());
                std::thread::spawn(move || -> io::Result<()> {
                    let _lock = DirLock::acquire(&path, Access::Write)?;
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    inside.fetch_sub(1, Ordering::SeqCst);
                    Ok(())
                })
            })
            .collect();
        for h in handles {
            h.join().map_err(|_| io::Error::other("panicked"))??;
        }
        assert_eq!(most.load(Ordering::SeqCst), 1);
        let a = DirLock::acquire(dir.path(), Access::Read)?;
        let b = DirLock::acquire(dir.path(), Access::Read)?;
        assert!(a.is_some() && b.is_some());
        Ok(())
    }
}
