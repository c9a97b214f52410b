//! The story a reviewer reads first: how the finish moved and what on the
//! critical path explains it, then the news of each kind, one sentence
//! each.

use chrono::NaiveDate;

use crate::metrics::format_money;
use crate::model::{Dependency, Plan, Task};
use crate::schedule::Schedule;

use super::entities::{Context, dependency_text};
use super::{
    Cause, CauseKind, Event, FinishChange, Metric, MetricUnit, PlanDiff, Sentence, Side, SideState,
    Span, Tone, Topic, Value, number_text,
};

/// How many causes the finish sentence names.
const CAUSES_NAMED: usize = 3;
/// How many ids a sentence lists before it says "and N more".
const IDS_NAMED: usize = 4;

/// A sentence being written.
struct Words {
    spans: Vec<Span>,
}

impl Words {
    fn new() -> Words {
        Words { spans: Vec::new() }
    }

    fn plain(mut self, words: impl Into<String>) -> Words {
        self.push_plain(words);
        self
    }

    fn push_plain(&mut self, words: impl Into<String>) {
        let words = words.into();
        if let Some(Span::Plain(last)) = self.spans.last_mut() {
            last.push_str(&words);
        } else {
            self.spans.push(Span::Plain(words));
        }
    }

    fn id(mut self, id: &str) -> Words {
        self.spans.push(Span::Id(id.to_owned()));
        self
    }

    fn push_id(&mut self, id: &str) {
        self.spans.push(Span::Id(id.to_owned()));
    }

    fn push_text(&mut self, text: &str) {
        self.spans.push(Span::Text(text.to_owned()));
    }

    fn push_change(&mut self, old: Value, new: Value) {
        self.spans.push(Span::Change(old, new));
    }

    fn push_value(&mut self, value: Value) {
        self.spans.push(Span::Value(value));
    }

    /// Appends `parts` joined with commas and a final "and".
    fn push_joined(&mut self, parts: Vec<Words>) {
        let count = parts.len();
        for (position, part) in parts.into_iter().enumerate() {
            if position > 0 {
                self.push_plain(if position + 1 == count { " and " } else { ", " });
            }
            for span in part.spans {
                match span {
                    Span::Plain(words) => self.push_plain(words),
                    other => self.spans.push(other),
                }
            }
        }
    }

    fn push_ids(&mut self, ids: &[String]) {
        let mut parts: Vec<Words> = ids
            .iter()
            .take(IDS_NAMED)
            .map(|id| Words::new().id(id))
            .collect();
        if ids.len() > IDS_NAMED {
            parts.push(Words::new().plain(format!("{} more", ids.len() - IDS_NAMED)));
        }
        self.push_joined(parts);
    }

    fn sentence(mut self, topic: Topic, tone: Tone) -> Sentence {
        self.push_plain(".");
        Sentence {
            topic,
            tone,
            spans: self.spans,
        }
    }
}

