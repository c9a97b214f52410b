//! Writes a large, valid plan to stdout, for benchmarks and profiling.
//!
//! ```text
//! cargo run --release --example gen_plan -- --tasks 10000 [--seed N] [--risks 500] [--log 5000] > plan.toml
//! ```
//!
//! The same options always give the same bytes. Dependencies only point at
//! earlier tasks, so the plan never has a cycle. The benchmarks in
//! `benches/load.rs` include this file and call [`generate`].

// The benchmarks include this file as a module and use only `generate`.
#![allow(dead_code)]

#[path = "support/rng.rs"]
mod rng;

use std::fmt::Write as _;
use std::process::ExitCode;

use rng::Rng;

/// What to generate. `risks` and `log` default to one risk per 20 tasks and
/// one log entry per 2 tasks.
#[derive(Debug, Clone)]
pub struct Options {
    pub tasks: usize,
    pub seed: u64,
    pub risks: usize,
    pub log: usize,
}

impl Options {
    pub fn new(tasks: usize) -> Self {
        Options {
            tasks,
            seed: 1,
            risks: tasks / 20,
            log: tasks / 2,
        }
    }
}

const FIRST_NAMES: &[&str] = &[
    "Ana", "Bruno", "Chen", "Dana", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kofi",
    "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera",
    "Wei", "Yara", "Zoe",
];
const LAST_NAMES: &[&str] = &[
    "Ruiz",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Novak",
    "Silva",
    "Haddad",
    "Kowalski",
    "Byrne",
    "Costa",
    "Meyer",
    "Osei",
    "Park",
    "Quispe",
    "Rossi",
    "Sato",
    "Varga",
    "Weber",
    "Young",
];
const ROLES: &[&str] = &[
    "Integration lead",
    "Backend developer",
    "Frontend developer",
    "QA engineer",
    "Data engineer",
    "Business analyst",
    "Infrastructure engineer",
    "Trainer",
    "Security specialist",
];
const SKILLS: &[&str] = &[
    "api",
    "sql",
    "testing",
    "training",
    "networking",
    "security",
    "ux",
    "etl",
];
const AREAS: &[&str] = &[
    "Payments",
    "Checkout",
    "Inventory",
    "Customer records",
    "Reporting",
    "Search",
    "Notifications",
    "Single sign-on",
    "Warehouse feed",
    "Pricing rules",
    "Loyalty",
    "Returns",
];
const ACTIONS: &[&str] = &[
    "Design",
    "Build",
    "Configure",
    "Migrate",
    "Test",
    "Review",
    "Document",
    "Integrate",
    "Load-test",
    "Train staff on",
];
const PHASE_KINDS: &[&str] = &[
    "Discovery",
    "Design",
    "Build",
    "Data migration",
    "Testing",
    "Pilot",
    "Rollout",
    "Hypercare",
];
const BLOCKERS: &[&str] = &[
    "Waiting for vendor credentials",
    "Test environment is down",
    "Sign-off pending from the client",
    "Schema change not yet approved",
];
const RISK_TITLES: &[&str] = &[
    "Vendor delays API access",
    "Key person leaves mid-project",
    "Legacy data quality worse than sampled",
    "Load test reveals capacity shortfall",
    "Scope creep from stakeholder requests",
    "Security review finds blocking issues",
    "Hardware delivery slips",
    "Training window clashes with peak season",
];
const MITIGATIONS: &[&str] = &[
    "Build against a mock; escalate at week 3",
    "Pair a second engineer on every critical task",
    "Run a full data profile before the first migration",
    "Book extra capacity with the hosting provider",
    "Route every request through the change board",
];
const LOG_NOTES: &[&str] = &[
    "sandbox credentials",
    "pairing session",
    "fixed failing tests",
    "workshop with the client",
    "reviewed pull requests",
];

/// Days from 2027-01-04 (a Monday) as a TOML date, counting only weekdays
/// so the date is always a working day.
fn working_date(working_days: i64) -> String {
    let weeks = working_days / 5;
    let day = working_days % 5;
    let offset = weeks * 7 + day;
    date_after_start(offset)
}

