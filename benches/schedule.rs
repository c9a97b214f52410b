//! Scheduling large plans: the critical path method and the weekly load.
//!
//! ```text
//! cargo bench --bench schedule
//! ```
//!
//! The plans come from the generator in `examples/gen_plan.rs` (two
//! dependencies per task on average, a status date, tasks done and under
//! way); they are parsed once, outside the measurement. Figures and targets
//! are in `docs/performance.md`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gantry::model::Plan;
use gantry::schedule;

#[path = "../examples/gen_plan.rs"]
mod gen_plan;

fn plan(tasks: usize) -> Plan {
    let text = gen_plan::generate(&gen_plan::Options::new(tasks));
    match gantry::store::parse_str(&text) {
        Ok(loaded) if !loaded.has_errors() => loaded.plan,
        // A plan that does not load cleanly would measure the error path instead.
        _ => panic!("the generated {tasks}-task plan is not valid"),
    }
}

/// The same plan with its tasks in a shuffled file order, so the tasks are
/// no longer written after what they depend on.
fn shuffled(plan: &Plan) -> Plan {
    let count = plan.tasks.len();
    let mut order: Vec<usize> = (0..count).collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for index in (1..count).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        order.swap(index, (state % (index as u64 + 1)) as usize);
    }
    let mut new_index = vec![0; count];
    for (position, &old) in order.iter().enumerate() {
        new_index[old] = position;
    }
    let mut result = plan.clone();
    result.tasks = order.iter().map(|&old| plan.tasks[old].clone()).collect();
    for task in &mut result.tasks {
        for dependency in &mut task.depends {
            dependency.task.index = dependency.task.index.map(|old| new_index[old]);
        }
    }
    result
}

fn scheduling(c: &mut Criterion) {
    let sizes = [1_000, 10_000, 100_000];
    let plans: Vec<Plan> = sizes.iter().map(|&tasks| plan(tasks)).collect();

    let mut group = c.benchmark_group("schedule");
    for (tasks, plan) in sizes.iter().zip(&plans) {
        group.throughput(Throughput::Elements(*tasks as u64));
        group.bench_with_input(BenchmarkId::from_parameter(tasks), plan, |b, plan| {
            b.iter(|| schedule::schedule(black_box(plan)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("schedule_shuffled");
    let shuffled_10k = shuffled(&plans[1]);
    group.throughput(Throughput::Elements(10_000));
    group.bench_function(BenchmarkId::from_parameter(10_000), |b| {
        b.iter(|| schedule::schedule(black_box(&shuffled_10k)))
    });
    group.finish();

    let mut group = c.benchmark_group("load");
    for (tasks, plan) in sizes.iter().zip(&plans) {
        let Ok(dates) = schedule::schedule(plan) else {
            panic!("the generated {tasks}-task plan does not schedule");
        };
        group.throughput(Throughput::Elements(*tasks as u64));
        group.bench_with_input(BenchmarkId::from_parameter(tasks), plan, |b, plan| {
            b.iter(|| schedule::load(black_box(plan), black_box(&dates)))
        });
    }
    group.finish();
}

criterion_group!(benches, scheduling);
criterion_main!(benches);
