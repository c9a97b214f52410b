//! One test per diagnostic: the exact position and message `check` prints.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use gantry::store::parse_str;

/// Every diagnostic of `text` as `LINE:COL: severity: message`.
fn diagnostics(text: &str) -> Vec<String> {
    let diagnostics = match parse_str(text) {
        Ok(loaded) => loaded.diagnostics,
        Err(diagnostics) => diagnostics,
    };
    // The format-preserving parser, which edits read through, finds the same.
    let through_document = match gantry::store::parse_str_with_document(text) {
        Ok(loaded) => loaded.diagnostics,
        Err(diagnostics) => diagnostics,
    };
    assert_eq!(diagnostics, through_document, "the two read paths differ");
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
        "7:12: error: `duration` in task `a` is -3, but a duration is a number of working days, from 0 to 1000000",
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
        "6:12: error: `capacity` in person `ana` is 1.5, but it must be a fraction of a full day, from 0.01 to 1 (0.5 is half time)",
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

#[test]
fn status_date_before_the_start_points_at_the_value() {
    assert_only(
        "[project]\nname = \"Demo\"\nstart = 2027-01-04\nstatus_date = 2026-12-01\n",
        "4:15: warning: `status_date` 2026-12-01 is before the project starts on 2027-01-04",
    );
}

#[test]
fn a_task_start_before_the_project_start_points_at_the_value() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\nstart = 2026-12-01\n"),
        "7:9: warning: task `a` may not start before 2026-12-01, but the project itself starts later, on 2027-01-04",
    );
}

#[test]
fn a_deeply_dotted_key_is_reported_on_its_line() {
    let key = vec!["k"; 20_000].join(".");
    assert_only(
        &plan(&format!("[[task]]\nid = \"a\"\nname = \"A\"\n{key} = 1\n")),
        "7:1: error: TOML syntax: this key is nested 20000 levels deep (a.b.c... with 20000 parts), but a key may have at most 79 parts; write a shorter key",
    );
}

#[test]
fn a_deeply_dotted_table_header_is_reported_on_its_line() {
    let key = vec!["a"; 20_000].join(".");
    assert_only(
        &plan(&format!("\n[{key}]\nx = 1\n")),
        "5:2: error: TOML syntax: this key is nested 20000 levels deep (a.b.c... with 20000 parts), but a key may have at most 79 parts; write a shorter key",
    );
    // Quoted dots are part of a name, not nesting.
    let quoted = format!("\"{}\"", vec!["a"; 200].join("."));
    assert_only(
        &plan(&format!(
            "[[task]]\nid = \"a\"\nname = \"A\"\n{quoted} = 1\n"
        )),
        &format!(
            "7:1: warning: unknown key `{}…` in task `a`",
            &vec!["a"; 200].join(".")[..60]
        ),
    );
}

#[test]
fn deeply_nested_arrays_say_so() {
    let value = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
    let found = diagnostics(&plan(&format!("x = {value}\n")));
    assert_eq!(
        found,
        vec![
            "4:85: error: TOML syntax: arrays or inline tables are nested too deeply here (more than 80 levels); nest them less"
        ]
    );
}

const NUL_MESSAGE: &str = "error: TOML syntax: a NUL byte (U+0000) is here, and TOML text may not hold one; this looks like a binary or damaged file — remove the byte or restore the file from git";

#[test]
fn a_nul_byte_is_named_where_it_is() {
    // Alone on a line, where the parser expects a key.
    assert_only(&plan("\0"), &format!("4:1: {NUL_MESSAGE}"));
    assert_only(&plan("[[task]]\n\0"), &format!("5:1: {NUL_MESSAGE}"));
    // Inside a string, a key and a comment.
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\0B\"\n"),
        &format!("6:10: {NUL_MESSAGE}"),
    );
    assert_only(
        &plan("[[task]]\nid\0 = \"a\"\n"),
        &format!("5:3: {NUL_MESSAGE}"),
    );
    assert_only(&plan("# a \0 b\n"), &format!("4:5: {NUL_MESSAGE}"));
}

