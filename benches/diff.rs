//! `gantry diff` of two 10,000-task plans.
//!
//! ```text
//! cargo bench --bench diff
//! ```
//!
//! The old plan comes from the generator in `examples/gen_plan.rs`; the new
//! one is the same text with every 50th task 3 days longer, every 40th
//! renamed, 50 tasks added at the end and every 10th risk closed, so the
//! dates of thousands of tasks move. `end_to_end` is what the command
//! does, from the two files' bytes to the printed text (both sides parsed
//! at once); `compare` is the comparison alone, on plans already read.
//! The target is 300 ms end to end; `docs/performance.md` has the figures.

// A benchmark whose setup fails has nothing to measure: stopping is right.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use gantry::cli::DiffFormat;
use gantry::diff::{self, Dating, Version};

#[path = "../examples/gen_plan.rs"]
mod gen_plan;

/// The generated plan with edits a busy week might bring.
fn edited(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8192);
    let mut task = 0usize;
    let mut risk = 0usize;
    let mut in_task = false;
    for line in text.lines() {
        if line == "[[task]]" {
            task += 1;
            in_task = true;
        } else if line == "[[risk]]" {
            risk += 1;
            in_task = false;
            out.push_str(line);
            out.push('\n');
            if risk.is_multiple_of(10) {
                out.push_str("status = \"closed\"\n");
            }
            continue;
        } else if line.starts_with("[[") {
            in_task = false;
        }
        let edited_line = if in_task && task.is_multiple_of(50) && line.starts_with("duration = ") {
            let days: i64 = line["duration = ".len()..]
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(1);
            format!("duration = {}", days + 3)
        } else if in_task && task.is_multiple_of(40) && line.starts_with("name = ") {
            format!("name = \"Renamed task {task}\"")
        } else if line.starts_with("status = ") && risk > 0 && risk.is_multiple_of(10) && !in_task {
            // The closed status was written above.
            continue;
        } else {
            line.to_owned()
        };
        out.push_str(&edited_line);
        out.push('\n');
    }
    for extra in 0..50 {
        out.push_str(&format!(
            "\n[[task]]\nid = \"extra{extra:03}\"\nname = \"Extra work {extra}\"\nduration = 4\ndepends = [\"t{:05}\"]\n",
            extra * 150 + 1
        ));
    }
    out
}

fn diff_10k(c: &mut Criterion) {
    let old = gen_plan::generate(&gen_plan::Options::new(10_000));
    let new = edited(&old);
    let dating = Dating {
        asked: None,
        fallback: chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date"),
    };
    let old_version = Version::from_text("old.toml", &old, dating);
    let new_version = Version::from_text("new.toml", &new, dating);
    let check = diff::compare(&old_version, &new_version);
    assert_eq!(check.old.errors(), 0, "the old plan is valid");
    assert_eq!(
        check.new.errors(),
        0,
        "the new plan is valid: {:?}",
        check.new.diagnostics.first()
    );
    assert_eq!(check.tasks.added.len(), 50);
    assert!(
        check.tasks.changed.len() >= 350,
        "{}",
        check.tasks.changed.len()
    );
    assert!(
        check.schedule.moved.len() > 1000,
        "{}",
        check.schedule.moved.len()
    );
    assert!(!check.risks.changed.is_empty());

    let mut group = c.benchmark_group("diff_10k");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("end_to_end", |b| {
        b.iter(|| {
            let plan_diff = diff::compare_bytes(
                (
                    "old.toml".to_owned(),
                    Some(black_box(old.as_bytes()).to_vec()),
                ),
                ("new.toml".to_owned(), Some(new.as_bytes().to_vec())),
                dating,
            );
            gantry::commands::render_diff(&plan_diff, DiffFormat::Text)
        })
    });
    group.bench_function("end_to_end_json", |b| {
        b.iter(|| {
            let plan_diff = diff::compare_bytes(
                (
                    "old.toml".to_owned(),
                    Some(black_box(old.as_bytes()).to_vec()),
                ),
                ("new.toml".to_owned(), Some(new.as_bytes().to_vec())),
                dating,
            );
            gantry::commands::render_diff(&plan_diff, DiffFormat::Json)
        })
    });
    group.bench_function("compare", |b| {
        b.iter(|| diff::compare(black_box(&old_version), &new_version))
    });
    group.finish();
}

criterion_group!(benches, diff_10k);
criterion_main!(benches);
