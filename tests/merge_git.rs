#![allow(clippy::unwrap_used, clippy::expect_used)]

//! `gantry merge` as git's merge driver, on a corpus of real repositories:
//! for each pair of branches edited from one plan, `git merge` runs once
//! without the driver and once with it. Disjoint edits must merge with no
//! conflict into the plan both edits give by hand; conflicting ones must
//! leave a plan that parses and records exactly the expected conflicts;
//! comments survive either way.

use std::path::Path;
use std::process::Command;

const HOTEL: &str = include_str!("../examples/hotel-integration.toml");

/// A task nobody refers to, so that it can be removed.
const SIGNAGE: &str = "[[task]]\nid = \"signage\"\nname = \"Lobby signage for the new services\"\nphase = \"handover\"\nowner = \"ines\"\nduration = 2\n";

fn base() -> String {
    insert_after(HOTEL, &task("handed-over"), SIGNAGE)
}

fn task(id: &str) -> String {
    format!("[[task]]\nid = \"{id}\"\n")
}

fn risk(id: &str) -> String {
    format!("[[risk]]\nid = \"{id}\"\n")
}

fn checkin(week: &str) -> String {
    format!("[[checkin]]\nweek = {week}\n")
}

/// The range of the block (a table's header to the line before the next
/// blank line) that holds `anchor`.
fn block(text: &str, anchor: &str) -> std::ops::Range<usize> {
    let at = text
        .find(anchor)
        .unwrap_or_else(|| panic!("no {anchor:?} in the text"));
    let start = text[..=at].rfind("\n[").map_or(0, |i| i + 1);
    let start = if text[start..].starts_with('[') {
        start
    } else {
        at
    };
    let end = text[at..].find("\n\n").map_or(text.len(), |i| at + i + 1);
    start..end
}

/// Replaces `old` (which must be in the block of `anchor`) with `new`.
fn set(text: &str, anchor: &str, old: &str, new: &str) -> String {
    let range = block(text, anchor);
    let at = range.start
        + text[range.clone()]
            .find(old)
            .unwrap_or_else(|| panic!("no {old:?} in the block of {anchor:?}"));
    format!("{}{new}{}", &text[..at], &text[at + old.len()..])
}

/// Adds `new` (a block ending with a line end) after the block of `anchor`,
/// a blank line between.
fn insert_after(text: &str, anchor: &str, new: &str) -> String {
    let end = block(text, anchor).end;
    if end == text.len() && !text.ends_with('\n') {
        return format!("{text}\n\n{}", new.trim_end_matches('\n'));
    }
    format!("{}\n{new}{}", &text[..end], &text[end..])
}

/// Removes the block of `anchor` and the blank line before it.
fn remove(text: &str, anchor: &str) -> String {
    let range = block(text, anchor);
    let start = range.start.saturating_sub(1);
    format!("{}{}", &text[..start], &text[range.end - 1..])
}

/// Moves the block of `anchor` after the block of `after`.
fn move_after(text: &str, anchor: &str, after: &str) -> String {
    let range = block(text, anchor);
    let moved = text[range].to_owned();
    insert_after(&remove(text, anchor), after, &moved)
}

type EditFn = Box<dyn Fn(&str) -> String + Send + Sync>;

fn edit(f: impl Fn(&str) -> String + Send + Sync + 'static) -> EditFn {
    Box::new(f)
}

