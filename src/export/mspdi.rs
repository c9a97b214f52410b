//! The plan as Microsoft Project XML (MSPDI), the exchange format that MS
//! Project, ProjectLibre, GanttProject and MPXJ read.
//!
//! Elements follow the order of Microsoft's schema (`mspdi_pj12.xsd`), so
//! strict readers take the file as it is. One working day is the plan's
//! `hours_per_day` between 08:00 and the end of the day (with a lunch
//! hour from 12:00 once a day passes four hours); every date written is
//! the instant gantry computes: a task runs from the beginning of its first
//! day to the end of its last, and a milestone sits at the beginning or at
//! the end of its day. Durations and lags are in working time
//! (`PT40H0M0S`, `LinkLag` in tenths of a minute with `LagFormat` 7, days).
//! Phases become summary tasks at outline level 1 holding their tasks;
//! people become work resources with hourly rates, owners assignments, and
//! tasks are fixed-duration, so an assignment never changes a date. The
//! gantry ids and statuses ride along in the extended attributes Text1 and
//! Text2, so an import gives the same ids back. `docs/export.md` lists what
//! maps to what and what is lost.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::model::{DependencyKind, Plan, Task, TaskStatus};
use crate::schedule::{Calendar, Schedule};

/// Extended attribute field ids (MS Project's numbering).
pub const TASK_TEXT1: u32 = 188_743_731;
pub const TASK_TEXT2: u32 = 188_743_734;
pub const TASK_TEXT3: u32 = 188_743_737;
pub const RESOURCE_TEXT1: u32 = 205_520_904;
/// The aliases the extended attributes get, which the import looks for.
pub const ID_ALIAS: &str = "Gantry id";
pub const STATUS_ALIAS: &str = "Gantry status";
pub const DURATION_ALIAS: &str = "Gantry duration";

/// The UID of the project calendar.
const CALENDAR_UID: u32 = 1;

/// The plan as an MSPDI document, dated as `schedule` says.
pub fn to_mspdi(plan: &Plan, schedule: &Schedule) -> String {
    let day = WorkingDay::new(plan.calendar.hours_per_day);
    let mut out = Out::with_capacity(4096 + plan.tasks.len() * 3072 + plan.people.len() * 1024);
    out.raw("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
    out.raw("<Project xmlns=\"http://schemas.microsoft.com/project\">\n");
    let tasks = TaskRows::new(plan, schedule);
    header(&mut out, plan, schedule, &day);
    calendars(&mut out, plan);
    tasks.write(&mut out, plan, schedule, &day);
    resources(&mut out, plan);
    assignments(&mut out, plan, schedule, &day, &tasks);
    out.raw("</Project>\n");
    out.text
}

/// The working hours of one day: from 08:00, `minutes` long, with a lunch
/// hour from 12:00 once the day passes four hours.
#[derive(Debug, Clone, Copy)]
pub struct WorkingDay {
    pub minutes: i64,
    /// When the day's work begins and ends, in minutes after midnight.
    first: i64,
    last: i64,
}

impl WorkingDay {
    pub fn new(hours_per_day: f64) -> Self {
        let minutes = (hours_per_day * 60.0).round() as i64;
        let mut day = WorkingDay {
            minutes: minutes.clamp(1, 24 * 60 - 60),
            first: 0,
            last: 0,
        };
        let periods = day.periods();
        day.first = periods.first().map_or(8 * 60, |period| period.0);
        day.last = periods.last().map_or(17 * 60, |period| period.1);
        day
    }

    /// The (from, to) periods in minutes after midnight.
    pub fn periods(&self) -> Vec<(i64, i64)> {
        let start = 8 * 60;
        if self.minutes <= 4 * 60 {
            vec![(start, start + self.minutes)]
        } else if self.minutes <= 15 * 60 {
            vec![(start, 12 * 60), (13 * 60, 13 * 60 + self.minutes - 4 * 60)]
        } else {
            vec![(0, self.minutes)]
        }
    }

    fn first(&self) -> i64 {
        self.first
    }

    fn last(&self) -> i64 {
        self.last
    }

    /// The beginning of a working day as an MSPDI time.
    pub fn begins(&self, date: NaiveDate) -> Stamp {
        Stamp {
            date,
            minutes: self.first(),
        }
    }

    /// The end of a working day as an MSPDI time.
    pub fn ends(&self, date: NaiveDate) -> Stamp {
        Stamp {
            date,
            minutes: self.last(),
        }
    }

    /// A span of working days as an MSPDI duration.
    pub fn duration(&self, days: i64) -> Span {
        Span {
            minutes: days.max(0).saturating_mul(self.minutes),
        }
    }
}

/// A date and a time of day, written `2027-01-04T08:00:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    date: NaiveDate,
    /// Minutes after midnight.
    minutes: i64,
}

