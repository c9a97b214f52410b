//! gantry: a terminal planner for project implementation plans.
//!
//! The library knows nothing of the terminal: `model` is plain data,
//! `store` reads, validates, edits and saves plan files, `validate` holds
//! every diagnostic, `schedule` computes dates, and `diff` tells the
//! change between two versions of a plan.

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod export;
pub mod git;
pub mod governance;
pub mod history;
pub mod import;
pub mod keymap;
pub mod layout;
pub mod metrics;
pub mod model;
pub mod report;
pub mod sanitize;
pub mod schedule;
pub mod store;
pub mod theme;
pub mod ui;
pub mod validate;
