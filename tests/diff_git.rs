//! `gantry diff`, `gantry history` and `gantry git setup` on the real
//! binary, with git repositories made in temporary folders.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;

const PLAN: &str = r#"[project]
name = "Demo"
start = 2027-01-04

[[task]]
id = "spec"
name = "Write the spec"
duration = 5

[[task]]
id = "api"
name = "Payment API"
duration = 5
depends = ["spec"]

[[task]]
id = "launch"
name = "Launch"
milestone = true
depends = ["api"]

[[risk]]
id = "R1"
title = "Vendor delays"
likelihood = 2
impact = 3
"#;

fn slipped() -> String {
    PLAN.replacen("duration = 5\ndepends", "duration = 8\ndepends", 1)
}

/// A folder that stands in for the user's home, so no outside git config
/// is read.
struct Sandbox {
    home: tempfile::TempDir,
    repo: PathBuf,
}

impl Sandbox {
    fn new() -> Sandbox {
        let home = tempfile::tempdir().unwrap();
        let repo = home.path().join("repo");
        fs::create_dir(&repo).unwrap();
        let sandbox = Sandbox { home, repo };
        sandbox.git(&["-c", "init.defaultBranch=main", "init", "-q"]);
        sandbox.git(&["config", "user.name", "Ana Ruiz"]);
        sandbox.git(&["config", "user.email", "ana@example.com"]);
        sandbox
    }

