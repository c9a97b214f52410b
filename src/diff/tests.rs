use chrono::NaiveDate;

use super::*;

const BASE: &str = r#"[project]
name = "Demo"
start = 2027-01-04

[[phase]]
id = "design"
name = "Design"

[[phase]]
id = "build"
name = "Build"

[[person]]
id = "ana"
name = "Ana"
rate = 100

[[task]]
id = "spec"
name = "Write the spec"
phase = "design"
owner = "ana"
duration = 5
estimate = 40

[[task]]
id = "api"
name = "Payment API"
phase = "build"
owner = "ana"
duration = 5
estimate = 40
depends = ["spec"]

[[task]]
id = "docs"
name = "Docs"
phase = "build"
duration = 2
depends = ["spec"]

[[task]]
id = "launch"
name = "Launch"
milestone = true
depends = ["api", "docs"]

[[risk]]
id = "R1"
title = "Vendor delays"
likelihood = 2
impact = 3
"#;

fn dating() -> Dating {
    Dating {
        asked: None,
        fallback: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
    }
}

fn diff(old: &str, new: &str) -> PlanDiff {
    compare(
        &Version::from_text("old.toml", old, dating()),
        &Version::from_text("new.toml", new, dating()),
    )
}

fn quote(text: &str) -> String {
    format!("\"{text}\"")
}

fn backtick(id: &str) -> String {
    format!("`{id}`")
}

const PLAIN: Quoting<'static> = Quoting {
    text: &quote,
    id: &backtick,
};

fn story(diff: &PlanDiff) -> Vec<String> {
    diff.story.iter().map(|s| s.render(&PLAIN)).collect()
}

#[test]
fn a_longer_task_on_the_critical_path_explains_the_slip() {
    let new = BASE.replacen(
        "duration = 5\nestimate = 40\ndepends",
        "duration = 8\nestimate = 40\ndepends",
        1,
    );
    let diff = diff(BASE, &new);
    assert_eq!(
        story(&diff),
        vec![
            "Finish slips 3 working days, from 2027-01-15 to 2027-01-20, because on the critical path `api` grew from 5 to 8 days.",
            "Tasks: 1 changed.",
        ]
    );
}

/// `BASE` with `from` replaced by `to`, checking that `from` is there.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} is not in the plan");
    text.replacen(from, to, 1)
}

const API: &str = "id = \"api\"\nname = \"Payment API\"\nphase = \"build\"\nowner = \"ana\"\nduration = 5\nestimate = 40\ndepends = [\"spec\"]\n";

#[test]
fn a_task_added_on_the_critical_path_explains_the_slip() {
    let new = edit(
        BASE,
        "depends = [\"api\", \"docs\"]",
        "depends = [\"api\", \"docs\", \"qa\"]",
    ) + "\n[[task]]\nid = \"qa\"\nname = \"QA\"\nphase = \"build\"\nduration = 3\ndepends = [\"api\"]\n";
    let diff = diff(BASE, &new);
    assert_eq!(
        story(&diff),
        vec![
            "Finish slips 3 working days, from 2027-01-15 to 2027-01-20, because on the critical path `qa` was added (3 days) and `launch` now waits for `qa`.",
            "The critical path now runs through `qa`.",
            "Tasks: 1 added (`qa`) and 1 changed.",
        ]
    );
    assert_eq!(diff.new.critical_path, ["spec", "api", "qa", "launch"]);
    let launch = &diff.tasks.changed[0];
    assert_eq!(launch.id, "launch");
    assert_eq!(
        launch.fields,
        vec![FieldChange {
            field: "depends".into(),
            old: Value::Ids(vec!["api".into(), "docs".into()]),
            new: Value::Ids(vec!["api".into(), "docs".into(), "qa".into()]),
        }]
    );
}

