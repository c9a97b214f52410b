//! Drawing the app: one frame of the Gantt pane, an edit followed by its
//! frame, and opening a plan up to the first frame.
//!
//! ```text
//! cargo bench --bench render -- --warm-up-time 1 --measurement-time 5
//! ```
//!
//! The plans come from the generator in `examples/gen_plan.rs`; numbers and
//! targets are in `docs/performance.md` ("The app").

// A benchmark whose setup fails has nothing to measure: stopping is right.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use gantry::app::{Action, App, Origin, key};
use gantry::config::Config;
use gantry::store::{Edit, PlanFile, TaskField};
use gantry::theme::{Capabilities, ColorSupport};
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;

#[path = "../examples/gen_plan.rs"]
mod gen_plan;

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;

fn plan_text(tasks: usize) -> String {
    gen_plan::generate(&gen_plan::Options::new(tasks))
}

fn config() -> Config {
    Config::defaults(Capabilities {
        color: ColorSupport::TrueColor,
        unicode: true,
    })
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 3, 15).expect("a valid date")
}

/// The app over `text`, sized as a 200x60 terminal.
fn open(text: String) -> App {
    let file =
        PlanFile::from_text(Path::new("plan.toml"), text).expect("the generated plan parses");
    let mut app = App::new(file, Origin::File, config(), today());
    app.update(Action::Resize {
        width: WIDTH,
        height: HEIGHT,
    });
    app
}

/// The app over `text` as `gantry FILE` opens it: the model first, the
/// editable document on a thread of its own.
fn open_deferred(text: String) -> App {
    let file = PlanFile::from_text_deferred(Path::new("plan.toml"), text)
        .expect("the generated plan parses");
    let mut app = App::new(file, Origin::File, config(), today());
    app.update(Action::Resize {
        width: WIDTH,
        height: HEIGHT,
    });
    app
}

/// One frame into a cleared buffer, as the terminal's back buffer is each frame.
fn frame(buffer: &mut Buffer, app: &App) {
    buffer.reset();
    gantry::ui::render_to(buffer, buffer.area, app);
}

fn area() -> Rect {
    Rect::new(0, 0, WIDTH, HEIGHT)
}

fn frame_benches(c: &mut Criterion, tasks: usize) {
    let app = open(plan_text(tasks));
    assert!(app.schedule.is_ok(), "the generated plan schedules");
    let mut buffer = Buffer::empty(area());
    let mut group = c.benchmark_group(format!("render_{}k", tasks / 1000));
    group.bench_function("gantt_frame_200x60", |b| {
        b.iter(|| frame(&mut buffer, black_box(&app)))
    });
    // The per-frame set-up alone (dependency sets of the selected task).
    group.bench_function("gantt_view_new", |b| {
        b.iter(|| gantry::ui::gantt::GanttView::new(black_box(&app)))
    });
    group.finish();
}

fn render_10k(c: &mut Criterion) {
    frame_benches(c, 10_000);
}

fn render_100k(c: &mut Criterion) {
    frame_benches(c, 100_000);
}

/// Edits of the selected task, each with its re-schedule and the next frame:
/// Space (status), a duration, the dependencies, a move.
fn edit_to_frame_10k(c: &mut Criterion) {
    let mut app = open(plan_text(10_000));
    // Space must be an edit here, not a refusal, or this measures nothing.
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(app.undo.len(), 1, "{:?}", app.message);
    let mut buffer = Buffer::empty(area());
    let mut group = c.benchmark_group("edit_10k");
    group.sample_size(20);
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("cycle_status_and_frame", |b| {
        b.iter(|| {
            app.update(key(KeyCode::Char(' ')));
            frame(&mut buffer, &app);
        })
    });
    // A new duration: the plan is validated again and the successors move.
    // A task in the middle; the generator links tasks only to earlier ones.
    let task = app.file.plan.tasks.len() / 2;
    let id = app.file.plan.tasks[task].id.value.clone();
    let mut days = 3;
    group.bench_function("set_duration_and_frame", |b| {
        b.iter(|| {
            days = if days == 3 { 4 } else { 3 };
            assert!(app.apply(vec![Edit::SetTask {
                task: id.clone(),
                field: TaskField::Duration,
                value: Some(days.into()),
            }]));
            frame(&mut buffer, &app);
        })
    });
    // New dependencies: references and cycles are checked again.
    let earlier: Vec<String> = app.file.plan.tasks[task - 2..task]
        .iter()
        .map(|task| task.id.value.clone())
        .collect();
    let mut which = 0;
    group.bench_function("set_depends_and_frame", |b| {
        b.iter(|| {
            which = 1 - which;
            let depends = gantry::store::parse_depends(&earlier[which]).expect("an id list");
            assert!(app.apply(vec![Edit::SetTask {
                task: id.clone(),
                field: TaskField::Depends,
                value: Some(depends),
            }]));
            frame(&mut buffer, &app);
        })
    });
    // A task moved down and back up (J, K): the model follows the move.
    let edits = app.undo.len();
    app.update(key(KeyCode::Char('J')));
    app.update(key(KeyCode::Char('K')));
    assert_eq!(app.undo.len(), edits + 2, "{:?}", app.message);
    let mut down = false;
    group.bench_function("move_task_and_frame", |b| {
        b.iter(|| {
            down = !down;
            app.update(key(KeyCode::Char(if down { 'J' } else { 'K' })));
            frame(&mut buffer, &app);
        })
    });
    group.finish();
}

