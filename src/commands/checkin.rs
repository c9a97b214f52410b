//! `gantry checkin FILE [--week DATE] [--record ...]`: a week's check-in
//! drafted from the plan, printed, or appended to the plan as a `[[checkin]]`.

use std::io::{self, Write};

use chrono::{Datelike, NaiveDate};
use toml_edit::{Array, InlineTable, Item, Table, Value};

use crate::cli::CheckinArgs;
use crate::metrics::{
    self, CheckinDraft, Metrics, recorded_checkin_advice, week_as_of, week_monday,
};
use crate::model::{Checkin, Plan};
use crate::sanitize::for_terminal;
use crate::store::{Edit, EntityKind, toml_date};

use super::risk::{apply_edits, save};
use super::{EXIT_INVALID, open_plan};
/// The largest index a check-in records, the most the format holds.
const INDEX_MAX: f64 = crate::store::limits::INDEX.max;
use super::status::{
    WIDTH, caveat_lines, finish_output, index_text, marked, open_scheduled, rounded, scheduled,
    status_date, wrap,
};

pub fn run(args: &CheckinArgs) -> anyhow::Result<u8> {
    if !args.record {
        // Only a look: the fast read path, no editable document.
        let (loaded, schedule) = match open_scheduled(&args.file)? {
            Ok(opened) => opened,
            Err(code) => return Ok(code),
        };
        let plan = &loaded.plan;
        let (week, draft, metrics) = drafted(plan, &schedule, args.week);
        let recorded = recorded_in(plan, week);
        let mut out = io::BufWriter::new(io::stdout().lock());
        let written = write_draft(&mut out, plan, &draft, recorded, &metrics, &args.file);
        return finish_output(written.and_then(|()| out.flush()));
    }
    let mut file = match open_plan(&args.file, true)? {
        Ok(file) => file,
        Err(code) => return Ok(code),
    };
    let schedule = match scheduled(&args.file, &file.plan) {
        Ok(schedule) => schedule,
        Err(code) => return Ok(code),
    };
    let (week, draft, metrics) = drafted(&file.plan, &schedule, args.week);
    let recorded = recorded_in(&file.plan, week);

    if let Some(existing) = recorded {
        errln!(
            "{}:{}: error: {}",
            crate::sanitize::path(&args.file),
            existing.week.pos,
            recorded_checkin_advice(week)
        );
        return Ok(EXIT_INVALID);
    }
    let lists_given = !(args.done.is_empty() && args.next.is_empty() && args.blocked.is_empty());
    let (done, next, blocked) = if lists_given {
        (args.done.clone(), args.next.clone(), args.blocked.clone())
    } else {
        draft_items(&file.plan, &draft)
    };
    let note = (!args.note.is_empty()).then(|| args.note.join("\n"));
    let table = checkin_table(week, &done, &next, &blocked, note.as_deref(), &metrics);
    let edit = Edit::Add {
        kind: EntityKind::Checkin,
        after: None,
        table,
    };
    if let Err(code) = apply_edits(&mut file, vec![edit.clone()])? {
        return Ok(code);
    }
    save(
        &mut file,
        vec![edit],
        &format!("recorded the check-in for the week of {week}"),
        &format!("the check-in for the week of {week} was not recorded"),
    )
}

/// The check-in recorded for the week of `week`, if any.
fn recorded_in(plan: &Plan, week: NaiveDate) -> Option<&Checkin> {
    plan.checkins
        .iter()
        .find(|checkin| week_monday(checkin.week.value) == week)
}

/// The week asked for (else the status date's), its draft and its metrics.
fn drafted(
    plan: &Plan,
    schedule: &crate::schedule::Schedule,
    asked: Option<NaiveDate>,
) -> (NaiveDate, CheckinDraft, Metrics) {
    let status_date = status_date(plan, None);
    let week = week_monday(asked.unwrap_or(status_date));
    let as_of = week_as_of(week, status_date);
    let draft = metrics::checkin_draft(plan, schedule, week);
    let metrics = metrics::compute(plan, schedule, as_of);
    (week, draft, metrics)
}

