//! Property tests: loading never panics, and a load followed by a save with
//! no edit gives back the very same bytes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use gantry::store::{PlanFile, parse_str};
use proptest::prelude::*;

/// Pieces of layout people really write: comments, blank lines, odd spacing.
fn layout() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("\n".to_owned()),
        Just("# a comment\n".to_owned()),
        Just("   # indented comment with ünïcode ✓\n".to_owned()),
        Just("\n\n".to_owned()),
    ]
}

fn id() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_-]{0,6}"
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~&&[^\"\\\\]]{0,12}".prop_map(|s| format!("\"{s}\"")),
        any::<i32>().prop_map(|n| n.to_string()),
        (0u8..=100).prop_map(|n| format!("{n}   # percent")),
        Just("2027-01-04".to_owned()),
        Just("true".to_owned()),
        Just("[\"a\", 'b',]".to_owned()),
        Just("{ task = \"x\", lag = -2 }".to_owned()),
        Just("'''\nmulti\nline'''".to_owned()),
        Just("1_000.5e2".to_owned()),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("name".to_owned()),
        Just("duration".to_owned()),
        Just("progress".to_owned()),
        Just("status".to_owned()),
        Just("depends".to_owned()),
        Just("\"quoted key\"".to_owned()),
        id(),
    ]
}

fn entity() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just("task"),
            Just("risk"),
            Just("person"),
            Just("phase"),
            Just("unknown")
        ],
        id(),
        proptest::collection::vec((layout(), key(), "[ \t]{0,3}", value()), 0..6),
        layout(),
    )
        .prop_map(|(kind, id, fields, trailing)| {
            let mut text = format!("[[{kind}]]\nid = \"{id}\"\n");
            for (layout, key, space, value) in fields {
                text.push_str(&layout);
                text.push_str(&format!("{key}{space}={space}{value}\n"));
            }
            text.push_str(&trailing);
            text
        })
}

fn plan_text() -> impl Strategy<Value = String> {
    (
        layout(),
        proptest::collection::vec(entity(), 0..8),
        layout(),
    )
        .prop_map(|(head, entities, tail)| {
            let mut text = format!("{head}[project]\nname = \"P\"  # name\nstart = 2027-01-04\n");
            for entity in entities {
                text.push('\n');
                text.push_str(&entity);
            }
            text.push_str(&tail);
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn load_then_save_without_edits_is_byte_identical(text in plan_text()) {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("plan.toml");
        std::fs::write(&path, &text).unwrap();
        // Keys may repeat by chance; such a text does not parse and is left alone.
        if let Ok(mut file) = PlanFile::open(&path) {
            prop_assert_eq!(file.text(), text.clone());
            prop_assert!(!file.is_modified());
            file.save().unwrap();
            prop_assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(text) = gantry::store::decode(bytes) {
            let _ = parse_str(&text);
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(text in "\\PC{0,256}") {
        let _ = parse_str(&text);
    }

    #[test]
    fn arbitrary_toml_plans_never_panic(text in plan_text()) {
        if let Ok(loaded) = parse_str(&text) {
            // Every diagnostic points inside the file.
            let lines = text.lines().count().max(1) as u32;
            for diagnostic in &loaded.diagnostics {
                prop_assert!(diagnostic.pos.line >= 1 && diagnostic.pos.line <= lines + 1, "{:?}", diagnostic);
            }
        }
    }
}
