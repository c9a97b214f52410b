//! One test per diagnostic: the exact position and message `check` prints.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use gantry::store::parse_str;

/// Every diagnostic of `text` as `LINE:COL: severity: message`.
fn diagnostics(text: &str) -> Vec<String> {
    let diagnostics = match parse_str(text) {
        Ok(loaded) => loaded.diagnostics,
        Err(diagnostics) => diagnostics,
    };
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}: {}: {}",
                d.pos.line,
                d.pos.col,
                d.severity.as_str(),
                d.message
            )
        })
        .collect()
}

const HEADER: &str = "[project]\nname = \"Demo\"\nstart = 2027-01-04\n";

/// The plan header followed by `rest`; `rest` starts on line 4.
fn plan(rest: &str) -> String {
    format!("{HEADER}{rest}")
}

fn assert_only(text: &str, expected: &str) {
    assert_eq!(
        diagnostics(text),
        vec![expected.to_owned()],
        "plan:\n{text}"
    );
}

#[test]
fn a_minimal_plan_is_clean() {
    assert_eq!(
        diagnostics(&plan("[[task]]\nid = \"a\"\nname = \"A\"\n")),
        Vec::<String>::new()
    );
}

#[test]
fn toml_syntax_error() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\n"),
        "6:10: error: TOML syntax: invalid basic string, expected `\"`",
    );
}

#[test]
fn duplicate_key_is_a_syntax_error() {
    let found = diagnostics(&plan("[[task]]\nid = \"a\"\nname = \"A\"\nname = \"B\"\n"));
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("7:1: error: TOML syntax: duplicate key"),
        "{found:?}"
    );
}

#[test]
fn empty_file() {
    assert_only(
        "",
        "1:1: error: the plan has no [project] table; add one with `name = \"...\"` and `start = 2027-01-04`",
    );
}

#[test]
fn missing_project_name_and_start() {
    assert_eq!(
        diagnostics("[project]\ncurrency = \"EUR\"\n"),
        vec![
            "1:1: error: [project] has no `name`; add one, e.g. name = \"Storefront replatform\"",
            "1:1: error: [project] has no `start`; add one, e.g. start = 2027-01-04",
        ]
    );
}

#[test]
fn wrong_type() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\nduration = \"5\"\n"),
        "7:12: error: `duration` in task `a` must be a whole number, not a string",
    );
}

#[test]
fn float_where_a_whole_number_is_needed() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\nduration = 2.5\n"),
        "7:12: error: `duration` in task `a` must be a whole number (no fraction), not a number with a fraction",
    );
}

#[test]
fn missing_task_name() {
    assert_only(
        &plan("\n[[task]]\nid = \"a\"\n"),
        "5:1: error: task `a` has no `name`; add one, e.g. name = \"Design review\"",
    );
}

#[test]
fn missing_task_id() {
    assert_only(
        &plan("[[task]]\nname = \"A\"\n"),
        "4:1: error: the task \"A\" has no `id`; add one, e.g. id = \"build\"",
    );
}

/// A table without an id is named by its name, or as "this task": never by
/// its line, which an edit elsewhere changes.
#[test]
fn entities_without_an_id_are_named_without_their_line() {
    assert_eq!(
        diagnostics(&plan("[[task]]\nduration = 2\n")),
        [
            "4:1: error: this task has no `id`; add one, e.g. id = \"build\"",
            "4:1: error: this task has no `name`; add one, e.g. name = \"Design review\"",
        ]
    );
    assert_only(
        &plan("[[log]]\ndate = 2027-01-05\ntask = \"a\"\nhours = 30\n"),
        "7:9: error: `hours` in the log entry of 2027-01-05 is 30, but it must be more than 0 and at most 24",
    );
}

#[test]
fn duplicate_id() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\n[[task]]\nid = \"a\"\nname = \"B\"\n"),
        "8:6: error: duplicate task id `a`: line 5 already has a task with this id; ids must be unique",
    );
}

