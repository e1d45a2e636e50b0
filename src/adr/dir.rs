//! Finding the ADR directory the way the tools teams already use do.
//!
//! adr-tools walks up from the current directory: at each level a file
//! `.adr-dir` names the directory (relative to that level), else a `doc/adr`
//! directory is used. tradeoff also recognises MADR's default
//! `docs/decisions`, log4brains' `.log4brains.yml` (`adrFolder`), and
//! `adr.config.json` (`path`), without ever rewriting another tool's file.

use std::path::{Component, Path, PathBuf};

/// Where the ADR directory is, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub dir: PathBuf,
    /// What pointed at it: `.adr-dir`, `doc/adr`, `docs/decisions`, ...
    pub via: String,
    /// log4brains' configuration named it: records are named by date.
    pub log4brains: bool,
}

/// A discovered ADR directory that lies outside the repository: a
/// `.adr-dir` (or another tool's configuration) pointing at `../../..`
/// would make tradeoff write and edit files anywhere. Only `--dir` may
/// name such a directory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{via} points at {}, outside the repository at {}; pass --dir DIR to use it anyway",
    dir.display(),
    root.display()
)]
pub struct Outside {
    pub via: String,
    pub dir: PathBuf,
    pub root: PathBuf,
}

/// Walks up from `start` looking for an ADR directory.
pub fn find(start: &Path) -> Result<Option<Found>, Outside> {
    let mut level = Some(start);
    while let Some(here) = level {
        if let Some(found) = at_level(here) {
            return confine(found, here).map(Some);
        }
        level = here.parent();
    }
    Ok(None)
}

/// The directory of the repository that holds `path`: the nearest ancestor
/// with a `.git`, else `fallback`.
pub fn repository_root(path: &Path, fallback: &Path) -> PathBuf {
    path.ancestors()
        .find(|p| p.join(".git").exists())
        .unwrap_or(fallback)
        .to_path_buf()
}

/// `found`, if it lies inside the repository that holds `level` (where its
/// pointer was found).
fn confine(found: Found, level: &Path) -> Result<Found, Outside> {
    let root = repository_root(level, level);
    let real = |p: &Path| resolve_existing(&normalize(p));
    if real(&found.dir).starts_with(real(&root)) {
        Ok(found)
    } else {
        Err(Outside {
            via: found.via,
            dir: normalize(&found.dir),
            root,
        })
    }
}

/// `path` with its longest existing ancestor resolved (symbolic links
/// followed), and the rest appended as written.
fn resolve_existing(path: &Path) -> PathBuf {
    for ancestor in path.ancestors() {
        if let Ok(real) = ancestor.canonicalize() {
            let rest = path.strip_prefix(ancestor).unwrap_or(Path::new(""));
            return real.join(rest);
        }
    }
    path.to_path_buf()
}

fn at_level(here: &Path) -> Option<Found> {
    let adr_dir = here.join(".adr-dir");
    if adr_dir.is_file()
        && let Ok(text) = std::fs::read_to_string(&adr_dir)
        && let Some(line) = text.lines().next().map(str::trim).filter(|l| !l.is_empty())
    {
        return Some(Found {
            dir: here.join(line),
            via: adr_dir.display().to_string(),
            log4brains: false,
        });
    }
    let log4brains = here.join(".log4brains.yml");
    if let Some(folder) = yaml_value(&log4brains, "adrFolder") {
        return Some(Found {
            dir: here.join(folder),
            via: log4brains.display().to_string(),
            log4brains: true,
        });
    }
    let config = here.join("adr.config.json");
    if let Ok(text) = std::fs::read_to_string(&config)
        && let Ok(json) = serde_json::from_str::<serde_json::Value>(&text)
        && let Some(path) = json.get("path").and_then(|p| p.as_str())
    {
        return Some(Found {
            dir: here.join(path),
            via: config.display().to_string(),
            log4brains: false,
        });
    }
    for default in ["doc/adr", "docs/decisions", "docs/adr"] {
        let dir = here.join(default);
        if dir.is_dir() {
            return Some(Found {
                dir,
                via: format!("the `{default}` directory"),
                log4brains: false,
            });
        }
    }
    None
}