/// 2027-01-04 plus `offset` calendar days, without a date library.
fn date_after_start(offset: i64) -> String {
    const MONTH_DAYS: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let (mut year, mut month, mut day) = (2027_i64, 0_usize, 4 + offset);
    loop {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let length = if month == 1 && leap {
            29
        } else {
            MONTH_DAYS[month]
        };
        if day <= length {
            break;
        }
        day -= length;
        month += 1;
        if month == 12 {
            month = 0;
            year += 1;
        }
    }
    format!("{year:04}-{:02}-{day:02}", month + 1)
}

fn task_id(index: usize) -> String {
    format!("t{:05}", index + 1)
}

/// Appends one formatted line; writing to a String cannot fail.
macro_rules! emit {
    ($out:expr) => {
        $out.push('\n')
    };
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
        $out.push('\n');
    }};
}

/// A realistic, valid plan with the sizes asked for.
pub fn generate(options: &Options) -> String {
    let mut rng = Rng::new(options.seed);
    let tasks = options.tasks.max(1);
    let plural = if tasks == 1 { "" } else { "s" };
    let phase_count = (tasks / 50).max(1);
    let people_count = (tasks / 100).max(2);
    // About 165 bytes a task, 260 a risk and 70 a log entry.
    let mut out =
        String::with_capacity(tasks * 180 + options.risks * 280 + options.log * 75 + 4096);

    emit!(
        out,
        "# A generated plan: {tasks} task{plural}, seed {}.",
        options.seed
    );
    emit!(
        out,
        "# Every dependency points at an earlier task, so there is no cycle."
    );
    emit!(out);
    emit!(out, "[project]");
    emit!(out, "name = \"Generated rollout ({tasks} task{plural})\"");
    emit!(out, "start = 2027-01-04");
    emit!(out, "status_date = {}", working_date(60));
    emit!(out, "currency = \"EUR\"");
    emit!(out, "budget = {}", tasks as u64 * 4_000);
    emit!(out);
    emit!(out, "[calendar]");
    emit!(
        out,
        "workdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]"
    );
    emit!(out, "# Public holidays that fall on weekdays");
    emit!(
        out,
        "holidays = [2027-04-26, 2027-12-27, 2028-05-01, 2028-12-25, 2029-01-01, 2029-12-25]"
    );
    emit!(out, "hours_per_day = 8");
    emit!(out);

    emit!(out, "# ---- People ----");
    emit!(out);
    for index in 0..people_count {
        let first = rng.pick(FIRST_NAMES);
        let last = rng.pick(LAST_NAMES);
        emit!(out, "[[person]]");
        emit!(out, "id = \"p{:04}\"", index + 1);
        emit!(out, "name = \"{first} {last}\"");
        emit!(out, "role = \"{}\"", rng.pick(ROLES));
        emit!(out, "rate = {}", rng.between(60, 140));
        let capacity = match rng.below(10) {
            0 => "0.5",
            1 | 2 => "0.8",
            _ => "1.0",
        };
        emit!(out, "capacity = {capacity}");
        if rng.chance(50) {
            let first_skill = rng.below(SKILLS.len() as u64) as usize;
            let second_skill = (first_skill + 1 + rng.below(3) as usize) % SKILLS.len();
            emit!(
                out,
                "skills = [\"{}\", \"{}\"]",
                SKILLS[first_skill],
                SKILLS[second_skill]
            );
        }
        emit!(out);
    }

    emit!(out, "# ---- Phases ----");
    emit!(out);
    for index in 0..phase_count {
        let kind = PHASE_KINDS[index * PHASE_KINDS.len() / phase_count];
        emit!(out, "[[phase]]");
        emit!(out, "id = \"ph{:03}\"", index + 1);
        emit!(out, "name = \"{kind} {}\"", index + 1);
        emit!(out);
    }

    emit!(out, "# ---- Tasks ----");
    emit!(
        out,
        "# Phases form parallel streams of ten; the first phase of each stream"
    );
    emit!(out, "# is done and part of the second is under way.");
    emit!(out);
    // Phases run in `streams` parallel streams; phase p follows phase p - streams.
    let streams = (phase_count / 10).max(1);
    let phase_first = |phase: usize| phase * tasks / phase_count;
    let done_until = tasks / 10;
    let doing_until = tasks / 7;
    let mut picked: Vec<usize> = Vec::with_capacity(4);
    for index in 0..tasks {
        let phase = index * phase_count / tasks;
        let owner = rng.below(people_count as u64) as usize;
        let milestone = index > 0 && rng.chance(3);
        let duration = rng.between(1, 10);
        emit!(out, "[[task]]");
        emit!(out, "id = \"{}\"", task_id(index));
        emit!(
            out,
            "name = \"{} {} ({})\"",
            rng.pick(ACTIONS),
            rng.pick(AREAS).to_lowercase(),
            index + 1
        );
        emit!(out, "phase = \"ph{:03}\"", phase + 1);
        emit!(out, "owner = \"p{:04}\"", owner + 1);
        if milestone {
            emit!(out, "milestone = true");
        } else {
            if rng.chance(5) {
                emit!(
                    out,
                    "duration = {duration}              # vendor's estimate"
                );
            } else {
                emit!(out, "duration = {duration}");
            }
            emit!(out, "estimate = {}", duration * rng.between(4, 10));
        }

        // Two dependencies on average, never repeated: mostly inside the
        // phase, some on the stream's previous phase, a few on any phase of
        // an earlier step. Streams run side by side, so the project's length
        // does not grow with the number of tasks.
        picked.clear();
        let phase_start = phase_first(phase);
        let wanted = (rng.below(5) as usize).min(index);
        let mut attempts = 0;
        while picked.len() < wanted && attempts < 20 {
            attempts += 1;
            let roll = rng.below(100);
            let target = if roll < 80 && index > phase_start {
                phase_start + rng.below((index - phase_start) as u64) as usize
            } else if roll < 95 && phase >= streams {
                let previous = phase - streams;
                let first = phase_first(previous);
                first + rng.below((phase_first(previous + 1) - first) as u64) as usize
            } else if phase >= streams {
                // Anything from an earlier step of any stream.
                rng.below(phase_first(phase - phase % streams) as u64) as usize
            } else {
                rng.below(index as u64) as usize
            };
            if !picked.contains(&target) {
                picked.push(target);
            }
        }
        if !picked.is_empty() {
            let mut items = Vec::with_capacity(picked.len());
            for &target in &picked {
                let item = match rng.below(20) {
                    0 => format!(
                        "{{ task = \"{}\", type = \"ss\", lag = {} }}",
                        task_id(target),
                        rng.between(0, 3)
                    ),
                    1 => format!(
                        "{{ task = \"{}\", type = \"ff\", lag = {} }}",
                        task_id(target),
                        rng.between(-2, 2)
                    ),
                    2 => format!(
                        "{{ task = \"{}\", lag = {} }}",
                        task_id(target),
                        rng.between(1, 5)
                    ),
                    _ => format!("\"{}\"", task_id(target)),
                };
                items.push(item);
            }
            emit!(out, "depends = [{}]", items.join(", "));
        }

        if rng.chance(2) {
            let step = (phase / streams) as i64;
            let not_before = working_date(step * 40 + rng.between(0, 20));
            emit!(
                out,
                "start = {not_before}  # not before the vendor is on site"
            );
        }
        if index < done_until {
            emit!(out, "status = \"done\"");
            emit!(out, "progress = 100");
        } else if index < doing_until {
            if rng.chance(10) {
                emit!(out, "status = \"blocked\"");
                emit!(out, "progress = {}", rng.between(0, 9) * 10);
                emit!(out, "blocker = \"{}\"", rng.pick(BLOCKERS));
                emit!(out, "blocked_since = {}", working_date(rng.between(40, 59)));
            } else {
                emit!(out, "status = \"doing\"");
                emit!(out, "progress = {}", rng.between(1, 9) * 10);
            }
        }
        if rng.chance(3) {
            emit!(
                out,
                "notes = \"Agreed with the client in the weekly check-in\""
            );
        }
        emit!(out);
    }

    if options.risks > 0 {
        emit!(out, "# ---- Risks ----");
        emit!(out);
    }
    for index in 0..options.risks {
        emit!(out, "[[risk]]");
        emit!(out, "id = \"R{}\"", index + 1);
        emit!(out, "title = \"{}\"", rng.pick(RISK_TITLES));
        emit!(
            out,
            "owner = \"p{:04}\"",
            rng.below(people_count as u64) + 1
        );
        emit!(out, "likelihood = {}", rng.between(1, 5));
        emit!(out, "impact = {}", rng.between(1, 5));
        emit!(out, "trigger = {}", working_date(rng.between(10, 400)));
        emit!(out, "mitigation = \"{}\"", rng.pick(MITIGATIONS));
        let status = match rng.below(10) {
            0 => "closed",
            1 => "mitigated",
            2 => "occurred",
            _ => "open",
        };
        emit!(out, "status = \"{status}\"");
        emit!(
            out,
            "tier = \"{}\"",
            if rng.chance(15) { "urgent" } else { "tracked" }
        );
        let linked: Vec<String> = (0..rng.between(1, 3))
            .map(|_| format!("\"{}\"", task_id(rng.below(tasks as u64) as usize)))
            .collect();
        emit!(out, "tasks = [{}]", linked.join(", "));
        if rng.chance(40) {
            emit!(out, "reviewed = {}", working_date(rng.between(0, 59)));
        }
        emit!(out);
    }

    if options.log > 0 {
        emit!(out, "# ---- Time log ----");
        emit!(out);
    }
    // Effort is logged against the tasks that are done or under way.
    let worked = doing_until.max(1).min(tasks);
    for _ in 0..options.log {
        let task = rng.below(worked as u64) as usize;
        emit!(out, "[[log]]");
        emit!(out, "date = {}", working_date(rng.between(0, 59)));
        emit!(out, "task = \"{}\"", task_id(task));
        if rng.chance(30) {
            emit!(
                out,
                "person = \"p{:04}\"",
                rng.below(people_count as u64) + 1
            );
        }
        emit!(out, "hours = {}", rng.between(1, 16) as f64 / 2.0);
        if rng.chance(25) {
            emit!(out, "note = \"{}\"", rng.pick(LOG_NOTES));
        }
        emit!(out);
    }
    // The output ends with exactly one newline.
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: gen_plan --tasks N [--seed N] [--risks N] [--log N] > plan.toml\n\
         (defaults: seed 1, one risk per 20 tasks, one log entry per 2 tasks)"
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut tasks = None;
    let mut seed = None;
    let mut risks = None;
    let mut log = None;
    let mut index = 0;
    while index < args.len() {
        let value = args.get(index + 1).and_then(|v| v.parse::<u64>().ok());
        let slot = match args[index].as_str() {
            "--tasks" => &mut tasks,
            "--seed" => &mut seed,
            "--risks" => &mut risks,
            "--log" => &mut log,
            "-h" | "--help" => return usage(),
            other => {
                eprintln!("gen_plan: unknown argument `{other}`");
                return usage();
            }
        };
        let Some(value) = value else {
            eprintln!("gen_plan: {} needs a whole number", args[index]);
            return usage();
        };
        *slot = Some(value);
        index += 2;
    }
    let Some(tasks) = tasks else {
        return usage();
    };
    let mut options = Options::new(tasks as usize);
    if let Some(seed) = seed {
        options.seed = seed;
    }
    if let Some(risks) = risks {
        options.risks = risks as usize;
    }
    if let Some(log) = log {
        options.log = log as usize;
    }
    print!("{}", generate(&options));
    ExitCode::SUCCESS
}
