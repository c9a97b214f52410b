//! Microsoft Project XML (MSPDI, as MS Project, ProjectLibre and
//! GanttProject write it) read into a new, commented gantry plan.
//!
//! - The project's `Title` (else `Name`) and `StartDate` make `[project]`;
//!   `StatusDate` and `CurrencyCode` come along.
//! - The project calendar (`CalendarUID`, else the first base calendar,
//!   with what it inherits from its base) gives the working weekdays; its
//!   non-working exceptions (and old-style `DayType` 0 days) give the
//!   holidays; `MinutesPerDay` gives `hours_per_day` and the length of a
//!   day for durations and lags.
//! - A summary task that holds tasks becomes a phase. Nested summaries are
//!   flattened: a phase is named by its summary's path (`Build / API`),
//!   with a warning. The project summary task (UID 0) gives only its notes.
//! - Tasks keep their name, duration in working days, milestone flag,
//!   percent complete (status from it, or from the "Gantry status" text),
//!   notes, work (as `estimate`), baselines (number 0 as `baseline`,
//!   others as `baselines.baselineN`) and links (FS, SS and FF with lags;
//!   lags in minutes, hours, days, weeks, months, elapsed time or percent
//!   converted to working days). A start-no-earlier-than constraint
//!   becomes `start`; must-start-on does too, with a warning; other
//!   constraints are warnings.
//! - Work resources become people (rate per hour, `MaxUnits` as capacity,
//!   group as role); a task's first assignment becomes its owner.
//! - Ids come from the "Gantry id" text when valid, else from names.
//!
//! Whatever the plan cannot hold is a warning, one per item.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};

use super::xml::{self, Element};
use crate::export::mspdi::{
    ID_ALIAS, RESOURCE_TEXT1, STATUS_ALIAS, TASK_TEXT1, TASK_TEXT2, TASK_TEXT3, weekday_of_day_type,
};
use crate::model::{DependencyKind, Pos, TaskStatus};

/// Something in the imported file that the plan does not hold as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where the item is in the imported file.
    pub pos: Pos,
    /// The item, e.g. "task 12 `Design`".
    pub item: String,
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.item, self.message)
    }
}

/// Why a file cannot be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{pos}: not well-formed XML: {message}")]
    Xml { pos: Pos, message: String },
    #[error("{pos}: {message}")]
    Format { pos: Pos, message: String },
}

impl ImportError {
    pub fn pos(&self) -> Pos {
        match self {
            ImportError::Xml { pos, .. } | ImportError::Format { pos, .. } => *pos,
        }
    }
}

/// What an import gives: the plan's text and the warnings.
#[derive(Debug, Clone)]
pub struct Imported {
    pub plan: String,
    pub warnings: Vec<Warning>,
}

/// Ids made from names: lower-case ASCII letters and digits, other runs
/// of characters as one `-`, at most 40 long, unique among `taken`.
struct IdMaker {
    taken: std::collections::HashSet<String>,
}

impl IdMaker {
    pub fn new() -> Self {
        IdMaker {
            taken: std::collections::HashSet::new(),
        }
    }

    /// `preferred` when it is a valid, free id; else one made from `name`,
    /// else `fallback`, with `-2`, `-3`... until it is free.
    pub fn make(&mut self, preferred: Option<&str>, name: &str, fallback: &str) -> String {
        if let Some(id) = preferred.filter(|id| crate::model::is_valid_id(id) && id.len() <= 64)
            && self.taken.insert(id.to_string())
        {
            return id.to_string();
        }
        let mut base = String::new();
        for c in name.chars() {
            if c.is_ascii_alphanumeric() {
                base.push(c.to_ascii_lowercase());
            } else if let Some(plain) = latin_letter(c) {
                base.push_str(plain);
            } else if !base.is_empty() && !base.ends_with('-') {
                base.push('-');
            }
            if base.len() >= 40 {
                break;
            }
        }
        let base = base.trim_end_matches('-');
        let base = if base.is_empty() { fallback } else { base };
        let mut id = base.to_string();
        let mut n = 2;
        while !self.taken.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// The plain letters of an accented Latin letter, for ids: `é` is `e`.
fn latin_letter(c: char) -> Option<&'static str> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    Some(match lower {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' | 'ľ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'ŕ' | 'ř' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ť' | 'ţ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        _ => return None,
    })
}

/// The longest lag a plan holds, either way, in working days.
const MOST_LAG: i64 = 1_000_000;

/// The most holiday days one calendar exception may give.
const LONGEST_EXCEPTION: i64 = 366 * 3;

/// Reads an MSPDI document; returns the plan's TOML text and the warnings.
pub fn from_mspdi(text: &str) -> Result<Imported, ImportError> {
    let root = xml::parse(text.strip_prefix('\u{feff}').unwrap_or(text))?;
    if root.name != "Project" {
        return Err(ImportError::Format {
            pos: root.pos,
            message: format!(
                "the document is `<{}>`, not an MS Project XML `<Project>`",
                root.name
            ),
        });
    }
    let mut reader = Reader::default();
    let plan = reader.read(&root)?;
    let text = plan.render(&reader.warnings);
    // Durations and lags so long that the schedule leaves the calendar
    // (past 9999-12-31) make a plan that `gantry check` refuses.
    if let Ok(loaded) = crate::store::parse_str(&text)
        && let Err(error) = crate::schedule::schedule(&loaded.plan)
    {
        let pos = error
            .task()
            .and_then(|task| plan.tasks.get(task))
            .map_or(root.pos, |task| task.pos);
        return Err(ImportError::Format {
            pos,
            message: format!("the file cannot be scheduled as a plan: {error}"),
        });
    }
    Ok(Imported {
        plan: text,
        warnings: reader.warnings,
    })
}