fn days_text(days: i64) -> String {
    match days.abs() {
        1 => "1 working day".to_owned(),
        n => format!("{n} working days"),
    }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// When a side does not parse there is nothing to compare but the problems.
pub(super) fn unparsable(diff: &mut PlanDiff) {
    let mut story = Vec::new();
    for (side, which) in [(&diff.old, "old"), (&diff.new, "new")] {
        if side.state != SideState::Unparsable {
            continue;
        }
        let mut words = Words::new().plain(format!("The {which} version does not parse"));
        if let Some(first) = side.diagnostics.iter().find(|d| d.is_error()) {
            words.push_plain(format!(" (line {}: ", first.pos.line.max(1)));
            words.push_text(&first.message);
            words.push_plain(")");
        }
        words.push_plain(", so the plans cannot be compared");
        story.push(words.sentence(Topic::Problems, Tone::Bad));
    }
    diff.story = story;
}

/// Writes the story of a comparison.
pub(super) fn explain(old: &Side<'_>, new: &Side<'_>, context: &Context, diff: &mut PlanDiff) {
    diff.schedule.finish = finish_change(old, new, context);
    let mut story = Vec::new();
    problems(diff, &mut story);
    presence(old, new, diff, &mut story);
    if old.present && new.present {
        finish(diff, &mut story);
        critical_path(diff, &mut story);
        tasks(diff, &mut story);
        progress(diff, &mut story);
        blockers(diff, &mut story);
        risks(diff, &mut story);
        change_requests(diff, &mut story);
        gates(diff, &mut story);
        money(diff, &mut story);
        checkins(diff, &mut story);
        effort(diff, &mut story);
        others(diff, &mut story);
    }
    if story.is_empty() && !diff.has_changes() {
        story.push(
            Words::new()
                .plain("No change in plan terms")
                .sentence(Topic::Unchanged, Tone::Neutral),
        );
    }
    diff.story = story;
}

fn problems(diff: &PlanDiff, story: &mut Vec<Sentence>) {
    let new_errors = diff.new.errors();
    let introduced_errors: Vec<_> = diff
        .problems
        .introduced
        .iter()
        .filter(|d| d.is_error())
        .collect();
    let introduced_warnings = diff.problems.introduced.len() - introduced_errors.len();
    if diff.new.state == SideState::Invalid {
        let mut words = Words::new().plain(format!(
            "The new version has {}",
            plural(new_errors, "error", "errors")
        ));
        if diff.old.state == SideState::Invalid || !introduced_errors.is_empty() {
            words.push_plain(format!(" ({} new)", introduced_errors.len()));
        }
        if let Some(first) = introduced_errors
            .first()
            .copied()
            .or_else(|| diff.new.diagnostics.iter().find(|d| d.is_error()))
        {
            words.push_plain(format!(", first at line {}: ", first.pos.line.max(1)));
            words.push_text(&first.message);
        }
        story.push(words.sentence(Topic::Problems, Tone::Bad));
    } else if diff.old.state == SideState::Invalid {
        story.push(
            Words::new()
                .plain(format!(
                    "The new version fixes the old one's {}",
                    plural(diff.old.errors(), "error", "errors")
                ))
                .sentence(Topic::Problems, Tone::Good),
        );
    }
    if let Some(error) = &diff.new.schedule_error
        && diff.new.state != SideState::Invalid
    {
        let mut words = Words::new().plain("The new version cannot be scheduled: ");
        words.push_text(error);
        story.push(words.sentence(Topic::Problems, Tone::Bad));
    }
    if introduced_warnings > 0 {
        story.push(
            Words::new()
                .plain(format!(
                    "{} to look at",
                    plural(introduced_warnings, "new warning", "new warnings")
                ))
                .sentence(Topic::Problems, Tone::Neutral),
        );
    }
}

fn presence(old: &Side<'_>, new: &Side<'_>, diff: &PlanDiff, story: &mut Vec<Sentence>) {
    match (old.present, new.present) {
        (false, true) => {
            let mut words = Words::new().plain("New plan ");
            words.push_text(&new.plan.project.name);
            words.push_plain(format!(
                ": {}",
                plural(new.plan.tasks.len(), "task", "tasks")
            ));
            if let Some(finish) = diff.new.finish {
                words.push_plain(format!(", finishing on {finish}"));
            }
            story.push(words.sentence(Topic::Added, Tone::Neutral));
        }
        (true, false) => {
            let mut words = Words::new().plain("The plan ");
            words.push_text(&old.plan.project.name);
            words.push_plain(format!(
                " was removed ({})",
                plural(old.plan.tasks.len(), "task", "tasks")
            ));
            story.push(words.sentence(Topic::Removed, Tone::Neutral));
        }
        _ => {}
    }
}

fn slip_words(slip: Option<i64>) -> String {
    match slip {
        None => "without a baseline".to_owned(),
        Some(0) => "on the baseline".to_owned(),
        Some(days) if days > 0 => format!("{} behind the baseline", days_text(days)),
        Some(days) => format!("{} ahead of the baseline", days_text(days)),
    }
}

fn finish(diff: &PlanDiff, story: &mut Vec<Sentence>) {
    let Some(change) = &diff.schedule.finish else {
        if let (Some(finish), None) = (diff.old.finish, diff.new.finish) {
            story.push(
                Words::new()
                    .plain(format!(
                        "The finish ({finish} before) is unknown: the new version cannot be scheduled"
                    ))
                    .sentence(Topic::Finish, Tone::Bad),
            );
        }
        return;
    };
    let (mut words, tone) = match change.working_days {
        days if days > 0 => (
            Words::new().plain(format!(
                "Finish slips {}, from {} to {}",
                days_text(days),
                change.old,
                change.new
            )),
            Tone::Bad,
        ),
        days if days < 0 => (
            Words::new().plain(format!(
                "Finish comes {} earlier, from {} to {}",
                days_text(days),
                change.old,
                change.new
            )),
            Tone::Good,
        ),
        _ if change.old != change.new => (
            Words::new().plain(format!(
                "Finish moves from {} to {}",
                change.old, change.new
            )),
            Tone::Neutral,
        ),
        _ if diff.has_changes() => (
            Words::new().plain(format!("Finish unchanged at {}", change.new)),
            Tone::Neutral,
        ),
        _ => return,
    };
    if !change.causes.is_empty() {
        let on_path = change.causes.iter().any(|cause| cause.task.is_some());
        words.push_plain(if on_path {
            ", because on the critical path "
        } else {
            ", because "
        });
        let mut parts: Vec<Words> = change
            .causes
            .iter()
            .take(CAUSES_NAMED)
            .map(cause_words)
            .collect();
        if change.causes.len() > CAUSES_NAMED {
            parts.push(Words::new().plain(format!(
                "{} more",
                plural(change.causes.len() - CAUSES_NAMED, "change", "changes")
            )));
        }
        words.push_joined(parts);
    }
    if diff.old.slip != diff.new.slip && diff.new.slip.is_some() {
        words.push_plain(format!(
            "; the plan is now {} (was {})",
            slip_words(diff.new.slip),
            slip_words(diff.old.slip)
        ));
    }
    story.push(words.sentence(Topic::Finish, tone));
    if diff.old.slip != diff.new.slip && diff.new.slip.is_none() {
        story.push(
            Words::new()
                .plain("The baseline was removed")
                .sentence(Topic::Baseline, Tone::Neutral),
        );
    }
}

fn cause_words(cause: &Cause) -> Words {
    let mut words = Words::new();
    let task = cause.task.as_deref().unwrap_or_default();
    match cause.kind {
        CauseKind::TaskAdded => {
            words.push_id(task);
            words.push_plain(" was added");
            if let Value::Int(days) = cause.new {
                words.push_plain(format!(
                    " ({})",
                    plural(days.max(0) as usize, "day", "days")
                ));
            }
        }
        CauseKind::TaskRemoved => {
            words.push_id(task);
            words.push_plain(" was removed");
            if let Value::Int(days) = cause.old {
                words.push_plain(format!(
                    " ({})",
                    plural(days.max(0) as usize, "day", "days")
                ));
            }
        }
        CauseKind::Duration => {
            words.push_id(task);
            let grew = matches!((&cause.old, &cause.new), (Value::Int(o), Value::Int(n)) if n > o);
            words.push_plain(if grew { " grew from " } else { " shrank from " });
            words.push_value(cause.old.clone());
            words.push_plain(" to ");
            words.push_value(cause.new.clone());
            words.push_plain(" days");
        }
        CauseKind::LinkAdded => {
            words.push_id(task);
            words.push_plain(" now waits for ");
            words.push_id(cause.other.as_deref().unwrap_or_default());
        }
        CauseKind::LinkRemoved => {
            words.push_id(task);
            words.push_plain(" no longer waits for ");
            words.push_id(cause.other.as_deref().unwrap_or_default());
        }
        CauseKind::LinkChanged => {
            words.push_id(task);
            words.push_plain(" now waits for ");
            words.push_value(cause.new.clone());
            words.push_plain(" (was ");
            words.push_value(cause.old.clone());
            words.push_plain(")");
        }
        CauseKind::StartConstraint => {
            words.push_id(task);
            words.push_plain("'s earliest start ");
            words.push_change(cause.old.clone(), cause.new.clone());
        }
        CauseKind::Progress => {
            words.push_id(task);
            words.push_plain(" went ");
            words.push_change(cause.old.clone(), cause.new.clone());
        }
        CauseKind::ProjectStart => {
            words.push_plain("the project start moved ");
            words.push_change(cause.old.clone(), cause.new.clone());
        }
        CauseKind::Holidays => {
            words.push_plain("holidays changed (");
            words.push_change(cause.old.clone(), cause.new.clone());
            words.push_plain(")");
        }
        CauseKind::Workdays => {
            words.push_plain("the working days changed ");
            words.push_change(cause.old.clone(), cause.new.clone());
        }
        CauseKind::StatusDate => {
            words.push_plain("the status date moved ");
            words.push_change(cause.old.clone(), cause.new.clone());
            let later = match (&cause.old, &cause.new) {
                (Value::Date(old), Value::Date(new)) => new > old,
                (Value::None, _) => true,
                _ => false,
            };
            if later {
                words.push_plain(" with critical work unfinished");
            }
        }
    }
    words
}

fn critical_path(diff: &PlanDiff, story: &mut Vec<Sentence>) {
    let schedule = &diff.schedule;
    if schedule.entered_critical.is_empty() && schedule.left_critical.is_empty() {
        return;
    }
    let mut words = Words::new().plain("The critical path ");
    if !schedule.entered_critical.is_empty() {
        words.push_plain("now runs through ");
        words.push_ids(&schedule.entered_critical);
    }
    if !schedule.left_critical.is_empty() {
        if !schedule.entered_critical.is_empty() {
            words.push_plain(" and ");
        }
        words.push_plain("no longer through ");
        words.push_ids(&schedule.left_critical);
    }
    story.push(words.sentence(Topic::CriticalPath, Tone::Neutral));
}

fn counted(words: &mut Words, count: usize, what: &str, ids: &[String]) -> bool {
    if count == 0 {
        return false;
    }
    words.push_plain(format!("{count} {what}"));
    if count <= 3 {
        words.push_plain(" (");
        words.push_ids(ids);
        words.push_plain(")");
    }
    true
}

fn tasks(diff: &PlanDiff, story: &mut Vec<Sentence>) {
    let tasks = &diff.tasks;
    if tasks.is_empty() {
        return;
    }
    let mut parts = Vec::new();
    let ids = |list: &[super::EntitySummary]| -> Vec<String> {
        list.iter().map(|e| e.id.clone()).collect()
    };
    let mut added = Words::new();
    if counted(&mut added, tasks.added.len(), "added", &ids(&tasks.added)) {
        parts.push(added);
    }
    let mut removed = Words::new();
    if counted(
        &mut removed,
        tasks.removed.len(),
        "removed",
        &ids(&tasks.removed),
    ) {
        parts.push(removed);
    }
    if !tasks.changed.is_empty() {
        let mut changed = Words::new().plain(format!("{} changed", tasks.changed.len()));
        let kinds: Vec<String> = [
            (
                Event::MovedPhase,
                "moved to another phase",
                "moved to another phase",
            ),
            (Event::Renamed, "renamed", "renamed"),
            (Event::IdChanged, "with a new id", "with a new id"),
        ]
        .iter()
        .filter_map(|(event, one, many)| {
            let count = tasks.with_event(*event).count();
            (count > 0).then(|| format!("{count} {}", if count == 1 { one } else { many }))
        })
        .collect();
        if !kinds.is_empty() {
            changed.push_plain(" (");
            changed.push_joined(
                kinds
                    .into_iter()
                    .map(|kind| Words::new().plain(kind))
                    .collect(),
            );
            changed.push_plain(")");
        }
        parts.push(changed);
    }
    let mut words = Words::new().plain("Tasks: ");
    words.push_joined(parts);
    story.push(words.sentence(Topic::Tasks, Tone::Neutral));
}

fn ids_with(diff: &super::EntityDiff, event: Event) -> Vec<String> {
    diff.with_event(event)
        .map(|change| change.id.clone())
        .collect()
}

fn metric(diff: &PlanDiff, metric: Metric) -> Option<&super::MetricChange> {
    diff.metrics.iter().find(|change| change.metric == metric)
}

fn progress(diff: &PlanDiff, story: &mut Vec<Sentence>) {
    let finished = ids_with(&diff.tasks, Event::Finished);
    let reopened = ids_with(&diff.tasks, Event::Reopened);
    let started = ids_with(&diff.tasks, Event::Started);
    let percent = metric(diff, Metric::PercentComplete);
    if finished.is_empty() && reopened.is_empty() && started.is_empty() && percent.is_none() {
        return;
    }
    let mut words = Words::new().plain("Progress: ");
    let mut parts = Vec::new();
    if let Some(change) = percent {
        parts.push(Words::new().plain(format!(
            "{} → {} complete",
            metric_text(Metric::PercentComplete, change.old),
            metric_text(Metric::PercentComplete, change.new)
        )));
    }
    for (ids, what) in [
        (&finished, "finished"),
        (&started, "started"),
        (&reopened, "reopened"),
    ] {
        if !ids.is_empty() {
            let mut part = Words::new();
            part.push_ids(ids);
            part.push_plain(format!(" {what}"));
            parts.push(part);
        }
    }
    words.push_joined(parts);
    let tone = match percent.and_then(|change| change.delta()) {
        Some(delta) if delta < 0.0 => Tone::Bad,
        _ if !reopened.is_empty() => Tone::Bad,
        _ => Tone::Good,
    };
    story.push(words.sentence(Topic::Progress, tone));
}

fn blockers(diff: &PlanDiff, story: &mut Vec<Sentence>) {
    let blocked: Vec<&super::EntityChange> = diff.tasks.with_event(Event::Blocked).collect();
    let unblocked = ids_with(&diff.tasks, Event::Unblocked);
    let added_blocked: Vec<&super::EntitySummary> = diff
        .tasks
        .added
        .iter()
        .filter(|task| {
            task.facts
                .iter()
                .any(|(key, value)| *key == "status" && *value == Value::keyword("blocked"))
        })
        .collect();
    if blocked.is_empty() && unblocked.is_empty() && added_blocked.is_empty() {
        return;
    }
    let mut parts = Vec::new();
    let blocked_ids: Vec<String> = blocked
        .iter()
        .map(|change| change.id.clone())
        .chain(added_blocked.iter().map(|task| task.id.clone()))
        .collect();
    if !blocked_ids.is_empty() {
        let mut part = Words::new();
        part.push_ids(&blocked_ids);
        part.push_plain(if blocked_ids.len() == 1 {
            " is now blocked"
        } else {
            " are now blocked"
        });
        if let [change] = blocked.as_slice()
            && added_blocked.is_empty()
            && let Some(field) = change.field("blocker")
            && let Value::Text(reason) = &field.new
        {
            part.push_plain(": ");
            part.push_text(reason);
        }
        parts.push(part);
    }
    if !unblocked.is_empty() {
        let mut part = Words::new();
        part.push_ids(&unblocked);
        part.push_plain(if unblocked.len() == 1 {
            " is no longer blocked"
        } else {
            " are no longer blocked"
        });
        parts.push(part);
    }
    let tone = if blocked_ids.is_empty() {
        Tone::Good
    } else {
        Tone::Bad
    };
    let mut words = Words::new().plain("Blockers: ");
    words.push_joined(parts);
    story.push(words.sentence(Topic::Blockers, tone));
}

fn fact<'a>(summary: &'a super::EntitySummary, key: &str) -> Option<&'a Value> {
    summary
        .facts
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v)
}