#[test]
fn a_shorter_task_brings_the_finish_forward_and_a_removed_one_changes_nothing() {
    let shorter = edit(BASE, API, &API.replace("duration = 5", "duration = 3"));
    assert_eq!(
        story(&diff(BASE, &shorter)),
        vec![
            "Finish comes 2 working days earlier, from 2027-01-15 to 2027-01-13, because on the critical path `api` shrank from 5 to 3 days.",
            "Tasks: 1 changed.",
        ]
    );
    let without_docs = edit(
        &edit(
            BASE,
            "\n[[task]]\nid = \"docs\"\nname = \"Docs\"\nphase = \"build\"\nduration = 2\ndepends = [\"spec\"]\n",
            "",
        ),
        "depends = [\"api\", \"docs\"]",
        "depends = [\"api\"]",
    );
    let diff = diff(BASE, &without_docs);
    assert_eq!(
        story(&diff),
        vec![
            "Finish unchanged at 2027-01-15.",
            "Tasks: 1 removed (`docs`) and 1 changed."
        ]
    );
    assert_eq!(diff.tasks.removed[0].id, "docs");
    assert!(diff.schedule.moved.is_empty());
}

#[test]
fn status_phase_and_name_changes_are_told_as_progress_and_moves() {
    let mut new = edit(
        BASE,
        "duration = 5\nestimate = 40\n\n",
        "duration = 5\nestimate = 40\nstatus = \"done\"\nprogress = 100\n\n",
    );
    new = edit(
        &new,
        "phase = \"build\"\nowner = \"ana\"",
        "phase = \"design\"\nowner = \"ana\"",
    );
    new = edit(&new, "name = \"Docs\"", "name = \"User guide\"");
    let diff = diff(BASE, &new);
    assert_eq!(
        story(&diff),
        vec![
            "Finish unchanged at 2027-01-15.",
            "Tasks: 3 changed (1 moved to another phase and 1 renamed).",
            "Progress: 0.0% → 50.0% complete and `spec` finished.",
        ]
    );
    let spec = diff.tasks.changed.iter().find(|c| c.id == "spec").unwrap();
    assert_eq!(spec.events, vec![Event::Finished]);
    assert_eq!(spec.field("status").unwrap().new, Value::keyword("done"));
    assert_eq!(spec.field("progress").unwrap().old, Value::Int(0));
    let api = diff.tasks.changed.iter().find(|c| c.id == "api").unwrap();
    assert_eq!(
        api.field("phase").unwrap().old,
        Value::opt_id(Some("build"))
    );
    assert!(api.has(Event::MovedPhase));
    let docs = diff.tasks.changed.iter().find(|c| c.id == "docs").unwrap();
    assert_eq!(docs.events, vec![Event::Renamed]);
}

#[test]
fn a_task_with_a_new_id_is_recognised_by_its_name_and_its_dependents_stay_quiet() {
    let new = edit(
        &edit(BASE, "id = \"docs\"", "id = \"manual\""),
        "depends = [\"api\", \"docs\"]",
        "depends = [\"api\", \"manual\"]",
    );
    let diff = diff(BASE, &new);
    assert_eq!(
        story(&diff),
        vec![
            "Finish unchanged at 2027-01-15.",
            "Tasks: 1 changed (1 with a new id)."
        ]
    );
    assert_eq!(diff.tasks.changed.len(), 1);
    assert_eq!(diff.tasks.changed[0].id, "manual");
    assert_eq!(diff.tasks.changed[0].old_id.as_deref(), Some("docs"));
    assert!(diff.tasks.added.is_empty() && diff.tasks.removed.is_empty());
}

#[test]
fn risks_opened_closed_and_rescored() {
    let old = BASE.to_owned()
        + "\n[[risk]]\nid = \"R2\"\ntitle = \"Key person leaves\"\nlikelihood = 3\nimpact = 3\n";
    let new = edit(
        &old,
        "likelihood = 2\nimpact = 3\n",
        "likelihood = 2\nimpact = 3\nstatus = \"closed\"\n",
    );
    let new = edit(
        &new,
        "likelihood = 3\nimpact = 3\n",
        "likelihood = 5\nimpact = 3\n",
    ) + "\n[[risk]]\nid = \"R3\"\ntitle = \"PCI audit fails\"\nlikelihood = 4\nimpact = 5\n";
    let diff = diff(&old, &new);
    assert_eq!(
        story(&diff),
        vec![
            "Finish unchanged at 2027-01-15.",
            "Risks: `R3` opened (score 20), `R1` closed and `R2` re-scored 9 → 15.",
        ]
    );
    let r2 = diff.risks.changed.iter().find(|c| c.id == "R2").unwrap();
    assert_eq!(r2.field("likelihood").unwrap().new, Value::Int(5));
    assert_eq!(r2.events, vec![Event::Rescored]);
    // One closed, one opened: as many open as before.
    assert!(diff.metrics.iter().all(|m| m.metric != Metric::OpenRisks));
}