/// Whether log4brains' configuration (`.log4brains.yml`, in `dir`'s parent
/// or any level above it within the repository) names `dir` as its ADR
/// folder.
pub fn is_log4brains_dir(dir: &Path) -> bool {
    let Ok(dir) = std::path::absolute(dir) else {
        return false;
    };
    let target = normalize(&dir);
    for level in dir.ancestors().skip(1) {
        let config = level.join(".log4brains.yml");
        if let Some(folder) = yaml_value(&config, "adrFolder")
            && normalize(&level.join(folder)) == target
        {
            return true;
        }
        if level.join(".git").exists() {
            break;
        }
    }
    false
}

/// A `key: value` line from a simple YAML file.
fn yaml_value(path: &Path, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().find_map(|line| {
        let (k, v) = line.trim().split_once(':')?;
        (k.trim() == key).then(|| v.trim().trim_matches(['"', '\'']).to_owned())
    })
}

/// `path` relative to `base` when it lies below it or near it (`../doc/adr/x.md`),
/// as adr-tools prints paths; absolute otherwise.
pub fn relative(path: &Path, base: &Path) -> PathBuf {
    let path = normalize(path);
    let base = normalize(base);
    let common = path
        .components()
        .zip(base.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return path;
    }
    let ups = base.components().count() - common;
    // `../doc/adr/x.md` helps; `../../../tmp/x/y.md` does not.
    if ups > 2 {
        return path;
    }
    let mut out = PathBuf::new();
    for _ in 0..ups {
        out.push("..");
    }
    for c in path.components().skip(common) {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// Resolves `.` and `..` lexically.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_up_to_adr_dir_file_then_defaults() -> std::io::Result<()> {
        let root = tempfile::tempdir()?;
        let deep = root.path().join("a/b/c");
        std::fs::create_dir_all(&deep)?;
        assert_eq!(find(&deep), Ok(None));
        std::fs::create_dir_all(root.path().join("doc/adr"))?;
        assert_eq!(
            find(&deep).ok().flatten().map(|f| f.dir),
            Some(root.path().join("doc/adr"))
        );
        std::fs::write(root.path().join("a/.adr-dir"), "decisions\n")?;
        assert_eq!(
            find(&deep).ok().flatten().map(|f| f.dir),
            Some(root.path().join("a/decisions"))
        );
        Ok(())
    }

    #[test]
    fn madr_and_log4brains_locations() -> std::io::Result<()> {
        let root = tempfile::tempdir()?;
        std::fs::create_dir_all(root.path().join("docs/decisions"))?;
        assert_eq!(
            find(root.path()).ok().flatten().map(|f| f.dir),
            Some(root.path().join("docs/decisions"))
        );
        let other = tempfile::tempdir()?;
        std::fs::write(
            other.path().join(".log4brains.yml"),
            "project:\n  adrFolder: ./docs/adr-l4b\n",
        )?;
        assert_eq!(
            find(other.path()).ok().flatten().map(|f| f.dir),
            Some(other.path().join("./docs/adr-l4b"))
        );
        Ok(())
    }

    #[test]
    fn a_pointer_outside_the_repository_is_refused() -> std::io::Result<()> {
        let root = tempfile::tempdir()?;
        let repo = root.path().join("repo");
        std::fs::create_dir_all(repo.join(".git"))?;
        std::fs::create_dir_all(repo.join("sub"))?;
        std::fs::write(repo.join("sub/.adr-dir"), "../decisions\n")?;
        assert!(find(&repo.join("sub")).is_ok_and(|f| f.is_some()));
        std::fs::write(repo.join("sub/.adr-dir"), "../../elsewhere\n")?;
        let outside = find(&repo.join("sub"));
        assert!(
            outside
                .as_ref()
                .is_err_and(|e| e.to_string().contains("outside the repository")),
            "{outside:?}"
        );
        std::fs::write(repo.join("sub/.adr-dir"), "/tmp\n")?;
        assert!(find(&repo.join("sub")).is_err());
        Ok(())
    }

    #[test]
    fn relative_paths_as_adr_tools_prints_them() {
        assert_eq!(
            relative(Path::new("/r/doc/adr/x.md"), Path::new("/r")),
            PathBuf::from("doc/adr/x.md")
        );
        assert_eq!(
            relative(Path::new("/r/doc/adr/x.md"), Path::new("/r/src")),
            PathBuf::from("../doc/adr/x.md")
        );
    }
}