/// The plan being built, in plain values ready to write.
#[derive(Default)]
struct Draft {
    name: String,
    start: Option<NaiveDate>,
    status_date: Option<NaiveDate>,
    currency: Option<String>,
    description: Option<String>,
    workdays: Vec<Weekday>,
    holidays: Vec<NaiveDate>,
    hours_per_day: f64,
    people: Vec<DraftPerson>,
    phases: Vec<(String, String, Pos)>,
    tasks: Vec<DraftTask>,
}

struct DraftPerson {
    id: String,
    name: String,
    role: Option<String>,
    skills: Vec<String>,
    rate: Option<f64>,
    capacity: f64,
    uid: String,
}

struct DraftTask {
    id: String,
    uid: String,
    name: String,
    pos: Pos,
    phase: Option<String>,
    owner: Option<String>,
    duration: i64,
    milestone: bool,
    estimate: Option<f64>,
    depends: Vec<(String, DependencyKind, i64)>,
    start: Option<NaiveDate>,
    status: TaskStatus,
    progress: i64,
    notes: Option<String>,
    baseline: Option<(NaiveDate, NaiveDate)>,
    baselines: Vec<(String, NaiveDate, NaiveDate)>,
    /// The dates the file gives, to compare with gantry's.
    file_dates: Option<(NaiveDate, NaiveDate)>,
}

#[derive(Default)]
struct Reader {
    warnings: Vec<Warning>,
    minutes_per_day: f64,
    first_day: Option<NaiveDate>,
    status_day: Option<NaiveDate>,
}

/// A date and time as MSPDI writes them, within the years a plan can hold.
fn date_time(text: &str) -> Option<NaiveDateTime> {
    parse_date_time(text).filter(|moment| (0..=9999).contains(&moment.year()))
}

fn parse_date_time(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    let text = text.split(['+', 'Z']).next().unwrap_or(text);
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(moment) = NaiveDateTime::parse_from_str(text, format) {
            return Some(moment);
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|date| date.and_hms_opt(0, 0, 0))
}

/// An ISO 8601 duration such as `PT40H0M0S` or `P2DT4H`, in minutes.
fn duration_minutes(text: &str) -> Option<f64> {
    let text = text.trim();
    let rest = text.strip_prefix('-').unwrap_or(text);
    let negative = rest.len() != text.len();
    let rest = rest.strip_prefix('P')?;
    let mut minutes = 0.0;
    let mut number = String::new();
    let mut in_time = false;
    for c in rest.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' | '.' => number.push(c),
            unit => {
                let value: f64 = number.parse().ok()?;
                number.clear();
                minutes += value
                    * match (unit, in_time) {
                        ('Y', false) => 365.0 * 24.0 * 60.0,
                        ('M', false) => 30.0 * 24.0 * 60.0,
                        ('W', false) => 7.0 * 24.0 * 60.0,
                        ('D', false) => 24.0 * 60.0,
                        ('H', true) => 60.0,
                        ('M', true) => 1.0,
                        ('S', true) => 1.0 / 60.0,
                        _ => return None,
                    };
            }
        }
    }
    number
        .is_empty()
        .then_some(if negative { -minutes } else { minutes })
}

/// The value of an extended attribute by field id.
fn extended(element: &Element, field: u32) -> Option<String> {
    element.all("ExtendedAttribute").find_map(|attribute| {
        (attribute.integer("FieldID") == Some(i64::from(field)))
            .then(|| attribute.raw_text_of("Value").map(restore))
            .flatten()
    })
}

/// Text as the plan holds it: the control pictures the export writes for
/// characters XML cannot carry turned back into those characters.
fn restore(text: &str) -> String {
    text.chars()
        .map(|c| match c as u32 {
            code @ 0x2400..=0x241f => char::from_u32(code - 0x2400).unwrap_or(c),
            0x2421 => '\u{7f}',
            _ => c,
        })
        .collect()
}