fn risks(diff: &PlanDiff, story: &mut Vec<Sentence>) {
    let risks = &diff.risks;
    if risks.is_empty() {
        return;
    }
    let mut parts = Vec::new();
    let mut bad = false;
    for added in &risks.added {
        let mut part = Words::new().id(&added.id);
        let status = fact(added, "status");
        if status == Some(&Value::keyword("open")) {
            part.push_plain(" opened");
            bad = true;
        } else {
            part.push_plain(" added as ");
            part.push_value(status.cloned().unwrap_or(Value::None));
        }
        if let Some(score) = fact(added, "score") {
            part.push_plain(" (score ");
            part.push_value(score.clone());
            part.push_plain(")");
        }
        parts.push(part);
    }
    for (event, what) in [
        (Event::RiskReopened, " reopened"),
        (Event::RiskOccurred, " occurred"),
        (Event::RiskClosed, " closed"),
        (Event::RiskMitigated, " mitigated"),
    ] {
        for change in risks.with_event(event) {
            bad |= matches!(event, Event::RiskReopened | Event::RiskOccurred);
            parts.push(Words::new().id(&change.id).plain(what));
        }
    }
    for change in risks.with_event(Event::Rescored) {
        if let Some(score) = change.field("score") {
            let mut part = Words::new().id(&change.id).plain(" re-scored ");
            part.push_change(score.old.clone(), score.new.clone());
            bad |= matches!((&score.old, &score.new), (Value::Int(o), Value::Int(n)) if n > o);
            parts.push(part);
        }
    }
    if !risks.removed.is_empty() {
        let mut part = Words::new();
        let ids: Vec<String> = risks.removed.iter().map(|r| r.id.clone()).collect();
        part.push_ids(&ids);
        part.push_plain(" removed from the register");
        parts.push(part);
    }
    let other = risks
        .changed
        .iter()
        .filter(|change| {
            !change.events.iter().any(|event| {
                matches!(
                    event,
                    Event::RiskReopened
                        | Event::RiskOccurred
                        | Event::RiskClosed
                        | Event::RiskMitigated
                        | Event::Rescored
                )
            })
        })
        .count();
    if other > 0 {
        parts.push(Words::new().plain(format!(
            "{} otherwise edited",
            plural(other, "risk", "risks")
        )));
    }
    let mut words = Words::new().plain("Risks: ");
    words.push_joined(parts);
    story.push(words.sentence(Topic::Risks, if bad { Tone::Bad } else { Tone::Good }));
}

