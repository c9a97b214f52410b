//! Saving keeps what it did not change, is atomic, and never overwrites
//! someone else's edits.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;

use gantry::model::Baseline;
use gantry::store::{Edit, EditError, EntityKind, PlanFile, SaveError, SaveOutcome, TaskField};
use toml_edit::Value;

const PLAN: &str = r#"# Storefront replatform — the plan we review in pull requests.
[project]
name = "Storefront"
start = 2027-01-04   # first Monday of the year

[[phase]]
id = "build"
name = "Build"

# The API work depends on the design.
[[task]]
id = "design"
name = "Design"
phase = "build"
duration = 5
status = "doing"     # started on time
progress = 40        # estimate from Ana

[[task]]
id   = "api"
name = "Payment API"
depends = ["design"]

[[task]]
id = "launch"
name = "Launch"
milestone = true
depends = ["api"]
"#;

fn write_plan(folder: &Path, text: &str) -> std::path::PathBuf {
    let path = folder.join("plan.toml");
    fs::write(&path, text).unwrap();
    path
}

fn set(
    file: &mut PlanFile,
    task: &str,
    field: TaskField,
    value: impl Into<Value>,
) -> Result<Edit, EditError> {
    file.apply(Edit::SetTask {
        task: task.to_owned(),
        field,
        value: Some(value.into()),
    })
}

/// The lines that differ between two texts of the same length in lines.
fn changed_lines(before: &str, after: &str) -> Vec<(String, String)> {
    before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect()
}

#[test]
fn loading_and_saving_without_edits_is_byte_identical() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    assert_eq!(file.text(), PLAN);
    assert!(!file.is_modified());
    assert_eq!(file.save().unwrap(), SaveOutcome::Unchanged);
    assert_eq!(fs::read_to_string(&path).unwrap(), PLAN);
}

#[test]
fn marking_a_task_done_changes_exactly_one_line_and_keeps_its_comment() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    set(&mut file, "design", TaskField::Status, "done").unwrap();
    assert_eq!(file.save().unwrap(), SaveOutcome::Written);
    let after = fs::read_to_string(&path).unwrap();
    assert_eq!(after.lines().count(), PLAN.lines().count());
    assert_eq!(
        changed_lines(PLAN, &after),
        vec![(
            "status = \"doing\"     # started on time".to_owned(),
            "status = \"done\"     # started on time".to_owned()
        )]
    );
    assert_eq!(
        file.plan.task("design").unwrap().status,
        gantry::model::TaskStatus::Done
    );
}

#[test]
fn a_new_key_goes_inside_its_own_table() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    set(&mut file, "api", TaskField::Progress, 25).unwrap();
    file.save().unwrap();
    let after = fs::read_to_string(&path).unwrap();
    let expected = PLAN.replace(
        "depends = [\"design\"]\n",
        "depends = [\"design\"]\nprogress = 25\n",
    );
    assert_eq!(after, expected);
}

#[test]
fn setting_a_value_to_what_it_is_does_not_rewrite_the_file() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let modified_before = fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut file = PlanFile::open(&path).unwrap();
    set(&mut file, "design", TaskField::Progress, 40).unwrap();
    assert_eq!(file.save().unwrap(), SaveOutcome::Unchanged);
    assert_eq!(
        fs::metadata(&path).unwrap().modified().unwrap(),
        modified_before
    );
}

#[test]
fn an_invalid_value_is_refused_and_nothing_changes() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    let error = set(&mut file, "design", TaskField::Progress, 140).unwrap_err();
    let EditError::Invalid(diagnostics) = error else {
        panic!("expected a refusal, got {error:?}");
    };
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].pos.line, 17);
    assert_eq!(
        diagnostics[0].message,
        "`progress` in task `design` is 140, but it must be from 0 to 100"
    );
    assert_eq!(file.text(), PLAN);
    assert_eq!(file.plan.task("design").unwrap().progress, 40);
}

