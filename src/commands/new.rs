//! `gantry new [FILE]`: a commented starter plan, starting on the next
//! Monday.

use std::io::Write;

use anyhow::Context;
use chrono::{Datelike, Days, NaiveDate};

use crate::cli::NewArgs;

use super::EXIT_OK;

/// The starter plan: every part of the format, commented. It is written for
/// a project starting on `TEMPLATE_START`; `starter` moves it to another
/// start.
pub const STARTER: &str = include_str!("../templates/starter.toml");

/// The Monday the template's dates are written from.
const TEMPLATE_START: (i32, u32, u32) = (2027, 1, 4);

pub fn run(args: &NewArgs) -> anyhow::Result<u8> {
    let start = next_monday_after(chrono::Local::now().date_naive());
    let text = starter(start);
    // create_new refuses an existing file, even one created a moment ago.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&args.file)
        .with_context(|| match args.file.try_exists() {
            Ok(true) => format!(
                "{} already exists; choose another name",
                crate::sanitize::path(&args.file)
            ),
            _ => format!("cannot create {}", crate::sanitize::path(&args.file)),
        })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", crate::sanitize::path(&args.file)))?;
    outln!(
        "wrote {}: a starter plan from Monday {start}; open it with `gantry {0}` or check it with `gantry check {0}`",
        crate::sanitize::path(&args.file)
    );
    Ok(EXIT_OK)
}

/// The first Monday after `today` (a week later when today is a Monday).
pub fn next_monday_after(today: NaiveDate) -> NaiveDate {
    let ahead = 7 - u64::from(today.weekday().num_days_from_monday());
    today.checked_add_days(Days::new(ahead)).unwrap_or(today)
}

/// The starter plan for a project starting on `start` (a Monday): every
/// date in it, the baselines, the time log and the check-ins too, moves by
/// the same number of weeks, so the plan reads the same from any start.
pub fn starter(start: NaiveDate) -> String {
    let Some(template_start) =
        NaiveDate::from_ymd_opt(TEMPLATE_START.0, TEMPLATE_START.1, TEMPLATE_START.2)
    else {
        return STARTER.to_owned();
    };
    let offset = start.signed_duration_since(template_start);
    let mut out = String::with_capacity(STARTER.len());
    let mut rest = STARTER;
    // Every date is written YYYY-MM-DD; nothing else in the template is.
    while let Some(at) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let moved = rest
            .get(..10)
            .filter(|text| is_date_shape(text))
            .and_then(|text| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
            .and_then(|date| date.checked_add_signed(offset));
        match moved {
            Some(date) => {
                out.push_str(&date.format("%Y-%m-%d").to_string());
                rest = &rest[10..];
            }
            None => {
                let digits = rest
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len());
                out.push_str(&rest[..digits]);
                rest = &rest[digits..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_date_shape(text: &str) -> bool {
    text.bytes().enumerate().all(|(index, byte)| match index {
        4 | 7 => byte == b'-',
        _ => byte.is_ascii_digit(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    #[test]
    fn the_next_monday_is_after_today() {
        assert_eq!(next_monday_after(date("2026-12-02")), date("2026-12-07"));
        assert_eq!(next_monday_after(date("2026-12-06")), date("2026-12-07"));
        // On a Monday, the one a week later.
        assert_eq!(next_monday_after(date("2026-12-07")), date("2026-12-14"));
        assert_eq!(next_monday_after(date("2027-12-31")), date("2028-01-03"));
    }

    #[test]
    fn the_starter_moves_every_date_and_stays_valid() {
        let start = date("2026-12-07");
        let text = starter(start);
        let loaded = crate::store::parse_str(&text).expect("parses");
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let plan = &loaded.plan;
        assert_eq!(plan.project.start, start);
        // Every date moved by the same four weeks, and nothing else changed.
        let dates = |text: &str| -> Vec<NaiveDate> {
            (0..text.len().saturating_sub(9))
                .filter_map(|at| text.get(at..at + 10))
                .filter(|piece| is_date_shape(piece))
                .filter_map(|piece| NaiveDate::parse_from_str(piece, "%Y-%m-%d").ok())
                .collect()
        };
        let moved = dates(&text);
        let original = dates(STARTER);
        assert!(original.len() > 40);
        assert_eq!(moved.len(), original.len());
        for (moved, original) in moved.iter().zip(&original) {
            assert_eq!(moved.signed_duration_since(*original).num_days(), -28);
        }
        assert_eq!(text.len(), STARTER.len());
        // Four weeks earlier, to the day: a holiday on the same weekday,
        // a status date nine days in.
        assert_eq!(plan.calendar.holidays, [date("2026-12-21")]);
        assert_eq!(plan.project.status_date, Some(date("2026-12-16")));
        // The schedule keeps its shape: recorded baselines still match it.
        let schedule = crate::schedule::schedule(plan).expect("schedules");
        assert_eq!(schedule.start, start);
        let template = crate::store::parse_str(STARTER).expect("parses").plan;
        let before = crate::schedule::schedule(&template).expect("schedules");
        assert_eq!(schedule.slip, before.slip);
        for (moved, original) in schedule.tasks.iter().zip(&before.tasks) {
            assert_eq!(moved.total_slack, original.total_slack);
            assert_eq!(moved.slip, original.slip);
        }
        // The template's own start gives the template.
        assert_eq!(starter(date("2027-01-04")), STARTER);
    }
}