/// A working-time duration, written `PT40H0M0S`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    minutes: i64,
}

impl std::fmt::Display for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut text = String::with_capacity(19);
        self.write_to(&mut text);
        f.write_str(&text)
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut text = String::with_capacity(12);
        self.write_to(&mut text);
        f.write_str(&text)
    }
}

fn stamp(date: NaiveDate, minutes: i64) -> Stamp {
    Stamp { date, minutes }
}

fn clock(minutes: i64) -> String {
    format!(
        "{:02}:{:02}:00",
        minutes.div_euclid(60) % 24,
        minutes.rem_euclid(60)
    )
}

/// A value written as element text without escaping: numbers, dates,
/// durations and fixed words. Written straight into the output, since
/// the formatting machinery is most of the cost of a large export.
trait Value {
    fn write_to(&self, out: &mut String);
}

/// Appends `value` in decimal with at least `width` digits.
fn push_number(out: &mut String, value: i64, width: usize) {
    let mut digits = [0u8; 20];
    let mut rest = value.unsigned_abs();
    let mut count = 0;
    loop {
        digits[count] = b'0' + (rest % 10) as u8;
        rest /= 10;
        count += 1;
        if rest == 0 {
            break;
        }
    }
    if value < 0 {
        out.push('-');
    }
    for _ in count..width {
        out.push('0');
    }
    for &digit in digits[..count].iter().rev() {
        out.push(char::from(digit));
    }
}

macro_rules! integer_values {
    ($($kind:ty),*) => {
        $(impl Value for $kind {
            fn write_to(&self, out: &mut String) {
                push_number(out, i64::try_from(*self).unwrap_or(i64::MAX), 1);
            }
        })*
    };
}

integer_values!(i64, i32, u32, u8, usize);

