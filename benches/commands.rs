//! Commands end to end, process start to exit, against the format-
//! preserving parse (`toml_edit::DocumentMut`) of the same file in the same
//! run. The plans come from `examples/gen_plan.rs`; figures and targets are
//! in `docs/performance.md`.
//!
//! ```text
//! cargo bench --bench commands -- --warm-up-time 1 --measurement-time 3
//! cargo bench --bench commands -- worst_cases    # malformed and long plans
//! ```

// A benchmark whose setup fails has nothing to measure: stopping is right.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use criterion::{Criterion, SamplingMode, criterion_group};

#[path = "../examples/gen_plan.rs"]
mod gen_plan;

const GANTRY: &str = env!("CARGO_BIN_EXE_gantry");

/// A generated plan written to a temporary folder, kept for the run.
fn plan_file(tasks: usize) -> (tempfile::TempDir, PathBuf, String) {
    let text = gen_plan::generate(&gen_plan::Options::new(tasks));
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("plan.toml");
    std::fs::write(&path, &text).expect("the plan is written");
    (folder, path, text)
}

/// Runs `gantry ARGS... FILE ...REST`, output discarded; it must succeed.
fn gantry(args: &[&str], path: &Path, rest: &[&str]) {
    let status = Command::new(GANTRY)
        .args(args)
        .arg(path)
        .args(rest)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("gantry runs");
    assert!(status.success(), "gantry {args:?} failed");
}

fn end_to_end(c: &mut Criterion, tasks: usize, sample_size: usize) {
    let (_folder, path, text) = plan_file(tasks);
    let mut group = c.benchmark_group(format!("end_to_end_{}k", tasks / 1000));
    group.sample_size(sample_size);
    if sample_size <= 10 {
        group.sampling_mode(SamplingMode::Flat);
    }
    group.bench_function("document_mut_parse", |b| {
        b.iter(|| black_box(text.as_str()).parse::<toml_edit::DocumentMut>())
    });
    group.bench_function("toml_de_table_parse", |b| {
        b.iter(|| toml::de::DeTable::parse(black_box(text.as_str())).is_ok())
    });
    group.bench_function("gantry_check", |b| {
        b.iter(|| gantry(&["check"], &path, &[]))
    });
    group.bench_function("gantry_schedule_json", |b| {
        b.iter(|| gantry(&["schedule"], &path, &["--json"]))
    });
    group.bench_function("gantry_status", |b| {
        b.iter(|| gantry(&["status"], &path, &[]))
    });
    group.finish();
}

fn end_to_end_1k(c: &mut Criterion) {
    end_to_end(c, 1_000, 30);
}

fn end_to_end_10k(c: &mut Criterion) {
    end_to_end(c, 10_000, 20);
}

fn end_to_end_100k(c: &mut Criterion) {
    end_to_end(c, 100_000, 10);
}

/// `gantry check` and `gantry schedule --json` against the DocumentMut
/// parse, timed in alternation so both see the same machine load: prints
/// the median of the per-pair ratios.
fn paired(tasks: usize, pairs: usize) {
    let (_folder, path, text) = plan_file(tasks);
    let time = |f: &dyn Fn()| {
        let start = Instant::now();
        f();
        start.elapsed().as_secs_f64()
    };
    for (name, args, rest) in [
        ("check", &["check"][..], &[][..]),
        ("schedule --json", &["schedule"], &["--json"]),
    ] {
        let (mut ratios, mut commands, mut parses) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..pairs {
            let parse = time(&|| {
                black_box(
                    black_box(text.as_str())
                        .parse::<toml_edit::DocumentMut>()
                        .is_ok(),
                );
            });
            let command = time(&|| gantry(args, &path, rest));
            ratios.push(command / parse);
            commands.push(command);
            parses.push(parse);
        }
        for list in [&mut ratios, &mut commands, &mut parses] {
            list.sort_by(f64::total_cmp);
        }
        let middle = pairs / 2;
        println!(
            "paired_{}k: gantry {name} / DocumentMut parse over {pairs} pairs: median {:.2}x ({:.1} ms / {:.1} ms)",
            tasks / 1000,
            ratios[middle],
            commands[middle] * 1000.0,
            parses[middle] * 1000.0
        );
    }
}