impl Reader {
    fn warn(&mut self, pos: Pos, item: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning {
            pos,
            item: item.into(),
            message: message.into(),
        });
    }

    fn read(&mut self, root: &Element) -> Result<Draft, ImportError> {
        let mut draft = Draft::default();
        self.minutes_per_day = root
            .number("MinutesPerDay")
            .filter(|&minutes| minutes > 0.0 && minutes <= 24.0 * 60.0)
            .unwrap_or(480.0);
        draft.hours_per_day = self.minutes_per_day / 60.0;
        draft.name = root
            .raw_text_of("Title")
            .filter(|title| !title.trim().is_empty())
            .or_else(|| root.raw_text_of("Name"))
            .map(restore)
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| {
                self.warn(
                    root.pos,
                    "project",
                    "has no title or name; named `Imported project`",
                );
                "Imported project".to_string()
            });
        draft.start = root
            .text_of("StartDate")
            .and_then(date_time)
            .map(|moment| moment.date());
        draft.status_date = root
            .text_of("StatusDate")
            .and_then(date_time)
            .map(|moment| moment.date());
        draft.currency = root.text_of("CurrencyCode").map(str::to_string);
        if root.flag("ScheduleFromStart") || root.child("ScheduleFromStart").is_none() {
        } else {
            self.warn(
                root.pos,
                "project",
                "is scheduled from its finish date; gantry schedules from the start",
            );
        }
        self.calendar(root, &mut draft);
        // The days work may begin on: the first working days on or after
        // the project start and the status date.
        let calendar = crate::schedule::Calendar::new(&crate::model::Calendar {
            workdays: draft.workdays.clone(),
            holidays: draft.holidays.clone(),
            hours_per_day: draft.hours_per_day,
        })
        .ok();
        let working = |date: Option<NaiveDate>| {
            date.map(|date| {
                calendar
                    .as_ref()
                    .and_then(|calendar| calendar.next_working_day_on_or_after(date).ok())
                    .unwrap_or(date)
            })
        };
        self.first_day = working(draft.start);
        self.status_day = working(draft.status_date);
        let people = self.people(root, &mut draft);
        self.tasks(root, &mut draft, &people)?;
        if draft.start.is_none() {
            draft.start = draft
                .tasks
                .iter()
                .filter_map(|task| task.file_dates.map(|dates| dates.0))
                .min();
        }
        if draft.start.is_none() {
            self.warn(root.pos, "project", "has no start date; 2027-01-04 is used");
        }
        self.compare_dates(&mut draft);
        self.keep_within_ranges(&mut draft)?;
        Ok(draft)
    }

    /// Drops, with a warning, each estimate the plan format cannot hold
    /// (`store::limits`), so that the written plan passes `gantry check`.
    /// A task longer than the format holds cannot be carried over at all.
    fn keep_within_ranges(&mut self, draft: &mut Draft) -> Result<(), ImportError> {
        use crate::store::limits;
        if let Some(task) = draft
            .tasks
            .iter()
            .find(|task| task.duration > limits::MAX_DAYS)
        {
            return Err(ImportError::Format {
                pos: task.pos,
                message: format!(
                    "task {} `{}` lasts {} working days; a plan holds durations up to {} working days",
                    task.uid,
                    crate::sanitize::quote(&task.name),
                    task.duration,
                    limits::MAX_DAYS
                ),
            });
        }
        let mut dropped = Vec::new();
        for task in &mut draft.tasks {
            if let Some(estimate) = task.estimate
                && !limits::ESTIMATE.contains(estimate)
            {
                task.estimate = None;
                dropped.push((
                    task.pos,
                    format!("task {} `{}`", task.uid, task.name),
                    format!(
                        "has {estimate} hours of work, beyond what a plan holds ({}); the estimate is dropped",
                        limits::ESTIMATE.words
                    ),
                ));
            }
        }
        for (pos, item, message) in dropped {
            self.warn(pos, item, message);
        }
        Ok(())
    }

    fn calendar(&mut self, root: &Element, draft: &mut Draft) {
        draft.workdays = vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ];
        let Some(calendars) = root.child("Calendars") else {
            return;
        };
        let by_uid: HashMap<String, &Element> = calendars
            .all("Calendar")
            .filter_map(|calendar| {
                calendar
                    .text_of("UID")
                    .map(|uid| (uid.to_string(), calendar))
            })
            .collect();
        let chosen = root
            .text_of("CalendarUID")
            .and_then(|uid| by_uid.get(uid).copied())
            .or_else(|| {
                calendars
                    .all("Calendar")
                    .find(|calendar| calendar.flag("IsBaseCalendar"))
            });
        let Some(calendar) = chosen else {
            return;
        };
        // The calendar and the ones it is based on, nearest first.
        let mut chain = vec![calendar];
        while let Some(base) = chain
            .last()
            .and_then(|calendar| calendar.text_of("BaseCalendarUID"))
            .and_then(|uid| by_uid.get(uid).copied())
        {
            if chain.len() > 16 || chain.iter().any(|seen| std::ptr::eq(*seen, base)) {
                break;
            }
            chain.push(base);
        }
        let mut working: [Option<bool>; 7] = [None; 7];
        let mut holidays = Vec::new();
        for calendar in &chain {
            for weekday in calendar
                .child("WeekDays")
                .into_iter()
                .flat_map(|days| days.all("WeekDay"))
            {
                let day_type = weekday.integer("DayType").unwrap_or(-1);
                if day_type == 0 {
                    // Old-style exception: a day type of 0 with a period.
                    self.exception(weekday, &mut holidays);
                    continue;
                }
                if let Some(day) = u32::try_from(day_type).ok().and_then(weekday_of_day_type) {
                    let slot = &mut working[day.num_days_from_monday() as usize];
                    if slot.is_none() {
                        *slot = Some(weekday.flag("DayWorking"));
                    }
                }
            }
            for exception in calendar
                .child("Exceptions")
                .into_iter()
                .flat_map(|exceptions| exceptions.all("Exception"))
            {
                self.exception(exception, &mut holidays);
            }
            if calendar
                .child("WorkWeeks")
                .is_some_and(|weeks| !weeks.children.is_empty())
            {
                self.warn(
                    calendar.pos,
                    format!("calendar `{}`", calendar.text_of("Name").unwrap_or("?")),
                    "has work weeks that differ from the default week; only the default week is imported",
                );
            }
        }
        let days: Vec<Weekday> = WEEK
            .iter()
            .copied()
            .filter(|day| {
                working[day.num_days_from_monday() as usize]
                    .unwrap_or(day.num_days_from_monday() < 5)
            })
            .collect();
        if days.is_empty() {
            self.warn(
                calendar.pos,
                "calendar",
                "has no working weekday; Monday to Friday is used",
            );
        } else {
            draft.workdays = days;
        }
        holidays.sort_unstable();
        holidays.dedup();
        draft.holidays = holidays;
    }

    fn exception(&mut self, exception: &Element, holidays: &mut Vec<NaiveDate>) {
        let name = exception.text_of("Name").unwrap_or("exception").to_string();
        let item = format!("calendar exception `{name}`");
        let period = exception.child("TimePeriod");
        let from = period
            .and_then(|period| period.text_of("FromDate"))
            .and_then(date_time);
        let to = period
            .and_then(|period| period.text_of("ToDate"))
            .and_then(date_time);
        let (Some(from), Some(to)) = (from, to) else {
            self.warn(exception.pos, item, "has no readable period; skipped");
            return;
        };
        if exception.flag("DayWorking") {
            self.warn(
                exception.pos,
                item,
                format!(
                    "makes {} to {} working time; gantry calendars have no extra working days",
                    from.date(),
                    to.date()
                ),
            );
            return;
        }
        let recurring = exception.integer("Type").is_some_and(|kind| kind != 1)
            && exception.integer("Occurrences").unwrap_or(1) > 1;
        if recurring {
            self.warn(
                exception.pos,
                item.clone(),
                "repeats by week, month or year; only its first period is imported",
            );
        }
        let days = (to.date() - from.date()).num_days();
        if !(0..=LONGEST_EXCEPTION).contains(&days) {
            self.warn(
                exception.pos,
                item,
                format!(
                    "spans {} to {}, more than three years; skipped",
                    from.date(),
                    to.date()
                ),
            );
            return;
        }
        let mut day = from.date();
        while day <= to.date() {
            holidays.push(day);
            day = day.succ_opt().unwrap_or(day);
            if day == NaiveDate::MAX {
                break;
            }
        }
    }

    /// The people, and a map from resource UID to person id.
    fn people(&mut self, root: &Element, draft: &mut Draft) -> HashMap<String, String> {
        let mut ids = IdMaker::new();
        let mut by_uid = HashMap::new();
        for resource in root
            .child("Resources")
            .into_iter()
            .flat_map(|resources| resources.all("Resource"))
        {
            let uid = resource.text_of("UID").unwrap_or("?").to_string();
            let name = resource
                .raw_text_of("Name")
                .map(restore)
                .filter(|name| !name.trim().is_empty());
            if resource.flag("IsNull") || (uid == "0" && name.is_none()) {
                // MS Project's placeholder for "no resource".
                continue;
            }
            let item = format!("resource {uid} `{}`", name.as_deref().unwrap_or(""));
            match resource.integer("Type") {
                Some(0) => {
                    self.warn(
                        resource.pos,
                        item,
                        "is a material resource; not a person, skipped",
                    );
                    continue;
                }
                Some(2) => {
                    self.warn(
                        resource.pos,
                        item,
                        "is a cost resource; not a person, skipped",
                    );
                    continue;
                }
                _ => {}
            }
            let name = name.unwrap_or_else(|| format!("Resource {uid}"));
            let id = ids.make(
                extended(resource, RESOURCE_TEXT1).as_deref(),
                &name,
                "person",
            );
            let mut capacity = resource.number("MaxUnits").unwrap_or(1.0);
            if capacity > 1.0 {
                self.warn(
                    resource.pos,
                    item.clone(),
                    format!(
                        "has {:.0}% maximum units; a person's capacity is at most full time (1.0)",
                        capacity * 100.0
                    ),
                );
                capacity = 1.0;
            } else if capacity <= 0.0 {
                self.warn(
                    resource.pos,
                    item.clone(),
                    "has no maximum units; full time (1.0) is used",
                );
                capacity = 1.0;
            }
            let mut rate = resource.number("StandardRate").filter(|&rate| rate > 0.0);
            if let Some(value) = rate
                && !crate::store::limits::RATE.contains(value)
            {
                self.warn(
                    resource.pos,
                    item.clone(),
                    format!(
                        "has the rate {value}, beyond what a plan holds ({}); dropped",
                        crate::store::limits::RATE.words
                    ),
                );
                rate = None;
            }
            for (key, what) in [
                ("OvertimeRate", "an overtime rate"),
                ("CostPerUse", "a cost per use"),
            ] {
                if resource.number(key).is_some_and(|value| value != 0.0) {
                    self.warn(
                        resource.pos,
                        item.clone(),
                        format!("has {what}; gantry keeps only the standard rate"),
                    );
                }
            }
            // The export keeps skills in the notes; other notes have no place.
            let mut skills = Vec::new();
            if let Some(notes) = resource.raw_text_of("Notes").map(restore) {
                match notes.strip_prefix("Skills: ") {
                    Some(list) => {
                        skills = list
                            .split(", ")
                            .map(str::trim)
                            .filter(|skill| !skill.is_empty())
                            .map(str::to_string)
                            .collect();
                    }
                    None if !notes.trim().is_empty() => self.warn(
                        resource.pos,
                        item.clone(),
                        "has notes; gantry people have none, dropped",
                    ),
                    None => {}
                }
            }
            by_uid.insert(uid.clone(), id.clone());
            draft.people.push(DraftPerson {
                id,
                name,
                skills,
                role: resource
                    .raw_text_of("Group")
                    .map(restore)
                    .filter(|role| !role.trim().is_empty()),
                rate,
                capacity,
                uid,
            });
        }
        by_uid
    }

    fn tasks(
        &mut self,
        root: &Element,
        draft: &mut Draft,
        people: &HashMap<String, String>,
    ) -> Result<(), ImportError> {
        let elements: Vec<&Element> = root
            .child("Tasks")
            .into_iter()
            .flat_map(|tasks| tasks.all("Task"))
            .collect();
        let mut ids = IdMaker::new();
        let mut phase_ids = IdMaker::new();
        // Outline: the open summaries (level, name, phase id once made).
        let mut open: Vec<(i64, String, Option<String>, &Element)> = Vec::new();
        let mut task_of_uid: HashMap<String, usize> = HashMap::new();
        let mut summary_uids: HashMap<String, String> = HashMap::new();
        let mut pending_links: Vec<(usize, &Element)> = Vec::new();
        for (position, element) in elements.iter().enumerate() {
            let uid = element.text_of("UID").unwrap_or("?").to_string();
            let level = element.integer("OutlineLevel").unwrap_or(1);
            let name = element.raw_text_of("Name").map(restore).unwrap_or_default();
            if uid == "0" || level == 0 {
                draft.description = element
                    .raw_text_of("Notes")
                    .map(restore)
                    .filter(|notes| !notes.trim().is_empty());
                continue;
            }
            if element.flag("IsNull") {
                continue;
            }
            while open
                .last()
                .is_some_and(|(open_level, ..)| *open_level >= level)
            {
                open.pop();
            }
            let item = format!("task {uid} `{name}`");
            let is_summary = element.flag("Summary")
                || elements
                    .get(position + 1)
                    .and_then(|next| next.integer("OutlineLevel"))
                    .is_some_and(|next| next > level);
            if is_summary {
                if element.child("PredecessorLink").is_some() {
                    self.warn(element.pos, item.clone(), "is a summary task with links; gantry phases cannot be linked, the links are dropped");
                }
                summary_uids.insert(uid.clone(), name.clone());
                open.push((level, name, None, element));
                continue;
            }
            // The phase: the innermost open summary, named by its path.
            let phase = match open.len() {
                0 => None,
                depth => {
                    if open[depth - 1].2.is_none() {
                        let path: Vec<&str> =
                            open.iter().map(|(_, name, ..)| name.as_str()).collect();
                        let phase_name = path.join(" / ");
                        let summary = open[depth - 1].3;
                        let preferred = extended(summary, TASK_TEXT1);
                        let id = phase_ids.make(preferred.as_deref(), &open[depth - 1].1, "phase");
                        if depth > 1 {
                            self.warn(
                                summary.pos,
                                format!("task {} `{}`", summary.text_of("UID").unwrap_or("?"), open[depth - 1].1),
                                format!("is a summary inside a summary; gantry phases do not nest, so it became phase `{id}` named \"{phase_name}\""),
                            );
                        }
                        draft.phases.push((id.clone(), phase_name, summary.pos));
                        open[depth - 1].2 = Some(id);
                    }
                    open[depth - 1].2.clone()
                }
            };
            let task = self.task(element, &uid, name, &item, phase, &mut ids);
            task_of_uid.insert(uid, draft.tasks.len());
            pending_links.push((draft.tasks.len(), element));
            draft.tasks.push(task);
        }
        // Links need every task's id, so they come last.
        for (index, element) in pending_links {
            for link in element.all("PredecessorLink") {
                let item = format!(
                    "task {} `{}`",
                    draft.tasks[index].uid, draft.tasks[index].name
                );
                let Some(predecessor_uid) = link.text_of("PredecessorUID") else {
                    self.warn(link.pos, item, "has a link without a predecessor; skipped");
                    continue;
                };
                if link.flag("CrossProject") {
                    self.warn(
                        link.pos,
                        item,
                        format!("links to task {predecessor_uid} of another project; skipped"),
                    );
                    continue;
                }
                let Some(&predecessor) = task_of_uid.get(predecessor_uid) else {
                    let message = match summary_uids.get(predecessor_uid) {
                        Some(name) => format!(
                            "depends on summary task {predecessor_uid} `{name}`; gantry phases cannot be linked, skipped"
                        ),
                        None => format!(
                            "depends on task {predecessor_uid}, which is not in the file; skipped"
                        ),
                    };
                    self.warn(link.pos, item, message);
                    continue;
                };
                if predecessor == index {
                    self.warn(link.pos, item, "depends on itself; skipped");
                    continue;
                }
                let kind = match link.integer("Type").unwrap_or(1) {
                    0 => DependencyKind::FinishToFinish,
                    1 => DependencyKind::FinishToStart,
                    3 => DependencyKind::StartToStart,
                    2 => {
                        self.warn(link.pos, item, format!("has a start-to-finish link on task {predecessor_uid}; gantry has no start-to-finish links, skipped"));
                        continue;
                    }
                    other => {
                        self.warn(
                            link.pos,
                            item,
                            format!("has a link of unknown type {other}; skipped"),
                        );
                        continue;
                    }
                };
                let predecessor_days = draft.tasks[predecessor].duration;
                let lag = self.lag(link, &item, predecessor_days, &draft.workdays);
                let id = draft.tasks[predecessor].id.clone();
                if draft.tasks[index]
                    .depends
                    .iter()
                    .any(|(other, other_kind, _)| *other == id && *other_kind == kind)
                {
                    self.warn(link.pos, item, format!("links twice to task {predecessor_uid} with the same type; the second link is skipped"));
                    continue;
                }
                draft.tasks[index].depends.push((id, kind, lag));
            }
        }
        self.break_cycles(draft);
        // Assignments: the first becomes the owner.
        for assignment in root
            .child("Assignments")
            .into_iter()
            .flat_map(|assignments| assignments.all("Assignment"))
        {
            let task_uid = assignment.text_of("TaskUID").unwrap_or("?");
            let resource_uid = assignment.text_of("ResourceUID").unwrap_or("?");
            let Some(&index) = task_of_uid.get(task_uid) else {
                if let Some(name) = summary_uids
                    .get(task_uid)
                    .filter(|_| people.contains_key(resource_uid))
                {
                    let item = format!("assignment {}", assignment.text_of("UID").unwrap_or("?"));
                    let message = format!(
                        "assigns resource {resource_uid} to summary task {task_uid} `{name}`; phases have no owner, skipped"
                    );
                    self.warn(assignment.pos, item, message);
                }
                continue;
            };
            let Some(person) = people.get(resource_uid) else {
                continue;
            };
            let task = &mut draft.tasks[index];
            let item = format!("task {} `{}`", task.uid, task.name);
            match &task.owner {
                None => task.owner = Some(person.clone()),
                Some(owner) => {
                    let message = format!(
                        "has several resources; `{owner}` is the owner, `{person}` is dropped"
                    );
                    self.warn(assignment.pos, item, message);
                    continue;
                }
            }
            if task.estimate.is_none() {
                task.estimate = assignment
                    .text_of("Work")
                    .and_then(duration_minutes)
                    .filter(|&minutes| minutes > 0.0)
                    .map(|minutes| (minutes / 60.0 * 100.0).round() / 100.0);
            }
        }
        Ok(())
    }

    /// Drops, with a warning, each link that closes a loop: MS Project
    /// refuses loops, but a file written by hand or by another tool may
    /// hold one, and a plan cannot.
    fn break_cycles(&mut self, draft: &mut Draft) {
        let index_of: HashMap<String, usize> = draft
            .tasks
            .iter()
            .enumerate()
            .map(|(index, task)| (task.id.clone(), index))
            .collect();
        // 0 unvisited, 1 on the path, 2 done.
        let mut state = vec![0u8; draft.tasks.len()];
        for root in 0..draft.tasks.len() {
            if state[root] != 0 {
                continue;
            }
            // (task, next link to look at)
            let mut stack = vec![(root, 0usize)];
            state[root] = 1;
            while let Some(&mut (task, ref mut next)) = stack.last_mut() {
                let Some((id, ..)) = draft.tasks[task].depends.get(*next).cloned() else {
                    state[task] = 2;
                    stack.pop();
                    continue;
                };
                let Some(&predecessor) = index_of.get(&id) else {
                    *next += 1;
                    continue;
                };
                match state[predecessor] {
                    0 => {
                        *next += 1;
                        state[predecessor] = 1;
                        stack.push((predecessor, 0));
                    }
                    1 => {
                        let link = *next;
                        let item = format!(
                            "task {} `{}`",
                            draft.tasks[task].uid, draft.tasks[task].name
                        );
                        let message = format!(
                            "depends on task {} `{}`, which depends on it in turn; the link would make a loop, skipped",
                            draft.tasks[predecessor].uid, draft.tasks[predecessor].name
                        );
                        self.warn(draft.tasks[task].pos, item, message);
                        draft.tasks[task].depends.remove(link);
                    }
                    _ => *next += 1,
                }
            }
        }
    }

    fn task(
        &mut self,
        element: &Element,
        uid: &str,
        name: String,
        item: &str,
        phase: Option<String>,
        ids: &mut IdMaker,
    ) -> DraftTask {
        let (project_start, status_date) = (self.first_day, self.status_day);
        let name = if name.trim().is_empty() {
            self.warn(element.pos, item, "has no name; named after its UID");
            format!("Task {uid}")
        } else {
            name
        };
        let id = ids.make(extended(element, TASK_TEXT1).as_deref(), &name, "task");
        if element.flag("Manual") {
            self.warn(
                element.pos,
                item,
                "is scheduled manually; gantry schedules it from its links and constraints",
            );
        }
        let minutes = element
            .text_of("Duration")
            .and_then(duration_minutes)
            .unwrap_or(0.0);
        let elapsed = matches!(
            element.integer("DurationFormat"),
            Some(4 | 6 | 8 | 10 | 12 | 20 | 36 | 38 | 40 | 42 | 44 | 52)
        );
        if elapsed {
            self.warn(
                element.pos,
                item,
                "has an elapsed duration; it is read as working time",
            );
        }
        let days = minutes / self.minutes_per_day;
        let mut duration = days.round() as i64;
        let planned =
            extended(element, TASK_TEXT3).and_then(|text| text.trim().parse::<i64>().ok());
        if let Some(planned) = planned.filter(|&planned| planned >= 0) {
            // A gantry export: the length before progress moved the dates.
            duration = planned;
        } else if (days - days.round()).abs() > 1e-6 {
            duration = days.ceil() as i64;
            self.warn(
                element.pos,
                item,
                format!(
                    "lasts {days:.2} working days; gantry counts whole days, so it lasts {duration}"
                ),
            );
        }
        let mut milestone = element.flag("Milestone") || duration == 0;
        if element.flag("Milestone") && duration > 0 {
            self.warn(
                element.pos,
                item,
                format!("is a milestone of {duration} days; gantry milestones have no duration"),
            );
            milestone = true;
        }
        if milestone {
            duration = 0;
        }
        let progress = element
            .integer("PercentComplete")
            .unwrap_or(0)
            .clamp(0, 100);
        let status = extended(element, TASK_TEXT2)
            .and_then(|status| TaskStatus::parse(status.trim()))
            .unwrap_or(match progress {
                100 => TaskStatus::Done,
                0 => TaskStatus::Todo,
                _ => TaskStatus::Doing,
            });
        // No earlier than the project start is what every task is anyway.
        // No earlier than the project start, or for work not started the
        // status date, is what gantry does anyway.
        let fixed_by_progress = status == TaskStatus::Done
            || (!milestone && (status == TaskStatus::Doing || progress > 0));
        let start = self.constraint(element, item).filter(|&date| {
            project_start.is_none_or(|start| date > start)
                && (fixed_by_progress || status_date.is_none_or(|floor| date > floor))
        });
        if element.text_of("Deadline").is_some() {
            self.warn(
                element.pos,
                item,
                "has a deadline; gantry has no deadlines, dropped",
            );
        }
        let file_dates = match (
            element.text_of("Start").and_then(date_time),
            element.text_of("Finish").and_then(date_time),
        ) {
            (Some(start), Some(finish)) => Some((start, finish)),
            _ => None,
        };
        let day_end = |moment: NaiveDateTime| {
            // A finish at midnight belongs to the day before.
            if moment.time() == chrono::NaiveTime::MIN {
                moment.date().pred_opt().unwrap_or(moment.date())
            } else {
                moment.date()
            }
        };
        let mut baseline = None;
        let mut baselines = Vec::new();
        for entry in element.all("Baseline") {
            let number = entry.integer("Number").unwrap_or(0);
            let start = entry.text_of("Start").and_then(date_time);
            let finish = entry.text_of("Finish").and_then(date_time);
            let (Some(start), Some(finish)) = (start, finish) else {
                continue;
            };
            let finish = if milestone {
                finish.date()
            } else {
                day_end(finish)
            };
            let dates = (start.date(), finish.max(start.date()));
            if number == 0 {
                baseline = Some(dates);
            } else {
                baselines.push((format!("baseline{number}"), dates.0, dates.1));
            }
        }
        let estimate = element
            .text_of("Work")
            .and_then(duration_minutes)
            .filter(|&minutes| minutes > 0.0)
            .map(|minutes| (minutes / 60.0 * 100.0).round() / 100.0);
        DraftTask {
            id,
            uid: uid.to_string(),
            name,
            pos: element.pos,
            phase,
            owner: None,
            duration,
            milestone,
            estimate,
            depends: Vec::new(),
            start,
            status,
            progress,
            notes: element
                .raw_text_of("Notes")
                .map(restore)
                .filter(|notes| !notes.trim().is_empty()),
            baseline,
            baselines,
            file_dates: file_dates.map(|(start, finish)| {
                let finish = if milestone {
                    finish.date()
                } else {
                    day_end(finish)
                };
                (start.date(), finish)
            }),
        }
    }

    /// A start-no-earlier-than date from the constraint, with warnings
    /// for constraints the plan cannot hold.
    fn constraint(&mut self, element: &Element, item: &str) -> Option<NaiveDate> {
        let kind = element.integer("ConstraintType").unwrap_or(0);
        let date = element.text_of("ConstraintDate").and_then(date_time);
        let when = date.map_or("no date".to_string(), |date| date.date().to_string());
        // A constraint at or after the end of the working day means the next day.
        let minutes_per_day = self.minutes_per_day;
        let day_of = |moment: NaiveDateTime| {
            let end =
                8.0 * 60.0 + minutes_per_day + if minutes_per_day > 240.0 { 60.0 } else { 0.0 };
            let minute =
                f64::from(chrono::Timelike::num_seconds_from_midnight(&moment.time())) / 60.0;
            if minute >= end.min(24.0 * 60.0 - 1.0) {
                moment.date().succ_opt().unwrap_or(moment.date())
            } else {
                moment.date()
            }
        };
        match (kind, date) {
            (0, _) => None,
            (4, Some(date)) => Some(day_of(date)),
            (2, Some(date)) => {
                self.warn(
                    element.pos,
                    item,
                    format!("must start on {when}; it became start no earlier than {when}"),
                );
                Some(day_of(date))
            }
            (1, _) => {
                self.warn(
                    element.pos,
                    item,
                    "is as late as possible; gantry schedules as soon as possible",
                );
                None
            }
            (kind, _) => {
                let name = match kind {
                    3 => "must finish on",
                    4 => "start no earlier than (without a date)",
                    5 => "start no later than",
                    6 => "finish no earlier than",
                    7 => "finish no later than",
                    _ => "an unknown constraint",
                };
                self.warn(element.pos, item, format!("has the constraint \"{name}\" {when}; gantry has only start-no-earlier-than, dropped"));
                None
            }
        }
    }

    /// A link's lag in working days.
    fn lag(
        &mut self,
        link: &Element,
        item: &str,
        predecessor_days: i64,
        workdays: &[Weekday],
    ) -> i64 {
        let raw = link.number("LinkLag").unwrap_or(0.0);
        if raw == 0.0 {
            return 0;
        }
        let format = link.integer("LagFormat").unwrap_or(7);
        let base = if format >= 35 { format - 32 } else { format };
        let minutes = raw / 10.0;
        let days = match base {
            // Percent of the predecessor's duration, held in tenths of a percent.
            19 | 20 => {
                let percent = raw / 10.0;
                let days = predecessor_days as f64 * percent / 100.0;
                self.warn(
                    link.pos,
                    item,
                    format!("has a lag of {percent}% of its predecessor; gantry lags are working days, so it is {} days", days.round()),
                );
                return (days.round() as i64).clamp(-MOST_LAG, MOST_LAG);
            }
            // Elapsed time counts every hour of every day.
            4 | 6 | 8 | 10 | 12 => {
                let calendar_days = minutes / (24.0 * 60.0);
                let days = calendar_days * workdays.len() as f64 / 7.0;
                self.warn(
                    link.pos,
                    item,
                    format!("has an elapsed lag of {calendar_days:.2} calendar days; it is {} working days", days.round()),
                );
                return (days.round() as i64).clamp(-MOST_LAG, MOST_LAG);
            }
            _ => minutes / self.minutes_per_day,
        };
        let rounded = days.round();
        if rounded.abs() > MOST_LAG as f64 {
            let clamped = if rounded < 0.0 { -MOST_LAG } else { MOST_LAG };
            self.warn(
                link.pos,
                item,
                format!("has a lag of {rounded} working days; a plan's lags are at most {MOST_LAG} days either way, so it is {clamped}"),
            );
            return clamped;
        }
        if (days - rounded).abs() > 1e-6 {
            self.warn(
                link.pos,
                item,
                format!("has a lag of {days:.2} working days; gantry lags are whole days, so it is {rounded}"),
            );
        }
        rounded as i64
    }

    /// Warns for each task that gantry schedules to other dates than the file.
    fn compare_dates(&mut self, draft: &mut Draft) {
        let text = draft.render(&[]);
        let Ok(loaded) = crate::store::parse_str(&text) else {
            return;
        };
        if loaded.has_errors() {
            return;
        }
        let Ok(schedule) = crate::schedule::schedule(&loaded.plan) else {
            return;
        };
        for (task, dates) in draft.tasks.iter().zip(&schedule.tasks) {
            if let Some((start, finish)) = task.file_dates
                && (start, finish) != (dates.start, dates.finish)
            {
                {
                    self.warnings.push(Warning {
                        pos: task.pos,
                        item: format!("task {} `{}`", task.uid, task.name),
                        message: format!(
                            "runs {start} to {finish} in the file, but gantry schedules it {} to {} (levelling, manual dates or actual dates the plan does not hold)",
                            dates.start, dates.finish
                        ),
                    });
                }
            }
        }
    }
}

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

