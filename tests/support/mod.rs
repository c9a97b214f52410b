//! What the pseudo-terminal tests share. Each test file that needs it says
//! `mod support;`; a file uses only part of it.

#![allow(dead_code)]

pub mod pty;

use std::path::PathBuf;

/// A temporary folder holding `plan.toml` with `text`.
pub fn folder_with_plan(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}