/// The charter the Plan pane benchmarks add to a generated plan.
const CHARTER: &str = r#"
[scope]
included = [
  "Every site on the new platform",
  "Training for every team",
]
excluded = ["Hardware refresh"]

[[objective]]
id = "O1"
title = "Faster releases"
target = "Lead time from commit to production under one day by the end of the year"

[[objective]]
id = "O2"
title = "Fewer incidents"
target = "Half the incidents of last year"

[[change]]
id = "C1"
title = "Add a fourth region"
cost = 2500
days = 3

[[communication]]
id = "weekly"
what = "Status mail"
cadence = "weekly, Friday"
last = 2027-03-12

[handover]
to = "Operations"
checklist = [
  { item = "Runbooks", done = false },
  { item = "Access handed over", done = false },
]
"#;

/// The Plan pane of a 10,000-task plan: an objective edited through its
/// form (opened, a letter typed and checked, saved) and a handover item
/// ticked, each followed by a frame of the pane.
fn plan_pane_edit_to_frame_10k(c: &mut Criterion) {
    let mut app = open(plan_text(10_000) + CHARTER);
    app.update(key(KeyCode::Char('5')));
    let mut buffer = Buffer::empty(area());
    let mut group = c.benchmark_group("plan_pane_10k");
    group.sample_size(20);
    group.sampling_mode(SamplingMode::Flat);
    // The first objective is selected when the pane opens.
    let mut longer = false;
    group.bench_function("edit_objective_and_frame", |b| {
        b.iter(|| {
            longer = !longer;
            app.update(key(KeyCode::Enter));
            app.update(key(if longer {
                KeyCode::Char('!')
            } else {
                KeyCode::Backspace
            }));
            app.update(key(KeyCode::Enter));
            frame(&mut buffer, &app);
        })
    });
    assert!(
        !app.undo.is_empty() && matches!(app.mode, gantry::app::Mode::Normal),
        "{:?}",
        app.message
    );
    // Down to the first handover item: the sixth part after the objectives.
    for _ in 0..6 {
        app.update(key(KeyCode::Char(']')));
    }
    app.update(key(KeyCode::Char('j')));
    let edits = app.undo.len();
    group.bench_function("tick_handover_item_and_frame", |b| {
        b.iter(|| {
            app.update(key(KeyCode::Char(' ')));
            frame(&mut buffer, &app);
        })
    });
    assert!(app.undo.len() > edits, "{:?}", app.message);
    group.finish();
}

/// Read (the fast path), validate, schedule, build the rows and draw once,
/// as the app opens a plan: the editable document is parsed on a thread
/// of its own meanwhile, and waited for after the clock stops, so that
/// each opening starts on a quiet machine.
fn open_to_first_frame(c: &mut Criterion, tasks: usize, sample_size: usize) {
    let text = plan_text(tasks);
    let mut buffer = Buffer::empty(area());
    let mut group = c.benchmark_group(format!("open_{}k", tasks / 1000));
    group.sample_size(sample_size);
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("from_text_to_first_frame", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let text = text.clone();
                let start = Instant::now();
                let app = open_deferred(black_box(text));
                frame(&mut buffer, &app);
                total += start.elapsed();
                app.file.wait_editable(Duration::from_secs(60));
                drop(app);
            }
            total
        })
    });
    // The document alone, as the thread parses it.
    group.bench_function("document_mut_parse", |b| {
        b.iter(|| black_box(text.as_str()).parse::<toml_edit::DocumentMut>())
    });
    group.finish();
}

fn open_to_first_frame_10k(c: &mut Criterion) {
    open_to_first_frame(c, 10_000, 10);
}

fn open_to_first_frame_100k(c: &mut Criterion) {
    open_to_first_frame(c, 100_000, 10);
}

/// Space on a task of the 100,000-task plan, once the document is there.
fn edit_to_frame_100k(c: &mut Criterion) {
    let mut app = open(plan_text(100_000));
    let mut buffer = Buffer::empty(area());
    let mut group = c.benchmark_group("edit_100k");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("cycle_status_and_frame", |b| {
        b.iter(|| {
            app.update(key(KeyCode::Char(' ')));
            frame(&mut buffer, &app);
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    render_10k,
    edit_to_frame_10k,
    plan_pane_edit_to_frame_10k,
    open_to_first_frame_10k,
    render_100k,
    open_to_first_frame_100k,
    edit_to_frame_100k
);
criterion_main!(benches);
