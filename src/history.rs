//! A plan over its git history: what each commit that changed the file
//! said about the project ([`Snapshot`]), and each milestone's forecast
//! date commit by commit ([`Trend`]), drawn as a text chart that the
//! command and the app share ([`chart`]).
//!
//! [`collect`] asks git for the commits and reads each blob once, through
//! one `git cat-file` process; the plans are parsed and scheduled on every
//! core, and nothing is cached on disk.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::NaiveDate;

use crate::diff::{Content, Dating, SideState, Version};
use crate::git::{FileCommit, GitError, RepoFile};
use crate::schedule::Calendar;

/// One commit that changed the plan, and what the plan said then.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub hash: String,
    /// The author's date.
    pub date: NaiveDate,
    pub author: String,
    pub subject: String,
    /// The file's path in that commit.
    pub path: String,
    pub state: SideState,
    pub errors: usize,
    /// The first error, when the plan is invalid or does not parse.
    pub problem: Option<String>,
    pub finish: Option<NaiveDate>,
    /// Working days the finish lies after the baseline's.
    pub slip: Option<i64>,
    pub percent_complete: Option<f64>,
    pub bac: Option<f64>,
    pub eac: Option<f64>,
    pub open_risks: Option<usize>,
    pub blockers: Option<usize>,
    /// Each milestone's id, name and forecast date, in plan order.
    pub milestones: Vec<(String, String, NaiveDate)>,
    /// The plan's calendar, to count working days between forecasts.
    pub calendar: Option<crate::model::Calendar>,
}

impl Snapshot {
    /// What one commit's blob says; `bytes` is `None` when the commit
    /// deleted the file. Numbers are taken at the plan's status date, else
    /// at the commit's date.
    pub fn of(commit: &FileCommit, bytes: Option<Vec<u8>>) -> Snapshot {
        let date = commit_date(&commit.date);
        let dating = Dating {
            asked: None,
            fallback: date,
        };
        let version = Version::from_bytes(commit.path.clone(), bytes, dating);
        let mut snapshot = Snapshot {
            hash: commit.hash.clone(),
            date,
            author: commit.author.clone(),
            subject: commit.subject.clone(),
            path: commit.path.clone(),
            state: SideState::Absent,
            errors: 0,
            problem: None,
            finish: None,
            slip: None,
            percent_complete: None,
            bac: None,
            eac: None,
            open_risks: None,
            blockers: None,
            milestones: Vec::new(),
            calendar: None,
        };
        match &version.content {
            Content::Absent => {}
            Content::Unparsable { diagnostics } => {
                snapshot.state = SideState::Unparsable;
                snapshot.errors = diagnostics.len();
                snapshot.problem = diagnostics.first().map(|d| d.message.clone());
            }
            Content::Plan(analysed) => {
                snapshot.errors = analysed.errors();
                snapshot.state = if snapshot.errors > 0 {
                    SideState::Invalid
                } else {
                    SideState::Valid
                };
                snapshot.problem = analysed
                    .diagnostics
                    .iter()
                    .find(|d| d.is_error())
                    .map(|d| d.message.clone());
                snapshot.open_risks = Some(analysed.open_risks());
                snapshot.calendar = Some(analysed.plan.calendar.clone());
                if let Some(schedule) = &analysed.schedule {
                    snapshot.finish = Some(schedule.finish);
                    snapshot.slip = schedule.slip;
                    snapshot.milestones = analysed
                        .plan
                        .tasks
                        .iter()
                        .zip(&schedule.tasks)
                        .filter(|(_, entry)| entry.milestone)
                        .map(|(task, entry)| {
                            (task.id.value.clone(), task.name.clone(), entry.finish)
                        })
                        .collect();
                }
                if let Some(metrics) = &analysed.metrics {
                    snapshot.percent_complete = Some(metrics.percent_complete);
                    snapshot.bac = Some(metrics.bac);
                    snapshot.eac = metrics.eac;
                    snapshot.blockers = Some(metrics.open_blockers);
                }
            }
        }
        snapshot
    }

    pub fn short_hash(&self) -> &str {
        self.hash.get(..7).unwrap_or(&self.hash)
    }