/// The draft's tasks as the lines a check-in records: task names, and for
/// blocked tasks what blocks them.
fn draft_items(plan: &Plan, draft: &CheckinDraft) -> (Vec<String>, Vec<String>, Vec<String>) {
    let names = |indices: &[usize]| -> Vec<String> {
        indices
            .iter()
            .filter_map(|&index| plan.tasks.get(index))
            .map(|task| task.name.clone())
            .collect()
    };
    let blocked = draft
        .blocked
        .iter()
        .filter_map(|&index| plan.tasks.get(index))
        .map(|task| match task.blocker.as_deref().map(str::trim) {
            Some(blocker) if !blocker.is_empty() => format!("{}: {blocker}", task.name),
            _ => task.name.clone(),
        })
        .collect();
    (names(&draft.done), names(&draft.next), blocked)
}

fn string_array(items: &[String]) -> Value {
    Value::Array(items.iter().map(String::as_str).collect::<Array>())
}

/// The `[[checkin]]` table, keys in the order the format lists them.
fn checkin_table(
    week: NaiveDate,
    done: &[String],
    next: &[String],
    blocked: &[String],
    note: Option<&str>,
    metrics: &Metrics,
) -> Table {
    let mut table = Table::new();
    table.insert("week", Item::Value(toml_date(week)));
    table.insert("done", Item::Value(string_array(done)));
    table.insert("next", Item::Value(string_array(next)));
    table.insert("blocked", Item::Value(string_array(blocked)));
    if let Some(note) = note {
        table.insert("note", Item::Value(Value::from(note)));
    }
    let mut figures = InlineTable::new();
    figures.insert(
        "percent_complete",
        Value::from(rounded(metrics.percent_complete, 1)),
    );
    if let Some(spi) = metrics.spi {
        figures.insert("spi", Value::from(rounded(spi.min(INDEX_MAX), 2)));
    }
    if let Some(cpi) = metrics.cpi {
        figures.insert("cpi", Value::from(rounded(cpi.min(INDEX_MAX), 2)));
    }
    let open_blockers = i64::try_from(metrics.open_blockers)
        .unwrap_or(i64::MAX)
        .min(crate::store::limits::MAX_BLOCKERS);
    figures.insert("open_blockers", Value::from(open_blockers));
    table.insert("metrics", Item::Value(Value::InlineTable(figures)));
    table
}

fn write_list(out: &mut impl Write, heading: &str, items: &[String]) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "## {heading}")?;
    if items.is_empty() {
        writeln!(out, "- (none)")?;
    }
    for item in items {
        for (number, line) in wrap(&for_terminal(item), WIDTH - 2).iter().enumerate() {
            let lead = if number == 0 { "-" } else { " " };
            writeln!(out, "{lead} {line}")?;
        }
    }
    Ok(())
}