#[test]
fn change_requests_decided_gates_signed_and_checkins_recorded() {
    let old = BASE.to_owned()
        + "\n[[change]]\nid = \"C1\"\ntitle = \"Add a bar outlet\"\ncost = 4200\ndays = 2\n\
           \n[[gate]]\nid = \"G1\"\nname = \"Go-live readiness\"\nmilestone = \"launch\"\n\
           checklist = [{ item = \"Load test\", done = false }, { item = \"Runbook\", done = true }]\n";
    let new = edit(
        &old,
        "days = 2\n",
        "days = 2\nstatus = \"approved\"\ndecided_by = \"Dana\"\ndecided = 2027-01-06\n",
    );
    let new = edit(
        &new,
        "milestone = \"launch\"\n",
        "milestone = \"launch\"\nsigned = 2027-01-15\n",
    );
    let new = edit(
        &new,
        "\"Load test\", done = false",
        "\"Load test\", done = true",
    ) + "\n[[checkin]]\nweek = 2027-01-04\ndone = [\"Spec written\"]\n";
    let diff = diff(&old, &new);
    assert_eq!(
        story(&diff),
        vec![
            "Finish unchanged at 2027-01-15.",
            "Change requests: `C1` approved by \"Dana\" on 2027-01-06.",
            "Gates: `G1` signed on 2027-01-15.",
            "Check-in recorded for the week of 2027-01-04.",
        ]
    );
    let gate = &diff.gates.changed[0];
    assert_eq!(
        describe_change(
            &gate.field("checklist").unwrap().old,
            &gate.field("checklist").unwrap().new,
            &PLAIN
        ),
        "ticked \"Load test\""
    );
    assert_eq!(diff.checkins.added[0].id, "2027-01-04");
}

#[test]
fn budget_estimates_and_logged_hours_move_the_money() {
    let old = edit(
        BASE,
        "start = 2027-01-04\n",
        "start = 2027-01-04\nbudget = 10000\n",
    );
    let new = edit(&old, "budget = 10000", "budget = 12000");
    let new = edit(&new, API, &API.replace("estimate = 40", "estimate = 60"))
        + "\n[[log]]\ndate = 2027-01-04\ntask = \"spec\"\nhours = 6\nnote = \"kick-off\"\n";
    let diff = diff(&old, &new);
    assert_eq!(
        story(&diff),
        vec![
            "Finish unchanged at 2027-01-15.",
            "Tasks: 1 changed.",
            "Money: BAC 8,000.00 → 10,000.00 (+2,000.00), budget 10,000.00 → 12,000.00 (+2,000.00) and AC 0.00 → 600.00 (+600.00).",
            "Effort: 6 h logged in 1 entry (`spec` 6 h).",
            "Also: project.budget 10000 → 12000.",
        ]
    );
    assert_eq!(diff.log.net_hours(), 6.0);
    // The same entry with other hours is an edit of it, not a new one.
    let more = edit(&new, "hours = 6", "hours = 8");
    let diff = super::compare(
        &Version::from_text("a", &new, dating()),
        &Version::from_text("b", &more, dating()),
    );
    assert_eq!(diff.log.changed.len(), 1);
    assert_eq!(
        story(&diff),
        vec![
            "Finish unchanged at 2027-01-15.",
            "Money: AC 600.00 → 800.00 (+200.00).",
            "Effort: 1 log entry changed (+2 h).",
        ]
    );
}