    /// The plan as it stands in memory (edited, perhaps unsaved), as the
    /// last row of a history; its hash is empty.
    pub fn working(
        plan: &crate::model::Plan,
        schedule: Option<&crate::schedule::Schedule>,
        today: NaiveDate,
    ) -> Snapshot {
        let mut snapshot = Snapshot {
            hash: String::new(),
            date: today,
            author: String::new(),
            subject: "the plan as it stands now".to_owned(),
            path: String::new(),
            state: SideState::Valid,
            errors: 0,
            problem: None,
            finish: schedule.map(|s| s.finish),
            slip: schedule.and_then(|s| s.slip),
            percent_complete: None,
            bac: None,
            eac: None,
            open_risks: None,
            blockers: None,
            milestones: Vec::new(),
            calendar: Some(plan.calendar.clone()),
        };
        if let Some(schedule) = schedule {
            snapshot.milestones = plan
                .tasks
                .iter()
                .zip(&schedule.tasks)
                .filter(|(_, entry)| entry.milestone)
                .map(|(task, entry)| (task.id.value.clone(), task.name.clone(), entry.finish))
                .collect();
        }
        snapshot
    }
}

/// `2027-01-04T10:00:00+01:00` to its day; the Unix epoch if git gave
/// something else.
fn commit_date(date: &str) -> NaiveDate {
    date.get(..10)
        .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
        .unwrap_or_default()
}

/// Every commit that changed the file in `range` (default: HEAD's
/// history), oldest first, each read and analysed once.
pub fn collect(file: &RepoFile, range: Option<&str>) -> Result<Vec<Snapshot>, GitError> {
    let mut commits = file.log(range)?;
    commits.reverse();
    let reader = Mutex::new(file.blobs()?);
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<Snapshot>>> = Mutex::new(vec![None; commits.len()]);
    let failure: Mutex<Option<GitError>> = Mutex::new(None);
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
        .min(commits.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let (index, bytes) = {
                        let Ok(mut next) = next.lock() else { return };
                        let index = *next;
                        if index >= commits.len() {
                            return;
                        }
                        *next += 1;
                        let commit = &commits[index];
                        if commit.deleted {
                            (index, None)
                        } else {
                            // The blob is read while holding the counter, so
                            // blobs are asked for in order, one at a time.
                            let Ok(mut reader) = reader.lock() else {
                                return;
                            };
                            match reader.read(&commit.hash, &commit.path) {
                                Ok(bytes) => (index, bytes),
                                Err(error) => {
                                    if let Ok(mut failure) = failure.lock() {
                                        failure.get_or_insert(error);
                                    }
                                    return;
                                }
                            }
                        }
                    };
                    let snapshot = Snapshot::of(&commits[index], bytes);
                    if let Ok(mut results) = results.lock() {
                        results[index] = Some(snapshot);
                    }
                }
            });
        }
    });
    if let Some(error) = failure.into_inner().ok().flatten() {
        return Err(error);
    }
    let results = results.into_inner().unwrap_or_default();
    Ok(results.into_iter().flatten().collect())
}

/// One milestone's forecast date in each snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendLine {
    pub id: String,
    /// Its name in the latest snapshot that has it.
    pub name: String,
    /// One entry per snapshot: its date then, or `None` when that commit's
    /// plan did not have it or could not be scheduled.
    pub dates: Vec<Option<NaiveDate>>,
    /// Working days from its first forecast to its last; positive is a slip.
    pub drift: i64,
}

impl TrendLine {
    pub fn first(&self) -> Option<NaiveDate> {
        self.dates.iter().flatten().next().copied()
    }

    pub fn last(&self) -> Option<NaiveDate> {
        self.dates.iter().flatten().last().copied()
    }
}

/// The milestones to chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Trend {
    pub lines: Vec<TrendLine>,
    /// How many milestones the history holds in all.
    pub total: usize,
    /// Ids asked for that no snapshot has.
    pub unknown: Vec<String>,
}

/// How many milestones the chart shows when none are chosen.
pub const DEFAULT_MILESTONES: usize = 12;

