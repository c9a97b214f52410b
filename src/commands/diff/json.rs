//! The diff as one JSON document; `docs/diff.md` gives the schema.

use serde_json::{Map, Value as Json, json};

use crate::diagnostic::Diagnostic;
use crate::diff::{EntityDiff, FieldChange, LogSummary, PlanDiff, Quoting, SideSummary, Value};

/// The version of the document's layout; it grows only by new keys.
pub(crate) const FORMAT: u64 = 1;

fn quote_text(text: &str) -> String {
    format!("\"{text}\"")
}

fn quote_id(id: &str) -> String {
    format!("`{id}`")
}

const QUOTING: Quoting<'static> = Quoting {
    text: &quote_text,
    id: &quote_id,
};

pub(super) fn render(diff: &PlanDiff) -> String {
    let document = document(diff);
    let text = serde_json::to_string_pretty(&document).unwrap_or_else(|_| "{}".to_owned());
    let mut text = crate::sanitize::json_inert(text);
    text.push('\n');
    text
}

/// A number that JSON can hold: finite, else null.
pub(crate) fn number(value: f64) -> Json {
    serde_json::Number::from_f64(value).map_or(Json::Null, Json::Number)
}

pub(crate) fn opt_number(value: Option<f64>) -> Json {
    value.map_or(Json::Null, number)
}

/// Money to the cent, ratios to three places.
pub(crate) fn rounded(value: Option<f64>, decimals: i32) -> Json {
    opt_number(value.map(|value| super::super::status::rounded(value, decimals)))
}

fn value(value: &Value) -> Json {
    match value {
        Value::None => Json::Null,
        Value::Bool(value) => json!(value),
        Value::Int(value) => json!(value),
        Value::Number(value) => number(*value),
        Value::Text(text) | Value::Keyword(text) => json!(text),
        Value::Date(date) => json!(date.to_string()),
        Value::List(items) | Value::Ids(items) | Value::Keywords(items) => json!(items),
        Value::Checklist(items) => Json::Array(
            items
                .iter()
                .map(|(item, done)| json!({"item": item, "done": done}))
                .collect(),
        ),
    }
}

pub(crate) fn diagnostic(diagnostic: &Diagnostic) -> Json {
    json!({
        "line": diagnostic.pos.line.max(1),
        "col": diagnostic.pos.col.max(1),
        "severity": diagnostic.severity.as_str(),
        "message": diagnostic.message,
    })
}

fn side(side: &SideSummary) -> Json {
    let metrics = side.metrics.as_ref().map(|m| {
        json!({
            "status_date": m.status_date.to_string(),
            "budget": rounded(m.budget, 2),
            "bac": rounded(Some(m.bac), 2),
            "ev": rounded(Some(m.ev), 2),
            "ac": rounded(Some(m.ac), 2),
            "eac": rounded(m.eac, 2),
            "spi": rounded(m.spi, 3),
            "cpi": rounded(m.cpi, 3),
            "percent_complete": rounded(Some(m.percent_complete), 2),
            "open_blockers": m.open_blockers,
            "open_risks": m.open_risks,
        })
    });
    json!({
        "label": side.label,
        "state": side.state.as_str(),
        "name": side.name,
        "tasks": side.tasks,
        "finish": side.finish.map(|d| d.to_string()),
        "slip": side.slip,
        "critical_path": side.critical_path,
        "schedule_error": side.schedule_error,
        "errors": side.errors(),
        "warnings": side.warnings(),
        "diagnostics": side.diagnostics.iter().map(diagnostic).collect::<Vec<_>>(),
        "metrics": metrics,
    })
}

fn fields(fields: &[FieldChange]) -> Json {
    Json::Array(
        fields
            .iter()
            .map(|f| json!({"field": f.field, "old": value(&f.old), "new": value(&f.new)}))
            .collect(),
    )
}

