//! SPEC's schedule semantics where TaskJuggler cannot be the referee: it
//! has no negative gaps, no progress-aware rescheduling that matches SPEC,
//! and it places some milestones differently (see `docs/scheduling.md`).
//! Each expected date here was worked out by hand from SPEC section 2.
//! January 2027: the 4th is a Monday.

// Helpers of a test may stop it: a failed expectation is the test failing.
#![allow(clippy::expect_used)]

use gantry::model::Plan;
use gantry::schedule::{self, Schedule};

fn plan(text: &str) -> Plan {
    let loaded = gantry::store::parse_str(text).expect("the plan parses");
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.plan
}

fn dates(plan: &Plan, schedule: &Schedule) -> Vec<(String, String, String)> {
    plan.tasks
        .iter()
        .zip(&schedule.tasks)
        .map(|(task, dates)| {
            (
                task.id.value.clone(),
                dates.start.to_string(),
                dates.finish.to_string(),
            )
        })
        .collect()
}

fn expect(text: &str, expected: &[(&str, &str, &str)]) -> Schedule {
    let plan = plan(text);
    let schedule = schedule::schedule(&plan).expect("the plan schedules");
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(id, start, finish)| (id.to_string(), start.to_string(), finish.to_string()))
        .collect();
    assert_eq!(dates(&plan, &schedule), expected);
    schedule
}

const HEADER: &str = "[project]\nname = \"Spec\"\nstart = 2027-01-04\n\n";

#[test]
fn negative_lags_move_back_from_the_first_beginning_after_the_finish() {
    // base runs Monday to Friday. The first beginning after its finish is
    // Monday the 11th; -1 is Friday, -3 is Wednesday. A milestone moved back
    // from the end of Friday lands on the beginning of a day.
    expect(
        &format!(
            "{HEADER}[[task]]\nid = \"base\"\nname = \"Base\"\nduration = 5\n\n\
             [[task]]\nid = \"one\"\nname = \"One back\"\nduration = 2\ndepends = [{{ task = \"base\", lag = -1 }}]\n\n\
             [[task]]\nid = \"three\"\nname = \"Three back\"\nduration = 1\ndepends = [{{ task = \"base\", lag = -3 }}]\n\n\
             [[task]]\nid = \"far\"\nname = \"Further back than the start\"\nduration = 1\ndepends = [{{ task = \"base\", lag = -20 }}]\n\n\
             [[task]]\nid = \"gate\"\nname = \"Gate\"\nmilestone = true\ndepends = [{{ task = \"base\", lag = -2 }}]\n"
        ),
        &[
            ("base", "2027-01-04", "2027-01-08"),
            ("one", "2027-01-08", "2027-01-11"),
            ("three", "2027-01-06", "2027-01-06"),
            // Nothing starts before the project start.
            ("far", "2027-01-04", "2027-01-04"),
            ("gate", "2027-01-07", "2027-01-07"),
        ],
    );
}

#[test]
fn negative_start_to_start_and_finish_to_finish_lags() {
    // late starts Wednesday the 13th because of its fixed date; ss starts
    // two days before that, ff finishes one day before late finishes.
    expect(
        &format!(
            "{HEADER}[[task]]\nid = \"late\"\nname = \"Late\"\nduration = 3\nstart = 2027-01-13\n\n\
             [[task]]\nid = \"ss\"\nname = \"Starts before\"\nduration = 1\ndepends = [{{ task = \"late\", type = \"ss\", lag = -2 }}]\n\n\
             [[task]]\nid = \"ff\"\nname = \"Finishes before\"\nduration = 2\ndepends = [{{ task = \"late\", type = \"ff\", lag = -1 }}]\n"
        ),
        &[
            ("late", "2027-01-13", "2027-01-15"),
            ("ss", "2027-01-11", "2027-01-11"),
            ("ff", "2027-01-13", "2027-01-14"),
        ],
    );
}

#[test]
fn a_milestone_linked_start_to_start_sits_at_the_beginning_of_the_start_day() {
    // `work` waits for `first` (ends Friday) and starts Monday; a milestone
    // starting with it is on Monday. TaskJuggler would put it on the
    // Friday, where `work` became free to start.
    expect(
        &format!(
            "{HEADER}[[task]]\nid = \"first\"\nname = \"First\"\nduration = 5\n\n\
             [[task]]\nid = \"work\"\nname = \"Work\"\nduration = 2\ndepends = [\"first\"]\n\n\
             [[task]]\nid = \"started\"\nname = \"Work started\"\nmilestone = true\ndepends = [{{ task = \"work\", type = \"ss\" }}]\n"
        ),
        &[
            ("first", "2027-01-04", "2027-01-08"),
            ("work", "2027-01-11", "2027-01-12"),
            ("started", "2027-01-11", "2027-01-11"),
        ],
    );
}