#[test]
fn invalid_id_characters() {
    assert_only(
        &plan("[[task]]\nid = \"a b\"\nname = \"A\"\n"),
        "5:6: error: id `a b` may hold only ASCII letters, digits, '-', '_' and '.'",
    );
}

#[test]
fn unknown_dependency_with_suggestion() {
    assert_only(
        &plan(
            "[[task]]\nid = \"design\"\nname = \"D\"\n[[task]]\nid = \"api\"\nname = \"A\"\ndepends = [\"desgin\"]\n",
        ),
        "10:12: error: task `api` depends on `desgin`, which is not a task; did you mean `design`?",
    );
}

#[test]
fn unknown_phase() {
    assert_only(
        &plan("[[phase]]\nid = \"build\"\n[[task]]\nid = \"a\"\nname = \"A\"\nphase = \"biuld\"\n"),
        "9:9: error: task `a` is in phase `biuld`, which is not a phase; did you mean `build`?",
    );
}

#[test]
fn unknown_owner() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\nowner = \"bob\"\n"),
        "7:9: error: task `a` is owned by `bob`, which is not a person",
    );
}

#[test]
fn unknown_linked_task_of_a_risk() {
    assert_only(
        &plan(
            "[[risk]]\nid = \"R1\"\ntitle = \"T\"\nlikelihood = 2\nimpact = 3\ntasks = [\"nope\"]\n",
        ),
        "9:10: error: risk `R1` is linked to `nope`, which is not a task",
    );
}

#[test]
fn unknown_gate_milestone() {
    assert_only(
        &plan("[[gate]]\nid = \"g\"\nname = \"Go live\"\nmilestone = \"live\"\n"),
        "7:13: error: gate `g` guards `live`, which is not a task",
    );
}

#[test]
fn gate_guarding_a_task_that_is_not_a_milestone() {
    assert_only(
        &plan(
            "[[task]]\nid = \"a\"\nname = \"A\"\n[[gate]]\nid = \"g\"\nname = \"G\"\nmilestone = \"a\"\n",
        ),
        "10:13: warning: gate `g` guards `a`, which is not a milestone; a gate usually guards a milestone (milestone = true)",
    );
}

#[test]
fn work_logged_before_the_project_start() {
    assert_only(
        &plan(
            "[[task]]\nid = \"a\"\nname = \"A\"\n[[log]]\ndate = 2027-01-01\ntask = \"a\"\nhours = 2\n",
        ),
        "8:8: error: the log entry of 2027-01-01 for `a` is dated before the project starts on 2027-01-04, so the task would seem to have started before the project; correct the date, or move `start` in [project]",
    );
}

#[test]
fn a_malformed_id_is_kept_and_references_to_it_do_not_resolve() {
    let text = plan(
        "[[task]]\nid = \"c d\"\nname = \"C\"\n[[task]]\nid = \"e\"\nname = \"E\"\ndepends = [\"c d\"]\n",
    );
    assert_eq!(
        diagnostics(&text),
        [
            "5:6: error: id `c d` may hold only ASCII letters, digits, '-', '_' and '.'",
            "10:12: error: task `e` depends on `c d`, but that task's id is not valid (ids hold only ASCII letters, digits, '-', '_' and '.'); fix the id there and here",
        ]
    );
    let plan = parse_str(&text).unwrap().plan;
    assert_eq!(
        plan.tasks.len(),
        2,
        "the task with the malformed id is kept"
    );
    assert_eq!(plan.tasks[0].id.value, "c d");
    assert_eq!(plan.tasks[1].depends[0].task.index, None);
}

#[test]
fn unknown_log_task_and_person() {
    assert_eq!(
        diagnostics(&plan(
            "[[log]]\ndate = 2027-01-05\ntask = \"x\"\nperson = \"y\"\nhours = 2\n"
        )),
        vec![
            "6:8: error: the log entry of 2027-01-05 is for `x`, which is not a task",
            "7:10: error: the log entry of 2027-01-05 is by `y`, which is not a person",
        ]
    );
}

