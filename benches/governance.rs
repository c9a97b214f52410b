//! The what-if of one change request on a large plan: the plan re-scheduled
//! with the change applied, compared with the plan as it stands.
//!
//! ```text
//! cargo bench --bench governance
//! ```
//!
//! The plan comes from the generator in `examples/gen_plan.rs` (10,000
//! tasks, a status date, logged hours), with one change request appended
//! that lengthens a task half way through the plan and adds one task after
//! it. `governance::impact` should take under 50 ms; `docs/performance.md`
//! has the figure.

// A benchmark whose setup fails has nothing to measure: stopping is right.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use gantry::governance;
use gantry::store::parse_str;

#[path = "../examples/gen_plan.rs"]
mod gen_plan;

fn what_if_10k(c: &mut Criterion) {
    let mut text = gen_plan::generate(&gen_plan::Options::new(10_000));
    text.push_str(
        "\n[[change]]\nid = \"C-bench\"\ntitle = \"Longer middle task\"\n\n\
         [[change.edit]]\ntask = \"t05000\"\nduration = 15\n\n\
         [[change.add]]\nid = \"t-new\"\nname = \"Follow-up\"\nduration = 3\ndepends = [\"t05000\"]\n",
    );
    let loaded = parse_str(&text).expect("the generated plan parses");
    assert!(!loaded.has_errors(), "the generated plan is valid");
    let plan = loaded.plan;
    let status_date = plan
        .project
        .status_date
        .expect("the generator sets a status date");
    let impact = governance::impact(&plan, "C-bench", status_date).expect("an impact");
    assert!(impact.computed);

    let mut group = c.benchmark_group("governance_10k");
    group.sample_size(30);
    group.bench_function("impact", |b| {
        b.iter(|| black_box(governance::impact(&plan, "C-bench", status_date)))
    });
    group.finish();
}

criterion_group!(benches, what_if_10k);
criterion_main!(benches);