#[test]
fn a_milestone_without_dependencies_sits_on_the_first_working_day() {
    // The project starts on Saturday the 2nd: nothing starts before Monday.
    let schedule = expect(
        "[project]\nname = \"Spec\"\nstart = 2027-01-02\n\n\
         [[task]]\nid = \"kickoff\"\nname = \"Kickoff\"\nmilestone = true\n\n\
         [[task]]\nid = \"work\"\nname = \"Work\"\nduration = 1\ndepends = [\"kickoff\"]\n",
        &[
            ("kickoff", "2027-01-04", "2027-01-04"),
            ("work", "2027-01-04", "2027-01-04"),
        ],
    );
    assert_eq!(schedule.start.to_string(), "2027-01-04");
}

#[test]
fn dates_beyond_what_taskjuggler_reads_are_fine() {
    expect(
        &format!(
            "{HEADER}[[task]]\nid = \"long\"\nname = \"Long\"\nduration = 20000\n\n\
             [[task]]\nid = \"after\"\nname = \"After\"\nduration = 1\ndepends = [\"long\"]\n"
        ),
        &[
            ("long", "2027-01-04", "2103-08-31"),
            ("after", "2103-09-03", "2103-09-03"),
        ],
    );
}

#[test]
fn the_status_date_moves_unfinished_work_only_when_it_is_set() {
    let text = "[project]\nname = \"Progress\"\nstart = 2027-01-04\nstatus_date = 2027-01-13\n\n\
         [[person]]\nid = \"ana\"\nname = \"Ana\"\n\n\
         [[task]]\nid = \"done\"\nname = \"Done early\"\nduration = 5\nstatus = \"done\"\nprogress = 100\nowner = \"ana\"\n\n\
         [[task]]\nid = \"doing\"\nname = \"Under way\"\nduration = 4\ndepends = [\"done\"]\nstatus = \"doing\"\nprogress = 25\nowner = \"ana\"\n\n\
         [[task]]\nid = \"todo\"\nname = \"Not started\"\nduration = 2\n\n\
         [[task]]\nid = \"next\"\nname = \"After the work under way\"\nduration = 1\ndepends = [\"doing\"]\n\n\
         [[log]]\ndate = 2027-01-05\ntask = \"done\"\nhours = 8\n\n\
         [[log]]\ndate = 2027-01-07\ntask = \"done\"\nhours = 8\n\n\
         [[log]]\ndate = 2027-01-08\ntask = \"doing\"\nhours = 8\n";
    // done: logged Tuesday to Thursday. doing: started Friday the 8th (its
    // log), 3 of 4 days left from Wednesday the 13th. todo waits for the
    // status date; next follows doing.
    expect(
        text,
        &[
            ("done", "2027-01-05", "2027-01-07"),
            ("doing", "2027-01-08", "2027-01-15"),
            ("todo", "2027-01-13", "2027-01-14"),
            ("next", "2027-01-18", "2027-01-18"),
        ],
    );
    // Without the status date the same file is scheduled as planned.
    expect(
        &text.replace("status_date = 2027-01-13\n", ""),
        &[
            ("done", "2027-01-04", "2027-01-08"),
            ("doing", "2027-01-11", "2027-01-14"),
            ("todo", "2027-01-04", "2027-01-05"),
            ("next", "2027-01-15", "2027-01-15"),
        ],
    );
}

#[test]
fn check_reports_a_schedule_that_leaves_the_calendar_at_the_duration() {
    // The longest duration the format holds, late in the calendar.
    let text = format!("{HEADER}[[task]]\nid = \"huge\"\nname = \"Huge\"\nduration = 1000000\n")
        .replacen("2027-01-04", "8027-01-04", 1);
    let plan = plan(&text);
    let diagnostics = schedule::diagnostics(&plan);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!((diagnostics[0].pos.line, diagnostics[0].pos.col), (8, 12));
    assert!(
        diagnostics[0].message.contains("`huge`"),
        "{}",
        diagnostics[0].message
    );
}