#[test]
fn a_holiday_and_a_later_status_date_explain_slips_without_a_task_changing() {
    let holiday = edit(
        BASE,
        "start = 2027-01-04\n",
        "start = 2027-01-04\n\n[calendar]\nholidays = [2027-01-12]\n",
    );
    let slipped = diff(BASE, &holiday);
    assert_eq!(
        story(&slipped),
        vec![
            "Finish slips 1 working day, from 2027-01-15 to 2027-01-18, because holidays changed (+2027-01-12).",
            "Also: calendar.holidays +2027-01-12.",
        ]
    );
    let old = edit(
        BASE,
        "start = 2027-01-04\n",
        "start = 2027-01-04\nstatus_date = 2027-01-04\n",
    );
    let later = edit(&old, "status_date = 2027-01-04", "status_date = 2027-01-11");
    let lines = story(&diff(&old, &later));
    assert_eq!(
        lines[0],
        "Finish slips 5 working days, from 2027-01-15 to 2027-01-22, because the status date moved 2027-01-04 → 2027-01-11 with critical work unfinished."
    );
}

#[test]
fn a_longer_lag_is_named_with_the_link() {
    let new = edit(
        BASE,
        "depends = [\"api\", \"docs\"]",
        "depends = [{ task = \"api\", lag = 2 }, \"docs\"]",
    );
    assert_eq!(
        story(&diff(BASE, &new))[0],
        "Finish slips 2 working days, from 2027-01-15 to 2027-01-19, because on the critical path `launch` now waits for `api:fs+2` (was `api`)."
    );
}

#[test]
fn an_invalid_new_side_reports_its_new_errors_first() {
    let new = edit(
        BASE,
        "depends = [\"api\", \"docs\"]",
        "depends = [\"api\", \"nope\"]",
    );
    let diff = diff(BASE, &new);
    assert_eq!(diff.new.state, SideState::Invalid);
    assert!(diff.comparable);
    assert_eq!(
        story(&diff),
        vec![
            "The new version has 1 error (1 new), first at line 46: \"task `launch` depends on `nope`, which is not a task\".",
            "Finish unchanged at 2027-01-15.",
            "Tasks: 1 changed.",
        ]
    );
    assert_eq!(diff.problems.introduced.len(), 1);
    assert!(diff.problems.fixed.is_empty());
    // Fixing it is news too.
    let back = super::compare(
        &Version::from_text("a", &new, dating()),
        &Version::from_text("b", BASE, dating()),
    );
    assert_eq!(
        story(&back)[0],
        "The new version fixes the old one's 1 error."
    );
    assert_eq!(back.problems.fixed.len(), 1);
}

#[test]
fn a_cycle_leaves_the_new_finish_unknown() {
    let new = edit(
        BASE,
        "depends = [\"spec\"]\n\n[[task]]\nid = \"docs\"",
        "depends = [\"spec\", \"launch\"]\n\n[[task]]\nid = \"docs\"",
    );
    let diff = diff(BASE, &new);
    assert!(diff.new.finish.is_none());
    assert!(
        diff.new
            .schedule_error
            .as_deref()
            .unwrap_or_default()
            .contains("cycle"),
        "{:?}",
        diff.new
    );
    let lines = story(&diff);
    assert!(lines.iter().any(|l| l.contains("cycle")), "{lines:?}");
    assert!(
        lines.contains(
            &"The finish (2027-01-15 before) is unknown: the new version cannot be scheduled."
                .to_owned()
        ),
        "{lines:?}"
    );
}

#[test]
fn an_unparsable_side_is_shown_with_its_problem_and_nothing_is_compared() {
    let diff = diff(BASE, "[project\nname = 1\n");
    assert!(!diff.comparable);
    assert_eq!(diff.new.state, SideState::Unparsable);
    let lines = story(&diff);
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with("The new version does not parse (line 1: \"TOML syntax"),
        "{lines:?}"
    );
    assert!(
        lines[0].ends_with("so the plans cannot be compared."),
        "{lines:?}"
    );
    assert!(diff.has_changes());
    let not_utf8 = super::compare(
        &Version::from_bytes("a", Some(vec![0xff, 0xfe]), dating()),
        &Version::from_text("b", BASE, dating()),
    );
    assert_eq!(not_utf8.old.state, SideState::Unparsable);
    assert!(
        story(&not_utf8)[0].contains("not UTF-8"),
        "{:?}",
        story(&not_utf8)
    );
}