fn change_requests(diff: &PlanDiff, story: &mut Vec<Sentence>) {
    let changes = &diff.changes;
    let mut parts = Vec::new();
    for added in &changes.added {
        let mut part = Words::new().id(&added.id);
        match fact(added, "status") {
            Some(status) if *status != Value::keyword("proposed") => {
                part.push_plain(" recorded as ");
                part.push_value(status.clone());
            }
            _ => part.push_plain(" proposed"),
        }
        let impact: Vec<String> = [
            fact(added, "cost").map(|cost| match cost {
                Value::Number(cost) => format!(
                    "cost {}{}",
                    if *cost > 0.0 { "+" } else { "" },
                    format_money(*cost)
                ),
                _ => String::new(),
            }),
            fact(added, "days").map(|days| match days {
                Value::Int(days) => format!("{:+} working days", days),
                _ => String::new(),
            }),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !impact.is_empty() {
            part.push_plain(format!(" ({})", impact.join(", ")));
        }
        parts.push(part);
    }
    for (event, what) in [
        (Event::Approved, " approved"),
        (Event::Rejected, " rejected"),
        (Event::Carried, " carried out"),
        (Event::Reproposed, " back to proposed"),
    ] {
        for change in changes.with_event(event) {
            let mut part = Words::new().id(&change.id).plain(what);
            let by = change.field("decided_by").map(|f| f.new.clone());
            let when = change.field("decided").map(|f| f.new.clone());
            if let Some(Value::Text(by)) = &by {
                part.push_plain(" by ");
                part.push_text(by);
            }
            if let Some(Value::Date(when)) = when {
                part.push_plain(format!(" on {when}"));
            }
            parts.push(part);
        }
    }
    // What a change request asks of the plan: its task edits and new tasks.
    for change in &changes.changed {
        for (field, what) in [("edit", " task edits "), ("add", " new tasks ")] {
            if let Some(field) = change.field(field) {
                let mut part = Words::new().id(&change.id).plain(what);
                part.push_change(field.old.clone(), field.new.clone());
                parts.push(part);
            }
        }
    }
    if !changes.removed.is_empty() {
        let mut part = Words::new();
        let ids: Vec<String> = changes.removed.iter().map(|c| c.id.clone()).collect();
        part.push_ids(&ids);
        part.push_plain(" removed");
        parts.push(part);
    }
    if parts.is_empty() {
        return;
    }
    let mut words = Words::new().plain("Change requests: ");
    words.push_joined(parts);
    story.push(words.sentence(Topic::Changes, Tone::Neutral));
}

fn gates(diff: &PlanDiff, story: &mut Vec<Sentence>) {
    let gates = &diff.gates;
    let mut parts = Vec::new();
    let mut tone = Tone::Neutral;
    for change in gates.with_event(Event::Signed) {
        let mut part = Words::new().id(&change.id).plain(" signed");
        if let Some(Value::Date(date)) = change.field("signed").map(|f| &f.new) {
            part.push_plain(format!(" on {date}"));
        }
        parts.push(part);
        tone = Tone::Good;
    }
    for added in &gates.added {
        let mut part = Words::new().id(&added.id).plain(" added");
        if let Some(Value::Date(date)) = fact(added, "signed") {
            part.push_plain(format!(", signed on {date}"));
        }
        parts.push(part);
    }
    for change in gates.with_event(Event::Unsigned) {
        parts.push(Words::new().id(&change.id).plain(" no longer signed"));
        tone = Tone::Bad;
    }
    for change in &gates.changed {
        if change.has(Event::Signed) || change.has(Event::Unsigned) {
            continue;
        }
        if let Some(field) = change.field("checklist") {
            let mut part = Words::new().id(&change.id).plain(" checklist ");
            part.push_change(field.old.clone(), field.new.clone());
            parts.push(part);
        }
    }
    // An override lets the milestone pass with items open: worth saying.
    for change in &gates.changed {
        let Some(field) = change.field("override") else {
            continue;
        };
        let mut part = Words::new().id(&change.id);
        match &field.new {
            Value::Text(text) => {
                part.push_plain(" overridden ");
                part.push_text(text);
                tone = Tone::Bad;
            }
            _ => part.push_plain(" override removed"),
        }
        parts.push(part);
    }
    if parts.is_empty() {
        return;
    }
    let mut words = Words::new().plain("Gates: ");
    words.push_joined(parts);
    story.push(words.sentence(Topic::Gates, tone));
}

/// A number as the output writes it.
pub fn metric_text(metric: Metric, value: Option<f64>) -> String {
    let Some(value) = value else {
        return "n/a".to_owned();
    };
    match metric.unit() {
        MetricUnit::Money => format_money(value),
        MetricUnit::Percent => format!("{value:.1}%"),
        MetricUnit::Index => format!("{value:.2}"),
        MetricUnit::Count => number_text(value),
    }
}

/// A difference as the output writes it, with its sign.
pub fn delta_text(metric: Metric, delta: f64) -> String {
    let sign = if delta > 0.0 { "+" } else { "" };
    match metric.unit() {
        MetricUnit::Money => format!("{sign}{}", format_money(delta)),
        MetricUnit::Percent => format!("{sign}{delta:.1} points"),
        MetricUnit::Index => format!("{sign}{delta:.2}"),
        MetricUnit::Count => format!("{sign}{}", number_text(delta)),
    }
}

fn money(diff: &PlanDiff, story: &mut Vec<Sentence>) {
    let shown = [Metric::Eac, Metric::Bac, Metric::Budget, Metric::Ac];
    let parts: Vec<Words> = shown
        .iter()
        .filter_map(|&m| metric(diff, m))
        .map(|change| {
            let mut part = Words::new().plain(format!(
                "{} {} → {}",
                change.metric.label(),
                metric_text(change.metric, change.old),
                metric_text(change.metric, change.new)
            ));
            if let Some(delta) = change.delta() {
                part.push_plain(format!(" ({})", delta_text(change.metric, delta)));
            }
            part
        })
        .collect();
    if parts.is_empty() {
        return;
    }
    let tone = match metric(diff, Metric::Eac).and_then(|change| change.delta()) {
        Some(delta) if delta > 0.0 => Tone::Bad,
        Some(delta) if delta < 0.0 => Tone::Good,
        _ => Tone::Neutral,
    };
    let mut words = Words::new().plain("Money: ");
    words.push_joined(parts);
    story.push(words.sentence(Topic::Money, tone));
}

fn checkins(diff: &PlanDiff, story: &mut Vec<Sentence>) {
    let checkins = &diff.checkins;
    let mut parts = Vec::new();
    let weeks = |list: &[super::EntitySummary]| -> String {
        let weeks: Vec<&str> = list.iter().map(|c| c.id.as_str()).collect();
        match weeks.as_slice() {
            [one] => format!("the week of {one}"),
            _ => format!("the weeks of {}", weeks.join(", ")),
        }
    };
    if !checkins.added.is_empty() {
        parts.push(Words::new().plain(format!("recorded for {}", weeks(&checkins.added))));
    }
    if !checkins.changed.is_empty() {
        let list: Vec<&str> = checkins.changed.iter().map(|c| c.id.as_str()).collect();
        parts.push(Words::new().plain(format!("edited for {}", list.join(", "))));
    }
    if !checkins.removed.is_empty() {
        parts.push(Words::new().plain(format!("removed for {}", weeks(&checkins.removed))));
    }
    if parts.is_empty() {
        return;
    }
    let mut words = Words::new().plain(
        if checkins.added.len() + checkins.changed.len() + checkins.removed.len() == 1 {
            "Check-in "
        } else {
            "Check-ins "
        },
    );
    words.push_joined(parts);
    story.push(words.sentence(Topic::Checkins, Tone::Neutral));
}

fn effort(diff: &PlanDiff, story: &mut Vec<Sentence>) {
    let log = &diff.log;
    if log.is_empty() {
        return;
    }
    let hours = |entries: &[super::LogSummary]| entries.iter().map(|e| e.hours).sum::<f64>();
    let mut parts = Vec::new();
    if !log.added.is_empty() {
        let mut by_task: Vec<(String, f64)> = Vec::new();
        for entry in &log.added {
            match by_task.iter_mut().find(|(task, _)| *task == entry.task) {
                Some((_, total)) => *total += entry.hours,
                None => by_task.push((entry.task.clone(), entry.hours)),
            }
        }
        let mut part = Words::new().plain(format!(
            "{} h logged in {}",
            number_text(hours(&log.added)),
            plural(log.added.len(), "entry", "entries")
        ));
        if by_task.len() <= 3 {
            part.push_plain(" (");
            let items: Vec<Words> = by_task
                .iter()
                .map(|(task, total)| {
                    Words::new()
                        .id(task)
                        .plain(format!(" {} h", number_text(*total)))
                })
                .collect();
            part.push_joined(items);
            part.push_plain(")");
        }
        parts.push(part);
    }
    if !log.changed.is_empty() {
        let delta: f64 = log
            .changed
            .iter()
            .map(|(old, new)| new.hours - old.hours)
            .sum();
        let mut part = Words::new().plain(format!(
            "{} changed",
            plural(log.changed.len(), "log entry", "log entries")
        ));
        if delta != 0.0 {
            part.push_plain(format!(
                " ({}{} h)",
                if delta > 0.0 { "+" } else { "" },
                number_text(delta)
            ));
        }
        parts.push(part);
    }
    if !log.removed.is_empty() {
        parts.push(Words::new().plain(format!(
            "{} removed ({} h)",
            plural(log.removed.len(), "log entry", "log entries"),
            number_text(hours(&log.removed))
        )));
    }
    let mut words = Words::new().plain("Effort: ");
    words.push_joined(parts);
    story.push(words.sentence(Topic::Effort, Tone::Neutral));
}

fn others(diff: &PlanDiff, story: &mut Vec<Sentence>) {
    let mut parts = Vec::new();
    for change in &diff.project {
        let mut part = Words::new().plain(format!("{} ", change.field));
        part.push_change(change.old.clone(), change.new.clone());
        parts.push(part);
    }
    for (_, plural_name, entities) in [
        ("", "phases", &diff.phases),
        ("", "people", &diff.people),
        ("", "objectives", &diff.objectives),
        ("", "communication plan", &diff.communications),
    ] {
        if entities.is_empty() {
            continue;
        }
        let counts: Vec<String> = [
            (entities.added.len(), "added"),
            (entities.removed.len(), "removed"),
            (entities.changed.len(), "changed"),
        ]
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, what)| format!("{count} {what}"))
        .collect();
        parts.push(Words::new().plain(format!("{plural_name} ({})", counts.join(", "))));
    }
    if parts.is_empty() {
        return;
    }
    let mut words = Words::new().plain("Also: ");
    words.push_joined(parts);
    story.push(words.sentence(Topic::Other, Tone::Neutral));
}