enum Expect {
    /// No conflict; the plan is ours' edit, then theirs' applied to it.
    Clean,
    /// No conflict; theirs' edit applied first (two additions after one
    /// entity: ours' comes first in the merge, as it would by hand).
    CleanTheirsFirst,
    /// No conflict; exactly this text.
    CleanText(String),
    /// These conflicts (kind, entity as the record names it, key), and
    /// ours' values kept.
    Conflicts(Vec<(&'static str, &'static str, Option<&'static str>)>),
    /// No conflict recorded, but the merged plan is invalid: the driver
    /// fails with an error naming this.
    Invalid(&'static str),
}

struct Case {
    name: &'static str,
    base: String,
    ours: EditFn,
    theirs: EditFn,
    expect: Expect,
}

fn case(name: &'static str, ours: EditFn, theirs: EditFn, expect: Expect) -> Case {
    Case {
        name,
        base: base(),
        ours,
        theirs,
        expect,
    }
}

fn corpus() -> Vec<Case> {
    let mut cases = vec![
        case(
            "different tasks",
            edit(|t| set(t, &task("kickoff"), "duration = 1", "duration = 2")),
            edit(|t| set(t, &task("middleware"), "estimate = 32", "estimate = 40")),
            Expect::Clean,
        ),
        case(
            "different fields of one task",
            edit(|t| set(t, &task("sit"), "duration = 8", "duration = 9")),
            edit(|t| set(t, &task("sit"), "estimate = 64", "estimate = 72")),
            Expect::Clean,
        ),
        case(
            "a field added at the end of a task and its last line edited",
            edit(|t| {
                set(
                    t,
                    &task("perf"),
                    "baseline = { start = 2027-04-30, finish = 2027-05-03 }",
                    "baseline = { start = 2027-04-29, finish = 2027-05-03 }",
                )
            }),
            edit(|t| {
                set(
                    t,
                    &task("perf"),
                    "finish = 2027-05-03 }",
                    "finish = 2027-05-03 }\nnotes = \"Run on a Saturday\"",
                )
            }),
            Expect::Clean,
        ),
        case(
            "status and progress on one side, owner on the other",
            edit(|t| {
                set(
                    t,
                    &task("security"),
                    "depends = [\"vlan\", \"pos-install\"]",
                    "depends = [\"vlan\", \"pos-install\"]\nstatus = \"doing\"\nprogress = 30",
                )
            }),
            edit(|t| set(t, &task("security"), "owner = \"lena\"", "owner = \"joao\"")),
            Expect::Clean,
        ),
        case(
            "tasks added at different places",
            edit(|t| {
                insert_after(
                    t,
                    &task("kickoff"),
                    "[[task]]\nid = \"charter\"\nname = \"Project charter\"\nphase = \"audit\"\nduration = 1\n",
                )
            }),
            edit(|t| {
                insert_after(
                    t,
                    &task("middleware"),
                    "# Found in the audit.\n[[task]]\nid = \"backup\"\nname = \"Backups of the middleware\"\nphase = \"build\"\n",
                )
            }),
            Expect::Clean,
        ),
        case(
            "tasks added after the same task",
            edit(|t| {
                insert_after(
                    t,
                    &task("kickoff"),
                    "[[task]]\nid = \"charter\"\nname = \"Project charter\"\nphase = \"audit\"\n",
                )
            }),
            edit(|t| {
                insert_after(
                    t,
                    &task("kickoff"),
                    "[[task]]\nid = \"raci\"\nname = \"Responsibility matrix\"\nphase = \"audit\"\n",
                )
            }),
            Expect::CleanTheirsFirst,
        ),
        case(
            "risks appended on both sides",
            edit(|t| {
                insert_after(
                    t,
                    &risk("R8"),
                    "[[risk]]\nid = \"R9\"\ntitle = \"Elevator works block floor access\"\nlikelihood = 2\nimpact = 3\n",
                )
            }),
            edit(|t| {
                insert_after(
                    t,
                    &risk("R8"),
                    "[[risk]]\nid = \"R10\"\ntitle = \"Strike at the lock vendor\"\nlikelihood = 1\nimpact = 4\n",
                )
            }),
            Expect::CleanTheirsFirst,
        ),
        case(
            "an edit on one side, a move of another task on the other",
            edit(|t| set(t, &task("uat"), "duration = 5", "duration = 6")),
            edit(|t| move_after(t, &task("security"), &task("sit"))),
            Expect::Clean,
        ),
        case(
            "an edit and a move of the same task",
            edit(|t| move_after(t, &task("perf"), &task("uat"))),
            edit(|t| set(t, &task("perf"), "duration = 2", "duration = 3")),
            Expect::Clean,
        ),
        case(
            "a move on each side",
            edit(|t| move_after(t, &task("train-fd"), &task("train-fb"))),
            edit(|t| move_after(t, &task("vlan"), &task("wifi-ap"))),
            Expect::Clean,
        ),
        case(
            "a task moved to another phase and its duration changed",
            edit(|t| set(t, &task("security"), "phase = \"test\"", "phase = \"iot\"")),
            edit(|t| set(t, &task("security"), "duration = 3", "duration = 4")),
            Expect::Clean,
        ),
        case(
            "communication items reordered and one edited",
            edit(|t| {
                set(
                    t,
                    "id = \"steering\"",
                    "cadence = \"every two weeks\"",
                    "cadence = \"weekly\"",
                )
            }),
            edit(|t| {
                let t = move_after(t, "id = \"status-mail\"", "id = \"floor-notice\"");
                move_after(&t, "id = \"vendor-sync\"", "id = \"status-mail\"")
            }),
            Expect::Clean,
        ),
        case(
            "comments edited in different places",
            edit(|t| t.replacen("reviews every change", "approves every change", 1)),
            edit(|t| {
                t.replacen(
                    "# ---------------------------------------------------------------- build",
                    "# ---------------------------------------------------------------- build (vendors on site)",
                    1,
                )
            }),
            Expect::Clean,
        ),
        case(
            "a value changed on one side, its comment on the other",
            edit(|t| {
                t.replacen(
                    "capacity = 0.5   # keeps running day-to-day hotel IT",
                    "capacity = 0.5   # keeps running day-to-day hotel IT, mornings only",
                    1,
                )
            }),
            edit(|t| {
                t.replacen(
                    "capacity = 0.5   # keeps running",
                    "capacity = 0.4   # keeps running",
                    1,
                )
            }),
            Expect::CleanText(base().replacen(
                "capacity = 0.5   # keeps running day-to-day hotel IT",
                "capacity = 0.4   # keeps running day-to-day hotel IT, mornings only",
                1,
            )),
        ),
        case(
            "a comment added above a task and a field of the next task",
            edit(|t| {
                t.replacen(
                    &task("perf"),
                    &format!("# needs the load generator\n{}", task("perf")),
                    1,
                )
            }),
            edit(|t| set(t, &task("security"), "estimate = 14", "estimate = 16")),
            Expect::Clean,
        ),
        case(
            "risk score on one side, mitigation on the other",
            edit(|t| set(t, &risk("R3"), "likelihood = 3", "likelihood = 4")),
            edit(|t| set(t, &risk("R3"), "work 09:00 to 15:00", "work 10:00 to 15:00")),
            Expect::Clean,
        ),
        case(
            "one risk closed, another reviewed",
            edit(|t| {
                set(
                    t,
                    &risk("R5"),
                    "tasks = [\"wifi-portal\", \"perf\"]",
                    "status = \"closed\"\ntasks = [\"wifi-portal\", \"perf\"]",
                )
            }),
            edit(|t| {
                set(
                    t,
                    &risk("R7"),
                    "reviewed = 2027-04-05",
                    "reviewed = 2027-04-12",
                )
            }),
            Expect::Clean,
        ),
        case(
            "a risk removed on one side, another edited",
            edit(|t| remove(t, &risk("R6"))),
            edit(|t| set(t, &risk("R4"), "impact = 5", "impact = 4")),
            Expect::Clean,
        ),
        case(
            "a check-in's note and its metrics",
            edit(|t| {
                set(
                    t,
                    &checkin("2027-03-22"),
                    "metrics = {",
                    "note = \"Pilot floor went well.\"\nmetrics = {",
                )
            }),
            edit(|t| set(t, &checkin("2027-03-22"), "spi = 0.94", "spi = 0.96")),
            Expect::Clean,
        ),
        case(
            "a check-in recorded on one side, an older one edited on the other",
            edit(|t| {
                insert_after(
                    t,
                    &checkin("2027-04-05"),
                    "[[checkin]]\nweek = 2027-04-12\ndone = [\"Floor 6 installed\"]\n",
                )
            }),
            edit(|t| {
                set(
                    t,
                    &checkin("2027-02-08"),
                    "next = [\"Data-flow mapping\", \"Test plan\"]",
                    "next = [\"Data-flow mapping\", \"Test plan\", \"Order hardware\"]",
                )
            }),
            Expect::Clean,
        ),
        case(
            "hours logged on both sides",
            edit(|t| {
                insert_after(
                    t,
                    "date = 2027-04-09\ntask = \"iot-rollout\"",
                    "[[log]]\ndate = 2027-04-09\ntask = \"iot-commission\"\nhours = 3\n",
                )
            }),
            edit(|t| {
                insert_after(
                    t,
                    "date = 2027-04-09\ntask = \"iot-rollout\"",
                    "[[log]]\ndate = 2027-04-09\ntask = \"sit\"\nperson = \"tomas\"\nhours = 2\n",
                )
            }),
            Expect::CleanTheirsFirst,
        ),
        case(
            "a log entry's hours and another's note",
            edit(|t| {
                set(
                    t,
                    "date = 2027-02-02\ntask = \"inventory\"\nhours = 5.5",
                    "hours = 5.5",
                    "hours = 6",
                )
            }),
            edit(|t| {
                set(
                    t,
                    "date = 2027-02-01\ntask = \"kickoff\"\nperson = \"joao\"",
                    "hours = 4",
                    "hours = 4\nnote = \"Interfaces walk-through\"",
                )
            }),
            Expect::Clean,
        ),
        case(
            "a task removed on one side, another edited next to it",
            edit(|t| remove(t, &task("signage"))),
            edit(|t| set(t, &task("handed-over"), "name = \"", "name = \"Formally ")),
            Expect::Clean,
        ),
        case(
            "the same task removed on both sides",
            edit(|t| remove(t, &task("signage"))),
            edit(|t| {
                set(
                    &remove(t, &task("signage")),
                    &task("kickoff"),
                    "estimate = 8",
                    "estimate = 6",
                )
            }),
            Expect::CleanText(set(
                &remove(&base(), &task("signage")),
                &task("kickoff"),
                "estimate = 8",
                "estimate = 6",
            )),
        ),
        case(
            "the project's currency and budget, on neighbouring lines",
            edit(|t| t.replacen("currency = \"EUR\"", "currency = \"USD\"", 1)),
            edit(|t| t.replacen("budget = 96000", "budget = 99000", 1)),
            Expect::Clean,
        ),
        case(
            "a holiday added and the hours per day changed",
            edit(|t| t.replacen("2027-06-10]", "2027-06-10, 2027-06-13]", 1)),
            edit(|t| t.replacen("hours_per_day = 8", "hours_per_day = 7.5", 1)),
            Expect::Clean,
        ),
        case(
            "scope: one item excluded, another reworded",
            edit(|t| {
                t.replacen(
                    "  \"Spa and treatment booking system\",\n",
                    "  \"Spa and treatment booking system\",\n  \"Parking barriers\",\n",
                    1,
                )
            }),
            edit(|t| {
                t.replacen(
                    "Mobile check-in in the existing guest app",
                    "Mobile check-in in the guest app",
                    1,
                )
            }),
            Expect::Clean,
        ),
        case(
            "handover: receiver changed, a checklist item ticked",
            edit(|t| {
                t.replacen(
                    "to = \"Rui Costa, hotel IT,",
                    "to = \"Rui Costa (hotel IT),",
                    1,
                )
            }),
            edit(|t| {
                t.replacen(
                    "{ item = \"Acceptance sign-off by the general manager\", done = false }",
                    "{ item = \"Acceptance sign-off by the general manager\", done = true }",
                    1,
                )
            }),
            Expect::Clean,
        ),
        case(
            "a person's rate and another person's skills",
            edit(|t| set(t, "id = \"carla\"", "rate = 90", "rate = 92")),
            edit(|t| {
                set(
                    t,
                    "id = \"tomas\"",
                    "\"load testing\"]",
                    "\"load testing\", \"accessibility\"]",
                )
            }),
            Expect::Clean,
        ),
        case(
            "a gate's approver and another gate's checklist",
            edit(|t| {
                set(
                    t,
                    "id = \"G3\"",
                    "approver = \"General manager\"",
                    "approver = \"Deputy general manager\"",
                )
            }),
            edit(|t| {
                set(
                    t,
                    "id = \"G2\"",
                    "Folio postings reconciled for five test days\", done = false",
                    "Folio postings reconciled for five test days\", done = true",
                )
            }),
            Expect::Clean,
        ),
        case(
            "the same change made on both sides",
            edit(|t| set(t, &task("train-eng"), "duration = ", "duration = 1")),
            edit(|t| set(t, &task("train-eng"), "duration = ", "duration = 1")),
            Expect::CleanText(set(
                &base(),
                &task("train-eng"),
                "duration = ",
                "duration = 1",
            )),
        ),
        case(
            "a change request decided, another added",
            edit(|t| {
                set(
                    t,
                    "id = \"C4\"",
                    "requested = 2027-04-06\n",
                    "requested = 2027-04-06\nstatus = \"approved\"\ndecided_by = \"General manager\"\n",
                )
            }),
            edit(|t| {
                insert_after(
                    t,
                    // After C4's last table, the new task it carries.
                    "id = \"pool-ap\"",
                    "[[change]]\nid = \"C5\"\ntitle = \"Digital signage in the lobby\"\ncost = 2500\n",
                )
            }),
            Expect::Clean,
        ),
        // Conflicts.
        case(
            "one duration set to two values",
            edit(|t| set(t, &task("sit"), "duration = 8", "duration = 10")),
            edit(|t| set(t, &task("sit"), "duration = 8", "duration = 7")),
            Expect::Conflicts(vec![("task", "`sit`", Some("duration"))]),
        ),
        case(
            "a task removed on one side and edited on the other",
            edit(|t| remove(t, &task("signage"))),
            edit(|t| set(t, &task("signage"), "duration = 2", "duration = 3")),
            Expect::Conflicts(vec![("task", "`signage`", None)]),
        ),
        case(
            "a task edited on one side and removed on the other",
            edit(|t| set(t, &task("signage"), "owner = \"ines\"", "owner = \"marta\"")),
            edit(|t| remove(t, &task("signage"))),
            Expect::Conflicts(vec![("task", "`signage`", None)]),
        ),
        case(
            "two tasks added with one id",
            edit(|t| {
                insert_after(
                    t,
                    &task("kickoff"),
                    "[[task]]\nid = \"charter\"\nname = \"Project charter\"\n",
                )
            }),
            edit(|t| {
                insert_after(
                    t,
                    &task("middleware"),
                    "[[task]]\nid = \"charter\"\nname = \"Vendor charter\"\nduration = 2\n",
                )
            }),
            Expect::Conflicts(vec![("task", "`charter`", None)]),
        ),
        case(
            "a risk scored twice and mitigated once",
            edit(|t| set(t, &risk("R2"), "likelihood = 3", "likelihood = 2")),
            edit(|t| {
                let t = set(t, &risk("R2"), "likelihood = 3", "likelihood = 4");
                set(&t, &risk("R2"), "(C3)\"", "(C3), in stock\"")
            }),
            Expect::Conflicts(vec![("risk", "`R2`", Some("likelihood"))]),
        ),
        case(
            "a check-in's note written twice",
            edit(|t| {
                set(
                    t,
                    &checkin("2027-04-05"),
                    "note = \"R8 is urgent",
                    "note = \"R8 is very urgent",
                )
            }),
            edit(|t| {
                set(
                    t,
                    &checkin("2027-04-05"),
                    "note = \"R8 is urgent",
                    "note = \"R8 is critical",
                )
            }),
            Expect::Conflicts(vec![("checkin", "of week 2027-04-05", Some("note"))]),
        ),
        case(
            "one comment rewritten twice",
            edit(|t| {
                t.replacen(
                    "# keeps running day-to-day hotel IT",
                    "# runs hotel IT in the mornings",
                    1,
                )
            }),
            edit(|t| {
                t.replacen(
                    "# keeps running day-to-day hotel IT",
                    "# also on call at night",
                    1,
                )
            }),
            Expect::Conflicts(vec![("person", "`rui`", Some("capacity"))]),
        ),
        case(
            "a log entry's hours corrected twice",
            edit(|t| {
                set(
                    t,
                    "date = 2027-02-02\ntask = \"inventory\"\nhours = 5.5",
                    "hours = 5.5",
                    "hours = 5",
                )
            }),
            edit(|t| {
                set(
                    t,
                    "date = 2027-02-02\ntask = \"inventory\"\nhours = 5.5",
                    "hours = 5.5",
                    "hours = 6.5",
                )
            }),
            Expect::Conflicts(vec![("log", "of 2027-02-02 on `inventory`", Some("hours"))]),
        ),
        case(
            "the budget raised twice, the status date once",
            edit(|t| t.replacen("budget = 96000", "budget = 98000", 1)),
            edit(|t| {
                t.replacen("budget = 96000", "budget = 101000", 1).replacen(
                    "status_date = 2027-04-09",
                    "status_date = 2027-04-16",
                    1,
                )
            }),
            Expect::Conflicts(vec![("project", "", Some("budget"))]),
        ),
        case(
            "a field removed on one side and changed on the other",
            edit(|t| set(t, &task("signage"), "owner = \"ines\"\n", "")),
            edit(|t| set(t, &task("signage"), "owner = \"ines\"", "owner = \"rui\"")),
            Expect::Conflicts(vec![("task", "`signage`", Some("owner"))]),
        ),
        // Valid sides, invalid merge.
        case(
            "a dependency cycle out of two valid sides",
            edit(|t| {
                set(
                    t,
                    &task("signage"),
                    "duration = 2",
                    "duration = 2\ndepends = [\"handed-over\"]",
                )
            }),
            edit(|t| {
                set(
                    t,
                    &task("handed-over"),
                    "\"kpi-measure\"]",
                    "\"kpi-measure\", \"signage\"]",
                )
            }),
            Expect::Invalid("dependency cycle"),
        ),
        case(
            "a dependency on a task the other side removed",
            edit(|t| remove(t, &task("signage"))),
            edit(|t| {
                set(
                    t,
                    &task("handed-over"),
                    "\"kpi-measure\"]",
                    "\"kpi-measure\", \"signage\"]",
                )
            }),
            Expect::Invalid("signage"),
        ),
    ];

    // Line endings and marks.
    let crlf = |text: &str| text.replace('\n', "\r\n");
    cases.push(Case {
        name: "CRLF files edited in different tasks",
        base: crlf(&base()),
        ours: edit(move |t| {
            crlf(&set(
                &t.replace("\r\n", "\n"),
                &task("pos-menu"),
                "duration = ",
                "duration = 1",
            ))
        }),
        theirs: edit(move |t| {
            crlf(&insert_after(
                &t.replace("\r\n", "\n"),
                &task("kickoff"),
                "[[task]]\nid = \"charter\"\nname = \"Project charter\"\n",
            ))
        }),
        expect: Expect::CleanText(crlf(&insert_after(
            &set(&base(), &task("pos-menu"), "duration = ", "duration = 1"),
            &task("kickoff"),
            "[[task]]\nid = \"charter\"\nname = \"Project charter\"\n",
        ))),
    });
    cases.push(Case {
        name: "CRLF files with one field changed twice",
        base: crlf(&base()),
        ours: edit(move |t| t.replacen("budget = 96000", "budget = 97000", 1)),
        theirs: edit(move |t| t.replacen("budget = 96000", "budget = 95000", 1)),
        expect: Expect::Conflicts(vec![("project", "", Some("budget"))]),
    });
    let marked = format!("\u{feff}{}", base().trim_end());
    let appended_checkin = "[[checkin]]\nweek = 2027-04-12\nnote = \"Floor 6\"\n";
    cases.push(Case {
        name: "a byte order mark, no final newline, an addition at the end",
        base: marked.clone(),
        ours: edit(|t| set(t, &task("kickoff"), "estimate = 8", "estimate = 9")),
        theirs: edit(move |t| format!("{t}\n\n{}", appended_checkin.trim_end())),
        expect: Expect::CleanText(format!(
            "{}\n\n{}",
            set(&marked, &task("kickoff"), "estimate = 8", "estimate = 9"),
            appended_checkin.trim_end()
        )),
    });
    cases
}

fn git(folder: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(folder)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .expect("git runs")
}

fn git_ok(folder: &Path, args: &[&str]) {
    let output = git(folder, args);
    assert!(
        output.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A repository with the base on `main`, ours committed on `main` and
/// theirs on `theirs`, `main` checked out.
fn repository(folder: &Path, base: &str, ours: &str, theirs: &str) {
    git_ok(folder, &["-c", "init.defaultBranch=main", "init", "-q"]);
    // The settings `git config` would write, in one go (fewer processes).
    let binary = env!("CARGO_BIN_EXE_gantry");
    let mut config = std::fs::OpenOptions::new()
        .append(true)
        .open(folder.join(".git/config"))
        .unwrap();
    use std::io::Write as _;
    write!(
        config,
        "[user]\n\tname = Plan Tester\n\temail = tester@example.com\n\
         [core]\n\tautocrlf = false\n\
         [merge \"gantry\"]\n\tname = gantry plan merge\n\tdriver = '{binary}' merge %O %A %B %P\n"
    )
    .unwrap();
    let plan = folder.join("plan.toml");
    let commit = |text: &str, message: &str| {
        std::fs::write(&plan, text).unwrap();
        git_ok(
            folder,
            &["commit", "-q", "-a", "--allow-empty", "-m", message],
        );
    };
    std::fs::write(&plan, base).unwrap();
    git_ok(folder, &["add", "plan.toml"]);
    git_ok(folder, &["commit", "-q", "-m", "base"]);
    git_ok(folder, &["checkout", "-q", "-b", "theirs"]);
    commit(theirs, "theirs");
    git_ok(folder, &["checkout", "-q", "main"]);
    commit(ours, "ours");
}

struct Outcome {
    name: &'static str,
    plain_conflicted: bool,
    plain_hunks: usize,
    plain_invalid: bool,
    driver_conflicted: bool,
    recorded: usize,
}

fn comment_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.find("# ").map(|at| line[at..].trim_end().to_owned()))
        .collect()
}

fn run_case(case: &Case) -> Outcome {
    let folder = tempfile::tempdir().unwrap();
    let folder = folder.path();
    let ours = (case.ours)(&case.base);
    let theirs = (case.theirs)(&case.base);
    assert_ne!(ours, case.base, "{}: ours changes nothing", case.name);
    assert_ne!(theirs, case.base, "{}: theirs changes nothing", case.name);
    for (side, text) in [("ours", &ours), ("theirs", &theirs)] {
        let loaded = gantry::store::parse_str(text)
            .unwrap_or_else(|e| panic!("{}: {side} does not parse: {e:?}", case.name));
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(
            errors.is_empty(),
            "{}: {side} is invalid: {errors:?}",
            case.name
        );
    }
    repository(folder, &case.base, &ours, &theirs);

    // Plain git first.
    let plain = git(folder, &["merge", "-q", "--no-edit", "theirs"]);
    let plain_conflicted = !plain.status.success();
    let plain_hunks = std::fs::read_to_string(folder.join("plan.toml"))
        .unwrap()
        .lines()
        .filter(|line| line.starts_with("<<<<<<<"))
        .count();
    // A clean textual merge may still be a broken plan (a duplicate id,
    // a cycle): it is counted.
    let plain_invalid = !plain_conflicted
        && gantry::store::parse_str(&std::fs::read_to_string(folder.join("plan.toml")).unwrap())
            .map_or(true, |loaded| loaded.has_errors());
    if plain_conflicted {
        git_ok(folder, &["merge", "--abort"]);
    } else {
        git_ok(folder, &["reset", "-q", "--hard", "HEAD~1"]);
    }

    // Then with the driver (configured above, now named for the file).
    std::fs::write(
        folder.join(".git/info/attributes"),
        "plan.toml merge=gantry\n",
    )
    .unwrap();
    let merged_run = git(folder, &["merge", "--no-edit", "theirs"]);
    let driver_conflicted = !merged_run.status.success();
    let log = format!(
        "{}\n{}",
        String::from_utf8_lossy(&merged_run.stdout),
        String::from_utf8_lossy(&merged_run.stderr)
    );
    let merged = std::fs::read_to_string(folder.join("plan.toml")).unwrap();
    let loaded = gantry::store::parse_str(&merged).unwrap_or_else(|e| {
        panic!(
            "{}: the merged plan does not parse: {e:?}\n{merged}",
            case.name
        )
    });

    // Comments both sides kept are in the merge.
    let theirs_comments = comment_lines(&theirs);
    let merged_comments = comment_lines(&merged);
    for comment in comment_lines(&ours) {
        if theirs_comments.contains(&comment) || !comment_lines(&case.base).contains(&comment) {
            assert!(
                merged_comments.contains(&comment),
                "{}: the comment {comment:?} was lost",
                case.name
            );
        }
    }

    let clean = |expected: &str| {
        assert!(
            !driver_conflicted,
            "{}: the driver reported a conflict:\n{log}",
            case.name
        );
        assert!(loaded.plan.conflicts.is_empty(), "{}", case.name);
        if merged != expected {
            let first = merged
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{}: the merge differs from both edits applied by hand, from line {}:\n--- merged\n{}\n--- expected\n{}",
                case.name,
                first + 1,
                merged
                    .lines()
                    .skip(first.saturating_sub(2))
                    .take(8)
                    .collect::<Vec<_>>()
                    .join("\n"),
                expected
                    .lines()
                    .skip(first.saturating_sub(2))
                    .take(8)
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        }
        // Git merges two equal sides without asking the driver.
        assert!(
            ours == theirs || log.contains("merged cleanly"),
            "{}: the driver says {log}",
            case.name
        );
    };
    match &case.expect {
        Expect::Clean => clean(&(case.theirs)(&ours)),
        Expect::CleanTheirsFirst => clean(&(case.ours)(&theirs)),
        Expect::CleanText(text) => clean(text),
        Expect::Conflicts(expected) => {
            assert!(driver_conflicted, "{}: git saw no conflict", case.name);
            let found: Vec<(String, String, Option<String>)> = loaded
                .plan
                .conflicts
                .iter()
                .map(|c| {
                    (
                        c.kind.clone().unwrap_or_default(),
                        c.entity.clone(),
                        c.key.clone(),
                    )
                })
                .collect();
            let wanted: Vec<(String, String, Option<String>)> = expected
                .iter()
                .map(|(kind, entity, key)| {
                    (
                        (*kind).to_owned(),
                        (*entity).to_owned(),
                        key.map(str::to_owned),
                    )
                })
                .collect();
            assert_eq!(found, wanted, "{}:\n{merged}", case.name);
            // Ours is kept: the merged plan less its records is ours with
            // theirs' disjoint changes; at least every line ours changed is there.
            let body = merged
                .split("\n# `gantry merge` could not decide")
                .next()
                .unwrap();
            for line in ours
                .lines()
                .filter(|line| !case.base.lines().any(|b| b == *line))
            {
                assert!(
                    body.contains(line.trim_end_matches('\r')),
                    "{}: ours' {line:?} is not kept",
                    case.name
                );
            }
            // `check` reports each at its record.
            for conflict in &loaded.plan.conflicts {
                assert!(
                    loaded.diagnostics.iter().any(|d| d.is_error()
                        && d.pos == conflict.pos
                        && d.message.contains("unresolved merge conflict")),
                    "{}: no error at {:?}",
                    case.name,
                    conflict.pos
                );
            }
            assert!(
                log.contains("unresolved merge conflict"),
                "{}: {log}",
                case.name
            );
        }
        Expect::Invalid(what) => {
            assert!(driver_conflicted, "{}: git saw no problem", case.name);
            assert!(loaded.plan.conflicts.is_empty(), "{}", case.name);
            assert!(
                loaded
                    .diagnostics
                    .iter()
                    .any(|d| d.is_error() && d.message.contains(what)),
                "{}: {:?}",
                case.name,
                loaded.diagnostics
            );
            assert!(
                log.contains(what) && log.contains("error the merge made"),
                "{}: {log}",
                case.name
            );
        }
    }
    Outcome {
        name: case.name,
        plain_conflicted,
        plain_hunks,
        plain_invalid,
        driver_conflicted,
        recorded: loaded.plan.conflicts.len(),
    }
}

#[test]
fn the_corpus_merges_by_entity_with_the_driver() {
    let cases = corpus();
    assert!(cases.len() >= 30);
    let run = |case: &Case| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_case(case))).map_err(|panic| {
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default()
        })
    };
    // Git waits on the disk as much as on the processor: four at a time.
    let results: Vec<Result<Outcome, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(cases.len().div_ceil(4))
            .map(|chunk| scope.spawn(move || chunk.iter().map(run).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().expect("a share of the cases runs"))
            .collect()
    });
    let failures: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        results.len(),
        failures
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    );
    let outcomes: Vec<Outcome> = results.into_iter().filter_map(Result::ok).collect();
    let plain = outcomes.iter().filter(|o| o.plain_conflicted).count();
    let hunks: usize = outcomes.iter().map(|o| o.plain_hunks).sum();
    let plain_invalid = outcomes.iter().filter(|o| o.plain_invalid).count();
    let driver = outcomes.iter().filter(|o| o.driver_conflicted).count();
    let recorded: usize = outcomes.iter().map(|o| o.recorded).sum();
    for outcome in &outcomes {
        println!(
            "{:<70} plain git: {:<14} gantry: {}",
            outcome.name,
            if outcome.plain_conflicted {
                format!("{} hunk(s)", outcome.plain_hunks)
            } else if outcome.plain_invalid {
                "clean, invalid".to_owned()
            } else {
                "clean".to_owned()
            },
            if outcome.driver_conflicted {
                format!("not clean, {} conflict(s)", outcome.recorded)
            } else {
                "clean".to_owned()
            }
        );
    }
    println!(
        "{} pairs of branches: plain `git merge` conflicted on {plain} ({hunks} conflict hunks) and merged {plain_invalid} more into an invalid plan without a word; with the gantry driver {driver} were not clean ({recorded} recorded conflicts, the rest invalid merges reported)",
        outcomes.len()
    );
}
