//! Random key presses at random terminal sizes never panic the app, and
//! every frame can be drawn.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use gantry::app::{Action, App, Origin};
use gantry::config::Config;
use gantry::store::PlanFile;
use gantry::theme::{Capabilities, ColorSupport};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn any_key() -> impl Strategy<Value = KeyEvent> {
    let printable = prop_oneof![
        Just('j'),
        Just('k'),
        Just('g'),
        Just('G'),
        Just('h'),
        Just('l'),
        Just('t'),
        Just('+'),
        Just('-'),
        Just('e'),
        Just('a'),
        Just('d'),
        Just('y'),
        Just('n'),
        Just('J'),
        Just('K'),
        Just(' '),
        Just('b'),
        Just(']'),
        Just('['),
        Just('L'),
        Just('z'),
        Just('Z'),
        Just('i'),
        Just('u'),
        Just(':'),
        Just('/'),
        Just('f'),
        Just('o'),
        Just('O'),
        Just('c'),
        Just('v'),
        Just('!'),
        Just('R'),
        Just('1'),
        Just('2'),
        Just('3'),
        Just('4'),
        Just('5'),
        Just('?'),
        Just('x'),
        Just('9'),
        Just(','),
        Just('='),
        Just('r'),
        Just('s'),
        Just('w'),
        Just('q'),
        Just('é'),
        Just('決'),
    ];
    prop_oneof![
        8 => printable.prop_map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        1 => prop_oneof![
            Just(KeyCode::Enter), Just(KeyCode::Esc), Just(KeyCode::Tab), Just(KeyCode::BackTab),
            Just(KeyCode::Backspace), Just(KeyCode::Up), Just(KeyCode::Down), Just(KeyCode::Left),
            Just(KeyCode::Right), Just(KeyCode::PageUp), Just(KeyCode::PageDown), Just(KeyCode::Home),
            Just(KeyCode::End), Just(KeyCode::Delete),
        ]
        .prop_map(|code| KeyEvent::new(code, KeyModifiers::NONE)),
        1 => prop_oneof![Just('r'), Just('d'), Just('u'), Just('w')]
            .prop_map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)),
    ]
}

fn step() -> impl Strategy<Value = Action> {
    prop_oneof![
        20 => any_key().prop_map(Action::Key),
        1 => (1u16..200, 1u16..70).prop_map(|(width, height)| Action::Resize { width, height }),
        1 => (0u16..120, 0u16..50).prop_map(|(column, row)| Action::Click { column, row }),
        1 => (-20i64..20).prop_map(Action::ScrollRows),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn random_sessions_never_panic(steps in proptest::collection::vec(step(), 1..160), unicode in any::<bool>()) {
        // A session may type `:w name`: keep what it writes out of the source tree.
        let folder = tempfile::tempdir().unwrap();
        std::env::set_current_dir(folder.path()).unwrap();
        let text = include_str!("../examples/hotel-integration.toml");
        let file = PlanFile::from_text(std::path::Path::new("/nonexistent/plan.toml"), text.to_owned()).unwrap();
        let config = Config::defaults(Capabilities { color: ColorSupport::Ansi16, unicode });
        let mut app = App::new(file, Origin::File, config, NaiveDate::from_ymd_opt(2027, 3, 15).unwrap());
        let mut size = (80u16, 24u16);
        app.update(Action::Resize { width: size.0, height: size.1 });
        for step in steps {
            if let Action::Resize { width, height } = step {
                size = (width, height);
            }
            app.update(step);
            if app.quit {
                break;
            }
            let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
            terminal.draw(|frame| gantry::ui::render(frame, &app)).unwrap();
        }
        // Whatever happened, the document still parses.
        prop_assert!(gantry::store::parse_str(&app.file.text()).is_ok());
    }
}