// ---------------------------------------------------------------------
// Why the finish moved.

fn finish_change(old: &Side<'_>, new: &Side<'_>, context: &Context) -> Option<FinishChange> {
    let (old_schedule, new_schedule) = (old.schedule?, new.schedule?);
    if !old.present || !new.present {
        return None;
    }
    let working_days = match new.calendar {
        Some(calendar) => calendar.working_days_between(old_schedule.finish, new_schedule.finish),
        None => (new_schedule.finish - old_schedule.finish).num_days(),
    };
    let mut causes = Vec::new();
    if working_days > 0 {
        slip_causes(old, new, new_schedule, context, &mut causes);
    } else if working_days < 0 {
        gain_causes(old, new, old_schedule, context, &mut causes);
    }
    if working_days != 0 {
        plan_causes(
            old,
            new,
            old_schedule,
            new_schedule,
            working_days,
            &mut causes,
        );
    }
    // The largest first; ties keep the order along the critical path.
    causes.sort_by_key(|cause| std::cmp::Reverse(cause.days.unwrap_or(0).abs()));
    Some(FinishChange {
        old: old_schedule.finish,
        new: new_schedule.finish,
        working_days,
        causes,
    })
}

/// A dependency's predecessor id, read in the new version's ids.
fn link_key<'a>(context: &'a Context, dependency: &'a Dependency, old_side: bool) -> &'a str {
    let id = dependency.task.id.value.as_str();
    if old_side {
        context.renamed.get(id).map_or(id, String::as_str)
    } else {
        id
    }
}

