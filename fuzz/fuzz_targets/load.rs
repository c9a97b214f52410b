//! Any bytes at all: decoding and loading return diagnostics, never panic,
//! every diagnostic points inside the text, and the fast read path, the
//! same in small pieces, and the format-preserving one agree.

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
    let through_document = match gantry::store::parse_str_with_document(&text) {
        Ok(loaded) => loaded.diagnostics,
        Err(diagnostics) => diagnostics,
    };
    assert_eq!(diagnostics, through_document, "the read paths differ");
    if let Some(pieces) = gantry::store::parse_str_in_pieces(&text, 16) {
        assert_eq!(pieces.diagnostics, diagnostics, "the pieces differ");
    }
    for diagnostic in &diagnostics {
        assert!(
            diagnostic.pos.line <= lines,
            "{diagnostic:?} points past the last line ({lines})"
        );
    }
});
