//! The Risks, Check-in, Dashboard and Plan panes driven through
//! `App::update`, with no terminal.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use gantry::app::{Action, App, Confirm, Mode, Origin, Pane, key, type_text};
use gantry::config::Config;
use gantry::keymap::Command;
use gantry::model::{RiskStatus, RiskTier};
use gantry::store::PlanFile;
use gantry::theme::{Capabilities, ColorSupport};
use ratatui::crossterm::event::KeyCode;

fn app_for(text: &str) -> App {
    let file = PlanFile::from_text(std::path::Path::new("plan.toml"), text.to_owned()).unwrap();
    let config = Config::defaults(Capabilities {
        color: ColorSupport::Ansi16,
        unicode: true,
    });
    let mut app = App::new(
        file,
        Origin::File,
        config,
        NaiveDate::from_ymd_opt(2027, 4, 9).unwrap(),
    );
    app.update(Action::Resize {
        width: 100,
        height: 30,
    });
    app
}

fn hotel() -> App {
    app_for(include_str!("../examples/hotel-integration.toml"))
}

fn command(app: &mut App, command: Command) {
    app.update(Action::Command(command));
}

#[test]
fn risks_are_sorted_by_score_and_resorted_by_any_column() {
    let mut app = hotel();
    command(&mut app, Command::Pane(2));
    assert_eq!(app.pane, Pane::Risks);
    let order = app.risks.ordered(&app.file.plan);
    let scores: Vec<u8> = order
        .iter()
        .map(|&i| app.file.plan.risks[i].score())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    command(&mut app, Command::SortNext);
    let ids: Vec<String> = app
        .risks
        .ordered(&app.file.plan)
        .iter()
        .map(|&i| app.file.plan.risks[i].id.value.clone())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
}

#[test]
fn closing_reviewing_and_escalating_a_risk_change_one_line_each_and_undo() {
    let mut app = hotel();
    let original = app.file.text();
    command(&mut app, Command::Pane(2));
    let index = app.risks.selected_risk(&app.file.plan).unwrap();
    let id = app.file.plan.risks[index].id.value.clone();
    let tier = app.file.plan.risks[index].tier;
    command(&mut app, Command::EscalateRisk);
    let expected = if tier == RiskTier::Urgent {
        RiskTier::Tracked
    } else {
        RiskTier::Urgent
    };
    assert_eq!(app.file.plan.risks[index].tier, expected);
    command(&mut app, Command::CloseRisk);
    assert_eq!(app.file.plan.risks[index].status, RiskStatus::Closed);
    command(&mut app, Command::ReviewRisk);
    // The date is asked for, proposed as the status date.
    assert!(matches!(app.mode, Mode::RecordForm(_)));
    app.update(key(KeyCode::Enter));
    let proposed = app.file.plan.project.status_date;
    assert_eq!(app.file.plan.risks[index].reviewed, proposed);
    let changed = original
        .lines()
        .zip(app.file.text().lines())
        .filter(|(a, b)| a != b)
        .count();
    assert!(changed <= 3, "{id}: {changed} lines changed");
    for _ in 0..3 {
        command(&mut app, Command::Undo);
    }
    assert_eq!(app.file.text(), original);
}

#[test]
fn a_new_risk_is_added_through_its_form_and_bad_values_are_refused() {
    let mut app = hotel();
    let original = app.file.text();
    let count = app.file.plan.risks.len();
    command(&mut app, Command::Pane(2));
    command(&mut app, Command::Add);
    assert_eq!(app.file.plan.risks.len(), count + 1);
    let Mode::RiskForm(form) = &app.mode else {
        panic!("the form should open: {:?}", app.mode);
    };
    assert_eq!(form.risk, format!("R{}", count + 1));
    // Title: replace it.
    app.update(Action::Key(ratatui::crossterm::event::KeyEvent::new(
        KeyCode::Char('u'),
        ratatui::crossterm::event::KeyModifiers::CONTROL,
    )));
    type_text(&mut app, "Supplier insolvency");
    // Likelihood: 9 is out of range, as check says.
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Backspace));
    type_text(&mut app, "9");
    let Mode::RiskForm(form) = &app.mode else {
        panic!()
    };
    let error = form.fields[2].error.clone().unwrap();
    assert!(error.contains("must be from 1 to 5"), "{error}");
    app.update(key(KeyCode::Backspace));
    type_text(&mut app, "2");
    app.update(key(KeyCode::Enter));
    assert_eq!(app.mode, Mode::Normal);
    let risk = app.file.plan.risks.last().unwrap();
    assert_eq!(
        (risk.title.as_str(), risk.likelihood),
        ("Supplier insolvency", 2)
    );
    // Appended after the last risk, nothing else changed.
    let text = app.file.text();
    assert!(text.starts_with(&original[..original.find("[[risk]]").unwrap()]));
    assert_eq!(gantry::store::parse_str(&text).unwrap().diagnostics, vec![]);
}