impl Value for &str {
    fn write_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Value for String {
    fn write_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Value for &String {
    fn write_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Value for Stamp {
    fn write_to(&self, out: &mut String) {
        push_number(out, i64::from(self.date.year()), 4);
        out.push('-');
        push_number(out, i64::from(self.date.month()), 2);
        out.push('-');
        push_number(out, i64::from(self.date.day()), 2);
        out.push('T');
        push_number(out, self.minutes.div_euclid(60), 2);
        out.push(':');
        push_number(out, self.minutes.rem_euclid(60), 2);
        out.push_str(":00");
    }
}

impl Value for &Stamp {
    fn write_to(&self, out: &mut String) {
        (*self).write_to(out);
    }
}

impl Value for Span {
    fn write_to(&self, out: &mut String) {
        out.push_str("PT");
        push_number(out, self.minutes / 60, 1);
        out.push('H');
        push_number(out, self.minutes % 60, 1);
        out.push_str("M0S");
    }
}

/// XML being written, with escaping for element text.
struct Out {
    text: String,
}

const INDENT: &str = "                    ";

impl Out {
    fn with_capacity(capacity: usize) -> Self {
        Out {
            text: String::with_capacity(capacity),
        }
    }

    fn raw(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn indent(&mut self, depth: usize) {
        self.text
            .push_str(INDENT.get(..2 * depth).unwrap_or(INDENT));
    }

    fn open(&mut self, depth: usize, name: &str) {
        self.indent(depth);
        self.text.push('<');
        self.text.push_str(name);
        self.text.push_str(">\n");
    }

    fn close(&mut self, depth: usize, name: &str) {
        self.indent(depth);
        self.text.push_str("</");
        self.text.push_str(name);
        self.text.push_str(">\n");
    }

    /// An element whose value needs no escaping (numbers, dates, codes).
    fn value(&mut self, depth: usize, name: &str, value: impl Value) {
        self.indent(depth);
        self.text.push('<');
        self.text.push_str(name);
        self.text.push('>');
        value.write_to(&mut self.text);
        self.text.push_str("</");
        self.text.push_str(name);
        self.text.push_str(">\n");
    }

    /// An element holding text from the plan.
    fn text(&mut self, depth: usize, name: &str, value: &str) {
        self.indent(depth);
        self.text.push('<');
        self.text.push_str(name);
        self.text.push('>');
        escape_into(&mut self.text, value);
        self.text.push_str("</");
        self.text.push_str(name);
        self.text.push_str(">\n");
    }
}

/// Escapes text for XML element content so that any text comes back
/// intact from a conforming parser: markup characters become entities, a
/// carriage return a character reference (parsers would fold it into a
/// line feed), and the characters XML 1.0 cannot hold at all (controls
/// other than tab, line feed and carriage return) become their Unicode
/// control pictures (U+2400 + code, U+2421 for DEL), which the import
/// turns back. U+FFFE and U+FFFF, not characters in XML, become U+FFFD.
pub fn escape_into(out: &mut String, text: &str) {
    let plain = |c: char| {
        !matches!(
            c,
            '&' | '<' | '>' | '"' | '\'' | '\u{7f}' | '\u{fffe}' | '\u{ffff}'
        ) && !c.is_control()
    };
    if text.chars().all(plain) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            '\u{7f}' => out.push('\u{2421}'),
            c if (c as u32) < 0x20 => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'))
            }
            '\u{80}'..='\u{9f}' => {
                let _ = write!(out, "&#x{:X};", c as u32);
            }
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// Text escaped for XML element content (see [`escape_into`]).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

/// MSPDI weekday numbers: 1 is Sunday.
fn day_type(weekday: Weekday) -> u32 {
    weekday.num_days_from_sunday() + 1
}

fn header(out: &mut Out, plan: &Plan, schedule: &Schedule, day: &WorkingDay) {
    let project = &plan.project;
    out.value(1, "SaveVersion", 14);
    out.text(1, "Name", &project.name);
    out.text(1, "Title", &project.name);
    out.value(1, "ScheduleFromStart", 1);
    out.value(1, "StartDate", day.begins(schedule.start));
    out.value(1, "FinishDate", day.ends(schedule.finish));
    out.value(1, "FYStartDate", 1);
    out.value(1, "CriticalSlackLimit", 0);
    out.value(1, "CurrencyDigits", 2);
    if let Some(currency) = &project.currency {
        out.text(1, "CurrencySymbol", currency);
        if currency.len() == 3 && currency.chars().all(|c| c.is_ascii_uppercase()) {
            out.value(1, "CurrencyCode", currency);
        }
    }
    out.value(1, "CurrencySymbolPosition", 0);
    out.value(1, "CalendarUID", CALENDAR_UID);
    out.value(1, "DefaultStartTime", clock(day.first()));
    out.value(1, "DefaultFinishTime", clock(day.last()));
    out.value(1, "MinutesPerDay", day.minutes);
    let workdays = plan.calendar.workdays.len().max(1) as i64;
    out.value(1, "MinutesPerWeek", day.minutes * workdays);
    out.value(1, "DaysPerMonth", 20);
    // Fixed duration: assigning an owner never moves a task.
    out.value(1, "DefaultTaskType", 1);
    out.value(1, "DefaultFixedCostAccrual", 3);
    out.value(1, "DefaultStandardRate", 0);
    out.value(1, "DefaultOvertimeRate", 0);
    out.value(1, "DurationFormat", 7);
    out.value(1, "WorkFormat", 2);
    out.value(1, "EditableActualCosts", 0);
    out.value(1, "HonorConstraints", 1);
    out.value(1, "EarnedValueMethod", 0);
    out.value(1, "InsertedProjectsLikeSummary", 1);
    out.value(1, "MultipleCriticalPaths", 0);
    out.value(1, "NewTasksEffortDriven", 0);
    out.value(1, "NewTasksEstimated", 0);
    out.value(1, "SplitsInProgressTasks", 1);
    out.value(1, "SpreadActualCost", 0);
    out.value(1, "SpreadPercentComplete", 0);
    out.value(1, "TaskUpdatesResource", 1);
    out.value(1, "FiscalYearStart", 0);
    out.value(1, "WeekStartDay", 1);
    out.value(1, "MoveCompletedEndsBack", 0);
    out.value(1, "MoveRemainingStartsBack", 0);
    out.value(1, "MoveRemainingStartsForward", 0);
    out.value(1, "MoveCompletedEndsForward", 0);
    out.value(1, "BaselineForEarnedValue", 0);
    out.value(1, "AutoAddNewResourcesAndTasks", 1);
    if let Some(date) = project.status_date {
        out.value(1, "StatusDate", day.ends(date));
        out.value(1, "CurrentDate", day.begins(date));
    }
    out.value(1, "Autolink", 0);
    out.value(1, "NewTaskStartDate", 0);
    out.value(1, "NewTasksAreManual", 0);
    out.value(1, "DefaultTaskEVMethod", 0);
    out.value(1, "ProjectExternallyEdited", 0);
    out.value(1, "ActualsInSync", 0);
    out.value(1, "RemoveFileProperties", 0);
    out.value(1, "AdminProject", 0);
    out.open(1, "ExtendedAttributes");
    for (field, name, alias) in [
        (TASK_TEXT1, "Text1", ID_ALIAS),
        (TASK_TEXT2, "Text2", STATUS_ALIAS),
        (TASK_TEXT3, "Text3", DURATION_ALIAS),
        (RESOURCE_TEXT1, "Text1", ID_ALIAS),
    ] {
        out.open(2, "ExtendedAttribute");
        out.value(3, "FieldID", field);
        out.value(3, "FieldName", name);
        out.value(3, "Alias", alias);
        out.close(2, "ExtendedAttribute");
    }
    out.close(1, "ExtendedAttributes");
}

fn calendars(out: &mut Out, plan: &Plan) {
    let day = WorkingDay::new(plan.calendar.hours_per_day);
    out.open(1, "Calendars");
    out.open(2, "Calendar");
    out.value(3, "UID", CALENDAR_UID);
    out.value(3, "Name", "Standard");
    out.value(3, "IsBaseCalendar", 1);
    out.value(3, "IsBaselineCalendar", 0);
    out.value(3, "BaseCalendarUID", -1);
    out.open(3, "WeekDays");
    for weekday in [
        Weekday::Sun,
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
    ] {
        let working = plan.calendar.workdays.contains(&weekday);
        out.open(4, "WeekDay");
        out.value(5, "DayType", day_type(weekday));
        out.value(5, "DayWorking", u8::from(working));
        if working {
            out.open(5, "WorkingTimes");
            for (from, to) in day.periods() {
                out.open(6, "WorkingTime");
                out.value(7, "FromTime", clock(from));
                out.value(7, "ToTime", clock(to));
                out.close(6, "WorkingTime");
            }
            out.close(5, "WorkingTimes");
        }
        out.close(4, "WeekDay");
    }
    out.close(3, "WeekDays");
    let mut holidays = plan.calendar.holidays.clone();
    holidays.sort_unstable();
    holidays.dedup();
    if !holidays.is_empty() {
        out.open(3, "Exceptions");
        for holiday in holidays {
            out.open(4, "Exception");
            out.value(5, "EnteredByOccurrences", 0);
            out.open(5, "TimePeriod");
            out.value(6, "FromDate", stamp(holiday, 0));
            out.value(6, "ToDate", stamp(holiday, 23 * 60 + 59));
            out.close(5, "TimePeriod");
            out.value(5, "Occurrences", 1);
            out.value(5, "Name", format!("Holiday {holiday}"));
            out.value(5, "Type", 1);
            out.value(5, "DayWorking", 0);
            out.close(4, "Exception");
        }
        out.close(3, "Exceptions");
    }
    out.close(2, "Calendar");
    // Each resource has its own calendar on the project's, as MS Project writes them.
    for (index, person) in plan.people.iter().enumerate() {
        out.open(2, "Calendar");
        out.value(3, "UID", resource_calendar_uid(plan, index));
        out.text(3, "Name", &person.name);
        out.value(3, "IsBaseCalendar", 0);
        out.value(3, "IsBaselineCalendar", 0);
        out.value(3, "BaseCalendarUID", CALENDAR_UID);
        out.close(2, "Calendar");
    }
    out.close(1, "Calendars");
}

fn resource_calendar_uid(_plan: &Plan, person: usize) -> usize {
    CALENDAR_UID as usize + 1 + person
}

/// A row of the task table: the project summary, a phase, or a task.
#[derive(Clone, Copy)]
enum Row {
    Phase(usize),
    Task(usize),
}

/// The task table in outline order, with UIDs: phases first get theirs,
/// then tasks, so a task's UID is stable while phases stay the same.
struct TaskRows {
    rows: Vec<Row>,
    /// The UID of each task by task index.
    task_uid: Vec<usize>,
    phase_uid: Vec<usize>,
    /// Each phase's span: first start, last finish and whether that
    /// finish is at the end of its day.
    phase_span: Vec<Option<(NaiveDate, NaiveDate)>>,
    calendar: Option<Calendar>,
}

impl TaskRows {
    fn new(plan: &Plan, schedule: &Schedule) -> Self {
        let phase_of = |task: &Task| {
            task.phase
                .as_ref()
                .and_then(|phase| phase.index)
                .filter(|&index| index < plan.phases.len())
        };
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); plan.phases.len()];
        let mut rows = Vec::with_capacity(plan.tasks.len() + plan.phases.len());
        for (index, task) in plan.tasks.iter().enumerate() {
            match phase_of(task) {
                Some(phase) => members[phase].push(index),
                None => rows.push(Row::Task(index)),
            }
        }
        let mut phase_span = vec![None; plan.phases.len()];
        for (phase, tasks) in members.iter().enumerate() {
            if tasks.is_empty() {
                continue;
            }
            rows.push(Row::Phase(phase));
            rows.extend(tasks.iter().map(|&index| Row::Task(index)));
            phase_span[phase] =
                tasks
                    .iter()
                    .fold(None, |span: Option<(NaiveDate, NaiveDate)>, &index| {
                        let dates = &schedule.tasks[index];
                        Some(match span {
                            None => (dates.start, dates.finish),
                            Some((start, finish)) => {
                                (start.min(dates.start), finish.max(dates.finish))
                            }
                        })
                    });
        }
        TaskRows {
            rows,
            task_uid: (1..=plan.tasks.len()).collect(),
            phase_uid: (plan.tasks.len() + 1..=plan.tasks.len() + plan.phases.len()).collect(),
            phase_span,
            calendar: Calendar::new(&plan.calendar).ok(),
        }
    }

    fn write(&self, out: &mut Out, plan: &Plan, schedule: &Schedule, day: &WorkingDay) {
        let calendar = Calendar::new(&plan.calendar).ok();
        let working_days = |start: NaiveDate, finish: NaiveDate| {
            calendar.as_ref().map_or(1, |calendar| {
                calendar.working_days_between(start, finish) + 1
            })
        };
        out.open(1, "Tasks");
        // The project summary task, as MS Project writes it.
        out.open(2, "Task");
        out.value(3, "UID", 0);
        out.value(3, "ID", 0);
        out.text(3, "Name", &plan.project.name);
        out.value(3, "Type", 1);
        out.value(3, "IsNull", 0);
        out.value(3, "WBS", 0);
        out.value(3, "OutlineNumber", 0);
        out.value(3, "OutlineLevel", 0);
        out.value(3, "Start", day.begins(schedule.start));
        out.value(3, "Finish", day.ends(schedule.finish));
        out.value(
            3,
            "Duration",
            day.duration(working_days(schedule.start, schedule.finish)),
        );
        out.value(3, "DurationFormat", 7);
        out.value(3, "Milestone", 0);
        out.value(3, "Summary", 1);
        if let Some(description) = &plan.project.description {
            out.text(3, "Notes", description);
        }
        out.close(2, "Task");

        let mut outline = 0;
        let mut inner = 0;
        for (position, row) in self.rows.iter().enumerate() {
            let id = position + 1;
            out.open(2, "Task");
            match *row {
                Row::Phase(phase) => {
                    outline += 1;
                    inner = 0;
                    let (start, finish) =
                        self.phase_span[phase].unwrap_or((plan.project.start, plan.project.start));
                    out.value(3, "UID", self.phase_uid[phase]);
                    out.value(3, "ID", id);
                    out.text(3, "Name", &plan.phases[phase].name);
                    out.value(3, "Type", 1);
                    out.value(3, "IsNull", 0);
                    out.value(3, "WBS", outline);
                    out.value(3, "OutlineNumber", outline);
                    out.value(3, "OutlineLevel", 1);
                    out.value(3, "Start", day.begins(start));
                    out.value(3, "Finish", day.ends(finish));
                    out.value(3, "Duration", day.duration(working_days(start, finish)));
                    out.value(3, "DurationFormat", 7);
                    out.value(3, "Milestone", 0);
                    out.value(3, "Summary", 1);
                    out.open(3, "ExtendedAttribute");
                    out.value(4, "FieldID", TASK_TEXT1);
                    out.text(4, "Value", &plan.phases[phase].id.value);
                    out.close(3, "ExtendedAttribute");
                }
                Row::Task(index) => {
                    let in_phase = plan.tasks[index]
                        .phase
                        .as_ref()
                        .and_then(|phase| phase.index)
                        .is_some_and(|phase| phase < plan.phases.len());
                    let number = if in_phase {
                        inner += 1;
                        format!("{outline}.{inner}")
                    } else {
                        outline += 1;
                        outline.to_string()
                    };
                    self.task(out, plan, schedule, day, index, id, &number, &working_days);
                }
            }
            out.close(2, "Task");
        }
        out.close(1, "Tasks");
    }

    #[allow(clippy::too_many_arguments)]
    fn task(
        &self,
        out: &mut Out,
        plan: &Plan,
        schedule: &Schedule,
        day: &WorkingDay,
        index: usize,
        id: usize,
        number: &str,
        working_days: &dyn Fn(NaiveDate, NaiveDate) -> i64,
    ) {
        let task = &plan.tasks[index];
        let dates = &schedule.tasks[index];
        let milestone = task.is_milestone();
        let (start, finish) = if milestone {
            let at = if dates.finishes_at_day_end {
                day.ends(dates.start)
            } else {
                day.begins(dates.start)
            };
            (at, at)
        } else {
            (day.begins(dates.start), day.ends(dates.finish))
        };
        let days = if milestone {
            0
        } else {
            working_days(dates.start, dates.finish)
        };
        let progress = i64::from(task.progress.min(100));
        out.value(3, "UID", self.task_uid[index]);
        out.value(3, "ID", id);
        out.text(3, "Name", &task.name);
        out.value(3, "Active", 1);
        out.value(3, "Manual", 0);
        out.value(3, "Type", 1);
        out.value(3, "IsNull", 0);
        out.value(3, "WBS", number);
        out.value(3, "OutlineNumber", number);
        out.value(3, "OutlineLevel", number.matches('.').count() + 1);
        out.value(3, "Priority", 500);
        out.value(3, "Start", start);
        out.value(3, "Finish", finish);
        out.value(3, "Duration", day.duration(days));
        out.value(3, "DurationFormat", 7);
        if let Some(estimate) = task.estimate {
            out.value(3, "Work", hours(estimate));
        }
        out.value(3, "ResumeValid", 0);
        out.value(3, "EffortDriven", 0);
        out.value(3, "Recurring", 0);
        out.value(3, "OverAllocated", 0);
        out.value(3, "Estimated", 0);
        out.value(3, "Milestone", u8::from(milestone));
        out.value(3, "Summary", 0);
        out.value(3, "Critical", u8::from(dates.critical));
        out.value(3, "IsSubproject", 0);
        out.value(3, "IsSubprojectReadOnly", 0);
        out.value(3, "ExternalTask", 0);
        out.value(
            3,
            "FreeSlack",
            dates.free_slack.saturating_mul(day.minutes * 10),
        );
        out.value(
            3,
            "TotalSlack",
            dates.total_slack.saturating_mul(day.minutes * 10),
        );
        out.value(3, "FixedCost", 0);
        out.value(3, "FixedCostAccrual", 3);
        out.value(3, "PercentComplete", progress);
        out.value(3, "PercentWorkComplete", progress);
        let started =
            task.status == TaskStatus::Done || task.status == TaskStatus::Doing || progress > 0;
        if started {
            out.value(3, "ActualStart", start);
        }
        if task.status == TaskStatus::Done {
            out.value(3, "ActualFinish", finish);
            out.value(3, "ActualDuration", day.duration(days));
        } else {
            out.value(3, "ActualDuration", day.duration(days * progress / 100));
        }
        let remaining = if task.status == TaskStatus::Done {
            0
        } else {
            days - days * progress / 100
        };
        out.value(3, "RemainingDuration", day.duration(remaining));
        // Nothing starts before the project start in gantry; MS Project lets
        // a negative lag, a finish-to-finish link or an early constraint
        // pull a task before it, so such tasks say so with a constraint.
        let may_reach_back = task.depends.iter().any(|dependency| {
            dependency.lag < 0 || dependency.kind == DependencyKind::FinishToFinish
        });
        // With a status date, work not yet under way waits for it.
        let fixed_by_progress = task.status == TaskStatus::Done
            || (!milestone && (task.status == TaskStatus::Doing || progress > 0));
        let waits_for_status = plan.project.status_date.filter(|_| !fixed_by_progress);
        let constraint = match (task.start, waits_for_status) {
            (Some(date), floor) => Some(date.max(plan.project.start).max(floor.unwrap_or(date))),
            (None, Some(floor)) => Some(floor.max(plan.project.start)),
            (None, None) if may_reach_back => Some(plan.project.start),
            (None, None) => None,
        };
        match constraint {
            Some(date) => {
                // On a day off, "no earlier than" means the next working day.
                let date = self
                    .calendar
                    .as_ref()
                    .and_then(|calendar| calendar.next_working_day_on_or_after(date).ok())
                    .unwrap_or(date);
                out.value(3, "ConstraintType", 4);
                out.value(3, "CalendarUID", -1);
                out.value(3, "ConstraintDate", day.begins(date));
            }
            None => {
                out.value(3, "ConstraintType", 0);
                out.value(3, "CalendarUID", -1);
            }
        }
        out.value(3, "LevelAssignments", 0);
        out.value(3, "LevelingCanSplit", 0);
        out.value(3, "LevelingDelay", 0);
        out.value(3, "LevelingDelayFormat", 8);
        out.value(3, "IgnoreResourceCalendar", 0);
        if let Some(notes) = &task.notes {
            out.text(3, "Notes", notes);
        }
        out.value(3, "HideBar", 0);
        out.value(3, "Rollup", 0);
        out.value(3, "EarnedValueMethod", 0);
        for dependency in &task.depends {
            let Some(predecessor) = dependency
                .task
                .index
                .filter(|&other| other < plan.tasks.len())
            else {
                continue;
            };
            out.open(3, "PredecessorLink");
            out.value(4, "PredecessorUID", self.task_uid[predecessor]);
            out.value(
                4,
                "Type",
                match dependency.kind {
                    DependencyKind::FinishToFinish => 0,
                    DependencyKind::FinishToStart => 1,
                    DependencyKind::StartToStart => 3,
                },
            );
            out.value(4, "CrossProject", 0);
            out.value(
                4,
                "LinkLag",
                dependency
                    .lag
                    .saturating_mul(day.minutes)
                    .saturating_mul(10),
            );
            out.value(4, "LagFormat", 7);
            out.close(3, "PredecessorLink");
        }
        out.open(3, "ExtendedAttribute");
        out.value(4, "FieldID", TASK_TEXT1);
        out.text(4, "Value", &task.id.value);
        out.close(3, "ExtendedAttribute");
        out.open(3, "ExtendedAttribute");
        out.value(4, "FieldID", TASK_TEXT2);
        out.value(4, "Value", task.status.as_str());
        out.close(3, "ExtendedAttribute");
        if days != task.working_days().max(0) {
            // Progress moved the dates: the planned length rides along.
            out.open(3, "ExtendedAttribute");
            out.value(4, "FieldID", TASK_TEXT3);
            out.value(4, "Value", task.working_days().max(0));
            out.close(3, "ExtendedAttribute");
        }
        let baselines = task.baseline.iter().map(|baseline| (0, baseline)).chain(
            task.baselines
                .iter()
                .take(10)
                .enumerate()
                .map(|(number, (_, baseline))| (number + 1, baseline)),
        );
        for (number, baseline) in baselines {
            out.open(3, "Baseline");
            out.value(4, "Number", number);
            let days = if milestone {
                0
            } else {
                working_days(baseline.start, baseline.finish)
            };
            if milestone {
                out.value(4, "Start", day.begins(baseline.start));
                out.value(4, "Finish", day.begins(baseline.finish));
            } else {
                out.value(4, "Start", day.begins(baseline.start));
                out.value(4, "Finish", day.ends(baseline.finish));
            }
            out.value(4, "Duration", day.duration(days.max(0)));
            out.value(4, "DurationFormat", 7);
            out.value(4, "EstimatedDuration", 0);
            out.close(3, "Baseline");
        }
    }
}

/// Hours as an MSPDI duration.
fn hours(hours: f64) -> String {
    let minutes = (hours * 60.0).round().max(0.0) as i64;
    format!("PT{}H{}M0S", minutes / 60, minutes % 60)
}

fn resources(out: &mut Out, plan: &Plan) {
    out.open(1, "Resources");
    for (index, person) in plan.people.iter().enumerate() {
        out.open(2, "Resource");
        out.value(3, "UID", index + 1);
        out.value(3, "ID", index + 1);
        out.text(3, "Name", &person.name);
        out.value(3, "Type", 1);
        out.value(3, "IsNull", 0);
        let initials: String = person
            .name
            .split_whitespace()
            .filter_map(|word| word.chars().next())
            .filter(|c| c.is_alphanumeric())
            .take(4)
            .collect();
        if !initials.is_empty() {
            out.text(3, "Initials", &initials);
        }
        if let Some(role) = &person.role {
            out.text(3, "Group", role);
        }
        out.value(3, "MaxUnits", format!("{:.2}", person.capacity));
        out.value(3, "PeakUnits", format!("{:.2}", person.capacity));
        out.value(3, "CanLevel", 0);
        out.value(3, "AccrueAt", 3);
        out.value(3, "StandardRate", rate(person.rate.unwrap_or(0.0)));
        out.value(3, "StandardRateFormat", 2);
        out.value(3, "OvertimeRate", 0);
        out.value(3, "OvertimeRateFormat", 2);
        out.value(3, "CostPerUse", 0);
        out.value(3, "CalendarUID", resource_calendar_uid(plan, index));
        if !person.skills.is_empty() {
            out.text(3, "Notes", &format!("Skills: {}", person.skills.join(", ")));
        }
        out.value(3, "IsGeneric", 0);
        out.value(3, "IsInactive", 0);
        out.value(3, "IsEnterprise", 0);
        out.value(3, "BookingType", 0);
        out.open(3, "ExtendedAttribute");
        out.value(4, "FieldID", RESOURCE_TEXT1);
        out.text(4, "Value", &person.id.value);
        out.close(3, "ExtendedAttribute");
        out.close(2, "Resource");
    }
    out.close(1, "Resources");
}

fn rate(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() || text == "-" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

fn assignments(out: &mut Out, plan: &Plan, schedule: &Schedule, day: &WorkingDay, rows: &TaskRows) {
    let calendar = Calendar::new(&plan.calendar).ok();
    out.open(1, "Assignments");
    let mut uid = 0;
    for (index, task) in plan.tasks.iter().enumerate() {
        let Some(person) = task
            .owner
            .as_ref()
            .and_then(|owner| owner.index)
            .filter(|&person| person < plan.people.len())
        else {
            continue;
        };
        uid += 1;
        let dates = &schedule.tasks[index];
        let days = if task.is_milestone() {
            0
        } else {
            calendar.as_ref().map_or(1, |calendar| {
                calendar.working_days_between(dates.start, dates.finish) + 1
            })
        };
        let capacity = plan.people[person].capacity;
        // The estimate spread over the task's days, else the owner's capacity.
        let work_hours = task
            .estimate
            .unwrap_or(days as f64 * capacity * day.minutes as f64 / 60.0);
        let units = if days > 0 {
            work_hours * 60.0 / (days as f64 * day.minutes as f64)
        } else {
            capacity
        };
        let (start, finish) = if task.is_milestone() {
            let at = if dates.finishes_at_day_end {
                day.ends(dates.start)
            } else {
                day.begins(dates.start)
            };
            (at, at)
        } else {
            (day.begins(dates.start), day.ends(dates.finish))
        };
        out.open(2, "Assignment");
        out.value(3, "UID", uid);
        out.value(3, "TaskUID", rows.task_uid[index]);
        out.value(3, "ResourceUID", person + 1);
        out.value(3, "PercentWorkComplete", task.progress.min(100));
        out.value(3, "Finish", finish);
        out.value(3, "Milestone", u8::from(task.is_milestone()));
        out.value(3, "Start", start);
        out.value(3, "Units", format!("{units:.4}"));
        out.value(3, "Work", hours(work_hours));
        out.close(2, "Assignment");
    }
    out.close(1, "Assignments");
}

/// The weekday of an MSPDI `DayType` (1 is Sunday).
pub fn weekday_of_day_type(day_type: u32) -> Option<Weekday> {
    match day_type {
        1 => Some(Weekday::Sun),
        2 => Some(Weekday::Mon),
        3 => Some(Weekday::Tue),
        4 => Some(Weekday::Wed),
        5 => Some(Weekday::Thu),
        6 => Some(Weekday::Fri),
        7 => Some(Weekday::Sat),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_so_that_any_text_survives() {
        assert_eq!(
            escape("<script>&\"'</script> ]]> \u{202e}"),
            "&lt;script&gt;&amp;&quot;&apos;&lt;/script&gt; ]]&gt; \u{202e}"
        );
        assert_eq!(
            escape("a\r\nb\tc\u{1b}[0m\u{7f}"),
            "a&#13;\nb\tc\u{241b}[0m\u{2421}"
        );
        assert_eq!(escape("\u{85}"), "&#x85;");
    }

    #[test]
    fn a_working_day_has_its_hours_from_eight() {
        let day = WorkingDay::new(8.0);
        assert_eq!(day.periods(), vec![(480, 720), (780, 1020)]);
        assert_eq!(
            day.begins(NaiveDate::from_ymd_opt(2027, 1, 4).expect("date"))
                .to_string(),
            "2027-01-04T08:00:00"
        );
        assert_eq!(
            day.ends(NaiveDate::from_ymd_opt(2027, 1, 4).expect("date"))
                .to_string(),
            "2027-01-04T17:00:00"
        );
        assert_eq!(day.duration(5).to_string(), "PT40H0M0S");
        let short = WorkingDay::new(7.5);
        assert_eq!(short.duration(3).to_string(), "PT22H30M0S");
        assert_eq!(
            short
                .ends(NaiveDate::from_ymd_opt(2027, 1, 4).expect("date"))
                .to_string(),
            "2027-01-04T16:30:00"
        );
        assert_eq!(WorkingDay::new(3.0).periods(), vec![(480, 660)]);
    }

    #[test]
    fn weekday_numbers_start_on_sunday() {
        assert_eq!(day_type(Weekday::Sun), 1);
        assert_eq!(day_type(Weekday::Sat), 7);
        assert_eq!(weekday_of_day_type(2), Some(Weekday::Mon));
        assert_eq!(weekday_of_day_type(0), None);
    }
}