/// What changed in one critical task, seen in the direction of the move:
/// `later` looks for what makes it later, else what makes it earlier.
fn task_causes(
    id: &str,
    old_task: &Task,
    new_task: &Task,
    context: &Context,
    status_dated: bool,
    later: bool,
    causes: &mut Vec<Cause>,
) {
    let cause = |kind, old: Value, new: Value, days: Option<i64>| Cause {
        kind,
        task: Some(id.to_owned()),
        other: None,
        old,
        new,
        days,
    };
    let (old_days, new_days) = (old_task.working_days(), new_task.working_days());
    if (later && new_days > old_days) || (!later && new_days < old_days) {
        causes.push(cause(
            CauseKind::Duration,
            Value::Int(old_days),
            Value::Int(new_days),
            Some(new_days - old_days),
        ));
    }
    let old_links: Vec<(&str, &Dependency)> = old_task
        .depends
        .iter()
        .map(|d| (link_key(context, d, true), d))
        .collect();
    let new_links: Vec<(&str, &Dependency)> = new_task
        .depends
        .iter()
        .map(|d| (link_key(context, d, false), d))
        .collect();
    let (from, to) = if later {
        (&old_links, &new_links)
    } else {
        (&new_links, &old_links)
    };
    for (predecessor, dependency) in to {
        match from
            .iter()
            .find(|(other, d)| other == predecessor && d.kind == dependency.kind)
        {
            None if !from.iter().any(|(other, _)| other == predecessor) => causes.push(Cause {
                kind: if later {
                    CauseKind::LinkAdded
                } else {
                    CauseKind::LinkRemoved
                },
                task: Some(id.to_owned()),
                other: Some((*predecessor).to_owned()),
                old: Value::None,
                new: Value::Ids(vec![dependency_text(predecessor, dependency)]),
                days: None,
            }),
            Some((_, before)) if before.lag != dependency.lag => {
                let (old_link, new_link) = if later {
                    (before, dependency)
                } else {
                    (dependency, before)
                };
                causes.push(Cause {
                    kind: CauseKind::LinkChanged,
                    task: Some(id.to_owned()),
                    other: Some((*predecessor).to_owned()),
                    old: Value::Ids(vec![dependency_text(predecessor, old_link)]),
                    new: Value::Ids(vec![dependency_text(predecessor, new_link)]),
                    days: Some(new_link.lag - old_link.lag),
                });
            }
            _ => {}
        }
    }
    let start_later = match (old_task.start, new_task.start) {
        (None, Some(_)) => later,
        (Some(_), None) => !later,
        (Some(o), Some(n)) => (n > o) == later && n != o,
        (None, None) => false,
    };
    if start_later {
        causes.push(cause(
            CauseKind::StartConstraint,
            Value::opt_date(old_task.start),
            Value::opt_date(new_task.start),
            None,
        ));
    }
    if status_dated
        && (old_task.status != new_task.status || old_task.progress != new_task.progress)
    {
        let state =
            |task: &Task| Value::keyword(format!("{} {}%", task.status.as_str(), task.progress));
        causes.push(cause(
            CauseKind::Progress,
            state(old_task),
            state(new_task),
            None,
        ));
    }
}