/// Each milestone's forecasts; `chosen` ids if any, else all of them, or
/// the `DEFAULT_MILESTONES` that drifted most, in order of their last date.
pub fn trend(snapshots: &[Snapshot], chosen: &[String]) -> Trend {
    let mut order: Vec<String> = Vec::new();
    let mut lines: HashMap<String, TrendLine> = HashMap::new();
    for (index, snapshot) in snapshots.iter().enumerate() {
        for (id, name, date) in &snapshot.milestones {
            let line = lines.entry(id.clone()).or_insert_with(|| {
                order.push(id.clone());
                TrendLine {
                    id: id.clone(),
                    name: name.clone(),
                    dates: vec![None; snapshots.len()],
                    drift: 0,
                }
            });
            line.name = name.clone();
            line.dates[index] = Some(*date);
        }
    }
    let calendar = snapshots
        .iter()
        .rev()
        .find_map(|s| s.calendar.as_ref())
        .and_then(|calendar| Calendar::new(calendar).ok());
    let mut all: Vec<TrendLine> = order
        .into_iter()
        .filter_map(|id| lines.remove(&id))
        .map(|mut line| {
            if let (Some(first), Some(last)) = (line.first(), line.last()) {
                line.drift = match &calendar {
                    Some(calendar) => calendar.working_days_between(first, last),
                    None => (last - first).num_days(),
                };
            }
            line
        })
        .collect();
    let total = all.len();
    let mut unknown = Vec::new();
    if !chosen.is_empty() {
        let mut picked = Vec::new();
        for id in chosen {
            match all.iter().position(|line| line.id == *id) {
                Some(position) => picked.push(all.remove(position)),
                None => unknown.push(id.clone()),
            }
        }
        return Trend {
            lines: picked,
            total,
            unknown,
        };
    }
    if all.len() > DEFAULT_MILESTONES {
        let movement = |line: &TrendLine| {
            let dates: Vec<NaiveDate> = line.dates.iter().flatten().copied().collect();
            match (dates.iter().min(), dates.iter().max()) {
                (Some(min), Some(max)) => (*max - *min).num_days(),
                _ => 0,
            }
        };
        let mut ranked: Vec<(usize, i64)> = all
            .iter()
            .enumerate()
            .map(|(i, l)| (i, movement(l)))
            .collect();
        ranked.sort_by_key(|&(index, moved)| (std::cmp::Reverse(moved), index));
        let mut keep: Vec<usize> = ranked
            .iter()
            .take(DEFAULT_MILESTONES)
            .map(|(i, _)| *i)
            .collect();
        keep.sort_unstable();
        all = keep
            .into_iter()
            .filter_map(|i| all.get(i).cloned())
            .collect();
    }
    all.sort_by_key(|line| line.last());
    Trend {
        lines: all,
        total,
        unknown,
    }
}

/// The mark of the n-th milestone in the chart.
pub fn mark(index: usize) -> char {
    const MARKS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    MARKS.get(index).map_or('?', |b| char::from(*b))
}

/// What one cell of the chart holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Empty,
    /// A tick of the date axis, drawn faintly through the rows.
    Grid,
    /// The n-th milestone's forecast.
    Milestone(usize),
    /// Several milestones on one day.
    Several,
}

/// The chart laid out: an axis and one row of cells per snapshot. Views
/// (the command's text, the app's overlay) draw it as they like.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// The axis labels line and the tick line, as text of `width` columns.
    pub axis: [String; 2],
    /// One row per snapshot, `width` cells each.
    pub rows: Vec<Vec<Cell>>,
    pub width: usize,
}

/// Lays out the trend in `width` columns of dates.
pub fn chart(snapshots: &[Snapshot], trend: &Trend, width: usize) -> Chart {
    let width = width.max(10);
    let dates: Vec<NaiveDate> = trend
        .lines
        .iter()
        .flat_map(|line| line.dates.iter().flatten().copied())
        .collect();
    let (Some(&min), Some(&max)) = (dates.iter().min(), dates.iter().max()) else {
        return Chart {
            axis: [String::new(), String::new()],
            rows: vec![vec![Cell::Empty; width]; snapshots.len()],
            width,
        };
    };
    // A little room either side, so marks do not sit on the edge.
    let span = (max - min).num_days().max(1);
    let pad = (span / 20).max(1);
    let start = min - chrono::Duration::days(pad);
    let end = max + chrono::Duration::days(pad);
    let total = (end - start).num_days().max(1);
    let column = |date: NaiveDate| -> usize {
        let offset = (date - start).num_days().clamp(0, total);
        ((offset as f64) * ((width - 1) as f64) / (total as f64)).round() as usize
    };
    let ticks = ticks(start, end, width);
    let mut labels = vec![' '; width];
    let mut tick_line = vec!['-'; width];
    let mut grid = vec![false; width];
    for (date, label) in &ticks {
        let at = column(*date);
        tick_line[at] = '|';
        grid[at] = true;
        let chars: Vec<char> = label.chars().collect();
        if at + chars.len() <= width && labels[at..at + chars.len()].iter().all(|c| *c == ' ') {
            labels[at..at + chars.len()].copy_from_slice(&chars);
        }
    }
    let rows = (0..snapshots.len())
        .map(|row| {
            let mut cells: Vec<Cell> = grid
                .iter()
                .map(|&tick| if tick { Cell::Grid } else { Cell::Empty })
                .collect();
            for (index, line) in trend.lines.iter().enumerate() {
                if let Some(Some(date)) = line.dates.get(row) {
                    let at = column(*date);
                    cells[at] = match cells[at] {
                        Cell::Milestone(_) | Cell::Several => Cell::Several,
                        _ => Cell::Milestone(index),
                    };
                }
            }
            cells
        })
        .collect();
    Chart {
        axis: [
            labels.into_iter().collect(),
            tick_line.into_iter().collect(),
        ],
        rows,
        width,
    }
}