#[test]
fn an_added_plan_and_a_comment_only_change() {
    let added = super::compare(
        &Version::from_bytes("/dev/null", None, dating()),
        &Version::from_text("b", BASE, dating()),
    );
    assert_eq!(
        story(&added),
        vec!["New plan \"Demo\": 4 tasks, finishing on 2027-01-15."]
    );
    assert_eq!(added.tasks.added.len(), 4);
    assert!(added.project.is_empty());
    let removed = super::compare(
        &Version::from_text("a", BASE, dating()),
        &Version::from_bytes("/dev/null", None, dating()),
    );
    assert_eq!(
        story(&removed),
        vec!["The plan \"Demo\" was removed (4 tasks)."]
    );
    let commented = edit(
        BASE,
        "duration = 2\n",
        "duration = 2   # two days is plenty\n",
    );
    let same = diff(BASE, &commented);
    assert!(!same.has_changes());
    assert_eq!(story(&same), vec!["No change in plan terms."]);
}

#[test]
fn duplicate_ids_in_an_invalid_plan_pair_in_order() {
    let doubled = BASE.to_owned() + "\n[[task]]\nid = \"api\"\nname = \"Second API\"\n";
    let renamed = edit(
        &doubled,
        "name = \"Second API\"",
        "name = \"Second API, v2\"",
    );
    let diff = diff(&doubled, &renamed);
    assert_eq!(diff.tasks.changed.len(), 1);
    assert_eq!(diff.tasks.changed[0].name, "Second API, v2");
}

#[test]
fn a_change_gaining_task_edits_and_a_gate_override_are_told() {
    let old = BASE.to_owned()
        + "\n[[change]]\nid = \"C1\"\ntitle = \"Loyalty points\"\n\
           \n[[gate]]\nid = \"G1\"\nname = \"Go-live readiness\"\nmilestone = \"launch\"\n\
           checklist = [{ item = \"Load test\", done = false }]\n";
    let new = edit(
        &old,
        "title = \"Loyalty points\"\n",
        "title = \"Loyalty points\"\n\n[[change.edit]]\ntask = \"api\"\nduration = 8\n\
         \n[[change.add]]\nid = \"loyalty\"\nname = \"Loyalty\"\nduration = 3\ndepends = [\"api\"]\n",
    );
    let new = edit(
        &new,
        "checklist = [{ item = \"Load test\", done = false }]\n",
        "checklist = [{ item = \"Load test\", done = false }]\n\
         override = { by = \"Dana\", date = 2027-01-14, reason = \"Load test after launch\" }\n",
    );
    let diff = diff(&old, &new);
    assert_eq!(
        story(&diff),
        vec![
            "Finish unchanged at 2027-01-15.",
            "Change requests: `C1` task edits +\"api: duration = 8\" and `C1` new tasks +\"loyalty: Loyalty, 3 days, after api\".",
            "Gates: `G1` overridden \"by Dana on 2027-01-14: Load test after launch\".",
        ]
    );
    let change = &diff.changes.changed[0];
    assert_eq!(
        change.field("edit").map(|f| f.new.clone()),
        Some(Value::List(vec!["api: duration = 8".to_owned()]))
    );
    // And taken back: the override goes, the edits go.
    let back = super::compare(
        &Version::from_text("new.toml", &new, dating()),
        &Version::from_text("old.toml", &old, dating()),
    );
    let told = story(&back);
    assert!(
        told.iter().any(|s| s == "Gates: `G1` override removed."),
        "{told:?}"
    );
    assert!(
        told.iter().any(|s| s.contains("`C1` task edits")),
        "{told:?}"
    );
}