fn entities(entities: &EntityDiff) -> Json {
    let summary = |s: &crate::diff::EntitySummary| {
        let facts: Map<String, Json> = s
            .facts
            .iter()
            .map(|(key, v)| ((*key).to_owned(), value(v)))
            .collect();
        json!({"id": s.id, "name": s.name, "facts": facts})
    };
    json!({
        "added": entities.added.iter().map(summary).collect::<Vec<_>>(),
        "removed": entities.removed.iter().map(summary).collect::<Vec<_>>(),
        "changed": entities.changed.iter().map(|c| json!({
            "id": c.id,
            "old_id": c.old_id,
            "name": c.name,
            "events": c.events.iter().map(|e| e.as_str()).collect::<Vec<_>>(),
            "fields": fields(&c.fields),
        })).collect::<Vec<_>>(),
    })
}

fn log_entry(entry: &LogSummary) -> Json {
    json!({
        "date": entry.date.to_string(),
        "task": entry.task,
        "person": entry.person,
        "hours": number(entry.hours),
        "note": entry.note,
    })
}

fn document(diff: &PlanDiff) -> Json {
    let schedule = &diff.schedule;
    let finish = schedule.finish.as_ref().map(|f| {
        json!({
            "old": f.old.to_string(),
            "new": f.new.to_string(),
            "working_days": f.working_days,
            "causes": f.causes.iter().map(|c| json!({
                "kind": c.kind.as_str(),
                "task": c.task,
                "other": c.other,
                "old": value(&c.old),
                "new": value(&c.new),
                "days": c.days,
            })).collect::<Vec<_>>(),
        })
    });
    let moved: Vec<Json> = schedule
        .moved
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "name": m.name,
                "start": {"old": m.old_start.to_string(), "new": m.new_start.to_string(), "days": m.start_days},
                "finish": {"old": m.old_finish.to_string(), "new": m.new_finish.to_string(), "days": m.finish_days},
                "critical": {"old": m.old_critical, "new": m.new_critical},
                "edited": m.edited,
            })
        })
        .collect();
    let mut document = Map::new();
    document.insert("format".into(), json!(FORMAT));
    document.insert("changed".into(), json!(diff.has_changes()));
    document.insert("comparable".into(), json!(diff.comparable));
    document.insert("old".into(), side(&diff.old));
    document.insert("new".into(), side(&diff.new));
    document.insert(
        "story".into(),
        Json::Array(
            diff.story
                .iter()
                .map(|s| json!({"topic": s.topic.as_str(), "tone": s.tone.as_str(), "text": s.render(&QUOTING)}))
                .collect(),
        ),
    );
    document.insert(
        "schedule".into(),
        json!({
            "finish": finish,
            "moved": moved,
            "entered_critical": schedule.entered_critical,
            "left_critical": schedule.left_critical,
        }),
    );
    document.insert("project".into(), fields(&diff.project));
    for (_, plural, section) in diff.entity_sections() {
        document.insert(plural.replace('-', ""), entities(section));
    }
    document.insert(
        "log".into(),
        json!({
            "added": diff.log.added.iter().map(log_entry).collect::<Vec<_>>(),
            "removed": diff.log.removed.iter().map(log_entry).collect::<Vec<_>>(),
            "changed": diff.log.changed.iter().map(|(old, new)| json!({"old": log_entry(old), "new": log_entry(new)})).collect::<Vec<_>>(),
            "net_hours": number(diff.log.net_hours()),
        }),
    );
    document.insert(
        "metrics".into(),
        Json::Array(
            diff.metrics
                .iter()
                .map(|m| {
                    let decimals = match m.metric.unit() {
                        crate::diff::MetricUnit::Index => 3,
                        _ => 2,
                    };
                    json!({
                        "metric": m.metric.as_str(),
                        "old": rounded(m.old, decimals),
                        "new": rounded(m.new, decimals),
                        "delta": rounded(m.delta(), decimals),
                    })
                })
                .collect(),
        ),
    );
    document.insert(
        "problems".into(),
        json!({
            "introduced": diff.problems.introduced.iter().map(diagnostic).collect::<Vec<_>>(),
            "fixed": diff.problems.fixed.iter().map(diagnostic).collect::<Vec<_>>(),
        }),
    );
    Json::Object(document)
}