/// Dates to mark on the axis, with their labels: weeks, months, quarters
/// or years, as many as fit.
fn ticks(start: NaiveDate, end: NaiveDate, width: usize) -> Vec<(NaiveDate, String)> {
    use chrono::Datelike;
    let days = (end - start).num_days().max(1);
    // Labels need about ten columns each.
    let room = (width / 10).max(2) as i64;
    let first_of_month = |date: NaiveDate| NaiveDate::from_ymd_opt(date.year(), date.month(), 1);
    let mut ticks = Vec::new();
    if days / 7 <= room {
        // Mondays.
        let mut day = start
            + chrono::Duration::days(i64::from((7 - start.weekday().num_days_from_monday()) % 7));
        while day <= end {
            ticks.push((day, day.format("%m-%d").to_string()));
            day += chrono::Duration::days(7);
        }
        return ticks;
    }
    let months = days / 30;
    let step = [1, 2, 3, 6, 12, 24, 60, 120]
        .into_iter()
        .find(|step| months / step <= room)
        .unwrap_or(120);
    let Some(mut month) = first_of_month(start) else {
        return ticks;
    };
    while month <= end {
        let index = month.year() * 12 + month.month0() as i32;
        if month >= start && i64::from(index) % step == 0 {
            let label = if step >= 12 {
                month.format("%Y").to_string()
            } else {
                month.format("%Y-%m").to_string()
            };
            ticks.push((month, label));
        }
        let Some(next) = month.checked_add_months(chrono::Months::new(1)) else {
            break;
        };
        month = next;
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(hash: &str, date: &str) -> FileCommit {
        FileCommit {
            hash: hash.to_owned(),
            date: format!("{date}T09:00:00+00:00"),
            author: "Ana".to_owned(),
            subject: "edit".to_owned(),
            path: "plan.toml".to_owned(),
            deleted: false,
        }
    }

    fn plan(api_days: i64) -> Vec<u8> {
        format!(
            "[project]\nname = \"P\"\nstart = 2027-01-04\n\n[[task]]\nid = \"api\"\nname = \"API\"\nduration = {api_days}\n\n\
             [[task]]\nid = \"beta\"\nname = \"Beta\"\nmilestone = true\ndepends = [\"api\"]\n\n\
             [[task]]\nid = \"kickoff\"\nname = \"Kickoff\"\nmilestone = true\n"
        )
        .into_bytes()
    }

    #[test]
    fn a_slipping_milestone_drifts_right_in_the_chart() {
        let snapshots = vec![
            Snapshot::of(&commit("a1", "2027-01-01"), Some(plan(5))),
            Snapshot::of(&commit("b2", "2027-01-08"), Some(plan(10))),
            Snapshot::of(&commit("c3", "2027-01-15"), Some(b"[project\n".to_vec())),
            Snapshot::of(&commit("d4", "2027-01-22"), Some(plan(20))),
        ];
        assert_eq!(snapshots[0].finish, NaiveDate::from_ymd_opt(2027, 1, 8));
        assert_eq!(snapshots[2].state, SideState::Unparsable);
        let trend = trend(&snapshots, &[]);
        let ids: Vec<&str> = trend.lines.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["kickoff", "beta"]);
        assert_eq!(trend.lines[1].drift, 15);
        assert_eq!(trend.lines[0].drift, 0);
        let chart = chart(&snapshots, &trend, 40);
        let beta_column = |row: usize| {
            chart.rows[row]
                .iter()
                .position(|c| *c == Cell::Milestone(1))
        };
        assert!(beta_column(0) < beta_column(1));
        assert!(beta_column(1) < beta_column(3));
        assert_eq!(beta_column(2), None);
        assert_eq!(chart.axis[1].chars().count(), 40);
    }

    #[test]
    fn chosen_milestones_come_in_the_order_asked_and_unknown_ones_are_named() {
        let snapshots = vec![Snapshot::of(&commit("a1", "2027-01-01"), Some(plan(5)))];
        let trend = trend(&snapshots, &["beta".to_owned(), "nope".to_owned()]);
        assert_eq!(trend.lines.len(), 1);
        assert_eq!(trend.unknown, ["nope"]);
        assert_eq!(trend.total, 2);
    }
}
