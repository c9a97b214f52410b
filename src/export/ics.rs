//! An iCalendar (RFC 5545) of the dates people put in their calendars:
//! milestones, quality-gate deadlines (the date of the milestone a gate
//! guards), risk trigger dates and the weekly check-in days.
//!
//! Every event is an all-day event (`DTSTART;VALUE=DATE`, `DTEND` the day
//! after) with a UID made of the kind of entity, its id and the project,
//! such as `milestone-golive.storefront-replatform@gantry`: importing the
//! file again, or subscribing to it, updates the events instead of adding
//! copies. A closed risk keeps its event with `STATUS:CANCELLED`, so the
//! calendar drops it. DTSTAMP is the status date, so the same plan always
//! gives the same file.
//!
//! Written by hand rather than with a builder crate, for three rules the
//! file must keep: TEXT values escape `\`, `;`, `,` and line breaks, and
//! carry no other control character (they become U+FFFD); lines are folded
//! at 75 octets without splitting a UTF-8 character; lines end in CRLF.

use std::fmt::Write as _;

use chrono::{Datelike, Days, NaiveDate};

use crate::model::{Plan, RiskStatus};
use crate::schedule::{Calendar, Schedule};

use super::inert_text;

/// The longest a content line may be, in octets, without its CRLF.
const LINE_OCTETS: usize = 75;

