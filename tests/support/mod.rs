//! What the pseudo-terminal tests share. Each test file that needs it says
//! `mod support;`; a file uses only part of it.

#![allow(dead_code)]

pub mod pty;
