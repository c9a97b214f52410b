//! The fast read path (`toml`'s spanned parser) and the format-preserving
//! one (`toml_edit`) give the same model and the same diagnostics: same
//! messages, same positions, same order, syntax errors included.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use gantry::store::{parse_str, parse_str_in_pieces, parse_str_with_document};
use proptest::prelude::*;

#[path = "../examples/gen_plan.rs"]
mod gen_plan;

/// Whether the text read in small pieces too; how often, the tests count.
fn assert_same(text: &str, what: &str) -> bool {
    let fast = parse_str(text);
    let document = parse_str_with_document(text);
    let mut in_pieces = false;
    for piece in [1, 64, 4096] {
        if let Some(pieces) = parse_str_in_pieces(text, piece) {
            in_pieces = true;
            let document = document
                .as_ref()
                .expect("the pieces parse only where the whole does");
            assert_eq!(
                pieces.diagnostics, document.diagnostics,
                "{what}: in pieces of {piece}"
            );
            assert!(
                pieces.plan == document.plan,
                "{what}: the models differ in pieces of {piece}"
            );
        }
    }
    match (fast, document) {
        (Ok(fast), Ok(document)) => {
            assert_eq!(fast.diagnostics, document.diagnostics, "{what}");
            assert!(fast.plan == document.plan, "{what}: the models differ");
        }
        (Err(fast), Err(document)) => assert_eq!(fast, document, "{what}"),
        (fast, document) => panic!(
            "{what}: one path parses and the other does not:\nfast: {:?}\ndocument: {:?}",
            fast.err(),
            document.err()
        ),
    }
    in_pieces
}

fn files(folder: &Path, ext: &str, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, into);
        } else if path.extension().is_some_and(|e| e == ext) {
            into.push(path);
        }
    }
}

fn every_toml_file() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for folder in ["examples", "tests", "fuzz/seeds", "src/templates"] {
        files(&root.join(folder), "toml", &mut paths);
    }
    assert!(paths.len() > 60, "{} files", paths.len());
    paths
}

#[test]
fn every_plan_in_the_repository_reads_the_same_both_ways() {
    let paths = every_toml_file();
    let mut in_pieces = 0;
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        in_pieces += usize::from(assert_same(&text, &path.display().to_string()));
    }
    // The valid plans all read in pieces.
    assert!(
        in_pieces * 10 >= paths.len() * 9,
        "{in_pieces} of {}",
        paths.len()
    );
}

