//! The dashboard's numbers for a large plan: earned value, alerts and the
//! check-in draft, measured apart and together.
//!
//! ```text
//! cargo bench --bench metrics
//! ```
//!
//! The plan comes from the generator in `examples/gen_plan.rs`: 10,000
//! tasks, 5,000 log entries and 500 risks. The whole dashboard (compute,
//! alerts, check-in draft) should take under 10 ms; `docs/metrics.md` has
//! the numbers.

// A benchmark whose setup fails has nothing to measure: stopping is right.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use gantry::metrics;
use gantry::schedule;
use gantry::store::parse_str;

#[path = "../examples/gen_plan.rs"]
mod gen_plan;

fn dashboard_10k(c: &mut Criterion) {
    let options = gen_plan::Options::new(10_000);
    assert_eq!(options.log, 5_000);
    let text = gen_plan::generate(&options);
    let loaded = parse_str(&text).expect("the generated plan parses");
    assert!(!loaded.has_errors(), "the generated plan is valid");
    let plan = loaded.plan;
    let schedule = schedule::schedule(&plan).expect("the generated plan schedules");
    let status_date = plan
        .project
        .status_date
        .expect("the generator sets a status date");

    report_cpu_time(|| {
        let metrics = metrics::compute(&plan, &schedule, status_date);
        let alerts = metrics::alerts(&plan, &schedule, &metrics, status_date);
        let draft = metrics::checkin_draft(&plan, &schedule, status_date);
        black_box((metrics, alerts, draft));
    });

    let mut group = c.benchmark_group("metrics_10k");
    group.sample_size(50);
    group.bench_function("dashboard", |b| {
        b.iter(|| {
            let metrics = metrics::compute(black_box(&plan), &schedule, status_date);
            let alerts = metrics::alerts(&plan, &schedule, &metrics, status_date);
            let draft = metrics::checkin_draft(&plan, &schedule, status_date);
            (metrics, alerts, draft)
        })
    });
    group.bench_function("compute", |b| {
        b.iter(|| metrics::compute(black_box(&plan), &schedule, status_date))
    });
    let computed = metrics::compute(&plan, &schedule, status_date);
    group.bench_function("alerts", |b| {
        b.iter(|| metrics::alerts(black_box(&plan), &schedule, &computed, status_date))
    });
    group.bench_function("checkin_draft", |b| {
        b.iter(|| metrics::checkin_draft(black_box(&plan), &schedule, status_date))
    });
    group.finish();
}

/// The CPU time this thread has used, from Linux's scheduler statistics.
fn thread_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanoseconds))
}

/// On a shared machine the wall time criterion measures includes waiting
/// for a core; the CPU time per run does not. Printed beside the results.
fn report_cpu_time(mut run: impl FnMut()) {
    const RUNS: u32 = 200;
    run();
    let Some(before) = thread_cpu_time() else {
        return;
    };
    let wall = Instant::now();
    for _ in 0..RUNS {
        run();
    }
    let (Some(after), wall) = (thread_cpu_time(), wall.elapsed()) else {
        return;
    };
    eprintln!(
        "metrics_10k/dashboard: {:.2} ms of CPU time per run ({:.2} ms wall), mean of {RUNS}",
        (after - before).as_secs_f64() * 1000.0 / f64::from(RUNS),
        wall.as_secs_f64() * 1000.0 / f64::from(RUNS)
    );
}

criterion_group!(benches, dashboard_10k);
criterion_main!(benches);