    fn env<'a>(&self, command: &'a mut Process) -> &'a mut Process {
        command
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env("GIT_AUTHOR_DATE", "2027-01-10T09:00:00+00:00")
            .env("GIT_COMMITTER_DATE", "2027-01-10T09:00:00+00:00")
            .env("NO_COLOR", "1")
            .env("GIT_PAGER", "cat")
            .env("PAGER", "cat")
    }

    fn git(&self, args: &[&str]) -> String {
        let output = self
            .env(Process::new("git").current_dir(&self.repo))
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn commit(&self, path: &str, text: &str, message: &str, date: &str) {
        let file = self.repo.join(path);
        if let Some(parent) = file.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(&file, text).unwrap();
        self.git(&["add", path]);
        let output = self
            .env(Process::new("git").current_dir(&self.repo))
            .env("GIT_AUTHOR_DATE", format!("{date}T09:00:00+00:00"))
            .env("GIT_COMMITTER_DATE", format!("{date}T09:00:00+00:00"))
            .args(["commit", "-q", "-m", message])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn gantry(&self) -> Command {
        let mut command = Command::cargo_bin("gantry").unwrap();
        command
            .current_dir(&self.repo)
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_PAGER_IN_USE")
            .env_remove("NO_COLOR");
        command
    }
}

fn stdout(assert: assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

fn files(old: &str, new: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let old_path = folder.path().join("old.toml");
    let new_path = folder.path().join("new.toml");
    fs::write(&old_path, old).unwrap();
    fs::write(&new_path, new).unwrap();
    (folder, old_path, new_path)
}

fn gantry() -> Command {
    let mut command = Command::cargo_bin("gantry").unwrap();
    command
        .env_remove("GIT_DIFF_PATH_TOTAL")
        .env_remove("GIT_PAGER_IN_USE");
    command
}

#[test]
fn two_files_tell_the_story_first_and_exit_0() {
    let (_folder, old, new) = files(PLAN, &slipped());
    let text = stdout(gantry().arg("diff").arg(&old).arg(&new).assert().code(0));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        format!("diff {} {}", old.display(), new.display())
    );
    assert_eq!(
        lines[1],
        "* Finish slips 3 working days, from 2027-01-15 to 2027-01-20, because on the"
    );
    assert_eq!(lines[2], "  critical path `api` grew from 5 to 8 days.");
    assert!(
        text.contains("\nTasks\n  ~ `api` \"Payment API\"\n      duration  5 → 8\n"),
        "{text}"
    );
    assert!(
        text.contains("  finish         2027-01-15 → 2027-01-20 (+3 working days)\n"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colour into a pipe");
}

#[test]
fn exit_code_says_whether_the_plans_differ() {
    let (_folder, old, new) = files(PLAN, &slipped());
    gantry()
        .args(["diff", "--exit-code"])
        .arg(&old)
        .arg(&new)
        .assert()
        .code(1);
    let (_same, old, new) = files(
        PLAN,
        &PLAN.replace("duration = 5\n", "duration = 5 # same\n"),
    );
    let text = stdout(
        gantry()
            .args(["diff", "--exit-code"])
            .arg(&old)
            .arg(&new)
            .assert()
            .code(0),
    );
    assert!(text.contains("* No change in plan terms."), "{text}");
}

#[test]
fn usage_and_io_errors_exit_2() {
    let (folder, old, _new) = files(PLAN, PLAN);
    gantry()
        .arg("diff")
        .arg(&old)
        .arg(folder.path().join("missing.toml"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot read"));
    gantry()
        .arg("diff")
        .arg(&old)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--rev"));
    gantry().args(["diff", "a", "b", "c"]).assert().code(2);
}

#[test]
fn unparsable_and_invalid_sides_are_output_not_failures() {
    let (_folder, old, new) = files(PLAN, "[project\nname = \"x\"\n");
    let text = stdout(gantry().arg("diff").arg(&old).arg(&new).assert().code(0));
    assert!(
        text.contains("* The new version does not parse (line 1:"),
        "{text}"
    );
    assert!(
        text.contains(&format!("Problems\n  {}:1:", new.display())),
        "{text}"
    );
    let json = stdout(
        gantry()
            .args(["diff", "--json"])
            .arg(&old)
            .arg(&new)
            .assert()
            .code(0),
    );
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(document["comparable"], false);
    assert_eq!(document["new"]["state"], "unparsable");
    assert_eq!(document["new"]["diagnostics"][0]["line"], 1);
    let invalid = PLAN.replace("depends = [\"api\"]", "depends = [\"ap\"]");
    let (_folder, old, new) = files(PLAN, &invalid);
    let json = stdout(
        gantry()
            .args(["diff", "--json"])
            .arg(&old)
            .arg(&new)
            .assert()
            .code(0),
    );
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(document["new"]["state"], "invalid");
    assert_eq!(document["problems"]["introduced"][0]["severity"], "error");
    assert!(
        document["problems"]["introduced"][0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `api`"),
        "{json}"
    );
}

#[test]
fn json_follows_the_documented_schema() {
    let new = slipped().replace("impact = 3\n", "impact = 3\nstatus = \"closed\"\n");
    let (_folder, old, new) = files(PLAN, &new);
    let json = stdout(
        gantry()
            .args(["diff", "--format", "json"])
            .arg(&old)
            .arg(&new)
            .assert()
            .code(0),
    );
    let d: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(d["format"], 1);
    assert_eq!(d["changed"], true);
    assert_eq!(d["old"]["finish"], "2027-01-15");
    assert_eq!(d["new"]["finish"], "2027-01-20");
    assert_eq!(
        d["new"]["critical_path"],
        serde_json::json!(["spec", "api", "launch"])
    );
    assert_eq!(d["schedule"]["finish"]["working_days"], 3);
    let cause = &d["schedule"]["finish"]["causes"][0];
    assert_eq!(cause["kind"], "duration");
    assert_eq!(cause["task"], "api");
    assert_eq!(cause["old"], 5);
    assert_eq!(cause["new"], 8);
    assert_eq!(cause["days"], 3);
    assert_eq!(d["tasks"]["changed"][0]["fields"][0]["field"], "duration");
    assert_eq!(
        d["risks"]["changed"][0]["events"],
        serde_json::json!(["closed"])
    );
    assert_eq!(d["schedule"]["moved"][0]["id"], "api");
    assert_eq!(d["schedule"]["moved"][0]["finish"]["days"], 3);
    assert_eq!(d["story"][0]["topic"], "finish");
    assert_eq!(d["story"][0]["tone"], "bad");
    assert!(
        d["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["metric"] == "open_risks")
    );
}

#[test]
fn plan_text_is_sanitised_for_the_terminal_and_escaped_for_markdown() {
    let hostile = "Pay\\u001b[2J\\u009b31m*API* <b>|x|</b> \\u202Egnp.exe";
    let new = slipped().replace("name = \"Payment API\"", &format!("name = \"{hostile}\""));
    let (_folder, old, new) = files(PLAN, &new);
    for args in [
        vec!["diff", "--color", "never"],
        vec!["diff", "--color", "always"],
    ] {
        let text = stdout(gantry().args(&args).arg(&old).arg(&new).assert().code(0));
        assert!(
            !text.contains("\u{1b}[2J") && !text.contains('\u{9b}') && !text.contains('\u{202E}'),
            "{text:?}"
        );
        assert!(text.contains("Pay\u{FFFD}[2J"), "{text}");
    }
    let coloured = stdout(
        gantry()
            .args(["diff", "--color", "always"])
            .arg(&old)
            .arg(&new)
            .assert()
            .code(0),
    );
    assert!(coloured.contains("\u{1b}[31m"), "{coloured:?}");
    let markdown = stdout(
        gantry()
            .args(["diff", "--format", "markdown"])
            .arg(&old)
            .arg(&new)
            .assert()
            .code(0),
    );
    assert!(markdown.starts_with("### Plan changes: "), "{markdown}");
    assert!(
        markdown.contains("\\*API\\* \\<b\\>\\|x\\|\\</b\\>"),
        "{markdown}"
    );
    assert!(
        !markdown.contains('\u{1b}') && !markdown.contains('\u{9b}'),
        "{markdown:?}"
    );
    let json = stdout(
        gantry()
            .args(["diff", "--json"])
            .arg(&old)
            .arg(&new)
            .assert()
            .code(0),
    );
    assert!(!json.contains('\u{1b}') && !json.contains('\u{9b}') && !json.contains('\u{202E}'));
    let document: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        document["tasks"]["changed"][0]["name"],
        "Pay\u{1b}[2J\u{9b}31m*API* <b>|x|</b> \u{202E}gnp.exe"
    );
}

#[test]
fn the_seven_arguments_of_an_external_diff_are_understood() {
    let (folder, old, new) = files(PLAN, &slipped());
    let text = stdout(
        gantry()
            .args(["diff", "--", "plans/plan.toml"])
            .arg(&old)
            .args(["1111111111111111111111111111111111111111", "100644"])
            .arg(&new)
            .args(["2222222222222222222222222222222222222222", "100644"])
            .assert()
            .code(0),
    );
    assert!(
        text.starts_with("diff a/plans/plan.toml b/plans/plan.toml\nindex 1111111..2222222\n"),
        "{text}"
    );
    assert!(text.contains("Finish slips 3 working days"), "{text}");
    // An added file: git gives /dev/null and dots.
    let text = stdout(
        gantry()
            .args(["diff", "--", "plan.toml", "/dev/null", ".", "."])
            .arg(&new)
            .args(["2222222222222222222222222222222222222222", "100644"])
            .assert()
            .code(0),
    );
    assert!(
        text.contains("* New plan \"Demo\": 3 tasks, finishing on 2027-01-20."),
        "{text}"
    );
    // A rename adds the new path and git's message.
    let text = stdout(
        gantry()
            .args(["diff", "--", "old.plan.toml"])
            .arg(&old)
            .args(["1111111", "100644"])
            .arg(&new)
            .args([
                "2222222",
                "100644",
                "new.plan.toml",
                "similarity index 90%\nrename from old.plan.toml",
            ])
            .assert()
            .code(0),
    );
    assert!(
        text.starts_with("diff a/old.plan.toml b/new.plan.toml\n"),
        "{text}"
    );
    drop(folder);
}

#[test]
fn git_diff_uses_the_driver_that_git_setup_configures() {
    let sandbox = Sandbox::new();
    sandbox.commit("plan.toml", PLAN, "first plan", "2027-01-04");
    let setup = stdout(sandbox.gantry().args(["git", "setup"]).assert().code(0));
    assert!(
        setup.contains(".gitattributes: added `plan.toml diff=gantry"),
        "{setup}"
    );
    assert!(
        setup.contains("git config: set diff.gantry.command = "),
        "{setup}"
    );
    fs::write(sandbox.repo.join("plan.toml"), slipped()).unwrap();
    let diff = sandbox.git(&["diff"]);
    assert!(diff.starts_with("diff a/plan.toml b/plan.toml\n"), "{diff}");
    assert!(
        diff.contains("* Finish slips 3 working days, from 2027-01-15 to 2027-01-20"),
        "{diff}"
    );
    assert!(
        diff.contains("  ~ `api` \"Payment API\"\n      duration  5 → 8\n"),
        "{diff}"
    );
    // A plan added in another folder, matched by the `*.plan.toml` pattern.
    fs::create_dir(sandbox.repo.join("ops")).unwrap();
    fs::write(sandbox.repo.join("ops/rollout.plan.toml"), PLAN).unwrap();
    sandbox.git(&["add", "ops/rollout.plan.toml"]);
    let cached = sandbox.git(&["diff", "--cached"]);
    assert!(
        cached.contains("diff a/ops/rollout.plan.toml b/ops/rollout.plan.toml"),
        "{cached}"
    );
    assert!(cached.contains("* New plan \"Demo\": 3 tasks"), "{cached}");
    // Other files keep git's own diff.
    fs::write(sandbox.repo.join("notes.toml"), "a = 1\n").unwrap();
    sandbox.git(&["add", "notes.toml"]);
    assert!(
        sandbox
            .git(&["diff", "--cached", "--", "notes.toml"])
            .contains("+a = 1")
    );
}

#[test]
fn rev_compares_revisions_and_the_work_tree() {
    let sandbox = Sandbox::new();
    sandbox.commit("README", "plans live in docs/", "readme", "2027-01-03");
    sandbox.git(&["tag", "before-plans"]);
    sandbox.commit("docs/plan.toml", PLAN, "first plan", "2027-01-04");
    sandbox.commit(
        "docs/plan.toml",
        &slipped(),
        "api takes longer",
        "2027-01-05",
    );
    let two = stdout(
        sandbox
            .gantry()
            .args(["diff", "docs/plan.toml", "--rev", "HEAD~1..HEAD"])
            .assert()
            .code(0),
    );
    assert!(
        two.starts_with("diff docs/plan.toml@HEAD~1 docs/plan.toml@HEAD\n"),
        "{two}"
    );
    assert!(two.contains("grew from 5 to 8 days"), "{two}");
    // One revision: against the work tree, run from a subfolder.
    fs::write(sandbox.repo.join("docs/plan.toml"), PLAN).unwrap();
    let mut command = sandbox.gantry();
    command.current_dir(sandbox.repo.join("docs"));
    let work = stdout(
        command
            .args(["diff", "plan.toml", "--rev", "HEAD"])
            .assert()
            .code(0),
    );
    assert!(
        work.contains("Finish comes 3 working days earlier"),
        "{work}"
    );
    // A branch against the merge base.
    sandbox.git(&["checkout", "-q", "--", "docs/plan.toml"]);
    sandbox.git(&["checkout", "-q", "-b", "topic", "HEAD~1"]);
    sandbox.commit(
        "docs/plan.toml",
        &PLAN.replace("likelihood = 2", "likelihood = 5"),
        "riskier",
        "2027-01-06",
    );
    let three = stdout(
        sandbox
            .gantry()
            .args(["diff", "docs/plan.toml", "--rev", "main...topic"])
            .assert()
            .code(0),
    );
    assert!(three.contains("`R1` re-scored 6 → 15"), "{three}");
    assert!(!three.contains("grew from 5 to 8"), "{three}");
    // A revision without the file: the plan is new since.
    let added = stdout(
        sandbox
            .gantry()
            .args(["diff", "docs/plan.toml", "--rev", "before-plans..main"])
            .assert()
            .code(0),
    );
    assert!(
        added.contains("* New plan \"Demo\": 3 tasks, finishing on 2027-01-20."),
        "{added}"
    );
    // Branches with no common ancestor have no merge base to start from.
    sandbox.git(&["checkout", "-q", "--orphan", "lonely"]);
    sandbox.commit("docs/plan.toml", PLAN, "unrelated start", "2027-01-08");
    let lonely = sandbox
        .gantry()
        .args(["diff", "docs/plan.toml", "--rev", "main...lonely"])
        .assert()
        .code(2);
    assert!(
        String::from_utf8_lossy(&lonely.get_output().stderr)
            .contains("main and lonely have no common ancestor"),
        "{lonely:?}"
    );
    let bad = sandbox
        .gantry()
        .args(["diff", "docs/plan.toml", "--rev", "nope..HEAD"])
        .assert()
        .code(2);
    assert!(String::from_utf8_lossy(&bad.get_output().stderr).contains("`nope` is not a revision"));
    sandbox
        .gantry()
        .args(["diff", "docs/plan.toml", "--rev", "--output=x"])
        .assert()
        .code(2);
}

#[test]
fn rev_outside_a_repository_is_a_usage_error() {
    let (_folder, old, _new) = files(PLAN, PLAN);
    gantry()
        .env(
            "GIT_CEILING_DIRECTORIES",
            old.parent().unwrap().parent().unwrap(),
        )
        .arg("diff")
        .arg(&old)
        .args(["--rev", "HEAD"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not inside a git repository"));
}

#[test]
fn history_shows_each_commit_and_the_milestone_trend_following_renames() {
    let sandbox = Sandbox::new();
    let baselined = PLAN.replace(
        "milestone = true\n",
        "milestone = true\nbaseline = { start = 2027-01-15, finish = 2027-01-15 }\n",
    );
    sandbox.commit("plan.toml", &baselined, "first plan", "2027-01-04");
    sandbox.commit(
        "plan.toml",
        &baselined.replacen("duration = 5\ndepends", "duration = 8\ndepends", 1),
        "api takes longer",
        "2027-01-11",
    );
    sandbox.git(&["mv", "plan.toml", "rollout.plan.toml"]);
    sandbox.git(&["commit", "-q", "-m", "rename"]);
    sandbox.commit(
        "rollout.plan.toml",
        &baselined.replacen("duration = 5\ndepends", "duration = 12\ndepends", 1),
        "api takes even longer",
        "2027-01-18",
    );
    sandbox.commit("unrelated.txt", "x", "unrelated", "2027-01-19");
    let text = stdout(
        sandbox
            .gantry()
            .args(["history", "rollout.plan.toml"])
            .assert()
            .code(0),
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0], "History of rollout.plan.toml: 4 commits, oldest first",
        "{text}"
    );
    let rows: Vec<&str> = lines
        .iter()
        .filter(|l| l.starts_with("2027-"))
        .copied()
        .collect();
    // Four table rows and four chart rows.
    assert_eq!(rows.len(), 8, "{text}");
    assert!(
        rows[0].starts_with("2027-01-04 ") && rows[0].contains("Ana Ruiz"),
        "{text}"
    );
    assert!(
        rows[0].contains("2027-01-15") && rows[0].contains("    0 "),
        "{text}"
    );
    assert!(
        rows[1].contains("2027-01-20") && rows[1].contains("+3"),
        "{text}"
    );
    assert!(
        rows[3].contains("2027-01-26") && rows[3].contains("+7"),
        "{text}"
    );
    assert!(text.contains("A `launch` Launch"), "{text}");
    assert!(
        text.contains("2027-01-15 → 2027-01-26 (+7 working days)"),
        "{text}"
    );
    // The launch drifts right in the chart, row after row.
    let chart: Vec<&str> = rows[4..].to_vec();
    let column = |row: &str| row.find('A').unwrap();
    assert!(column(chart[0]) < column(chart[1]), "{text}");
    assert_eq!(column(chart[1]), column(chart[2]), "{text}");
    assert!(column(chart[2]) < column(chart[3]), "{text}");

    let json = stdout(
        sandbox
            .gantry()
            .args(["history", "rollout.plan.toml", "--json"])
            .assert()
            .code(0),
    );
    let d: serde_json::Value = serde_json::from_str(&json).unwrap();
    let commits = d["commits"].as_array().unwrap();
    assert_eq!(commits.len(), 4);
    assert_eq!(commits[0]["path"], "plan.toml");
    assert_eq!(commits[3]["path"], "rollout.plan.toml");
    assert_eq!(commits[0]["slip"], 0);
    assert_eq!(commits[3]["finish"], "2027-01-26");
    assert_eq!(commits[3]["milestones"]["launch"], "2027-01-26");
    assert_eq!(commits[1]["subject"], "api takes longer");
    assert_eq!(commits[1]["date"], "2027-01-11");
    assert_eq!(d["milestones"][0]["id"], "launch");
    assert_eq!(d["milestones"][0]["drift"], 7);
    // A range: only the last two commits.
    let json = stdout(
        sandbox
            .gantry()
            .args([
                "history",
                "rollout.plan.toml",
                "--json",
                "--rev",
                "HEAD~3..HEAD",
            ])
            .assert()
            .code(0),
    );
    let d: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(d["commits"].as_array().unwrap().len(), 2, "{json}");
}

#[test]
fn history_shows_a_commit_whose_plan_does_not_parse() {
    let sandbox = Sandbox::new();
    sandbox.commit("plan.toml", PLAN, "first", "2027-01-04");
    sandbox.commit("plan.toml", "[project\n", "broken", "2027-01-05");
    sandbox.commit("plan.toml", PLAN, "fixed", "2027-01-06");
    let text = stdout(
        sandbox
            .gantry()
            .args(["history", "plan.toml"])
            .assert()
            .code(0),
    );
    assert!(text.contains("does not parse: TOML syntax"), "{text}");
    let none = stdout(
        sandbox
            .gantry()
            .args(["history", "nope.toml"])
            .assert()
            .code(0),
    );
    assert_eq!(none, "No commit in this range changed nope.toml.\n");
}

#[test]
fn git_setup_is_idempotent_and_says_what_it_wrote() {
    let sandbox = Sandbox::new();
    fs::write(
        sandbox.repo.join(".gitattributes"),
        "# ours\n*.png binary\nplan.toml text\n",
    )
    .unwrap();
    let dry = stdout(
        sandbox
            .gantry()
            .args(["git", "setup", "--dry-run"])
            .assert()
            .code(0),
    );
    assert!(
        dry.contains("would update `plan.toml text diff=gantry"),
        "{dry}"
    );
    assert!(dry.contains("would set diff.gantry.command"), "{dry}");
    assert_eq!(
        fs::read_to_string(sandbox.repo.join(".gitattributes")).unwrap(),
        "# ours\n*.png binary\nplan.toml text\n"
    );
    let first = stdout(sandbox.gantry().args(["git", "setup"]).assert().code(0));
    assert!(
        first.contains(".gitattributes: updated `plan.toml text diff=gantry"),
        "{first}"
    );
    assert!(
        first.contains(".gitattributes: added `*.plan.toml diff=gantry"),
        "{first}"
    );
    let attributes = fs::read_to_string(sandbox.repo.join(".gitattributes")).unwrap();
    assert!(
        attributes.starts_with("# ours\n*.png binary\nplan.toml text diff=gantry"),
        "{attributes}"
    );
    let command = sandbox.git(&["config", "--get", "diff.gantry.command"]);
    assert!(command.trim_end().ends_with(" diff --"), "{command}");
    let second = stdout(sandbox.gantry().args(["git", "setup"]).assert().code(0));
    assert!(
        second.contains(".gitattributes: already set up for plan.toml, *.plan.toml"),
        "{second}"
    );
    assert!(
        second.contains("git config: diff.gantry.command already set"),
        "{second}"
    );
    assert!(
        !second.contains("added") && !second.contains("updated") && !second.contains(": set "),
        "{second}"
    );
    assert_eq!(
        fs::read_to_string(sandbox.repo.join(".gitattributes")).unwrap(),
        attributes
    );
    // Patterns given.
    let named = stdout(
        sandbox
            .gantry()
            .args(["git", "setup", "plans/*.toml"])
            .assert()
            .code(0),
    );
    assert!(named.contains("added `plans/*.toml diff=gantry"), "{named}");
    sandbox
        .gantry()
        .args(["git", "setup", "!x"])
        .assert()
        .code(2);
}

#[test]
fn git_setup_global_writes_the_user_files() {
    let sandbox = Sandbox::new();
    let out = stdout(
        sandbox
            .gantry()
            .args(["git", "setup", "--global"])
            .assert()
            .code(0),
    );
    let attributes = sandbox.home.path().join(".config/git/attributes");
    assert!(
        fs::read_to_string(&attributes)
            .unwrap()
            .contains("*.plan.toml diff=gantry"),
        "{out}"
    );
    assert!(
        out.contains("global git config: set diff.gantry.command"),
        "{out}"
    );
    let config = fs::read_to_string(sandbox.home.path().join(".gitconfig")).unwrap();
    assert!(config.contains("[diff \"gantry\"]"), "{config}");
    let again = stdout(
        sandbox
            .gantry()
            .args(["git", "setup", "--global"])
            .assert()
            .code(0),
    );
    assert!(
        again.contains("already set up") && again.contains("already set"),
        "{again}"
    );
    // Outside any repository, only --global works.
    let outside = tempfile::tempdir().unwrap();
    sandbox
        .gantry()
        .current_dir(outside.path())
        .env(
            "GIT_CEILING_DIRECTORIES",
            outside.path().parent().unwrap_or(Path::new("/")),
        )
        .args(["git", "setup"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--global"));
}

#[cfg(unix)]
#[test]
fn git_setup_refuses_a_fifo_named_gitattributes_instead_of_waiting() {
    let sandbox = Sandbox::new();
    let attributes = sandbox.repo.join(".gitattributes");
    let made = std::process::Command::new("mkfifo")
        .arg(&attributes)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo failed");
    sandbox
        .gantry()
        .args(["git", "setup"])
        // Only so that a regression fails instead of hanging the suite.
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "it is a FIFO (named pipe), not a regular file, so it was not read",
        ));
}