#[test]
fn deleting_a_risk_asks_and_undo_restores_it() {
    let mut app = hotel();
    let original = app.file.text();
    command(&mut app, Command::Pane(2));
    command(&mut app, Command::Delete);
    assert!(matches!(
        app.mode,
        Mode::Confirm(Confirm::DeleteRisk { .. })
    ));
    app.update(key(KeyCode::Char('y')));
    assert_eq!(
        app.file.plan.risks.len() + 1,
        gantry::store::parse_str(&original)
            .unwrap()
            .plan
            .risks
            .len()
    );
    command(&mut app, Command::Undo);
    assert_eq!(app.file.text(), original);
}

#[test]
fn the_checkin_is_drafted_from_the_plan_and_recorded_once() {
    let text = "[project]\nname = \"P\"\nstart = 2027-01-04\nstatus_date = 2027-01-13\n\
        [[person]]\nid = \"ana\"\nrate = 100\n\
        [[task]]\nid = \"a\"\nname = \"Design\"\nowner = \"ana\"\nduration = 2\nestimate = 16\nstatus = \"done\"\nprogress = 100\nstart = 2027-01-11\n\
        [[task]]\nid = \"b\"\nname = \"Build\"\nowner = \"ana\"\nduration = 5\nestimate = 40\ndepends = [\"a\"]\n\
        [[task]]\nid = \"c\"\nname = \"Vendor\"\nstatus = \"blocked\"\nblocker = \"no contract\"\n";
    let mut app = app_for(text);
    command(&mut app, Command::Pane(3));
    let editor = app.checkin.clone().unwrap();
    assert_eq!(editor.week, NaiveDate::from_ymd_opt(2027, 1, 11).unwrap());
    assert_eq!(editor.done, ["Design"]);
    assert_eq!(editor.blocked, ["Vendor: no contract"]);
    // Add a note: it is the last line.
    command(&mut app, Command::Last);
    command(&mut app, Command::Edit);
    type_text(&mut app, "On track");
    app.update(key(KeyCode::Enter));
    command(&mut app, Command::Record);
    assert_eq!(app.file.plan.checkins.len(), 1);
    let checkin = &app.file.plan.checkins[0];
    assert_eq!(checkin.note.as_deref(), Some("On track"));
    assert_eq!(checkin.metrics.open_blockers, Some(1));
    assert!(
        app.file
            .text()
            .contains("[[checkin]]\nweek = 2027-01-11\ndone = [\"Design\"]\n"),
        "{}",
        app.file.text()
    );
    // A second record of the same week is refused.
    command(&mut app, Command::Record);
    assert_eq!(app.file.plan.checkins.len(), 1);
    assert!(app.checkin_recorded());
}

#[test]
fn the_dashboard_alerts_lead_to_their_cause() {
    let text = "[project]\nname = \"P\"\nstart = 2027-01-04\nstatus_date = 2027-01-20\n\
        [[task]]\nid = \"a\"\nname = \"A\"\nduration = 5\n\
        [[task]]\nid = \"b\"\nname = \"B\"\nstatus = \"blocked\"\nblocked_since = 2027-01-04\n\
        [[risk]]\nid = \"R1\"\ntitle = \"Late vendor\"\nlikelihood = 3\nimpact = 4\ntrigger = 2027-01-15\n";
    let mut app = app_for(text);
    command(&mut app, Command::Pane(4));
    let dashboard = app.dashboard.figures.clone().unwrap();
    let risk_alert = dashboard
        .alerts
        .iter()
        .position(|a| a.target == gantry::metrics::AlertTarget::Risk(0))
        .expect("an alert for the risk past its trigger");
    let task_alert = dashboard
        .alerts
        .iter()
        .position(|a| a.target == gantry::metrics::AlertTarget::Task(1))
        .expect("an alert for the task blocked for over a week");
    for _ in 0..risk_alert {
        command(&mut app, Command::Down);
    }
    command(&mut app, Command::Edit);
    assert_eq!(app.pane, Pane::Risks);
    assert_eq!(app.risks.selected_risk(&app.file.plan), Some(0));
    command(&mut app, Command::Pane(4));
    command(&mut app, Command::First);
    for _ in 0..task_alert {
        command(&mut app, Command::Down);
    }
    command(&mut app, Command::Edit);
    assert_eq!(app.pane, Pane::Gantt);
    assert_eq!(app.gantt.selected_task(), Some(1));
}

#[test]
fn the_plan_pane_scrolls_within_its_page() {
    let mut app = hotel();
    command(&mut app, Command::Pane(5));
    command(&mut app, Command::Last);
    let bottom = app.plan.scroll;
    let last = app.plan.selected;
    assert!(bottom > 0);
    // Up moves the selection at once; the page stays while it is on it.
    command(&mut app, Command::Up);
    assert!(app.plan.selected < last);
    assert_eq!(app.plan.scroll, bottom);
    command(&mut app, Command::First);
    assert_eq!(app.plan.scroll, 0);
}