#[test]
fn dependency_cycle_names_every_task() {
    assert_only(
        &plan(
            "[[task]]\nid = \"a\"\nname = \"A\"\ndepends = [\"c\"]\n\
             [[task]]\nid = \"b\"\nname = \"B\"\ndepends = [\"a\"]\n\
             [[task]]\nid = \"c\"\nname = \"C\"\ndepends = [\"b\"]\n",
        ),
        "11:12: error: dependency cycle: `a` → `b` → `c` → `a`; each task here waits for the one before it, so none can start — remove one of these dependencies",
    );
}

#[test]
fn a_deep_chain_is_not_a_cycle_and_does_not_overflow() {
    let mut text = plan("");
    for index in 0..50_000 {
        text.push_str(&format!("[[task]]\nid = \"t{index}\"\nname = \"T\"\n"));
        if index > 0 {
            text.push_str(&format!("depends = [\"t{}\"]\n", index - 1));
        }
    }
    assert_eq!(diagnostics(&text), Vec::<String>::new());
}

#[test]
fn self_dependency() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\ndepends = [\"a\"]\n"),
        "7:12: error: task `a` depends on itself; remove it from its own `depends`",
    );
}

#[test]
fn quoted_date() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\nstart = \"2027-01-11\"\n"),
        "7:9: error: `start` in task `a` must be a TOML date, without quotes: write 2027-01-11",
    );
}

#[test]
fn a_string_that_is_not_a_date() {
    assert_only(
        "[project]\nname = \"Demo\"\nstart = \"next monday\"\n",
        "3:9: error: `start` in [project] is \"next monday\", which is not a date; write a date like 2027-01-04",
    );
}

#[test]
fn a_date_with_a_time() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\nstart = 2027-01-11T09:00:00\n"),
        "7:9: error: `start` in task `a` must be a date without a time: write 2027-01-11",
    );
}

#[test]
fn an_impossible_calendar_date() {
    let found = diagnostics(&plan(
        "[[task]]\nid = \"a\"\nname = \"A\"\nstart = 2027-02-30\n",
    ));
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("7:") && found[0].contains("error"),
        "{found:?}"
    );
}

#[test]
fn percent_over_100() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\nprogress = 120\n"),
        "7:12: error: `progress` in task `a` is 120, but it must be from 0 to 100",
    );
}

#[test]
fn likelihood_out_of_range() {
    assert_eq!(
        diagnostics(&plan(
            "[[risk]]\nid = \"R1\"\ntitle = \"T\"\nlikelihood = 6\nimpact = 0\n"
        )),
        vec![
            "7:14: error: `likelihood` in risk `R1` is 6, but it must be from 1 to 5",
            "8:10: error: `impact` in risk `R1` is 0, but it must be from 1 to 5",
        ]
    );
}

#[test]
fn missing_risk_scales() {
    assert_eq!(
        diagnostics(&plan("[[risk]]\nid = \"R1\"\ntitle = \"T\"\n")),
        vec![
            "4:1: error: risk `R1` has no `likelihood`; add one, e.g. likelihood = 3 (from 1 to 5)",
            "4:1: error: risk `R1` has no `impact`; add one, e.g. impact = 3 (from 1 to 5)",
        ]
    );
}

#[test]
fn negative_duration() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\nduration = -3\n"),
        "7:12: error: `duration` in task `a` is -3, but a duration is a number of working days, 0 or more",
    );
}

#[test]
fn invalid_enum_lists_the_valid_values() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\nstatus = \"dnoe\"\n"),
        "7:10: error: `status` in task `a` is \"dnoe\", which is not one of \"todo\", \"doing\", \"done\", \"blocked\"; did you mean `done`?",
    );
}

