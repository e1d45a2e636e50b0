//! Finding the files to read, within bounds.
//!
//! A scan runs in whatever directory the person points it at, which may be
//! huge, may hold other people's code (`node_modules`, `vendor`) or build
//! output, and may have symlinks leading anywhere on the machine. So the
//! walk respects `.gitignore` (through the `ignore` crate, the walker
//! ripgrep uses), skips hidden, vendored and build trees, never follows a
//! symlink, reads no ignore file above the directory, and leaves file sizes
//! to [`Limits`]: whatever is read stays inside the directory.

use ignore::WalkBuilder;
use std::path::{Path, PathBuf};

/// Directory names never descended into: version control, dependencies
/// vendored or installed in place, and build output.
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    "node_modules",
    "bower_components",
    "target",
    "vendor",
    "third_party",
    "third-party",
    "__pycache__",
    "venv",
];

/// How much a scan may read.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Files larger than this are counted but not read.
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 1024 * 1024,
        }
    }
}

/// One regular file found by the walk.
#[derive(Debug)]
pub struct WalkedFile {
    pub path: PathBuf,
    /// The path relative to the scanned directory, with `/` separators.
    pub relative: String,
}

impl WalkedFile {
    pub fn name(&self) -> &str {
        self.relative.rsplit('/').next().unwrap_or(&self.relative)
    }
}

/// The regular files under `root`, in a stable order, symlinks excluded.
pub fn files(root: &Path) -> impl Iterator<Item = WalkedFile> {
    let root_owned = root.to_path_buf();
    WalkBuilder::new(root)
        .hidden(true)
        .parents(false)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|entry| {
            let skipped = entry.file_type().is_some_and(|t| t.is_dir())
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| SKIPPED_DIRS.contains(&name));
            !skipped
        })
        .build()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .filter_map(move |entry| {
            let relative = relative_path(&root_owned, entry.path())?;
            Some(WalkedFile {
                path: entry.into_path(),
                relative,
            })
        })
}

/// `path` relative to `root`, with `/` separators; `None` outside it.
fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let rest = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rest
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn names(root: &Path) -> Vec<String> {
        files(root).map(|f| f.relative).collect()
    }

    #[test]
    fn skips_vendored_and_ignored_trees() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for path in [
            "app/package.json",
            "node_modules/pg/package.json",
            "vendor/x/go.mod",
            "target/debug/out.yaml",
            "build/gen.yaml",
            ".git/config",
        ] {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, "x").unwrap();
        }
        fs::write(root.join(".gitignore"), "build/\n").unwrap();
        assert_eq!(names(root), ["app/package.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn never_follows_a_symlink_out_of_the_directory() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("docker-compose.yml"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("linked")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("docker-compose.yml"),
            dir.path().join("docker-compose.yml"),
        )
        .unwrap();
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn reads_no_ignore_file_above_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".gitignore"), "*.yml\n").unwrap();
        let inner = dir.path().join("repo");
        fs::create_dir(&inner).unwrap();
        fs::write(inner.join("compose.yml"), "x").unwrap();
        assert_eq!(names(&inner), ["compose.yml"]);
    }
}
