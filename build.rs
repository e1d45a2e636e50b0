//! Builds the built-in rule base into the binary.
//!
//! Every `*.toml` under `rules/` is embedded as text (for explanations and
//! `tradeoff rules export`), and validated here with the same code that
//! validates a user's rule base at run time: an invalid built-in rule base
//! fails the build with file:line:column diagnostics. The validated rule
//! base is then embedded as a compact snapshot (`rulebase::snapshot`), so the
//! installed tool never parses TOML to start. Adding a topic file needs no code.

use std::error::Error;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};
use tradeoff_rulebase as rulebase;
use tradeoff_rulebase::source;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=rules");
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?).join("rules");
    // The library's own loader finds and reads the files, in the order the
    // binary embeds them (the snapshot's spans index into that order).
    let found = rulebase::load::RuleBaseFiles::read_dir(&root)?;
    let mut code =
        String::from("/// Built-in rule base files: (path relative to `rules/`, contents).\n");
    code.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    let mut files = Vec::new();
    for (relative, file) in &found.all {
        let path = root.join(relative);
        writeln!(
            code,
            "    ({relative:?}, include_str!({:?})),",
            path.display().to_string()
        )?;
        files.push((
            relative.clone(),
            source::SourceFile::new(format!("rules/{relative}"), file.text()),
        ));
    }
    code.push_str("];\n");
    writeln!(
        code,
        "/// `RuleBase::fingerprint` of those files.\npub static FINGERPRINT: &str = {:?};",
        rulebase::fingerprint(files.iter())
    )?;
    let out = PathBuf::from(env::var("OUT_DIR")?);
    fs::write(out.join("builtin_rules.rs"), code)?;

    let files = rulebase::load::RuleBaseFiles::classify(files);
    let rb = match rulebase::RuleBase::from_files(files, "rules") {
        Ok(rb) => rb,
        Err(e) => {
            eprintln!(
                "the built-in rule base does not validate:\n\n{}",
                e.render(false)
            );
            std::process::exit(1);
        }
    };
    if !rb.warnings().is_empty() {
        for w in rb.warnings() {
            eprintln!("{}", w.render(false));
        }
        eprintln!("the built-in rule base must validate without warnings");
        std::process::exit(1);
    }
    // The snapshot keeps the rule base as validated, each test with its slot
    // and compiled form.
    fs::write(
        out.join("builtin_rules.bin"),
        rulebase::snapshot::encode(&rb)?,
    )?;
    Ok(())
}