fn slip_causes(
    old: &Side<'_>,
    new: &Side<'_>,
    new_schedule: &Schedule,
    context: &Context,
    causes: &mut Vec<Cause>,
) {
    let status_dated = new.plan.project.status_date.is_some();
    for index in new_schedule.critical_path() {
        let Some(task) = new.plan.tasks.get(index) else {
            continue;
        };
        match context.old_of_new[index] {
            None => causes.push(Cause {
                kind: CauseKind::TaskAdded,
                task: Some(task.id.value.clone()),
                other: None,
                old: Value::None,
                new: Value::Int(task.working_days()),
                days: Some(task.working_days()),
            }),
            Some(old_index) => {
                if let Some(old_task) = old.plan.tasks.get(old_index) {
                    task_causes(
                        &task.id.value,
                        old_task,
                        task,
                        context,
                        status_dated,
                        true,
                        causes,
                    );
                }
            }
        }
    }
}

fn gain_causes(
    old: &Side<'_>,
    new: &Side<'_>,
    old_schedule: &Schedule,
    context: &Context,
    causes: &mut Vec<Cause>,
) {
    let status_dated = new.plan.project.status_date.is_some();
    for index in old_schedule.critical_path() {
        let Some(old_task) = old.plan.tasks.get(index) else {
            continue;
        };
        match context.new_of_old[index] {
            None => causes.push(Cause {
                kind: CauseKind::TaskRemoved,
                task: Some(old_task.id.value.clone()),
                other: None,
                old: Value::Int(old_task.working_days()),
                new: Value::None,
                days: Some(-old_task.working_days()),
            }),
            Some(new_index) => {
                if let Some(task) = new.plan.tasks.get(new_index) {
                    task_causes(
                        &task.id.value,
                        old_task,
                        task,
                        context,
                        status_dated,
                        false,
                        causes,
                    );
                }
            }
        }
    }
}

