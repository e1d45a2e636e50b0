//! A small builder that runs the real `tradeoff` binary in a clean,
//! deterministic environment (no colour, fixed width and date, no backtraces).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Tradeoff {
    command: Command,
    stdin: Option<Vec<u8>>,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Tradeoff {
    pub fn new(args: &[&str]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_tradeoff"));
        command
            .args(args)
            .current_dir(repo())
            .env_remove("TRADEOFF_RULES")
            .env_remove("TRADEOFF_RULES_PACK")
            .env_remove("CLICOLOR_FORCE")
            .env("NO_COLOR", "1")
            .env("RUST_BACKTRACE", "0")
            .env("COLUMNS", "100")
            .env("ADR_DATE", "2026-11-21");
        Self {
            command,
            stdin: None,
        }
    }

    pub fn dir(mut self, dir: &Path) -> Self {
        self.command.current_dir(dir);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.command.env_remove(key);
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.as_bytes().to_vec());
        self
    }

    /// Standard input that need not be text.
    pub fn stdin_bytes(mut self, bytes: &[u8]) -> Self {
        self.stdin = Some(bytes.to_vec());
        self
    }

    pub fn run(mut self) -> Run {
        self.command.stdout(Stdio::piped()).stderr(Stdio::piped());
        self.command.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        let mut child = self
            .command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start tradeoff: {e}"));
        if let Some(text) = self.stdin.take() {
            let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
            stdin
                .write_all(&text)
                .unwrap_or_else(|e| panic!("cannot write stdin: {e}"));
        }
        let Output {
            status,
            stdout,
            stderr,
        } = child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("tradeoff did not finish: {e}"));
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn success(self) -> Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stdout_has(self, needle: &str) -> Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}:\n{}",
            self.stdout
        );
        self
    }
}

/// A temporary directory holding files written for one test.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir()
                .unwrap_or_else(|e| panic!("cannot create a temporary directory: {e}")),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("cannot create {parent:?}: {e}"));
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("cannot write {path:?}: {e}"));
        path
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name))
            .unwrap_or_else(|e| panic!("cannot read {name}: {e}"))
    }

    pub fn names(&self, sub: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path().join(sub))
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

/// Runs `tradeoff adr ARGS` in `dir` with a fixed date (adr-tools' own
/// tests' `ADR_DATE`) and no editor, so records are byte-comparable.
pub fn adr(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["adr"];
    all.extend_from_slice(args);
    Tradeoff::new(&all)
        .dir(dir)
        .env("ADR_DATE", "1992-01-12")
        .env("VISUAL", "")
        .env("EDITOR", "")
        .run()
}