/// The draft of a week's check-in, or the check-in recorded for it.
fn write_draft(
    out: &mut impl Write,
    plan: &Plan,
    draft: &CheckinDraft,
    recorded: Option<&Checkin>,
    metrics: &Metrics,
    path: &std::path::Path,
) -> io::Result<()> {
    let iso = draft.week.iso_week();
    writeln!(
        out,
        "# Check-in: week of {} ({}-W{:02}){}",
        draft.week,
        iso.year(),
        iso.week(),
        if recorded.is_some() { ", recorded" } else { "" }
    )?;
    if let Some(checkin) = recorded {
        return write_recorded(out, plan, checkin, path);
    }
    for line in wrap(&for_terminal(&plan.project.name), WIDTH) {
        writeln!(out, "{line}")?;
    }
    let task_line = |index: usize, detail: String| -> String {
        match plan.tasks.get(index) {
            Some(task) => format!("{} ({}){detail}", task.name, task.id.value),
            None => String::new(),
        }
    };
    let done: Vec<String> = draft
        .done
        .iter()
        .map(|&index| task_line(index, String::new()))
        .collect();
    let next: Vec<String> = draft
        .next
        .iter()
        .map(|&index| task_line(index, String::new()))
        .collect();
    let blocked: Vec<String> = draft
        .blocked
        .iter()
        .map(|&index| {
            let Some(task) = plan.tasks.get(index) else {
                return String::new();
            };
            let mut detail = String::new();
            if let Some(blocker) = task.blocker.as_deref().filter(|b| !b.trim().is_empty()) {
                detail.push_str(&format!(": {}", blocker.trim()));
            }
            if let Some(since) = task.blocked_since {
                detail.push_str(&format!(" (since {since})"));
            }
            task_line(index, detail)
        })
        .collect();
    let risks: Vec<String> = draft
        .risks_due
        .iter()
        .filter_map(|&index| plan.risks.get(index))
        .map(|risk| {
            let mut facts = vec![
                format!("score {}", risk.score()),
                risk.status.as_str().to_string(),
            ];
            if let Some(trigger) = risk.trigger {
                facts.push(format!("trigger {trigger}"));
            }
            facts.push(match risk.reviewed {
                Some(reviewed) => format!("reviewed {reviewed}"),
                None => "never reviewed".to_string(),
            });
            format!("{} ({}): {}", risk.id.value, facts.join(", "), risk.title)
        })
        .collect();
    write_list(out, "Done this week", &done)?;
    write_list(out, "Next week", &next)?;
    write_list(out, "Blocked", &blocked)?;
    write_list(out, "Risks due for review", &risks)?;
    writeln!(out)?;
    writeln!(out, "## Metrics as of {}", metrics.status_date)?;
    let blockers = match metrics.open_blockers {
        1 => "1 open blocker".to_string(),
        count => format!("{count} open blockers"),
    };
    writeln!(
        out,
        "{:.1}% complete, SPI {}, CPI {}, {blockers}",
        metrics.percent_complete,
        marked(
            index_text(metrics.spi),
            metrics.spi.is_some(),
            metrics.meaningful.spi
        ),
        marked(
            index_text(metrics.cpi),
            metrics.cpi.is_some(),
            metrics.meaningful.cpi
        )
    )?;
    for line in caveat_lines(metrics, WIDTH) {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    // A command is easier to copy on one line, however long.
    writeln!(
        out,
        "Record it with: gantry checkin {} --week {} --record",
        crate::sanitize::path(path),
        draft.week
    )
}

/// A recorded check-in as the plan holds it, and where to change it.
fn write_recorded(
    out: &mut impl Write,
    plan: &Plan,
    checkin: &Checkin,
    path: &std::path::Path,
) -> io::Result<()> {
    for line in wrap(&for_terminal(&plan.project.name), WIDTH) {
        writeln!(out, "{line}")?;
    }
    write_list(out, "Done this week", &checkin.done)?;
    write_list(out, "Next week", &checkin.next)?;
    write_list(out, "Blocked", &checkin.blocked)?;
    if let Some(note) = checkin
        .note
        .as_deref()
        .filter(|note| !note.trim().is_empty())
    {
        writeln!(out)?;
        writeln!(out, "## Note")?;
        for line in note.lines() {
            for line in wrap(&for_terminal(line), WIDTH) {
                writeln!(out, "{line}")?;
            }
        }
    }
    let figures = &checkin.metrics;
    let mut recorded = Vec::new();
    if let Some(percent) = figures.percent_complete {
        recorded.push(format!("{percent:.1}% complete"));
    }
    if let Some(spi) = figures.spi {
        recorded.push(format!("SPI {spi:.2}"));
    }
    if let Some(cpi) = figures.cpi {
        recorded.push(format!("CPI {cpi:.2}"));
    }
    if let Some(blockers) = figures.open_blockers {
        recorded.push(match blockers {
            1 => "1 open blocker".to_string(),
            count => format!("{count} open blockers"),
        });
    }
    if !recorded.is_empty() {
        writeln!(out)?;
        writeln!(out, "## Metrics as recorded")?;
        writeln!(out, "{}", recorded.join(", "))?;
    }
    writeln!(out)?;
    // Where it is, on one line, as `check` points at a value.
    writeln!(
        out,
        "{}:{}: {}",
        crate::sanitize::path(path),
        checkin.week.pos,
        recorded_checkin_advice(checkin.week.value)
    )
}