/// A TOML string.
fn string(text: &str) -> String {
    toml_edit::Value::from(text).to_string().trim().to_string()
}

/// A TOML number without needless decimals.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// Text for a TOML comment: on one line, without control characters.
fn comment(text: &str) -> String {
    crate::sanitize::for_terminal(text).replace(['\n', '\r'], " ")
}

impl Draft {
    fn render(&self, warnings: &[Warning]) -> String {
        let mut out = String::with_capacity(1024 + self.tasks.len() * 256);
        let _ = writeln!(
            out,
            "# Imported from Microsoft Project XML (MSPDI) by `gantry import`."
        );
        let _ = writeln!(
            out,
            "# Task and resource UIDs of the file are noted above each entry."
        );
        if warnings.is_empty() {
            let _ = writeln!(out, "# Everything in the file was carried over.");
        } else {
            let _ = writeln!(
                out,
                "# {} things could not be carried over as they were:",
                warnings.len()
            );
            for warning in warnings {
                let _ = writeln!(
                    out,
                    "#   line {}: {}",
                    warning.pos.line,
                    comment(&warning.to_string())
                );
            }
        }
        let _ = writeln!(out, "\n[project]");
        let _ = writeln!(out, "name = {}", string(&self.name));
        let start = self
            .start
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(2027, 1, 4).unwrap_or_default());
        let _ = writeln!(out, "start = {start}");
        if let Some(date) = self.status_date {
            let _ = writeln!(out, "status_date = {date}");
        }
        if let Some(currency) = &self.currency {
            let _ = writeln!(out, "currency = {}", string(currency));
        }
        if let Some(description) = &self.description {
            let _ = writeln!(out, "description = {}", string(description));
        }
        let _ = writeln!(out, "\n[calendar]");
        let days: Vec<String> = self
            .workdays
            .iter()
            .map(|day| format!("\"{}\"", weekday_name(*day)))
            .collect();
        let _ = writeln!(out, "workdays = [{}]", days.join(", "));
        let holidays: Vec<String> = self
            .holidays
            .iter()
            .filter(|day| self.workdays.contains(&day.weekday()))
            .map(ToString::to_string)
            .collect();
        let _ = writeln!(out, "holidays = [{}]", holidays.join(", "));
        let _ = writeln!(
            out,
            "hours_per_day = {}",
            number((self.hours_per_day * 100.0).round() / 100.0)
        );
        for person in &self.people {
            let _ = writeln!(out, "\n# resource UID {}", person.uid);
            let _ = writeln!(out, "[[person]]");
            let _ = writeln!(out, "id = {}", string(&person.id));
            let _ = writeln!(out, "name = {}", string(&person.name));
            if let Some(role) = &person.role {
                let _ = writeln!(out, "role = {}", string(role));
            }
            if let Some(rate) = person.rate {
                let _ = writeln!(out, "rate = {}", number(rate));
            }
            let _ = writeln!(
                out,
                "capacity = {}",
                number((person.capacity * 100.0).round() / 100.0)
            );
            if !person.skills.is_empty() {
                let skills: Vec<String> = person.skills.iter().map(|skill| string(skill)).collect();
                let _ = writeln!(out, "skills = [{}]", skills.join(", "));
            }
        }
        for (id, name, _) in &self.phases {
            let _ = writeln!(out, "\n[[phase]]");
            let _ = writeln!(out, "id = {}", string(id));
            let _ = writeln!(out, "name = {}", string(name));
        }
        for task in &self.tasks {
            let _ = writeln!(out, "\n# task UID {}", task.uid);
            let _ = writeln!(out, "[[task]]");
            let _ = writeln!(out, "id = {}", string(&task.id));
            let _ = writeln!(out, "name = {}", string(&task.name));
            if let Some(phase) = &task.phase {
                let _ = writeln!(out, "phase = {}", string(phase));
            }
            if let Some(owner) = &task.owner {
                let _ = writeln!(out, "owner = {}", string(owner));
            }
            if task.milestone {
                let _ = writeln!(out, "milestone = true");
            } else {
                let _ = writeln!(out, "duration = {}", task.duration);
            }
            if let Some(estimate) = task.estimate {
                let _ = writeln!(out, "estimate = {}", number(estimate));
            }
            if !task.depends.is_empty() {
                let links: Vec<String> = task
                    .depends
                    .iter()
                    .map(|(id, kind, lag)| match (kind, lag) {
                        (DependencyKind::FinishToStart, 0) => string(id),
                        (DependencyKind::FinishToStart, lag) => {
                            format!("{{ task = {}, lag = {lag} }}", string(id))
                        }
                        (kind, 0) => {
                            format!("{{ task = {}, type = \"{}\" }}", string(id), kind.as_str())
                        }
                        (kind, lag) => format!(
                            "{{ task = {}, type = \"{}\", lag = {lag} }}",
                            string(id),
                            kind.as_str()
                        ),
                    })
                    .collect();
                let _ = writeln!(out, "depends = [{}]", links.join(", "));
            }
            if let Some(date) = task.start {
                let _ = writeln!(out, "start = {date}");
            }
            if task.status != TaskStatus::Todo {
                let _ = writeln!(out, "status = \"{}\"", task.status.as_str());
            }
            if task.progress > 0 {
                let _ = writeln!(out, "progress = {}", task.progress);
            }
            if let Some(notes) = &task.notes {
                let _ = writeln!(out, "notes = {}", string(notes));
            }
            if let Some((start, finish)) = task.baseline {
                let _ = writeln!(out, "baseline = {{ start = {start}, finish = {finish} }}");
            }
            if !task.baselines.is_empty() {
                let named: Vec<String> = task
                    .baselines
                    .iter()
                    .map(|(name, start, finish)| {
                        format!("{name} = {{ start = {start}, finish = {finish} }}")
                    })
                    .collect();
                let _ = writeln!(out, "baselines = {{ {} }}", named.join(", "));
            }
        }
        out
    }
}

/// The aliases are part of the exchange: keep them referenced here so an
/// import and an export agree on them.
pub const ALIASES: [&str; 2] = [ID_ALIAS, STATUS_ALIAS];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_made_from_names_valid_and_unique() {
        let mut ids = IdMaker::new();
        assert_eq!(
            ids.make(None, "Renée's Café & Bar", "person"),
            "renee-s-cafe-bar"
        );
        assert_eq!(
            ids.make(None, "Renée's Café & Bar", "person"),
            "renee-s-cafe-bar-2"
        );
        assert_eq!(ids.make(Some("api"), "Payment API", "task"), "api");
        assert_eq!(ids.make(Some("api"), "Payment API", "task"), "payment-api");
        assert_eq!(ids.make(Some("not valid"), "", "task"), "task");
        assert_eq!(ids.make(None, "日本語", "task"), "task-2");
        let long = "x".repeat(100);
        assert_eq!(ids.make(None, &long, "task").len(), 40);
        assert!(crate::model::is_valid_id(
            &ids.make(None, "--a--b--", "task")
        ));
    }
}