#[test]
fn invalid_dependency_type() {
    assert_only(
        &plan(
            "[[task]]\nid = \"a\"\nname = \"A\"\n[[task]]\nid = \"b\"\nname = \"B\"\ndepends = [{ task = \"a\", type = \"sf\" }]\n",
        ),
        "10:33: error: `type` in a dependency of task `b` is \"sf\", which is not one of \"fs\", \"ss\", \"ff\"",
    );
}

#[test]
fn empty_workdays() {
    assert_only(
        &plan("[calendar]\nworkdays = []\n"),
        "5:12: error: `workdays` in [calendar] has no working day, so nothing could ever be scheduled; list at least one, e.g. [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
    );
}

#[test]
fn unknown_weekday() {
    let found = diagnostics(&plan("[calendar]\nworkdays = [\"mon\", \"fry\"]\n"));
    assert_eq!(
        found,
        vec![
            "5:20: error: \"fry\" in `workdays` is not a weekday; use \"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\" or \"sun\""
        ]
    );
}

#[test]
fn unknown_key_warns_with_a_suggestion() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\ndurtion = 3\n"),
        "7:1: warning: unknown key `durtion` in task `a`; did you mean `duration`?",
    );
}

#[test]
fn unknown_table_warns_with_a_suggestion() {
    assert_only(
        &plan("[[tasks]]\nid = \"a\"\n"),
        "4:3: warning: unknown table `tasks`; did you mean `task`?",
    );
}

#[test]
fn a_single_table_where_an_array_is_expected() {
    assert_only(
        &plan("[task]\nid = \"a\"\n"),
        "4:2: error: `task` must be an array of tables: write [[task]], not a table",
    );
}

#[test]
fn capacity_out_of_range() {
    assert_only(
        &plan("[[person]]\nid = \"ana\"\ncapacity = 1.5\n"),
        "6:12: error: `capacity` in person `ana` is 1.5, but it must be a fraction of a full day, more than 0 and at most 1 (0.5 is half time)",
    );
}

#[test]
fn checkin_week_not_a_monday() {
    assert_only(
        &plan("[[checkin]]\nweek = 2027-01-13\n"),
        "5:8: warning: a check-in's `week` is the Monday of its week: 2027-01-13 is a Wednesday; write 2027-01-11",
    );
}

#[test]
fn milestone_with_a_duration() {
    assert_only(
        &plan("[[task]]\nid = \"m\"\nname = \"M\"\nmilestone = true\nduration = 3\n"),
        "8:12: warning: task `m` is a milestone, so its `duration` of 3 is ignored; remove it or set milestone = false",
    );
}

#[test]
fn escape_sequences_in_values_never_reach_messages_raw() {
    let found = diagnostics(&plan(
        "[[task]]\nid = \"a\"\nname = \"A\"\nstatus = \"\\u001b[2J\"\n",
    ));
    assert_eq!(found.len(), 1);
    assert!(!found[0].contains('\u{1b}'), "{found:?}");
}

#[test]
fn every_problem_is_reported_at_once() {
    let found = diagnostics(&plan(
        "[[task]]\nid = \"a\"\nname = \"A\"\nprogress = 101\nowner = \"x\"\n[[task]]\nid = \"a\"\nname = \"B\"\n",
    ));
    assert_eq!(found.len(), 3, "{found:?}");
}

/// A malformed id is kept in the model, so every message that names it
/// must defuse what it holds.
#[test]
fn a_malformed_id_never_reaches_the_terminal_raw() {
    let text = plan(
        "[[task]]\nid = \"x\\u001b[2J\\u202e\"\nname = \"A\"\nprogress = 300\n[[task]]\nid = \"x\\u001b[2J\\u202e\"\nname = \"B\"\ndepends = [\"x\\u001b[2J\\u202e\"]\n[[task]]\nid = \"y\"\nname = \"Y\"\ndepends = [\"x\\u001b[2J\\u202e\"]\n",
    );
    let lines = diagnostics(&text);
    assert!(lines.len() >= 5, "{lines:?}");
    for line in &lines {
        assert!(
            !line.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{line:?}"
        );
    }
}