#[test]
fn a_dependency_that_closes_a_cycle_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    let depends = Value::Array(["launch"].into_iter().collect());
    let error = set(&mut file, "design", TaskField::Depends, depends).unwrap_err();
    assert!(
        matches!(error, EditError::Invalid(ref d) if d[0].message.starts_with("dependency cycle")),
        "{error:?}"
    );
    assert_eq!(file.text(), PLAN);
}

#[test]
fn edits_can_be_undone_with_their_inverse() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    let undo_status = set(&mut file, "design", TaskField::Status, "blocked").unwrap();
    let undo_new_key = set(&mut file, "api", TaskField::Duration, 3).unwrap();
    let undo_remove = file
        .apply(Edit::Remove {
            kind: EntityKind::Task,
            id: "launch".to_owned(),
        })
        .unwrap();
    assert!(file.plan.task("launch").is_none());
    file.apply(undo_remove).unwrap();
    file.apply(undo_new_key).unwrap();
    file.apply(undo_status).unwrap();
    assert_eq!(file.text(), PLAN);
    assert!(!file.is_modified());
}

#[test]
fn adding_after_an_entity_places_the_new_table_right_after_it() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    let mut table = toml_edit::Table::new();
    table.insert("id", toml_edit::value("review"));
    table.insert("name", toml_edit::value("Design review"));
    file.apply(Edit::Add {
        kind: EntityKind::Task,
        after: Some("design".to_owned()),
        table,
    })
    .unwrap();
    let ids: Vec<&str> = file.plan.tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["design", "review", "api", "launch"]);
    let text = file.text();
    let review = text.find("id = \"review\"").unwrap();
    assert!(
        text.find("id = \"design\"").unwrap() < review
            && review < text.find("id   = \"api\"").unwrap()
    );
    assert!(
        gantry::store::parse_str(&text)
            .unwrap()
            .diagnostics
            .is_empty()
    );
}

#[test]
fn moving_an_entity_reorders_the_file_and_keeps_its_comment() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    let undo = file
        .apply(Edit::Move {
            kind: EntityKind::Task,
            id: "design".to_owned(),
            index: 1,
        })
        .unwrap();
    let text = file.text();
    let ids: Vec<&str> = file.plan.tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["api", "design", "launch"]);
    assert!(text.find("id   = \"api\"").unwrap() < text.find("# The API work depends").unwrap());
    file.apply(undo).unwrap();
    assert_eq!(file.text(), PLAN);
}

#[test]
fn baselines_are_one_line_per_task() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    let date = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let baseline = Baseline {
        start: date("2027-01-04"),
        finish: date("2027-01-08"),
    };
    file.apply(Edit::SetBaseline {
        task: "design".to_owned(),
        name: None,
        baseline,
    })
    .unwrap();
    file.apply(Edit::SetBaseline {
        task: "design".to_owned(),
        name: Some("q1".to_owned()),
        baseline,
    })
    .unwrap();
    let text = file.text();
    assert!(
        text.contains("baseline = { start = 2027-01-04, finish = 2027-01-08 }\n"),
        "{text}"
    );
    assert!(
        text.contains("baselines = { q1 = { start = 2027-01-04, finish = 2027-01-08 } }\n"),
        "{text}"
    );
    assert_eq!(file.plan.task("design").unwrap().baseline, Some(baseline));
    assert_eq!(
        file.plan.task("design").unwrap().baselines,
        vec![("q1".to_owned(), baseline)]
    );
}

#[test]
fn a_file_changed_on_disk_is_never_overwritten() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    set(&mut file, "design", TaskField::Progress, 50).unwrap();
    let theirs = PLAN.replace("Payment API", "Payments API");
    fs::write(&path, &theirs).unwrap();
    let error = file.save().unwrap_err();
    assert!(matches!(error, SaveError::Conflict { .. }), "{error:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), theirs);
    // Overwriting is an explicit choice.
    file.save_overwriting().unwrap();
    assert!(fs::read_to_string(&path).unwrap().contains("progress = 50"));
}