#[test]
fn a_syntax_error_before_a_nul_byte_is_reported_first() {
    assert_only(
        &plan("[[task]\nid = \"\0\"\n"),
        "4:8: error: TOML syntax: unclosed array table, expected `]`",
    );
}

#[test]
fn a_table_after_an_array_of_tables_of_the_same_name_says_so() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\n[task]\nid = \"b\"\n"),
        "7:2: error: TOML syntax: duplicate key: [task] makes `task` one table, but line 4 already started an array of tables with [[task]]; write [[task]] here too",
    );
}

#[test]
fn an_array_of_tables_after_a_table_of_the_same_name_says_so() {
    assert_only(
        &plan("[task]\nid = \"a\"\n[[task]]\nid = \"b\"\n"),
        "6:3: error: TOML syntax: duplicate key: [[task]] adds to an array of tables, but line 4 already made `task` one table with [task]; write [[task]] there too, or use another name",
    );
}

#[test]
fn a_table_defined_twice_names_both_places() {
    assert_only(
        &plan("[calendar]\nhours_per_day = 8\n\n[calendar]\nholidays = []\n"),
        "7:2: error: TOML syntax: duplicate key: the table [calendar] is defined twice, here and at line 4; merge them into one",
    );
    assert_only(
        &plan("[project]\nname = \"Again\"\n"),
        "4:2: error: TOML syntax: duplicate key: the table [project] is defined twice, here and at line 1; merge them into one",
    );
}

#[test]
fn a_key_set_twice_names_the_first_line() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\nname = \"B\"\n"),
        "7:1: error: TOML syntax: duplicate key `name`: line 6 already sets `name` in this table; keep one of them",
    );
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\ndepends = [{ task = \"x\", task = \"y\" }]\n"),
        "7:26: error: TOML syntax: duplicate key `task`: this table already has `task`; keep one of them",
    );
}

#[test]
fn a_dotted_key_and_a_table_of_the_same_name_say_so() {
    assert_only(
        "[project]\nname = \"Demo\"\nstart = 2027-01-04\ncalendar.x = 1\n[project.calendar]\ny = 2\n",
        "5:10: error: TOML syntax: duplicate key: `project.calendar` is already defined above (by a dotted key or a table that holds it); define it once",
    );
}

#[test]
fn an_integer_too_large_for_the_format() {
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\nduration = 99999999999999999999\n"),
        "7:12: error: TOML syntax: integer number overflowed",
    );
}

#[test]
fn baseline_names_follow_the_id_rules() {
    let text = plan(
        "[[task]]\nid = \"a\"\nname = \"A\"\nbaselines = { \"bad name\" = { start = 2027-01-04, finish = 2027-01-05 }, \"\" = { start = 2027-01-04, finish = 2027-01-05 }, \"../x\" = { start = 2027-01-04, finish = 2027-01-05 } }\n",
    );
    let rule = "a baseline name may hold only ASCII letters, digits, '-', '_' and '.', like an id (e.g. signed-off)";
    assert_eq!(
        diagnostics(&text),
        vec![
            format!("7:15: error: baseline name `bad name` in task `a`: {rule}"),
            format!("7:73: error: an empty baseline name in task `a`: {rule}"),
            format!("7:123: error: baseline name `../x` in task `a`: {rule}"),
        ]
    );
    assert_only(
        &plan(
            "[[task]]\nid = \"a\"\nname = \"A\"\n[task.baselines.\"bad name\"]\nstart = 2027-01-04\nfinish = 2027-01-05\n",
        ),
        &format!("7:17: error: baseline name `bad name` in task `a`: {rule}"),
    );
    let loaded = parse_str(&text).unwrap();
    assert!(loaded.plan.tasks[0].baselines.is_empty());
}

