//! Every export, and the HTML report, of a 10,000-task plan.
//!
//! ```text
//! cargo bench --bench export
//! ```
//!
//! The plan comes from the generator in `examples/gen_plan.rs` (10,000
//! tasks, 5,000 log entries, 500 risks). Each export should take under
//! 200 ms, and the HTML report under 500 ms and 5 MB; `docs/performance.md`
//! has the numbers.

// A benchmark whose setup fails has nothing to measure: stopping is right.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gantry::cli::{CsvTable, ExportFormat};
use gantry::export::{self, Options};
use gantry::report;
use gantry::schedule;
use gantry::store::parse_str;

#[path = "../examples/gen_plan.rs"]
mod gen_plan;

fn exports_10k(c: &mut Criterion) {
    let options = gen_plan::Options::new(10_000);
    let text = gen_plan::generate(&options);
    let loaded = parse_str(&text).expect("the generated plan parses");
    assert!(!loaded.has_errors(), "the generated plan is valid");
    let plan = loaded.plan;
    assert_eq!(plan.tasks.len(), 10_000);
    let schedule = schedule::schedule(&plan).expect("the generated plan schedules");
    let status_date = plan
        .project
        .status_date
        .expect("the generator sets a status date");
    let export_options = Options {
        markdown: false,
        table: CsvTable::Tasks,
        status_date,
    };

    let page = report::html::render(&report::build(&plan, &schedule, status_date, status_date));
    eprintln!("HTML report of 10,000 tasks: {} bytes", page.len());
    assert!(page.len() < 5 * 1024 * 1024, "the page is over 5 MB");

    let mut group = c.benchmark_group("export_10k");
    group.sample_size(20);
    for (name, format) in [
        ("mermaid", ExportFormat::Mermaid),
        ("csv", ExportFormat::Csv),
        ("ics", ExportFormat::Ics),
        ("json", ExportFormat::Json),
        ("tjp", ExportFormat::Tjp),
        ("mspdi", ExportFormat::Mspdi),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| export::export(black_box(&plan), &schedule, format, &export_options))
        });
    }
    group.bench_function("csv_risks_and_log", |b| {
        b.iter(|| {
            let risks = export::csv::to_csv(black_box(&plan), &schedule, CsvTable::Risks);
            let log = export::csv::to_csv(&plan, &schedule, CsvTable::Log);
            (risks, log)
        })
    });
    group.bench_function("report_html", |b| {
        b.iter(|| {
            let model = report::build(black_box(&plan), &schedule, status_date, status_date);
            report::html::render(&model)
        })
    });
    group.bench_function("report_markdown", |b| {
        b.iter(|| {
            let model = report::build(black_box(&plan), &schedule, status_date, status_date);
            report::markdown::render(&model)
        })
    });
    let csv = export::csv::to_csv(&plan, &schedule, CsvTable::Tasks);
    let defaults = gantry::import::Defaults {
        name: "bench".to_owned(),
        start: status_date,
        source: "bench.csv".to_owned(),
    };
    group.bench_function("import_csv", |b| {
        b.iter(|| gantry::import::csv::from_csv(black_box(&csv), &defaults))
    });
    let xml = export::to_mspdi(&plan, &schedule);
    group.bench_function("import_mspdi", |b| {
        b.iter(|| gantry::import::from_mspdi(black_box(&xml)))
    });
    group.finish();
}

criterion_group!(benches, exports_10k);
criterion_main!(benches);