#[test]
fn a_deleted_file_is_not_quietly_recreated_by_save() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    fs::remove_file(&path).unwrap();
    set(&mut file, "design", TaskField::Progress, 50).unwrap();
    let error = file.save().unwrap_err();
    assert!(matches!(error, SaveError::Deleted { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!(
            "{} was deleted on disk since it was read; nothing was written — save it again explicitly to bring it back",
            path.display()
        )
    );
    assert!(!path.exists());
    // A command is refused the same way (exit 1).
    let edit = Edit::SetTask {
        task: "api".to_owned(),
        field: TaskField::Progress,
        value: Some(5.into()),
    };
    let error = file
        .save_redoing(|file| file.apply(edit).map(|_| ()))
        .unwrap_err();
    assert!(matches!(error, SaveError::Deleted { .. }) && error.is_refusal());
    assert!(!path.exists());
    // Saving it again is a choice.
    file.save_overwriting().unwrap();
    assert!(fs::read_to_string(&path).unwrap().contains("progress = 50"));
    // And from then on it is the plan on disk: deleting it again is noticed.
    fs::remove_file(&path).unwrap();
    assert!(matches!(file.save(), Err(SaveError::Deleted { .. })));
    // A plan never read from a file is written where it is to go.
    let new = folder.path().join("new.toml");
    let mut file = PlanFile::from_text(&new, PLAN.to_owned()).unwrap();
    file.save().unwrap();
    assert_eq!(fs::read_to_string(&new).unwrap(), PLAN);
}

#[cfg(unix)]
#[test]
fn permission_bits_are_kept() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let mut file = PlanFile::open(&path).unwrap();
    set(&mut file, "design", TaskField::Progress, 50).unwrap();
    file.save().unwrap();
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o7777,
        0o640
    );
}

#[cfg(unix)]
#[test]
fn saving_through_a_symlink_writes_the_target() {
    let folder = tempfile::tempdir().unwrap();
    let real_folder = folder.path().join("real");
    fs::create_dir(&real_folder).unwrap();
    let target = write_plan(&real_folder, PLAN);
    let link = folder.path().join("link.toml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let mut file = PlanFile::open(&link).unwrap();
    set(&mut file, "design", TaskField::Progress, 50).unwrap();
    file.save().unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::read_to_string(&target)
            .unwrap()
            .contains("progress = 50")
    );
    let leftovers: Vec<_> = fs::read_dir(folder.path()).unwrap().collect();
    assert_eq!(
        leftovers.len(),
        2,
        "only the link and the real folder: {leftovers:?}"
    );
}

#[test]
fn no_temporary_file_is_left_behind_and_abandoned_ones_are_cleaned() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    // What a save killed before its rename leaves: a temporary of a process that is gone.
    let abandoned = folder
        .path()
        .join(".plan.toml.gantry-4000000000-abc123.tmp");
    fs::write(&abandoned, "half a plan").unwrap();
    let mut file = PlanFile::open(&path).unwrap();
    set(&mut file, "design", TaskField::Progress, 50).unwrap();
    file.save().unwrap();
    let names: Vec<String> = fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["plan.toml"]);
}

#[test]
fn opening_a_plan_removes_temporaries_of_killed_saves_only() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let abandoned = folder
        .path()
        .join(".plan.toml.gantry-4000000000-abc123.tmp");
    fs::write(&abandoned, PLAN).unwrap();
    // A save in progress in a live process (this one) is left alone, and
    // so are files that only look alike.
    let live = folder.path().join(format!(
        ".plan.toml.gantry-{}-abc123.tmp",
        std::process::id()
    ));
    fs::write(&live, PLAN).unwrap();
    let other = folder
        .path()
        .join(".other.toml.gantry-4000000000-abc123.tmp");
    fs::write(&other, PLAN).unwrap();
    PlanFile::open(&path).unwrap();
    assert!(!abandoned.exists());
    assert!(live.exists());
    assert!(other.exists());
}

