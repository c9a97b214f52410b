use super::*;

const BASE: &str = "# The plan.\n[project]\nname = \"P\"\nstart = 2027-01-04\n\n[[task]]\nid = \"a\"\nname = \"A\"   # first\nduration = 2\n\n[[task]]\nid = \"b\"\nname = \"B\"\nduration = 3\ndepends = [\"a\"]\n\n[[task]]\nid = \"c\"\nname = \"C\"\n";

fn merged(base: &str, ours: &str, theirs: &str) -> Merged {
    merge(base, ours, theirs).expect("the texts merge")
}

#[test]
fn unchanged_sides_give_ours_back() {
    let result = merged(BASE, BASE, BASE);
    assert_eq!(result.text, BASE);
    assert!(result.conflicts.is_empty());
}

#[test]
fn edits_of_different_tasks_and_fields_both_land() {
    let ours = BASE.replace("duration = 2", "duration = 4");
    let theirs = BASE
        .replace("name = \"B\"", "name = \"Bee\"")
        .replace("name = \"A\"   # first", "name = \"A\"   # the first");
    let result = merged(BASE, &ours, &theirs);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    let expected = ours
        .replace("name = \"B\"", "name = \"Bee\"")
        .replace("name = \"A\"   # first", "name = \"A\"   # the first");
    assert_eq!(result.text, expected);
}

#[test]
fn one_task_edited_on_both_sides_in_different_fields() {
    let ours = BASE.replace("duration = 3", "duration = 5 # longer");
    let theirs = BASE.replace("depends = [\"a\"]", "depends = [\"a\"]\nstatus = \"doing\"");
    let result = merged(BASE, &ours, &theirs);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    assert_eq!(
        result.text,
        BASE.replace("duration = 3", "duration = 5 # longer")
            .replace("depends = [\"a\"]", "depends = [\"a\"]\nstatus = \"doing\"")
    );
}

#[test]
fn the_same_field_set_twice_is_a_conflict_that_keeps_ours() {
    let ours = BASE.replace("duration = 3", "duration = 8");
    let theirs = BASE.replace("duration = 3", "duration = 6");
    let result = merged(BASE, &ours, &theirs);
    assert_eq!(result.conflicts.len(), 1);
    assert_eq!(
        result.conflicts[0].describe(),
        "task `b`, `duration`: ours 8 (kept), theirs 6, base 3"
    );
    assert!(result.text.starts_with(&ours));
    assert!(result.text.contains("[[conflict]]\nkind = \"task\"\nid = \"b\"\nkey = \"duration\"\nbase = 3\nours = 8\ntheirs = 6\n"), "{}", result.text);
    let loaded = crate::store::parse_str(&result.text).expect("the merged plan parses");
    assert_eq!(loaded.plan.conflicts.len(), 1);
}

#[test]
fn additions_on_both_sides_stay_where_each_side_put_them() {
    let ours = BASE.replace(
        "\n[[task]]\nid = \"b\"",
        "\n[[task]]\nid = \"x\"\nname = \"X\"\n\n[[task]]\nid = \"b\"",
    );
    let theirs = format!("{BASE}\n[[task]]\nid = \"y\"\nname = \"Y\"\n");
    let result = merged(BASE, &ours, &theirs);
    assert!(result.conflicts.is_empty());
    assert_eq!(
        result.text,
        format!("{ours}\n[[task]]\nid = \"y\"\nname = \"Y\"\n")
    );
}

#[test]
fn a_move_on_one_side_and_an_edit_on_the_other() {
    let c = "\n[[task]]\nid = \"c\"\nname = \"C\"\n";
    let without_c = BASE.replace(c, "");
    let moved = without_c.replace(
        "\n[[task]]\nid = \"a\"",
        &format!("{c}\n[[task]]\nid = \"a\""),
    );
    let edited = BASE.replace("name = \"C\"", "name = \"Sea\"");
    for (ours, theirs) in [(&moved, &edited), (&edited, &moved)] {
        let result = merged(BASE, ours, theirs);
        assert!(result.conflicts.is_empty());
        assert_eq!(
            result.text,
            moved.replace("name = \"C\"", "name = \"Sea\""),
            "ours:\n{ours}"
        );
    }
}