#[test]
fn numbers_beyond_what_the_format_holds() {
    assert_eq!(
        diagnostics(&plan(
            "[calendar]\nhours_per_day = 1e-300\n[[person]]\nid = \"p\"\nrate = 1.7e308\ncapacity = 0.001\n[[task]]\nid = \"a\"\nname = \"A\"\nestimate = 1.7e308\n"
        )),
        vec![
            "5:17: error: `hours_per_day` in [calendar] is 1e-300, but it must be from 0.5 to 24",
            "8:8: error: `rate` in person `p` is 1.7e308, but it must be from 0 to 1000000 per hour",
            "9:12: error: `capacity` in person `p` is 0.001, but it must be a fraction of a full day, from 0.01 to 1 (0.5 is half time)",
            "13:12: error: `estimate` in task `a` is 1.7e308, but it must be from 0 to 1000000 hours",
        ]
    );
    assert_eq!(
        diagnostics(&plan(
            "[[checkin]]\nweek = 2027-01-04\nmetrics = { open_blockers = -1, spi = 1e9, cpi = -0.5, percent_complete = 101 }\n"
        )),
        vec![
            "6:29: error: `open_blockers` in the metrics of the check-in of 2027-01-04 is -1, but it must be from 0 to 1000000",
            "6:39: error: `spi` in the metrics of the check-in of 2027-01-04 is 1000000000, but it must be from 0 to 1000 (1 is on plan)",
            "6:50: error: `cpi` in the metrics of the check-in of 2027-01-04 is -0.5, but it must be from 0 to 1000 (1 is on plan)",
            "6:75: error: `percent_complete` in the metrics of the check-in of 2027-01-04 is 101, but it must be from 0 to 100",
        ]
    );
    assert_only(
        "[project]\nname = \"Demo\"\nstart = 2027-01-04\nbudget = 1e16\n",
        "4:10: error: `budget` in [project] is 1e16, but it must be from 0 to 1e15 (a thousand trillion)",
    );
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\nduration = 1000001\n"),
        "7:12: error: `duration` in task `a` is 1000001, but a duration is a number of working days, from 0 to 1000000",
    );
    assert_only(
        &plan("[[change]]\nid = \"c\"\ntitle = \"C\"\ncost = -2e15\n"),
        "7:8: error: `cost` in change request `c` is -2e15, but it must be from -1e15 to 1e15",
    );
}

#[test]
fn inf_and_nan_are_named_as_such() {
    assert_eq!(
        diagnostics(&plan(
            "[[task]]\nid = \"a\"\nname = \"A\"\nduration = inf\nprogress = nan\nestimate = -inf\n"
        )),
        vec![
            "7:12: error: `duration` in task `a` must be a whole number, not inf (infinity)",
            "8:12: error: `progress` in task `a` must be a whole number, not nan (not a number)",
            "9:12: error: `estimate` in task `a` must be a number, not -inf (minus infinity)",
        ]
    );
}

#[test]
fn quoted_values_are_cut_short() {
    let long = "x".repeat(10_000_000);
    let found = diagnostics(&plan(&format!(
        "[[task]]\nid = \"a\"\nname = \"A\"\nstatus = \"{long}\"\nowner = \"{long}\"\n"
    )));
    let cut = format!("{}…", "x".repeat(60));
    assert_eq!(
        found,
        vec![
            format!(
                "7:10: error: `status` in task `a` is \"{cut}\", which is not one of \"todo\", \"doing\", \"done\", \"blocked\""
            ),
            format!("8:9: error: task `a` is owned by `{cut}`, which is not a person"),
        ]
    );
}

#[test]
fn invisible_characters_in_quoted_values_are_spelt_out() {
    assert_only(
        &plan(
            "[[task]]\nid = \"a\"\nname = \"A\"\n[[task]]\nid = \"b\"\nname = \"B\"\ndepends = [\"a\u{200B}\"]\n",
        ),
        "10:12: error: task `b` depends on `a\\u{200b}`, which is not a task; did you mean `a`?",
    );
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\nstatus = \"done\u{202E}\\u001b[2J\"\n"),
        "7:10: error: `status` in task `a` is \"done\\u{202e}\\u{1b}[2J\", which is not one of \"todo\", \"doing\", \"done\", \"blocked\"; did you mean `done`?",
    );
    assert_only(
        &plan("[[task]]\nid = \"a\"\nname = \"A\"\n\"dur\u{200D}ation\" = 3\n"),
        "7:1: warning: unknown key `dur\\u{200d}ation` in task `a`; did you mean `duration`?",
    );
}