#[cfg(unix)]
#[test]
fn new_files_get_the_usual_permission_bits_and_recovery_files_the_plans() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |path: &std::path::Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    // What any program creating a file here gets: 0o666 less the umask.
    let usual = folder.path().join("usual");
    fs::write(&usual, "").unwrap();
    let mut file = PlanFile::open(&path).unwrap();
    let copy = folder.path().join("copy.toml");
    file.save_as(&copy, false).unwrap();
    assert_eq!(mode(&copy), mode(&usual));

    // A recovery file of a private plan is private too.
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    let recovery = folder.path().join(".plan.toml.gantry-recovery");
    gantry::store::write_atomically_like(&recovery, PLAN.as_bytes(), &path).unwrap();
    assert_eq!(mode(&recovery), 0o600);
}

#[test]
fn located_positions_after_edits_are_those_check_reports() {
    // An unknown key in `api` and one in `launch`: edits above and inside
    // them move their lines.
    let text = PLAN
        .replace("id   = \"api\"\n", "id   = \"api\"\ncolour = \"red\"\n")
        .replace("milestone = true\n", "milestone = true\nsize = 3\n");
    let mut file = PlanFile::from_text(Path::new("plan.toml"), text).unwrap();
    set(
        &mut file,
        "design",
        TaskField::Blocker,
        "waiting for the brand guide",
    )
    .unwrap();
    set(
        &mut file,
        "api",
        TaskField::Notes,
        "see the vendor's sandbox",
    )
    .unwrap();
    file.apply(Edit::Add {
        kind: EntityKind::Task,
        after: Some("design".to_owned()),
        table: {
            let mut table = toml_edit::Table::new();
            table.insert("id", toml_edit::value("review"));
            table.insert("name", toml_edit::value("Design review"));
            table
        },
    })
    .unwrap();
    file.locate();
    let fresh = gantry::store::parse_str(&file.text()).unwrap();
    assert_eq!(file.diagnostics, fresh.diagnostics);
    assert_eq!(file.diagnostics.len(), 2, "{:?}", file.diagnostics);
    let positions = |plan: &gantry::model::Plan| {
        plan.tasks
            .iter()
            .map(|task| (task.id.value.clone(), task.pos))
            .collect::<Vec<_>>()
    };
    assert_eq!(positions(&file.plan), positions(&fresh.plan));
}

#[test]
fn unknown_ids_are_named_with_a_suggestion() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    let error = set(&mut file, "desing", TaskField::Progress, 50).unwrap_err();
    assert_eq!(
        error.to_string(),
        "there is no task with id `desing`; did you mean `design`?"
    );
}

#[test]
fn entities_without_ids_are_appended_and_removed_by_index() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    let mut table = toml_edit::Table::new();
    table.insert(
        "date",
        toml_edit::Item::Value(gantry::store::toml_date(
            chrono::NaiveDate::from_ymd_opt(2027, 1, 5).unwrap(),
        )),
    );
    table.insert("task", toml_edit::value("design"));
    table.insert("hours", toml_edit::value(6));
    let undo = file
        .apply(Edit::Add {
            kind: EntityKind::Log,
            after: None,
            table,
        })
        .unwrap();
    assert!(
        file.text().ends_with(
            "depends = [\"api\"]\n\n[[log]]\ndate = 2027-01-05\ntask = \"design\"\nhours = 6\n"
        ),
        "{}",
        file.text()
    );
    assert_eq!(file.plan.log.len(), 1);
    file.apply(undo).unwrap();
    assert_eq!(file.text(), PLAN);
}

#[test]
fn any_entity_field_can_be_set_and_restored() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    let undo = file
        .apply(Edit::Set {
            kind: EntityKind::Phase,
            id: "build".to_owned(),
            key: "name".to_owned(),
            value: Some("Build and test".into()),
        })
        .unwrap();
    assert!(file.text().contains("name = \"Build and test\"\n"));
    assert_eq!(file.plan.phases[0].name, "Build and test");
    file.apply(undo).unwrap();
    assert_eq!(file.text(), PLAN);
}

