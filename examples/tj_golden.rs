//! Regenerates the TaskJuggler golden fixtures in `tests/fixtures/tj/`.
//!
//! ```text
//! cargo run --release --example tj_golden [-- --random 60 --tj3 /usr/bin/tj3 --only NAME]
//! ```
//!
//! Writes the random plans (`random-NNN.toml`, the same bytes for the same
//! count every time), then for every `*.toml` in the folder, and every
//! shipped plan in `examples/`, converts the plan with
//! `gantry::export::to_tjp`, schedules it with `tj3`, and stores
//! TaskJuggler's start and end of every task, as TaskJuggler printed them,
//! in `NAME.tj.csv` (for the shipped plans, `examples/NAME.tj.csv` in the
//! folder). It fails when `tj3` reports an error. `tests/schedule_tj.rs` compares gantry with those
//! files, so the tests need no TaskJuggler. Hand-written plans in the
//! folder are kept as they are.
//!
//! `--tjp PLAN` instead prints one plan converted for TaskJuggler, with the
//! same report, to time `tj3` on it.

#[path = "support/rng.rs"]
mod rng;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use rng::Rng;

const FOLDER: &str = "tests/fixtures/tj";
/// The report appended to every converted plan: TaskJuggler's own dates.
const REPORT: &str = r#"
taskreport "gantry_dates" {
  formats csv
  columns id, start, end
  timeformat "%Y-%m-%d %H:%M"
  sorttasks tree
}
"#;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tj_golden: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut random = 60;
    let mut tj3 = PathBuf::from("tj3");
    let mut only = None;
    let mut index = 0;
    while index < args.len() {
        let value = args
            .get(index + 1)
            .cloned()
            .ok_or("every option takes a value")?;
        match args[index].as_str() {
            "--random" => random = value.parse().map_err(|_| "--random takes a count")?,
            "--tj3" => tj3 = PathBuf::from(value),
            "--only" => only = Some(value),
            "--tjp" => return print_tjp(Path::new(&value)),
            other => return Err(format!("unknown option `{other}`")),
        }
        index += 2;
    }
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(FOLDER);
    std::fs::create_dir_all(&folder).map_err(|error| error.to_string())?;
    for seed in 1..=random {
        let path = folder.join(format!("random-{seed:03}.toml"));
        std::fs::write(&path, random_plan_within_reach(seed)?)
            .map_err(|error| format!("{}: {error}", path.display()))?;
    }
    let version = Command::new(&tj3)
        .arg("--version")
        .output()
        .map_err(|error| format!("cannot run {}: {error}", tj3.display()))?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    let mut plans: Vec<PathBuf> = std::fs::read_dir(&folder)
        .map_err(|error| error.to_string())?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "toml")
        })
        .collect();
    plans.sort();
    // The shipped examples, whose dates land in `examples/NAME.tj.csv` of the folder.
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut examples: Vec<PathBuf> = std::fs::read_dir(&shipped)
        .map_err(|error| error.to_string())?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "toml")
        })
        .collect();
    examples.sort();
    std::fs::create_dir_all(folder.join("examples")).map_err(|error| error.to_string())?;
    let targets = plans.into_iter().map(|path| (path, folder.clone())).chain(
        examples
            .into_iter()
            .map(|path| (path, folder.join("examples"))),
    );
    for (path, into) in targets {
        let name = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default()
            .to_string();
        if only.as_ref().is_some_and(|only| *only != name) {
            continue;
        }
        let started = std::time::Instant::now();
        let csv = taskjuggler_dates(&tj3, &path, &version)?;
        std::fs::write(into.join(format!("{name}.tj.csv")), csv)
            .map_err(|error| error.to_string())?;
        eprintln!("{name}: {:.1}s", started.elapsed().as_secs_f64());
    }
    Ok(())
}

/// Prints one plan as TaskJuggler source with the dates report.
fn print_tjp(path: &Path) -> Result<(), String> {
    let text =
        std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
    let loaded = gantry::store::parse_str(&text)
        .map_err(|diagnostics| format!("{}: {diagnostics:?}", path.display()))?;
    print!("{}{REPORT}", to_tjp(&loaded.plan)?);
    Ok(())
}

