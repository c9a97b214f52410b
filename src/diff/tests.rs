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