#[test]
fn removing_a_middle_entity_and_undoing_restores_the_exact_text() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let mut file = PlanFile::open(&path).unwrap();
    let undo = file
        .apply(Edit::Remove {
            kind: EntityKind::Task,
            id: "api".to_owned(),
        })
        .unwrap_err();
    // `launch` depends on `api`: removing it would break the plan.
    assert!(matches!(undo, EditError::Invalid(_)), "{undo:?}");
    let undo = file
        .apply(Edit::Remove {
            kind: EntityKind::Task,
            id: "design".to_owned(),
        })
        .unwrap_err();
    assert!(matches!(undo, EditError::Invalid(_)));
    assert_eq!(file.text(), PLAN);
}

fn gantry_task_set(path: &Path, task: &str, assignment: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gantry"))
        .args(["task", "set"])
        .arg(path)
        .args([task, assignment])
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn owner_group_and_mode_are_kept() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let me = fs::metadata(&path).unwrap();
    // Run as root (as in CI), the plan belongs to someone else; run as
    // anyone else, to the runner, and a save must keep that.
    let (user, group) = if me.uid() == 0 {
        std::os::unix::fs::chown(&path, Some(1234), Some(1234)).unwrap();
        (1234, 1234)
    } else {
        (me.uid(), me.gid())
    };
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let output = gantry_task_set(&path, "design", "progress=55");
    assert!(output.status.success(), "{output:?}");
    let after = fs::metadata(&path).unwrap();
    assert!(fs::read_to_string(&path).unwrap().contains("progress = 55"));
    assert_ne!(after.ino(), me.ino(), "the save replaced the file");
    assert_eq!((after.uid(), after.gid()), (user, group));
    assert_eq!(after.permissions().mode() & 0o7777, 0o640);
    // The app's save path keeps them too.
    let mut file = PlanFile::open(&path).unwrap();
    set(&mut file, "design", TaskField::Progress, 65).unwrap();
    file.save().unwrap();
    let after = fs::metadata(&path).unwrap();
    assert_eq!((after.uid(), after.gid()), (user, group));
    assert_eq!(after.permissions().mode() & 0o7777, 0o640);
}

#[cfg(unix)]
#[test]
fn a_plan_without_write_permission_is_refused_and_left_as_it_is() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).unwrap();
    let before = fs::metadata(&path).unwrap();
    let output = gantry_task_set(&path, "design", "progress=55");
    // An I/O error, as for a read-only folder (even when run as root).
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "cannot save {}: the file is read-only (mode 444); make it writable (chmod u+w) or save under another name",
            path.display()
        )),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), PLAN);
    let after = fs::metadata(&path).unwrap();
    assert_eq!(after.ino(), before.ino());
    assert_eq!(after.permissions().mode() & 0o7777, 0o444);
    // The same in the library, with the error naming the plan.
    let mut file = PlanFile::open(&path).unwrap();
    set(&mut file, "design", TaskField::Progress, 65).unwrap();
    let error = file.save().unwrap_err();
    assert!(
        matches!(error, SaveError::ReadOnly { mode: 0o444, .. }),
        "{error:?}"
    );
    // A save that changes nothing is no write at all.
    let mut file = PlanFile::open(&path).unwrap();
    assert_eq!(file.save().unwrap(), SaveOutcome::Unchanged);
}

#[cfg(unix)]
#[test]
fn a_save_that_splits_hard_links_says_so() {
    let folder = tempfile::tempdir().unwrap();
    let path = write_plan(folder.path(), PLAN);
    let other = folder.path().join("other-name.toml");
    fs::hard_link(&path, &other).unwrap();
    let output = gantry_task_set(&path, "design", "progress=55");
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr,
        format!(
            "gantry: warning: {} had 2 hard links; saving gave this name a new file, so the other link still shows the old text\n",
            path.display()
        )
    );
    assert!(fs::read_to_string(&path).unwrap().contains("progress = 55"));
    assert_eq!(fs::read_to_string(&other).unwrap(), PLAN);
    // Split now: the next save has nothing to say.
    let output = gantry_task_set(&path, "design", "progress=56");
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");

    // The app says it on its status line.
    use gantry::app::{App, Level, Origin};
    fs::hard_link(&path, folder.path().join("third.toml")).unwrap();
    let file = PlanFile::open(&path).unwrap();
    let config = gantry::config::Config::defaults(gantry::theme::Capabilities {
        color: gantry::theme::ColorSupport::Ansi16,
        unicode: true,
    });
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let mut app = App::new(file, Origin::File, config, today);
    set(&mut app.file, "design", TaskField::Progress, 70).unwrap();
    app.save();
    let (level, message) = app.message.clone().unwrap();
    assert_eq!(level, Level::Warning);
    assert!(
        message.contains("had 2 hard links; saving gave this name a new file"),
        "{message}"
    );
}

