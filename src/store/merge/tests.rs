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
