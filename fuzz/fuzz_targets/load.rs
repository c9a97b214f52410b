//! Any bytes at all: decoding and loading return diagnostics, never panic,
//! and every diagnostic points inside the text.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = match gantry::store::decode(data.to_vec()) {
        Ok(text) => text,
        Err(diagnostic) => {
            assert!(diagnostic.is_error());
            return;
        }
    };
    // A position may point just past the last character, never further.
    let lines = text.split('\n').count() as u32;
    let diagnostics = match gantry::store::parse_str(&text) {
        Ok(loaded) => loaded.diagnostics,
        Err(diagnostics) => {
            assert!(
                !diagnostics.is_empty(),
                "a syntax error without a diagnostic"
            );
            diagnostics
        }
    };
    for diagnostic in &diagnostics {
        assert!(
            diagnostic.pos.line <= lines,
            "{diagnostic:?} points past the last line ({lines})"
        );
    }
});
