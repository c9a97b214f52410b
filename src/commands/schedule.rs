//! `gantry schedule FILE`: the computed dates as a table, the critical path
//! alone, or the JSON document of SPEC's command-line contract.

use std::io::{self, Write};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::cli::ScheduleArgs;
use crate::model::{Baseline, Plan};
use crate::sanitize::for_terminal;
use crate::schedule::{self, Load, Schedule};

use super::layout::{output_width, prose_width, text_column};
use super::status::{display_width, fit, pad, wrap};
use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE, read_plan};

pub fn run(args: &ScheduleArgs) -> anyhow::Result<u8> {
    let file = match read_plan(&args.file, true)? {
        Ok(file) => file,
        Err(code) => return Ok(code),
    };
    let plan = &file.plan;
    if let Some(name) = &args.baseline {
        let known = plan
            .tasks
            .iter()
            .any(|task| task.baselines.iter().any(|(key, _)| key == name));
        if !known {
            errln!(
                "gantry: no task in {} has a baseline named `{name}`; record one with `gantry baseline {} --name {name}`",
                crate::sanitize::path(&args.file),
                crate::sanitize::path(&args.file)
            );
            return Ok(EXIT_USAGE);
        }
    }
    let schedule = match schedule::schedule_against(plan, args.baseline.as_deref()) {
        Ok(schedule) => schedule,
        Err(error) => {
            errln!("{}", error.diagnostic(plan).display(&args.file));
            return Ok(EXIT_INVALID);
        }
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let (written, load) = if args.json {
        write_json(&mut out, plan, &schedule, args.critical)
    } else {
        let load = schedule::load(plan, &schedule);
        let written = write_table(
            &mut out,
            plan,
            &schedule,
            &load,
            args.critical,
            output_width(),
        );
        (written, load)
    };
    let written = written.and_then(|()| out.flush());
    drop(out);
    super::leave(file);
    super::leave((schedule, load));
    match written {
        Ok(()) => Ok(EXIT_OK),
        // A reader that stops early (`| head`) is not an error.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(EXIT_OK),
        Err(error) => Err(error.into()),
    }
}

#[derive(Serialize)]
struct JsonSchedule<'a> {
    project: JsonProject,
    tasks: Vec<JsonTask<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    overallocated: Vec<JsonOverallocation<'a>>,
}

#[derive(Serialize)]
struct JsonProject {
    start: String,
    finish: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<JsonBaseline>,
    #[serde(skip_serializing_if = "Option::is_none")]
    slip: Option<i64>,
}

#[derive(Serialize)]
struct JsonTask<'a> {
    id: &'a str,
    start: String,
    finish: String,
    slack: i64,
    critical: bool,
    milestone: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<JsonBaseline>,
    #[serde(skip_serializing_if = "Option::is_none")]
    slip: Option<i64>,
}

#[derive(Serialize)]
struct JsonBaseline {
    start: String,
    finish: String,
}

#[derive(Serialize)]
struct JsonOverallocation<'a> {
    person: &'a str,
    /// The ISO week, e.g. `2027-W03`.
    week: String,
    /// How many consecutive weeks, from `week` on, have these figures.
    weeks: i64,
    hours: f64,
    capacity: f64,
    tasks: Vec<&'a str>,
}

/// `2027-01-04`, as chrono writes a date of years 0 to 9999, without the
/// formatting machinery: a 10,000-task schedule writes 20,000 of them.
fn iso_date(date: NaiveDate) -> String {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        return date.to_string();
    }
    let digits = |value: u32, width: usize, text: &mut String| {
        for place in (0..width).rev() {
            let digit = value / 10_u32.pow(place as u32) % 10;
            text.push(char::from(b'0' + digit as u8));
        }
    };
    let mut text = String::with_capacity(10);
    digits(year as u32, 4, &mut text);
    text.push('-');
    digits(date.month(), 2, &mut text);
    text.push('-');
    digits(date.day(), 2, &mut text);
    text
}