/// A plan of `tasks` tasks in one chain, each but the first depending on
/// the one before (`misspelt`: on an id that is not there, a different
/// one for each task).
fn chain(tasks: usize, misspelt: bool) -> String {
    let mut text = String::from("[project]\nname = \"Worst cases\"\nstart = 2027-01-04\n\n");
    for index in 0..tasks {
        text.push_str(&format!(
            "[[task]]\nid = \"task-{index}\"\nname = \"Task {index}\"\nduration = 1\n"
        ));
        if misspelt {
            text.push_str(&format!("depends = [\"tsak-{index}\"]\n"));
        } else if index > 0 {
            text.push_str(&format!("depends = [\"task-{}\"]\n", index - 1));
        }
        text.push('\n');
    }
    text
}

/// Runs `gantry ARGS... FILE ...REST` whatever it exits with (a malformed
/// plan exits 1).
fn gantry_any(args: &[&str], path: &Path, rest: &[&str]) {
    let status = Command::new(GANTRY)
        .args(args)
        .arg(path)
        .args(rest)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("gantry runs");
    assert!(status.code().is_some(), "gantry {args:?} was killed");
}

/// The worst cases of malformed and large plans: every task depending on
/// a misspelt id (a did-you-mean for each), in `check`, in `task set` and
/// up to the app's first frame, and `baseline` over a 20,000-task chain.
fn worst_cases(c: &mut Criterion) {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let misspelt = chain(10_000, true);
    let misspelt_path = folder.path().join("misspelt.toml");
    std::fs::write(&misspelt_path, &misspelt).expect("the plan is written");
    let long = chain(20_000, false);
    let long_path = folder.path().join("chain.toml");
    let mut group = c.benchmark_group("worst_cases");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("check_10k_misspelt_dependencies", |b| {
        b.iter(|| gantry_any(&["check"], &misspelt_path, &[]))
    });
    group.bench_function("task_set_10k_misspelt_dependencies", |b| {
        b.iter(|| gantry_any(&["task", "set"], &misspelt_path, &["task-5", "name=Five"]))
    });
    group.bench_function("first_frame_10k_misspelt_dependencies", |b| {
        b.iter(|| first_frame(&misspelt_path))
    });
    group.bench_function("baseline_20k_chain", |b| {
        b.iter_batched(
            || std::fs::write(&long_path, &long).expect("the plan is written"),
            |()| gantry(&["baseline"], &long_path, &[]),
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// Opens a plan as the app does and draws its first frame.
fn first_frame(path: &Path) {
    use gantry::app::{Action, App, Origin};
    let file = gantry::store::PlanFile::open_deferred(path).expect("the plan parses");
    let config = gantry::config::Config::defaults(gantry::theme::Capabilities {
        color: gantry::theme::ColorSupport::TrueColor,
        unicode: true,
    });
    let today = chrono::NaiveDate::from_ymd_opt(2027, 3, 15).expect("a valid date");
    let mut app = App::new(file, Origin::File, config, today);
    app.update(Action::Resize {
        width: 200,
        height: 60,
    });
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 60))
        .expect("a test terminal");
    terminal
        .draw(|frame| gantry::ui::render(frame, &app))
        .expect("the frame is drawn");
    black_box(&terminal);
    // The document parse on its own thread is not the first frame's.
    app.file.wait_editable(std::time::Duration::from_secs(60));
}

criterion_group!(
    benches,
    end_to_end_1k,
    end_to_end_10k,
    end_to_end_100k,
    worst_cases
);

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` does not, and
    // then only checks that each benchmark runs once. A filter that does
    // not name `paired` skips the ratios.
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Not the values of options such as `--measurement-time 3`.
    let filters: Vec<&String> = args
        .iter()
        .filter(|arg| !arg.starts_with('-') && arg.parse::<f64>().is_err())
        .collect();
    let wanted = filters.is_empty() || filters.iter().any(|f| "paired".contains(f.as_str()));
    if args.iter().any(|arg| arg == "--bench") && wanted {
        paired(10_000, 21);
        paired(100_000, 5);
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
