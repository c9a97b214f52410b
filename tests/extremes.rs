//! Numbers at the edges of what the format holds: no command prints NaN,
//! infinity, or a figure wider than its column, whatever the plan holds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use proptest::prelude::*;

fn edge(values: &'static [f64]) -> impl Strategy<Value = f64> {
    prop_oneof![
        proptest::sample::select(values),
        (values[0]..=values[values.len() - 1]),
    ]
}

#[derive(Debug, Clone)]
struct Extremes {
    budget: f64,
    rate: f64,
    capacity: f64,
    estimate: f64,
    hours_per_day: f64,
    log_hours: f64,
    duration: i64,
    progress: i64,
    cost: f64,
    spi: f64,
}

fn extremes() -> impl Strategy<Value = Extremes> {
    (
        edge(&[0.0, 1.0, 1e15]),
        edge(&[0.0, 0.01, 1e6]),
        edge(&[0.01, 0.5, 1.0]),
        edge(&[0.0, 1e-9, 1e6]),
        edge(&[0.5, 8.0, 24.0]),
        edge(&[1e-9, 0.01, 24.0]),
        proptest::sample::select(&[0_i64, 1, 5, 3000, 1_000_000][..]),
        0_i64..=100,
        edge(&[-1e15, 0.0, 1e15]),
        edge(&[0.0, 1.0, 1000.0]),
    )
        .prop_map(
            |(
                budget,
                rate,
                capacity,
                estimate,
                hours_per_day,
                log_hours,
                duration,
                progress,
                cost,
                spi,
            )| {
                Extremes {
                    budget,
                    rate,
                    capacity,
                    estimate,
                    hours_per_day,
                    log_hours,
                    duration,
                    progress,
                    cost,
                    spi,
                }
            },
        )
}

fn plan(x: &Extremes) -> String {
    let mut text = format!(
        "[project]\nname = \"Edges\"\nstart = 2027-01-04\nstatus_date = 2027-02-01\nbudget = {:?}\n\n[calendar]\nhours_per_day = {:?}\n\n",
        x.budget, x.hours_per_day
    );
    for person in 0..3 {
        text.push_str(&format!(
            "[[person]]\nid = \"p{person}\"\nrate = {:?}\ncapacity = {:?}\n\n",
            x.rate, x.capacity
        ));
    }
    for task in 0..6 {
        text.push_str(&format!(
            "[[task]]\nid = \"t{task}\"\nname = \"Task {task}\"\nowner = \"p{}\"\nestimate = {:?}\nduration = {}\nprogress = {}\nstatus = \"doing\"\nbaseline = {{ start = 2027-01-04, finish = 2027-01-05 }}\n",
            task % 3,
            x.estimate,
            if task == 0 { x.duration } else { 1 + task as i64 },
            x.progress
        ));
        if task > 0 {
            text.push_str(&format!("depends = [\"t{}\"]\n", task - 1));
        }
        text.push('\n');
    }
    for day in 4..9 {
        text.push_str(&format!(
            "[[log]]\ndate = 2027-01-{day:02}\ntask = \"t0\"\nperson = \"p0\"\nhours = {:?}\n\n",
            x.log_hours
        ));
    }
    text.push_str(&format!(
        "[[change]]\nid = \"c1\"\ntitle = \"C\"\ncost = {:?}\ndays = -1000000\n\n[[checkin]]\nweek = 2027-01-25\nmetrics = {{ percent_complete = 100, spi = {:?}, cpi = {:?}, open_blockers = 1000000 }}\n",
        x.cost, x.spi, x.spi
    ));
    text
}

/// Text that must not appear in any output.
fn looks_broken(text: &str) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    for word in ["nan", "inf", "e+", "e-"] {
        // Only as a number: "inf" inside a word such as "information" is fine.
        let mut from = 0;
        while let Some(at) = lower[from..].find(word) {
            let at = from + at;
            let before = lower[..at].chars().next_back();
            let after = lower[at + word.len()..].chars().next();
            let standalone = !before.is_some_and(|c| c.is_ascii_alphabetic())
                && !after.is_some_and(|c| c.is_ascii_alphabetic());
            let numeric = word.starts_with('e') && before.is_some_and(|c| c.is_ascii_digit());
            if (standalone && !word.starts_with('e')) || numeric {
                return Some(word);
            }
            from = at + word.len();
        }
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn no_command_prints_nan_infinity_or_overwide_figures(x in extremes()) {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("plan.toml");
        std::fs::write(&path, plan(&x)).unwrap();
        let checked = Command::cargo_bin("gantry").unwrap().arg("check").arg(&path).output().unwrap();
        prop_assert!(checked.status.success(), "{}\n{}", String::from_utf8_lossy(&checked.stderr), plan(&x));
        for args in [
            &["status"][..],
            &["status", "--json"],
            &["schedule"],
            &["checkin"],
            &["report"],
            &["risk", "list"],
        ] {
            let output = Command::cargo_bin("gantry").unwrap().args(args).arg(&path).output().unwrap();
            let stdout = String::from_utf8(output.stdout).unwrap();
            let stderr = String::from_utf8(output.stderr).unwrap();
            prop_assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
            if !output.status.success() {
                // Only a schedule past the last date may refuse, and it says so.
                prop_assert!(stderr.contains("the last date a plan can hold"), "{args:?}: {stderr}");
                continue;
            }
            prop_assert_eq!(looks_broken(&stdout), None, "{:?}: {}", args, stdout);
            if args.len() == 1 && args[0] != "report" {
                let shown = path.display().to_string();
                for line in stdout.lines().filter(|line| !line.contains(&shown)) {
                    prop_assert!(line.chars().count() <= 80, "{args:?}: {line}");
                }
            }
        }
    }
}

#[test]
fn money_and_indices_stay_short() {
    use gantry::metrics::{format_index, format_money};
    for value in [
        0.0,
        0.004,
        999_999_999.99,
        1e9,
        1.5e12,
        999.99e12,
        1e15,
        1e17,
        1.7e308,
        -1e17,
        f64::NAN,
        f64::INFINITY,
    ] {
        let text = format_money(value);
        assert!(text.len() <= 15, "{value}: {text}");
        assert!(!text.contains("inf") && !text.contains("NaN"), "{text}");
    }
    assert_eq!(format_money(2.5e12), "2.50T");
    assert_eq!(format_money(-121.95e9), "-121.95B");
    assert_eq!(format_money(1.2e17), "1.20e17");
    assert_eq!(format_money(999_999_999.0), "999,999,999.00");
    for value in [0.0, 1.0, 999.99, 1000.0, 1e19, -5e9, f64::NAN] {
        assert!(format_index(value).len() <= 6, "{value}");
    }
    assert_eq!(format_index(20833.3), ">999");
    assert_eq!(format_index(0.5), "0.50");
}