/// A TEXT value escaped as RFC 5545 section 3.3.11 asks.
pub fn escape_text(text: &str) -> String {
    let text = inert_text(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets, ending in CRLF.
fn line(out: &mut String, content: &str) {
    let mut budget = LINE_OCTETS;
    let mut used = 0;
    for c in content.chars() {
        let size = c.len_utf8();
        if used + size > budget {
            out.push_str("\r\n ");
            // The space that starts a continuation line counts.
            budget = LINE_OCTETS - 1;
            used = 0;
        }
        out.push(c);
        used += size;
    }
    out.push_str("\r\n");
}

fn date_value(date: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// The project's part of every UID: its name in lower-case ASCII letters,
/// digits and dashes.
fn project_key(plan: &Plan) -> String {
    let mut key = String::new();
    for c in plan.project.name.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.is_empty() && !key.ends_with('-') {
            key.push('-');
        }
        if key.len() >= 48 {
            break;
        }
    }
    let key = key.trim_end_matches('-');
    if key.is_empty() {
        "plan".to_owned()
    } else {
        key.to_owned()
    }
}

struct Event {
    uid: String,
    date: NaiveDate,
    summary: String,
    description: Option<String>,
    category: &'static str,
    cancelled: bool,
}

fn event(out: &mut String, stamp: &str, event: &Event) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{}", escape_text(&event.uid)));
    line(out, &format!("DTSTAMP:{stamp}"));
    line(
        out,
        &format!("DTSTART;VALUE=DATE:{}", date_value(event.date)),
    );
    let next = event
        .date
        .checked_add_days(Days::new(1))
        .unwrap_or(event.date);
    line(out, &format!("DTEND;VALUE=DATE:{}", date_value(next)));
    line(out, &format!("SUMMARY:{}", escape_text(&event.summary)));
    if let Some(description) = &event.description {
        line(out, &format!("DESCRIPTION:{}", escape_text(description)));
    }
    line(out, &format!("CATEGORIES:{}", event.category));
    line(
        out,
        if event.cancelled {
            "STATUS:CANCELLED"
        } else {
            "STATUS:CONFIRMED"
        },
    );
    line(out, "TRANSP:TRANSPARENT");
    line(out, "END:VEVENT");
}

/// The calendar; `status_date` is its DTSTAMP.
pub fn to_ics(plan: &Plan, schedule: &Schedule, status_date: NaiveDate) -> String {
    let key = project_key(plan);
    let stamp = format!("{}T000000Z", date_value(status_date));
    let mut events = Vec::new();

    for (task, dates) in plan.tasks.iter().zip(&schedule.tasks) {
        if !dates.milestone {
            continue;
        }
        let mut description = format!("Milestone {} of {}", task.id.value, plan.project.name);
        if let Some(baseline) = dates.baseline {
            let _ = write!(description, "\nBaseline: {}", baseline.finish);
        }
        let _ = write!(description, "\nStatus: {}", task.status.as_str());
        events.push(Event {
            uid: format!("milestone-{}.{key}@gantry", task.id.value),
            date: dates.finish,
            summary: format!("Milestone: {}", task.name),
            description: Some(description),
            category: "MILESTONE",
            cancelled: false,
        });
    }

    for gate in &plan.gates {
        let Some(index) = gate.milestone.as_ref().and_then(|m| m.index) else {
            continue;
        };
        let (Some(task), Some(dates)) = (plan.tasks.get(index), schedule.tasks.get(index)) else {
            continue;
        };
        let done = gate.checklist.iter().filter(|item| item.done).count();
        let mut description = format!(
            "Quality gate {} guards milestone {} ({})\nChecklist: {done} of {} done",
            gate.id.value,
            task.id.value,
            task.name,
            gate.checklist.len()
        );
        for item in &gate.checklist {
            let _ = write!(
                description,
                "\n[{}] {}",
                if item.done { "x" } else { " " },
                item.item
            );
        }
        if let Some(approver) = &gate.approver {
            let _ = write!(description, "\nApprover: {approver}");
        }
        match gate.signed {
            Some(signed) => {
                let _ = write!(description, "\nSigned off: {signed}");
            }
            None => description.push_str("\nNot signed off yet"),
        }
        events.push(Event {
            uid: format!("gate-{}.{key}@gantry", gate.id.value),
            date: dates.finish,
            summary: format!("Gate deadline: {}", gate.name),
            description: Some(description),
            category: "GATE",
            cancelled: false,
        });
    }

    for risk in &plan.risks {
        let Some(trigger) = risk.trigger else {
            continue;
        };
        let mut description = format!(
            "Risk {}: likelihood {} x impact {} = {}, {}, {}",
            risk.id.value,
            risk.likelihood,
            risk.impact,
            risk.score(),
            risk.tier.as_str(),
            risk.status.as_str()
        );
        if let Some(mitigation) = &risk.mitigation {
            let _ = write!(description, "\nMitigation: {mitigation}");
        }
        events.push(Event {
            uid: format!("risk-{}.{key}@gantry", risk.id.value),
            date: trigger,
            summary: format!("Risk trigger: {} {}", risk.id.value, risk.title),
            description: Some(description),
            category: "RISK",
            cancelled: risk.status == RiskStatus::Closed,
        });
    }

    // One check-in a week, on the week's first working day, from the first
    // week of the project to the week it finishes.
    let calendar = Calendar::new(&plan.calendar).ok();
    let mut monday = crate::metrics::week_monday(schedule.start);
    let last = crate::metrics::week_monday(schedule.finish);
    while monday <= last {
        let day = (0..7)
            .filter_map(|offset| monday.checked_add_days(Days::new(offset)))
            .find(|day| calendar.as_ref().is_none_or(|c| c.is_working_day(*day)))
            .unwrap_or(monday);
        let recorded = plan
            .checkins
            .iter()
            .find(|checkin| crate::metrics::week_monday(checkin.week.value) == monday);
        let iso = monday.iso_week();
        let description = recorded.map(|checkin| {
            let mut text = String::from("Recorded check-in");
            for (label, items) in [
                ("Done", &checkin.done),
                ("Next", &checkin.next),
                ("Blocked", &checkin.blocked),
            ] {
                for item in items {
                    let _ = write!(text, "\n{label}: {item}");
                }
            }
            if let Some(note) = &checkin.note {
                let _ = write!(text, "\nNote: {note}");
            }
            text
        });
        events.push(Event {
            uid: format!("checkin-{monday}.{key}@gantry"),
            date: day,
            summary: format!(
                "Check-in {}-W{:02}: {}",
                iso.year(),
                iso.week(),
                plan.project.name
            ),
            description,
            category: "CHECK-IN",
            cancelled: false,
        });
        match monday.checked_add_days(Days::new(7)) {
            Some(next) => monday = next,
            None => break,
        }
    }

    let mut out = String::with_capacity(256 + events.len() * 400);
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//gantry//gantry plan//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(
        &mut out,
        &format!("X-WR-CALNAME:{}", escape_text(&plan.project.name)),
    );
    for entry in &events {
        event(&mut out, &stamp, entry);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        assert_eq!(escape_text("x\r\ny\u{1b}"), "x\\ny\u{FFFD}");
    }

    #[test]
    fn lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        let content = format!("SUMMARY:{}", "é".repeat(60));
        line(&mut out, &content);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{}", physical.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, content);
    }

    #[test]
    fn the_project_key_is_plain_ascii() {
        let mut plan = Plan::default();
        plan.project.name = "Shop <b>&co</b> 2027!".to_owned();
        assert_eq!(project_key(&plan), "shop-b-co-b-2027");
        plan.project.name = "決済".to_owned();
        assert_eq!(project_key(&plan), "plan");
    }
}
