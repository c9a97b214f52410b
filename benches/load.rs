//! Loading and saving large plans, measured against bare TOML parsing.
//!
//! ```text
//! cargo bench --bench load
//! ```
//!
//! The plans come from the generator in `examples/gen_plan.rs`; numbers and
//! targets are in `docs/performance.md`.

// A benchmark whose setup fails has nothing to measure: stopping is right.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, criterion_group};
use gantry::store::{Edit, PlanFile, TaskField, parse_str, parse_str_with_document};

#[path = "../examples/gen_plan.rs"]
mod gen_plan;

fn plan_text(tasks: usize) -> String {
    gen_plan::generate(&gen_plan::Options::new(tasks))
}

/// Bare parsing (the floor), then our load at each level of work.
fn load_benches(c: &mut Criterion, tasks: usize, sample_size: usize) {
    let text = plan_text(tasks);
    // A plan that does not load cleanly would measure the error path instead.
    match parse_str(&text) {
        Ok(loaded) if !loaded.has_errors() => {}
        _ => panic!("the generated {tasks}-task plan is not valid"),
    }
    let mut group = c.benchmark_group(format!("load_{}k", tasks / 1000));
    group.sample_size(sample_size);
    if sample_size <= 10 {
        // Each run takes seconds: the same number of runs per sample keeps the total short.
        group.sampling_mode(SamplingMode::Flat);
    }
    group.bench_function("toml_edit_document_parse", |b| {
        b.iter(|| toml_edit::Document::parse(black_box(text.as_str())))
    });
    group.bench_function("toml_edit_document_mut_parse", |b| {
        b.iter(|| black_box(text.as_str()).parse::<toml_edit::DocumentMut>())
    });
    group.bench_function("toml_de_table_parse", |b| {
        b.iter(|| toml::de::DeTable::parse(black_box(text.as_str())).is_ok())
    });
    group.bench_function("store_parse_str", |b| {
        b.iter(|| parse_str(black_box(&text)))
    });
    group.bench_function("store_parse_str_with_document", |b| {
        b.iter(|| parse_str_with_document(black_box(&text)))
    });
    let path = PathBuf::from("plan.toml");
    group.bench_function("plan_file_from_text", |b| {
        b.iter(|| PlanFile::from_text(&path, black_box(text.clone())))
    });
    group.finish();
}

fn load_10k(c: &mut Criterion) {
    load_benches(c, 10_000, 30);
}

fn load_100k(c: &mut Criterion) {
    load_benches(c, 100_000, 10);
}

/// Sets one task's progress and saves: the work behind `gantry task set`
/// and Ctrl-s in the app, without the initial load.
fn edit_save_10k(c: &mut Criterion) {
    edit_save(c, 10_000, 30);
}

/// The same at 100,000 tasks.
fn edit_save_100k(c: &mut Criterion) {
    edit_save(c, 100_000, 10);
}

fn edit_save(c: &mut Criterion, tasks: usize, sample_size: usize) {
    let text = plan_text(tasks);
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("plan.toml");
    std::fs::write(&path, &text).expect("the plan is written");
    let mut file = PlanFile::open(&path).expect("the plan loads");
    let middle = file.plan.tasks[tasks / 2].id.value.clone();
    let mut group = c.benchmark_group(format!("edit_save_{}k", tasks / 1000));
    group.sample_size(sample_size);
    group.measurement_time(Duration::from_secs(10));
    let mut progress: i64 = 60;
    group.bench_function("set_progress_and_save", |b| {
        b.iter(|| {
            // Alternate the value so that every save writes the file.
            progress = if progress == 60 { 61 } else { 60 };
            file.apply(Edit::SetTask {
                task: middle.clone(),
                field: TaskField::Progress,
                value: Some(progress.into()),
            })
            .expect("the edit is accepted");
            file.save().expect("the plan is saved")
        })
    });
    group.bench_function("render_text_only", |b| b.iter(|| file.text()));
    group.bench_function("set_progress_only", |b| {
        b.iter(|| {
            progress = if progress == 60 { 61 } else { 60 };
            file.apply(Edit::SetTask {
                task: middle.clone(),
                field: TaskField::Progress,
                value: Some(progress.into()),
            })
            .expect("the edit is accepted")
        })
    });
    group.finish();
}

/// Load + validate against the bare parse, timed in alternation so both see
/// the same machine load: prints the median of the per-pair ratios and the
/// ratio of the best times. Medians of separate runs drift too much on a
/// shared machine to compare two numbers 1.5x apart.
fn paired_ratio(tasks: usize, pairs: usize) {
    let text = plan_text(tasks);
    let time = |f: &dyn Fn()| {
        let start = Instant::now();
        f();
        start.elapsed().as_secs_f64()
    };
    let (mut floors, mut loads, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..pairs {
        let floor = time(&|| {
            black_box(toml_edit::Document::parse(black_box(text.as_str())).is_ok());
        });
        let load = time(&|| {
            black_box(parse_str(black_box(&text)).is_ok());
        });
        floors.push(floor);
        loads.push(load);
        ratios.push(load / floor);
    }
    ratios.sort_by(f64::total_cmp);
    let best = |times: &[f64]| times.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "load_ratio_{}k: parse_str / Document::parse over {pairs} pairs: median {:.2}x, best times {:.1} ms / {:.1} ms = {:.2}x",
        tasks / 1000,
        ratios[ratios.len() / 2],
        best(&loads) * 1000.0,
        best(&floors) * 1000.0,
        best(&loads) / best(&floors)
    );
}

criterion_group!(benches, load_10k, edit_save_10k, load_100k, edit_save_100k);

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not, and
    // then only checks that each benchmark runs once. A filter that does
    // not name `load_ratio` skips the ratios.
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Not the values of options such as `--measurement-time 3`.
    let filters: Vec<&String> = args
        .iter()
        .filter(|arg| !arg.starts_with('-') && arg.parse::<f64>().is_err())
        .collect();
    let wanted = filters.is_empty() || filters.iter().any(|f| "load_ratio".contains(f.as_str()));
    if args.iter().any(|arg| arg == "--bench") && wanted {
        paired_ratio(10_000, 21);
        paired_ratio(100_000, 5);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