#[test]
fn a_byte_order_mark_is_kept_whatever_the_line_endings() {
    let folder = tempfile::tempdir().unwrap();
    let lf = format!("\u{feff}{PLAN}");
    let crlf = lf.replace('\n', "\r\n");
    for original in [
        lf.clone(),
        lf.trim_end().to_owned(),
        crlf.clone(),
        crlf.trim_end().to_owned(),
    ] {
        let path = write_plan(folder.path(), &original);
        let mut file = PlanFile::open(&path).unwrap();
        assert!(!file.is_modified(), "{original:?}");
        set(&mut file, "design", TaskField::Progress, 50).unwrap();
        file.save().unwrap();
        let saved = fs::read_to_string(&path).unwrap();
        let expected = original.replace("progress = 40 ", "progress = 50 ");
        assert_eq!(saved, expected, "{original:?}");
        // And through the command.
        let output = gantry_task_set(&path, "api", "progress=10");
        assert!(output.status.success(), "{output:?}");
        let saved = fs::read_to_string(&path).unwrap();
        assert!(saved.starts_with("\u{feff}# Storefront"), "{saved:?}");
        assert_eq!(saved.ends_with('\n'), original.ends_with('\n'));
    }
}

/// The text of an error and its causes, as a command prints it.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        text.push_str(&format!(": {error}"));
        cause = error.source();
    }
    text
}

#[cfg(unix)]
#[test]
fn a_failed_save_names_the_plan_not_a_temporary_file() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let folder = tempfile::tempdir().unwrap();
    let root = fs::metadata(folder.path()).unwrap().uid() == 0;
    // Where nothing may be created: a read-only folder, or for root (who
    // may write there anyway) /proc.
    let (path, _locked) = if root {
        (
            std::path::PathBuf::from(format!("/proc/gantry-plan-{}.toml", std::process::id())),
            None,
        )
    } else {
        let locked = folder.path().join("locked");
        fs::create_dir(&locked).unwrap();
        let path = write_plan(&locked, PLAN);
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
        (path, Some(locked))
    };
    let mut file = PlanFile::from_text(&path, PLAN.to_owned()).unwrap();
    set(&mut file, "design", TaskField::Progress, 50).unwrap();
    for error in [
        file.save().unwrap_err(),
        file.save_overwriting().unwrap_err(),
    ] {
        let message = with_causes(&error);
        assert!(
            message.starts_with(&format!("cannot save {}: ", path.display())),
            "{message}"
        );
        assert!(
            !message.contains(".gantry-") && !message.contains(".tmp"),
            "the message names a temporary file: {message}"
        );
    }
    // The app's status line says the same, with the cause.
    let config = gantry::config::Config::defaults(gantry::theme::Capabilities {
        color: gantry::theme::ColorSupport::Ansi16,
        unicode: true,
    });
    let today = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let mut app = gantry::app::App::new(file, gantry::app::Origin::File, config, today);
    app.save();
    let (level, message) = app.message.clone().unwrap();
    assert_eq!(level, gantry::app::Level::Error);
    assert!(
        message.starts_with(&format!("cannot save {}: ", path.display()))
            && !message.contains(".tmp"),
        "{message}"
    );
    if !root {
        // Through the command too.
        let output = gantry_task_set(&path, "design", "progress=55");
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("cannot save {}: ", path.display()))
                && !stderr.contains(".tmp"),
            "{stderr}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), PLAN);
    }
}