/// What the diagnostics tests feed the loader: every string literal of
/// those files that looks like a plan, hostile or not.
#[test]
fn every_malformed_case_of_the_tests_reads_the_same_both_ways() {
    let header = "[project]\nname = \"Demo\"\nstart = 2027-01-04\n";
    let cases = [
        String::new(),
        "\0".to_owned(),
        format!("{header}\0"),
        format!("{header}[[task]]\nid = \"a\"\nname = \"A\"\n[task]\nid = \"b\"\n"),
        format!("{header}[task]\nid = \"a\"\n[[task]]\nid = \"b\"\n"),
        format!("{header}[project]\nname = \"x\"\n"),
        format!("{header}{} = 1\n", vec!["k"; 20_000].join(".")),
        format!("{header}[{}]\n", vec!["a"; 20_000].join(".")),
        format!("{header}x = {}{}\n", "[".repeat(5_000), "]".repeat(5_000)),
        format!("{header}x = {}1{}\n", "{a=".repeat(300), "}".repeat(300)),
        format!("{header}duration = 99999999999999999999\n"),
        format!("{header}x = 0xFFFFFFFFFFFFFFFF\ny = -9223372036854775808\n"),
        format!("{header}x = 1e400\ny = -1e400\nz = inf\nw = -nan\n"),
        format!("{header}[[task]]\nid = \"a\"\nname = \"A\"\nduration = inf\nprogress = nan\nestimate = -inf\n"),
        format!("{header}[[task]]\nid = \"a\"\nname = \"A\"\nname = \"B\"\n"),
        format!("{header}x.y = 1\n[x]\nz = 2\n"),
        format!("{header}[x.y]\n[x]\ny = 1\n"),
        format!("{header}task = [{{ id = \"a\", name = \"A\" }}, 3, [1]]\n"),
        format!("{header}task = {{ id = \"a\" }}\nrisk = 3\n[calendar.x]\ny = 1\n"),
        format!("{header}scope = [1]\nreview = \"x\"\nhandover = {{ to = 1, checklist = [1, {{ item = 2 }}] }}\n"),
        format!("{header}[[task]]\nid = \"a\"\nname = \"A\"\nbaselines = {{ \"bad name\" = {{ start = 2027-01-04, finish = 2027-01-05 }}, \"\" = 1, v1 = {{ start = \"x\" }} }}\n[task.baselines.\"x y\"]\nstart = 2027-01-04\n"),
        format!("{header}[[task]]\nid = \"a\"\nname = \"A\"\ndepends = [1, {{ task = 2, type = \"zz\", lag = 2.5, x = 1 }}, {{ }}, [\"a\"]]\nstart = {{ a = 1 }}\nmilestone = \"yes\"\n"),
        format!("{header}[[task]]\nid = \"a\"\nname = \"A\"\nstart = 2027-01-11T09:00:00\nblocked_since = 09:00:00\nnotes = 2027-01-01\n[task.baseline]\nstart = 2027-01-05\nfinish = 2027-01-04\n"),
        format!("{header}[[person]]\nid = \"p\"\nrate = 1.7e308\ncapacity = 0\nskills = [1]\n[calendar]\nworkdays = [\"mon\", \"mon\", \"fry\", 3]\nholidays = [1, \"2027-01-01\", 2027-02-30]\nhours_per_day = 1e-300\n"),
        format!("{header}[[checkin]]\nweek = 2027-01-13\nmetrics = {{ open_blockers = -1, spi = 1e9, cpi = \"x\", extra = 1 }}\n[[log]]\ndate = 2027-01-05\ntask = \"x\"\nhours = 0\n"),
        format!("{header}[[task]]\nid = \"a b\"\nname = \"A\"\n[[task]]\nid = \"a b\"\n[[task]]\nname = \"B\"\ndepends = [\"a\u{200B}\"]\nstatus = \"dnoe\"\n"),
        "[project]\nname = \"D\"\nstart = \"next monday\"\nstatus_date = 2026-01-01\nbudget = -1\n[[tasks]]\nid = 1\n".to_owned(),
        "[project]\r\nname = \"D\"\r\nstart = 2027-01-04\r\n[[task]]\r\nid = \"a\"\r\n".to_owned(),
        "\u{FEFF}[project]\nname = \"D\"\nstart = 2027-01-04\n".to_owned(),
        "project = 3\n".to_owned(),
        "[project]\nname = \"D\"\nstart = 2027-01-04\n[[task]\n".to_owned(),
        "[project]\nname = \"D\nstart = 2027-01-04\n".to_owned(),
        "a = \"\\ud800\"\n".to_owned(),
        "a = 1__0\n".to_owned(),
        "a = {b = 1,}\n".to_owned(),
    ];
    for (index, case) in cases.iter().enumerate() {
        assert_same(case, &format!("case {index}"));
    }
}

fn plan_options() -> impl Strategy<Value = gen_plan::Options> {
    (1_usize..300, any::<u64>(), 0_usize..40, 0_usize..200).prop_map(|(tasks, seed, risks, log)| {
        gen_plan::Options {
            tasks,
            seed,
            risks,
            log,
        }
    })
}

/// Characters whose insertion or removal breaks TOML in many ways.
const EDITS: &[&str] = &[
    "[", "]", "[[", "{", "}", "\"", "'", "=", ".", ",", "\n", "#", "0", "-", "\0", "\\", "x", " ",
    "\"\"\"", "1e400", "inf",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_plans_read_the_same_both_ways(options in plan_options()) {
        let text = gen_plan::generate(&options);
        prop_assert!(assert_same(&text, &format!("{options:?}")), "a generated plan reads in pieces");
    }

    /// Random damage to a real plan: syntax errors, type errors and
    /// unknown keys all come out the same.
    #[test]
    fn damaged_plans_read_the_same_both_ways(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), 0..EDITS.len(), 0_usize..4), 1..5),
    ) {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/hotel-integration.toml");
        let mut text = std::fs::read_to_string(path).unwrap();
        for (at, edit, removed) in edits {
            let mut at = at.index(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + removed).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(at..end, EDITS[edit]);
        }
        assert_same(&text, &text);
    }

    /// Tables that TOML ties across pieces: a sub-table of an array's
    /// last table after another table, a table's sub-table further down.
    #[test]
    fn tables_tied_across_pieces_read_the_same(order in proptest::collection::vec(0_usize..6, 1..12)) {
        let parts = [
            "[[task]]\nid = \"a\"\nname = \"A\"\n",
            "[task.baselines.v1]\nstart = 2027-01-04\nfinish = 2027-01-05\n",
            "[calendar]\nhours_per_day = 7\n",
            "[calendar.extra]\nx = 1\n",
            "[[risk]]\nid = \"R\"\ntitle = \"T\"\nlikelihood = 2\nimpact = 2\n",
            "[review]\ndate = 2027-01-04\n",
        ];
        let mut text = "[project]\nname = \"Demo\"\nstart = 2027-01-04\n".to_owned();
        for part in order {
            text.push_str(parts[part]);
        }
        assert_same(&text, &text);
    }
}