#[test]
fn removal_against_edit_is_a_conflict_of_the_whole_entity() {
    let removed = BASE.replace("\n[[task]]\nid = \"c\"\nname = \"C\"\n", "");
    let edited = BASE.replace("name = \"C\"", "name = \"Sea\"");
    let result = merged(BASE, &removed, &edited);
    assert_eq!(result.conflicts.len(), 1);
    assert_eq!(result.conflicts[0].key, None);
    assert!(!result.text.contains("id = \"c\"\nname"));
    assert!(
        result
            .text
            .contains("theirs = { id = \"c\", name = \"Sea\" }"),
        "{}",
        result.text
    );
    let result = merged(BASE, &edited, &removed);
    assert_eq!(result.conflicts.len(), 1);
    assert!(result.text.contains("name = \"Sea\""));
}

#[test]
fn crlf_bom_and_no_final_newline_survive() {
    let crlf = format!("\u{feff}{}", BASE.replace('\n', "\r\n"));
    let ours = crlf.replace("duration = 2", "duration = 4");
    let theirs = BASE.replace("name = \"C\"", "name = \"Sea\"");
    let result = merged(&crlf, &ours, &theirs);
    assert_eq!(result.text, ours.replace("name = \"C\"", "name = \"Sea\""));
    let bare = BASE.trim_end();
    let theirs = bare.replace("duration = 2", "duration = 4");
    let result = merged(bare, bare, &theirs);
    assert_eq!(result.text, theirs);
    let ours = format!("{bare}\nnotes = \"n\"");
    let theirs = format!("{BASE}\n[[task]]\nid = \"d\"\nname = \"D\"\n");
    let result = merged(bare, &ours, &theirs);
    assert_eq!(
        result.text,
        format!("{ours}\n\n[[task]]\nid = \"d\"\nname = \"D\"")
    );
}

const GOVERNED: &str = "[project]\nname = \"P\"\nstart = 2027-01-04\n\n[[task]]\nid = \"a\"\nname = \"A\"\nduration = 2\n\n[[task]]\nid = \"b\"\nname = \"B\"\nduration = 3\n\n[[change]]\nid = \"C1\"\ntitle = \"Longer A\"\nnote = \"n\"\n\n[[change.edit]]\ntask = \"a\"\nduration = 4   # was 2\n\n[[gate]]\nid = \"G1\"\nname = \"Ready\"\nchecklist = [{ item = \"Runbook\", done = false }]\n";

/// The model of a merged text, which must read without errors.
fn read(text: &str) -> crate::model::Plan {
    let loaded = crate::store::parse_str(text).expect("the merged plan parses");
    assert!(!loaded.has_errors(), "{:?}\n{text}", loaded.diagnostics);
    loaded.plan
}

#[test]
fn a_change_gaining_task_edits_and_a_change_of_its_title_both_land() {
    let ours = GOVERNED.replace(
        "duration = 4   # was 2\n",
        "duration = 4   # was 2\n\n[[change.edit]]\ntask = \"b\"\nname = \"Bee\"\n\n[[change.add]]\nid = \"c\"\nname = \"C\"\ndepends = [\"a\"]\n",
    );
    let theirs = GOVERNED.replace("title = \"Longer A\"", "title = \"Longer A, renamed B\"");
    for (ours, theirs) in [(&ours, &theirs), (&theirs, &ours)] {
        let result = merged(GOVERNED, ours, theirs);
        assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
        let change = &read(&result.text).changes[0];
        assert_eq!(change.title, "Longer A, renamed B", "{}", result.text);
        let edited: Vec<&str> = change.edits.iter().map(|e| e.task.value.as_str()).collect();
        assert_eq!(edited, ["a", "b"], "{}", result.text);
        assert_eq!(change.edits[1].name.as_deref(), Some("Bee"));
        assert_eq!(change.adds.len(), 1, "{}", result.text);
        assert_eq!(change.adds[0].id.value, "c");
        // The edit's comment is kept as written.
        assert!(
            result.text.contains("duration = 4   # was 2\n"),
            "{}",
            result.text
        );
    }
}

#[test]
fn a_task_edit_changed_on_one_side_and_the_note_on_the_other_both_land() {
    let ours = GOVERNED.replace("duration = 4   # was 2", "duration = 6   # was 2");
    let theirs = GOVERNED.replace("note = \"n\"", "note = \"quoted\"");
    for (ours, theirs) in [(&ours, &theirs), (&theirs, &ours)] {
        let result = merged(GOVERNED, ours, theirs);
        assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
        let change = &read(&result.text).changes[0];
        assert_eq!(change.note.as_deref(), Some("quoted"), "{}", result.text);
        assert_eq!(change.edits.len(), 1, "{}", result.text);
        assert_eq!(
            change.edits[0].duration.as_ref().map(|d| d.value),
            Some(6),
            "{}",
            result.text
        );
    }
}

