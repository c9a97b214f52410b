//! `gantry new [FILE]`: a commented starter plan.

use std::io::Write;

use anyhow::Context;

use crate::cli::NewArgs;

use super::EXIT_OK;

/// The starter plan: every part of the format, commented.
pub const STARTER: &str = include_str!("../templates/starter.toml");

pub fn run(args: &NewArgs) -> anyhow::Result<u8> {
    // create_new refuses an existing file, even one created a moment ago.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&args.file)
        .with_context(|| match args.file.try_exists() {
            Ok(true) => format!(
                "{} already exists; choose another name",
                args.file.display()
            ),
            _ => format!("cannot create {}", args.file.display()),
        })?;
    file.write_all(STARTER.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", args.file.display()))?;
    println!(
        "wrote {}: a starter plan; open it with `gantry {0}` or check it with `gantry check {0}`",
        args.file.display()
    );
    Ok(EXIT_OK)
}