/// Changes to the whole plan that move every date: the project start, the
/// calendar, the status date.
fn plan_causes(
    old: &Side<'_>,
    new: &Side<'_>,
    old_schedule: &Schedule,
    new_schedule: &Schedule,
    working_days: i64,
    causes: &mut Vec<Cause>,
) {
    let later = working_days > 0;
    let plan_cause = |kind, old: Value, new: Value, days: Option<i64>| Cause {
        kind,
        task: None,
        other: None,
        old,
        new,
        days,
    };
    let (old_start, new_start) = (old.plan.project.start, new.plan.project.start);
    if old_start != new_start && (new_start > old_start) == later {
        causes.push(plan_cause(
            CauseKind::ProjectStart,
            Value::Date(old_start),
            Value::Date(new_start),
            None,
        ));
    }
    let span_start = old_schedule.start.min(new_schedule.start);
    let span_end = old_schedule.finish.max(new_schedule.finish);
    let within = |plan: &Plan, date: &NaiveDate| {
        *date >= span_start
            && *date <= span_end
            && plan
                .calendar
                .workdays
                .contains(&chrono::Datelike::weekday(date))
    };
    let added: Vec<String> = new
        .plan
        .calendar
        .holidays
        .iter()
        .filter(|date| !old.plan.calendar.holidays.contains(date) && within(new.plan, date))
        .map(ToString::to_string)
        .collect();
    let removed: Vec<String> = old
        .plan
        .calendar
        .holidays
        .iter()
        .filter(|date| !new.plan.calendar.holidays.contains(date) && within(old.plan, date))
        .map(ToString::to_string)
        .collect();
    let relevant = if later { &added } else { &removed };
    if !relevant.is_empty() {
        causes.push(plan_cause(
            CauseKind::Holidays,
            Value::Keywords(removed.clone()),
            Value::Keywords(added.clone()),
            Some(if later {
                added.len() as i64
            } else {
                -(removed.len() as i64)
            }),
        ));
    }
    if old.plan.calendar.workdays != new.plan.calendar.workdays {
        let names = |plan: &Plan| {
            Value::Keywords(
                plan.calendar
                    .workdays
                    .iter()
                    .map(|day| day.to_string().to_ascii_lowercase())
                    .collect(),
            )
        };
        causes.push(plan_cause(
            CauseKind::Workdays,
            names(old.plan),
            names(new.plan),
            None,
        ));
    }
    let (old_status, new_status) = (old.plan.project.status_date, new.plan.project.status_date);
    let moved = match (old_status, new_status) {
        (Some(o), Some(n)) => o != n && (n > o) == later,
        (None, Some(_)) => later,
        (Some(_), None) => !later,
        (None, None) => false,
    };
    if moved {
        causes.push(plan_cause(
            CauseKind::StatusDate,
            Value::opt_date(old_status),
            Value::opt_date(new_status),
            None,
        ));
    }
}