fn json_baseline(baseline: Option<Baseline>) -> Option<JsonBaseline> {
    baseline.map(|baseline| JsonBaseline {
        start: iso_date(baseline.start),
        finish: iso_date(baseline.finish),
    })
}

fn iso_week(monday: NaiveDate) -> String {
    let week = monday.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// Writes the JSON document; returns the weekly load it reports, worked out
/// on a thread of its own while the task list is built.
fn write_json(
    out: &mut impl Write,
    plan: &Plan,
    schedule: &Schedule,
    critical_only: bool,
) -> (io::Result<()>, Load) {
    let (tasks, load) = std::thread::scope(|scope| {
        let load = scope.spawn(|| schedule::load(plan, schedule));
        let order: Vec<usize> = if critical_only {
            schedule.critical_path()
        } else {
            (0..plan.tasks.len()).collect()
        };
        let tasks: Vec<JsonTask> = order
            .into_iter()
            .map(|index| {
                let entry = &schedule.tasks[index];
                JsonTask {
                    id: plan.tasks[index].id.as_str(),
                    start: iso_date(entry.start),
                    finish: iso_date(entry.finish),
                    slack: entry.total_slack,
                    critical: entry.critical,
                    milestone: entry.milestone,
                    baseline: json_baseline(entry.baseline),
                    slip: entry.slip,
                }
            })
            .collect();
        // The thread cannot panic short of a bug; should it, the load is
        // worked out again here.
        let load = load
            .join()
            .unwrap_or_else(|_| schedule::load(plan, schedule));
        (tasks, load)
    });
    let written = json_document(out, plan, schedule, tasks, &load);
    (written, load)
}

fn json_document(
    out: &mut impl Write,
    plan: &Plan,
    schedule: &Schedule,
    tasks: Vec<JsonTask>,
    load: &Load,
) -> io::Result<()> {
    let document = JsonSchedule {
        project: JsonProject {
            start: iso_date(schedule.start),
            finish: iso_date(schedule.finish),
            baseline: json_baseline(schedule.baseline),
            slip: schedule.slip,
        },
        tasks,
        overallocated: load
            .overallocated()
            .map(|(person, week)| JsonOverallocation {
                person: plan.people[person].id.as_str(),
                week: iso_week(week.week),
                weeks: week.weeks,
                hours: week.hours,
                capacity: week.capacity,
                tasks: week
                    .tasks
                    .iter()
                    .map(|&task| plan.tasks[task].id.as_str())
                    .collect(),
            })
            .collect(),
    };
    // About 200 bytes a task: one allocation instead of a dozen doublings.
    let mut bytes = Vec::with_capacity(256 + 200 * document.tasks.len());
    serde_json::to_writer_pretty(&mut bytes, &document)?;
    let text = String::from_utf8(bytes).map_err(io::Error::other)?;
    writeln!(out, "{}", crate::sanitize::json(text))
}

/// The schedule as a table `width` columns wide (None: no limit, every
/// name whole). Ids are never cut; names take what the other columns leave.
fn write_table(
    out: &mut impl Write,
    plan: &Plan,
    schedule: &Schedule,
    load: &Load,
    critical_only: bool,
    width: Option<usize>,
) -> io::Result<()> {
    let line_fit = |text: &str| match width {
        Some(width) => fit(text, width),
        None => text.to_owned(),
    };
    let calendar_days = schedule::Calendar::new(&plan.calendar)
        .map(|calendar| calendar.working_days_between(schedule.start, schedule.finish) + 1)
        .unwrap_or(0);
    let critical_count = schedule.tasks.iter().filter(|task| task.critical).count();
    let mut summary = format!(
        "{} to {}, {calendar_days} working days, {critical_count} critical",
        schedule.start, schedule.finish
    );
    if let Some(slip) = schedule.slip {
        summary.push_str(&format!(", {}", describe_slip(slip)));
    }
    writeln!(out, "{}", line_fit(&for_terminal(&plan.project.name)))?;
    writeln!(out, "{}", line_fit(&summary))?;

    let order: Vec<usize> = if critical_only {
        schedule.critical_path()
    } else {
        (0..plan.tasks.len()).collect()
    };
    let with_slip = schedule.baseline.is_some();
    let id_width = order
        .iter()
        .map(|&index| display_width(&for_terminal(plan.tasks[index].id.as_str())))
        .chain([2])
        .max()
        .unwrap_or(2);
    // Dates past the year 9999 are written with a sign and more digits.
    let date_width = order
        .iter()
        .map(|&index| schedule.tasks[index].finish.to_string().len())
        .chain([10])
        .max()
        .unwrap_or(10);
    // id, 2, marker, 1, name, 2, start, 2, finish, 2, slack 5 [, 2, slip 5]
    let fixed = id_width
        + 2
        + 1
        + 1
        + 2
        + date_width
        + 2
        + date_width
        + 2
        + 5
        + if with_slip { 7 } else { 0 };
    let longest_name = order
        .iter()
        .map(|&index| display_width(&task_label(plan, schedule, index)))
        .chain([4])
        .max()
        .unwrap_or(4);
    let name_width = text_column(longest_name, fixed, width);
    let mut header = format!(
        "{}    {}  {}  {}  {:>5}",
        pad("ID", id_width),
        pad("NAME", name_width),
        pad("START", date_width),
        pad("FINISH", date_width),
        "SLACK"
    );
    if with_slip {
        header.push_str(&format!("  {:>5}", "SLIP"));
    }
    writeln!(out, "{}", header.trim_end())?;
    for index in order {
        let entry = &schedule.tasks[index];
        let marker = if entry.critical { "!" } else { " " };
        let mut line = format!(
            "{}  {marker} {}  {}  {}  {:>5}",
            pad(&for_terminal(plan.tasks[index].id.as_str()), id_width),
            pad(
                &fit(&task_label(plan, schedule, index), name_width),
                name_width
            ),
            pad(&entry.start.to_string(), date_width),
            pad(&entry.finish.to_string(), date_width),
            in_five_columns(entry.total_slack, false)
        );
        if with_slip {
            let slip = entry
                .slip
                .map(|slip| in_five_columns(slip, true))
                .unwrap_or_default();
            line.push_str(&format!("  {slip:>5}"));
        }
        writeln!(out, "{}", line.trim_end())?;
    }

    let overallocated: Vec<_> = load.overallocated().collect();
    if !overallocated.is_empty() {
        writeln!(out)?;
        writeln!(out, "Over-allocated:")?;
    }
    for (person, week) in overallocated {
        let weeks = if week.weeks > 1 {
            format!(" (+{} weeks)", week.weeks - 1)
        } else {
            String::new()
        };
        let figures = format!(
            " {}{weeks}: {}h of {}h —",
            iso_week(week.week),
            round(week.hours),
            round(week.capacity)
        );
        let who = for_terminal(plan.people[person].id.as_str());
        let tasks: Vec<String> = week
            .tasks
            .iter()
            .map(|&task| for_terminal(plan.tasks[task].id.as_str()).into_owned())
            .collect();
        let line = format!("{who}{figures} {}", tasks.join(", "));
        // Every id whole: a long list goes on to the next lines.
        match width {
            None => writeln!(out, "  {line}")?,
            Some(_) => {
                for (number, part) in wrap(&line, prose_width(width).saturating_sub(4))
                    .iter()
                    .enumerate()
                {
                    let lead = if number == 0 { "  " } else { "    " };
                    writeln!(out, "{lead}{part}")?;
                }
            }
        }
    }
    Ok(())
}

/// The name column: the task's name, a diamond before a milestone's.
fn task_label(plan: &Plan, schedule: &Schedule, index: usize) -> String {
    let name = for_terminal(&plan.tasks[index].name);
    if schedule.tasks[index].milestone {
        format!("◆ {name}")
    } else {
        name.into_owned()
    }
}

/// A count of days in at most five columns: 12345, then 123k, then 12M.
fn in_five_columns(days: i64, signed: bool) -> String {
    let sign = if signed && days > 0 { "+" } else { "" };
    let text = format!("{sign}{days}");
    if text.len() <= 5 {
        return text;
    }
    let thousands = format!("{sign}{}k", days / 1000);
    if thousands.len() <= 5 {
        return thousands;
    }
    format!("{sign}{}M", days / 1_000_000)
}

fn describe_slip(slip: i64) -> String {
    match slip {
        0 => "on the baseline".to_string(),
        1 => "1 day late".to_string(),
        -1 => "1 day early".to_string(),
        slip if slip > 0 => format!("{slip} days late"),
        slip => format!("{} days early", -slip),
    }
}

fn round(hours: f64) -> String {
    let rounded = (hours * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "[project]\nname = \"Hotel\"\nstart = 2027-01-04\n\n[[task]]\nid = \"access-transfer-to-operations\"\nname = \"Hand the access cards and the master keys over to the hotel operations team\"\nduration = 3\n\n[[task]]\nid = \"go\"\nname = \"Go live\"\nmilestone = true\ndepends = [\"access-transfer-to-operations\"]\n";

    fn table(width: Option<usize>) -> String {
        let plan = crate::store::parse_str(PLAN).expect("parses").plan;
        let schedule = schedule::schedule(&plan).expect("schedules");
        let load = schedule::load(&plan, &schedule);
        let mut out = Vec::new();
        write_table(&mut out, &plan, &schedule, &load, false, width).expect("written");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn ids_are_never_cut_and_names_take_the_width_left() {
        let name = "Hand the access cards and the master keys over to the hotel operations team";
        // 80 columns: the id whole, the name cut to what is left.
        let narrow = table(Some(80));
        let row = narrow
            .lines()
            .find(|line| line.starts_with("access-transfer-to-operations  ! "))
            .expect("the row, its id whole");
        assert_eq!(
            row,
            "access-transfer-to-operations  ! Hand the access…  2027-01-04  2027-01-06      0"
        );
        assert!(
            narrow.lines().all(|line| display_width(line) <= 80),
            "{narrow}"
        );
        // 160 columns: everything whole.
        let wide = table(Some(160));
        assert!(
            wide.contains(&format!(
                "access-transfer-to-operations  ! {name}  2027-01-04"
            )),
            "{wide}"
        );
        assert!(!wide.contains('…'), "{wide}");
        // No limit (a pipe): the same, however long.
        assert_eq!(table(None), wide);
        // A terminal too narrow for the rest still shows a readable name.
        let tiny = table(Some(30));
        assert!(
            tiny.contains("access-transfer-to-operations  ! Hand the ac…  2027"),
            "{tiny}"
        );
    }

    #[test]
    fn fitting_cuts_with_an_ellipsis_and_counts_wide_characters_twice() {
        assert_eq!(fit("Payment API", 20), "Payment API");
        assert_eq!(fit("Payment API integration", 10), "Payment A…");
        assert_eq!(fit("決済システム", 7), "決済シ…");
        assert_eq!(display_width(&fit("決済システム", 7)), 7);
        assert_eq!(pad("決済", 6), "決済  ");
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        for (year, month, day) in [
            (2027, 1, 4),
            (1, 12, 31),
            (999, 2, 28),
            (9999, 12, 31),
            (-5, 3, 1),
            (10000, 1, 1),
        ] {
            let date = NaiveDate::from_ymd_opt(year, month, day).unwrap();
            assert_eq!(iso_date(date), date.to_string());
        }
    }

    #[test]
    fn slip_reads_as_words() {
        assert_eq!(describe_slip(0), "on the baseline");
        assert_eq!(describe_slip(3), "3 days late");
        assert_eq!(describe_slip(-1), "1 day early");
    }

    #[test]
    fn large_counts_keep_to_five_columns() {
        assert_eq!(in_five_columns(12345, false), "12345");
        assert_eq!(in_five_columns(123_456, false), "123k");
        assert_eq!(in_five_columns(2_000_000, true), "+2M");
        assert_eq!(in_five_columns(2_000_000, false), "2000k");
        assert_eq!(in_five_columns(-20_000, true), "-20k");
        assert_eq!(in_five_columns(42, true), "+42");
    }
}