/// Runs TaskJuggler on the converted plan and returns `id,start,end` lines
/// keyed by the plan's own task ids.
fn taskjuggler_dates(tj3: &Path, plan_path: &Path, version: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(plan_path).map_err(|error| error.to_string())?;
    let loaded = gantry::store::parse_str(&text)
        .map_err(|diagnostics| format!("{}: {:?}", plan_path.display(), diagnostics))?;
    if loaded.has_errors() {
        return Err(format!("{}: {:?}", plan_path.display(), loaded.diagnostics));
    }
    let plan = loaded.plan;
    let work = std::env::temp_dir().join(format!("tj_golden_{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|error| error.to_string())?;
    let tjp = work.join("plan.tjp");
    let mut source = to_tjp(&plan)?;
    source.push_str(REPORT);
    std::fs::write(&tjp, source).map_err(|error| error.to_string())?;
    let output = Command::new(tj3)
        .arg("--no-color")
        .arg("--output-dir")
        .arg(&work)
        .arg(&tjp)
        .output()
        .map_err(|error| format!("cannot run {}: {error}", tj3.display()))?;
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if let Some(line) = printed.lines().find(|line| line.contains("Error:")) {
        return Err(format!("{}: TaskJuggler: {line}", plan_path.display()));
    }
    let report = work.join("gantry_dates.csv");
    let csv = std::fs::read_to_string(&report).map_err(|_| {
        format!(
            "{}: TaskJuggler failed:\n{}{}",
            plan_path.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    let _ = std::fs::remove_dir_all(&work);
    let ids = gantry::export::tjp::task_ids(&plan);
    let mut out = String::new();
    let file_name = plan_path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "# {version}: {file_name} through gantry::export::to_tjp"
    );
    let _ = writeln!(out, "id,start,end");
    let mut found = 0;
    for line in csv.lines().skip(1) {
        let fields: Vec<&str> = line
            .split(';')
            .map(|field| field.trim_matches('"'))
            .collect();
        let [tj_id, start, end] = fields[..] else {
            return Err(format!("unexpected report line `{line}`"));
        };
        // The hidden "no earlier than" milestones are not the plan's tasks.
        if let Some(index) = ids.iter().position(|id| id == tj_id) {
            let _ = writeln!(out, "{},{start},{end}", plan.tasks[index].id.value);
            found += 1;
        }
    }
    if found != plan.tasks.len() {
        return Err(format!(
            "{}: TaskJuggler reported {found} of {} tasks",
            plan_path.display(),
            plan.tasks.len()
        ));
    }
    Ok(out)
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A random plan that ends before 2035, the last year TaskJuggler reads:
/// tasks get shorter until it does.
fn random_plan_within_reach(seed: u64) -> Result<String, String> {
    for longest in [15, 8, 4, 2, 1] {
        let text = random_plan(seed, longest);
        let loaded = gantry::store::parse_str(&text)
            .map_err(|diagnostics| format!("random plan {seed}: {diagnostics:?}"))?;
        if loaded.has_errors() {
            return Err(format!("random plan {seed}: {:?}", loaded.diagnostics));
        }
        let schedule = gantry::schedule::schedule(&loaded.plan)
            .map_err(|error| format!("random plan {seed}: {error}"))?;
        if schedule.finish < chrono::NaiveDate::from_ymd_opt(2034, 1, 1).unwrap_or_default() {
            return Ok(text);
        }
    }
    Err(format!(
        "random plan {seed} runs past 2034 even with one-day tasks"
    ))
}

/// A random plan of up to 500 tasks of up to `longest` days, using every
/// scheduling feature: all three link types with positive and negative
/// lags, milestones, start dates, holidays, odd working weeks, people,
/// phases, owners and (every third plan) progress with a status date.
fn random_plan(seed: u64, longest: i64) -> String {
    let mut rng = Rng::new(seed);
    let count = match seed % 5 {
        0 => 500,
        1 => rng.between(2, 20) as usize,
        _ => rng.between(20, 500) as usize,
    };
    let epoch = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default();
    let day = |offset: i64| epoch + chrono::Duration::days(offset);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Random plan {seed} for the TaskJuggler comparison: {count} tasks."
    );
    let start = rng.between(0, 13);
    let _ = write!(
        out,
        "[project]\nname = \"Random plan {seed}\"\nstart = {}\n",
        day(start)
    );
    // People, phases, owners and progress come from a second sequence, so
    // the schedule's shape is the same with or without them.
    let mut extra = Rng::new(seed ^ 0x005E_ED0F_7A5C);
    // Every third plan is tracked: a status date, and work done or under way.
    let status_date = seed.is_multiple_of(3).then(|| day(extra.between(10, 400)));
    if let Some(date) = status_date {
        let _ = writeln!(out, "status_date = {date}\ncurrency = \"EUR\"");
    }
    out.push('\n');

    let people = extra.between(0, 5);
    for person in 0..people {
        let _ = writeln!(
            out,
            "[[person]]\nid = \"p-{person}\"\nname = \"Person {person}\"\nrate = {}\ncapacity = {}",
            extra.between(40, 120),
            [1.0, 1.0, 0.5, 0.8, 0.25][extra.between(0, 4) as usize]
        );
        if extra.chance(50) {
            let _ = writeln!(out, "role = \"Role {person}\"");
        }
        let _ = writeln!(out);
    }
    let phases = extra.between(0, 6);
    for phase in 0..phases {
        let _ = writeln!(
            out,
            "[[phase]]\nid = \"phase-{phase}\"\nname = \"Phase {phase}\"\n"
        );
    }

    let workdays: Vec<&str> = match rng.between(0, 9) {
        0..=5 => WEEKDAYS[..5].to_vec(),
        6 => WEEKDAYS[..4].to_vec(),
        7 => WEEKDAYS[..6].to_vec(),
        8 => vec!["tue", "thu"],
        _ => {
            let picked: Vec<&str> = WEEKDAYS
                .iter()
                .copied()
                .filter(|_| rng.chance(40))
                .collect();
            if picked.is_empty() {
                vec!["wed"]
            } else {
                picked
            }
        }
    };
    let mut holidays: Vec<chrono::NaiveDate> = (0..rng.between(0, 40))
        .map(|_| day(rng.between(0, 1500)))
        .collect();
    holidays.sort_unstable();
    holidays.dedup();
    let holidays: Vec<String> = holidays.iter().map(ToString::to_string).collect();
    let quoted: Vec<String> = workdays.iter().map(|day| format!("\"{day}\"")).collect();
    let _ = writeln!(
        out,
        "[calendar]\nworkdays = [{}]\nholidays = [{}]\n",
        quoted.join(", "),
        holidays.join(", ")
    );

    // Tasks are made in dependency order, then written in a shuffled order.
    let durations: Vec<i64> = (0..count)
        .map(|_| {
            if rng.chance(12) {
                0
            } else {
                rng.between(1, longest)
            }
        })
        .collect();
    let mut depends: Vec<Vec<String>> = vec![Vec::new(); count];
    for task in 1..count {
        let wanted = rng.between(0, 3).min(task as i64);
        let mut picked: Vec<usize> = Vec::new();
        for _ in 0..wanted {
            let back = if rng.chance(80) {
                rng.between(1, (task as i64).min(12))
            } else {
                rng.between(1, task as i64)
            } as usize;
            let predecessor = task - back;
            if picked.contains(&predecessor) {
                continue;
            }
            picked.push(predecessor);
            let own = durations[task];
            let theirs = durations[predecessor];
            let id = format!("task-{predecessor}");
            let link = match rng.between(0, 99) {
                0..=54 => format!("\"{id}\""),
                55..=69 => format!("{{ task = \"{id}\", lag = {} }}", rng.between(1, 6)),
                // Negative lags, in every kind of link: TaskJuggler has no
                // negative gaps, so the export rewrites or holds them.
                70..=74 => format!(
                    "{{ task = \"{id}\", lag = {} }}",
                    -rng.between(1, theirs + 3)
                ),
                75..=87 => format!(
                    "{{ task = \"{id}\", type = \"ss\", lag = {} }}",
                    rng.between(-3, 5)
                ),
                88..=99 => format!(
                    "{{ task = \"{id}\", type = \"ff\", lag = {} }}",
                    rng.between(own - theirs - 3, own - theirs + 6)
                ),
                _ => format!("\"{id}\""),
            };
            depends[task].push(link);
        }
    }
    let mut order: Vec<usize> = (0..count).collect();
    for index in (1..count).rev() {
        let other = rng.between(0, index as i64) as usize;
        order.swap(index, other);
    }
    let mut logs = Vec::new();
    for task in order {
        let _ = writeln!(
            out,
            "[[task]]\nid = \"task-{task}\"\nname = \"Task {task}\""
        );
        match durations[task] {
            0 if rng.chance(50) => {
                let _ = writeln!(out, "milestone = true");
            }
            days => {
                let _ = writeln!(out, "duration = {days}");
            }
        }
        if !depends[task].is_empty() {
            let _ = writeln!(out, "depends = [{}]", depends[task].join(", "));
        }
        if rng.chance(8) {
            let _ = writeln!(out, "start = {}", day(rng.between(0, 300)));
        }
        let progress_roll = rng.chance(10);
        let progress = rng.between(0, 10) * 10;
        if status_date.is_some() {
            match extra.between(0, 99) {
                0..=24 => {
                    let _ = writeln!(out, "status = \"done\"\nprogress = 100");
                    if extra.chance(40) {
                        // Work is logged from the project's start on.
                        let first = day(start + extra.between(0, 300));
                        logs.push((task, first));
                        logs.push((task, first + chrono::Duration::days(extra.between(0, 20))));
                    }
                }
                25..=34 => {
                    let _ = writeln!(out, "status = \"doing\"\nprogress = {progress}");
                    if extra.chance(30) {
                        logs.push((task, day(start + extra.between(0, 300))));
                    }
                }
                35..=37 => {
                    let _ = writeln!(out, "status = \"blocked\"");
                }
                _ => {}
            }
        } else if progress_roll {
            // Without a status date, progress must not move anything.
            let _ = writeln!(out, "status = \"doing\"\nprogress = {progress}");
        }
        if phases > 0 && extra.chance(70) {
            let _ = writeln!(out, "phase = \"phase-{}\"", extra.between(0, phases - 1));
        }
        if people > 0 && extra.chance(60) {
            let _ = writeln!(out, "owner = \"p-{}\"", extra.between(0, people - 1));
        }
        if extra.chance(30) {
            let _ = writeln!(out, "estimate = {}", extra.between(1, 80));
        }
        let _ = writeln!(out);
    }
    for (task, date) in logs {
        let _ = writeln!(
            out,
            "[[log]]\ndate = {date}\ntask = \"task-{task}\"\nhours = 4\n"
        );
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The plan as TaskJuggler source, scheduled by gantry first.
fn to_tjp(plan: &gantry::model::Plan) -> Result<String, String> {
    let schedule = gantry::schedule::schedule(plan).map_err(|error| error.to_string())?;
    Ok(gantry::export::to_tjp(plan, &schedule))
}
