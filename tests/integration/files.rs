//! Output files as a shell user expects them: `--output` and `-o` write
//! through links and into devices and FIFOs instead of replacing them, refuse
//! a directory, and give new files the mode a plain create gives.

use crate::support::{Scratch, Tradeoff};

#[test]
fn an_output_path_that_is_a_directory_is_refused() {
    let s = Scratch::new();
    Tradeoff::new(&["rules", "docs", "--output", s.path().to_str().unwrap()])
        .run()
        .code(73)
        .stderr_has("is a directory");
}

#[cfg(unix)]
#[test]
fn output_through_a_symlink_keeps_the_link() {
    let s = Scratch::new();
    let real = s.write("real.md", "old\n");
    let link = s.path().join("link.md");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    Tradeoff::new(&["rules", "docs", "--output", link.to_str().unwrap()])
        .run()
        .success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(s.read("real.md").starts_with('#'));
}

#[cfg(unix)]
#[test]
fn output_into_a_fifo_is_written_through_it() {
    use std::os::unix::fs::FileTypeExt as _;
    let s = Scratch::new();
    let fifo = s.path().join("pipe");
    if !std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|st| st.success())
    {
        eprintln!("mkfifo is not available: skipped");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo))
    };
    Tradeoff::new(&["rules", "docs", "--output", fifo.to_str().unwrap()])
        .run()
        .success();
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    let text = reader.join().unwrap().unwrap();
    assert!(text.starts_with('#'), "{text}");
}

#[cfg(unix)]
#[test]
fn written_files_keep_or_get_ordinary_modes() {
    use std::os::unix::fs::PermissionsExt as _;
    let s = Scratch::new();
    let mode = |name: &str| {
        std::fs::metadata(s.path().join(name))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    std::fs::File::create(s.path().join("probe")).unwrap();
    let plain = mode("probe");
    let files = ["tests/merge/lead.toml", "tests/merge/backend.toml"]
        .map(|f| crate::support::repo().join(f).display().to_string());
    Tradeoff::new(&["merge", &files[0], &files[1], "-o", "merged.toml"])
        .dir(s.path())
        .run()
        .success();
    assert_eq!(mode("merged.toml"), plain);
    std::fs::set_permissions(
        s.path().join("merged.toml"),
        std::fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    Tradeoff::new(&[
        "merge",
        &files[0],
        &files[1],
        "-o",
        "merged.toml",
        "--force",
    ])
    .dir(s.path())
    .run()
    .success();
    assert_eq!(mode("merged.toml"), 0o640);
}