#[test]
fn a_gate_override_and_a_change_of_its_checklist_both_land() {
    let ours = GOVERNED.replace(
        "checklist = [{ item = \"Runbook\", done = false }]\n",
        "checklist = [{ item = \"Runbook\", done = false }]\noverride = { by = \"Ana\", date = 2027-01-08, reason = \"Runbook follows\" }\n",
    );
    let theirs = GOVERNED.replace("name = \"Ready\"", "name = \"Go-live ready\"");
    for (ours, theirs) in [(&ours, &theirs), (&theirs, &ours)] {
        let result = merged(GOVERNED, ours, theirs);
        assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
        let gate = &read(&result.text).gates[0];
        assert_eq!(gate.name, "Go-live ready", "{}", result.text);
        let overridden = gate.overridden.as_ref().expect("the override");
        assert_eq!(
            (overridden.by.as_str(), overridden.reason.as_str()),
            ("Ana", "Runbook follows")
        );
        assert!(
            result.text.contains(
                "override = { by = \"Ana\", date = 2027-01-08, reason = \"Runbook follows\" }\n"
            ),
            "{}",
            result.text
        );
    }
}

#[test]
fn two_overrides_of_one_gate_are_a_conflict_that_keeps_ours() {
    let with = |by: &str| {
        GOVERNED.replace(
            "checklist = [{ item = \"Runbook\", done = false }]\n",
            &format!("checklist = [{{ item = \"Runbook\", done = false }}]\noverride = {{ by = \"{by}\", reason = \"r\" }}\n"),
        )
    };
    let result = merged(GOVERNED, &with("Ana"), &with("Ben"));
    assert_eq!(result.conflicts.len(), 1, "{}", result.text);
    assert_eq!(result.conflicts[0].key.as_deref(), Some("override"));
    let gate = &crate::store::parse_str(&result.text)
        .expect("the merged plan parses")
        .plan
        .gates[0];
    assert_eq!(gate.overridden.as_ref().map(|o| o.by.as_str()), Some("Ana"));
}

#[test]
fn task_edits_of_one_change_made_on_both_sides() {
    let ours = GOVERNED.replace("duration = 4   # was 2", "duration = 6   # was 2");
    let theirs = GOVERNED.replace(
        "duration = 4   # was 2\n",
        "duration = 4   # was 2\n\n[[change.edit]]\ntask = \"b\"\nname = \"Bee\"\n",
    );
    let result = merged(GOVERNED, &ours, &theirs);
    let change = &read(&result.text).changes[0];
    let edits: Vec<(&str, Option<i64>)> = change
        .edits
        .iter()
        .map(|e| (e.task.value.as_str(), e.duration.as_ref().map(|d| d.value)))
        .collect();
    assert_eq!(edits, [("a", Some(6)), ("b", None)], "{}", result.text);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
}

#[test]
fn task_edits_merged_one_by_one_keep_their_place_and_their_conflicts() {
    let ours = GOVERNED.replace("duration = 4   # was 2", "duration = 6   # was 2");
    let theirs = GOVERNED.replace(
        "duration = 4   # was 2\n",
        "duration = 4   # was 2\n\n[[change.edit]]\ntask = \"b\"\nname = \"Bee\"\n",
    );
    let result = merged(GOVERNED, &ours, &theirs);
    assert!(
        result.text.contains(
            "duration = 6   # was 2\n\n[[change.edit]]\ntask = \"b\"\nname = \"Bee\"\n\n[[gate]]"
        ),
        "{}",
        result.text
    );
    // An edit removed on one side goes.
    let removed = GOVERNED.replace(
        "\n[[change.edit]]\ntask = \"a\"\nduration = 4   # was 2\n",
        "",
    );
    let renamed = GOVERNED.replace("title = \"Longer A\"", "title = \"Nothing\"");
    let result = merged(GOVERNED, &removed, &renamed);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    assert!(
        read(&result.text).changes[0].edits.is_empty(),
        "{}",
        result.text
    );
    // One edit's duration set twice: a conflict, ours kept.
    let other = GOVERNED.replace("duration = 4   # was 2", "duration = 5");
    let result = merged(GOVERNED, &ours, &other);
    assert_eq!(result.conflicts.len(), 1, "{}", result.text);
    assert_eq!(result.conflicts[0].key.as_deref(), Some("edit"));
    let change = &crate::store::parse_str(&result.text)
        .expect("the merged plan parses")
        .plan
        .changes[0];
    assert_eq!(change.edits[0].duration.as_ref().map(|d| d.value), Some(6));
}
