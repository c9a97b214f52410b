#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every export, and the HTML report, on every shipped example and on a
//! plan whose every text field is hostile: the output parses with a real
//! parser for its format (html5ever, the csv reader, an iCalendar parser,
//! serde_json), and the text comes back intact and inert.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use gantry::cli::{CsvTable, ExportFormat};
use gantry::export::{self, Options, inert_text};
use gantry::model::Plan;
use gantry::schedule::Schedule;
use icalendar::Component;

fn examples() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> =
        fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|e| e == "toml"))
            .collect();
    paths.sort();
    assert!(paths.len() >= 5, "{paths:?}");
    paths
}

fn load(text: &str) -> (Plan, Schedule) {
    let loaded = gantry::store::parse_str(text).unwrap();
    assert!(
        !loaded.has_errors(),
        "{:?}",
        loaded
            .diagnostics
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );
    let schedule = gantry::schedule::schedule(&loaded.plan).unwrap();
    (loaded.plan, schedule)
}

fn options(plan: &Plan) -> Options {
    Options {
        markdown: false,
        table: CsvTable::Tasks,
        status_date: plan
            .project
            .status_date
            .unwrap_or(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()),
    }
}

/// Text that tries everything: markup, quotes, a spreadsheet formula,
/// Mermaid and iCalendar syntax, line breaks, tabs, an escape sequence,
/// a right-to-left mark and a right-to-left override.
const HOSTILE: &str = "=cmd|' /C calc'!A0 <script>alert(\"x\")</script> 'q' & a: b # c; d,e\\f\nline two\tTab \u{1b}[2J\u{7} \u{200F}rtl\u{202E}override %%{init}%% &amp;";

/// The hostile plan (`tests/fixtures/hostile.toml`): the hostile text in
/// every text field, tagged with the field's name, and a variant that
/// leads with each spreadsheet formula character.
fn hostile_plan() -> String {
    include_str!("fixtures/hostile.toml").to_owned()
}

fn every_plan() -> Vec<(String, String)> {
    let mut plans: Vec<(String, String)> = examples()
        .into_iter()
        .map(|path| {
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read_to_string(&path).unwrap(),
            )
        })
        .collect();
    plans.push(("hostile".to_owned(), hostile_plan()));
    plans
}

// ---------------------------------------------------------------- JSON

#[test]
fn json_parses_and_gives_back_every_text_exactly() {
    for (name, text) in every_plan() {
        let (plan, schedule) = load(&text);
        let json = export::export(&plan, &schedule, ExportFormat::Json, &options(&plan));
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["format"], "gantry-plan", "{name}");
        assert_eq!(value["version"], 1, "{name}");
        assert_eq!(
            value["project"]["name"],
            plan.project.name.as_str(),
            "{name}"
        );
        let tasks = value["tasks"].as_array().unwrap();
        assert_eq!(tasks.len(), plan.tasks.len(), "{name}");
        for ((task, dates), json) in plan.tasks.iter().zip(&schedule.tasks).zip(tasks) {
            assert_eq!(json["id"], task.id.value.as_str());
            assert_eq!(json["name"], task.name.as_str());
            assert_eq!(json["schedule"]["start"], dates.start.to_string());
            assert_eq!(json["schedule"]["finish"], dates.finish.to_string());
            assert_eq!(json["schedule"]["critical"], dates.critical);
            assert_eq!(json["schedule"]["total_slack"], dates.total_slack);
        }
        assert_eq!(value["schedule"]["finish"], schedule.finish.to_string());
        assert_eq!(value["risks"].as_array().unwrap().len(), plan.risks.len());
        assert_eq!(
            value["checkins"].as_array().unwrap().len(),
            plan.checkins.len()
        );
        // Inert on a terminal: no raw control or override character.
        assert!(
            !json.chars().any(|c| (c.is_control() && c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')),
            "{name}"
        );
    }
}

// ---------------------------------------------------------------- CSV

fn csv_rows(text: &str) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            assert_eq!(record.len(), headers.len());
            headers
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (headers, rows)
}

/// A cell a spreadsheet would not run: it does not begin with a formula
/// character.
fn assert_inert_cell(cell: &str) {
    assert!(
        !cell.starts_with(['=', '+', '@', '\t', '\r']),
        "a spreadsheet would run {cell:?}"
    );
    if cell.starts_with('-') {
        assert!(
            cell.parse::<f64>().is_ok(),
            "a spreadsheet would run {cell:?}"
        );
    }
    assert!(
        !cell
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
    );
}

fn uncell(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

#[test]
fn csv_parses_with_the_csv_reader_and_every_cell_is_inert() {
    for (name, text) in every_plan() {
        let (plan, schedule) = load(&text);
        for table in [CsvTable::Tasks, CsvTable::Risks, CsvTable::Log] {
            let out = export::export(
                &plan,
                &schedule,
                ExportFormat::Csv,
                &Options {
                    table,
                    ..options(&plan)
                },
            );
            let (headers, rows) = csv_rows(&out);
            let expected = match table {
                CsvTable::Tasks => plan.tasks.len(),
                CsvTable::Risks => plan.risks.len(),
                CsvTable::Log => plan.log.len(),
            };
            assert_eq!(rows.len(), expected, "{name} {table:?}");
            for row in &rows {
                for header in &headers {
                    assert_inert_cell(&row[header]);
                }
            }
            if table == CsvTable::Tasks {
                for ((task, dates), row) in plan.tasks.iter().zip(&schedule.tasks).zip(&rows) {
                    assert_eq!(uncell(&row["id"]), task.id.value);
                    assert_eq!(uncell(&row["name"]), inert_text(&task.name));
                    assert_eq!(row["start"], dates.start.to_string());
                    assert_eq!(row["finish"], dates.finish.to_string());
                    assert_eq!(row["slack"], dates.total_slack.to_string());
                    assert_eq!(row["critical"], dates.critical.to_string());
                    assert_eq!(row["status"], task.status.as_str());
                    assert_eq!(row["progress"], task.progress.to_string());
                    assert_eq!(
                        row["baseline_start"],
                        task.baseline
                            .map(|b| b.start.to_string())
                            .unwrap_or_default()
                    );
                }
            }
        }
    }
}

#[test]
fn csv_makes_the_hostile_formulas_inert() {
    let (plan, schedule) = load(&hostile_plan());
    let out = export::export(&plan, &schedule, ExportFormat::Csv, &options(&plan));
    let (_, rows) = csv_rows(&out);
    assert!(rows[0]["name"].starts_with("'=cmd|"), "{}", rows[0]["name"]);
    assert!(rows[1]["name"].starts_with("'+=cmd"), "{}", rows[1]["name"]);
    assert!(
        rows[1]["blocker"].starts_with("'-=cmd"),
        "{}",
        rows[1]["blocker"]
    );
    assert!(rows[2]["name"].starts_with("'@=cmd"), "{}", rows[2]["name"]);
    assert!(
        rows[3]["name"].starts_with("'\t=cmd"),
        "{}",
        rows[3]["name"]
    );
    // The rest of the text is intact, line breaks and the RTL mark too;
    // the escape and the override are U+FFFD.
    let name = uncell(&rows[0]["name"]);
    assert!(name.contains("<script>alert(\"x\")</script> 'q' & a: b # c; d,e\\f\nline two\tTab"));
    assert!(name.contains("\u{FFFD}[2J\u{FFFD} \u{200F}rtl\u{FFFD}override"));
}

// ---------------------------------------------------------------- iCalendar

#[test]
fn ics_parses_with_an_icalendar_parser_and_keeps_the_text() {
    for (name, text) in every_plan() {
        let (plan, schedule) = load(&text);
        let out = export::export(&plan, &schedule, ExportFormat::Ics, &options(&plan));
        // RFC 5545: CRLF line ends, lines of at most 75 octets.
        assert!(out.ends_with("\r\n"));
        for line in out.split("\r\n") {
            assert!(line.len() <= 75, "{name}: {} octets: {line:?}", line.len());
            assert!(
                !line.contains('\n') && !line.contains('\r'),
                "{name}: {line:?}"
            );
            assert!(
                !line.chars().any(|c| c.is_control() && c != '\t'),
                "{name}: {line:?}"
            );
        }
        let calendar: icalendar::Calendar = out.parse().unwrap();
        let events: Vec<&icalendar::Event> = calendar.events().collect();
        let milestones = schedule.tasks.iter().filter(|t| t.milestone).count();
        let gates = plan
            .gates
            .iter()
            .filter(|g| g.milestone.as_ref().and_then(|m| m.index).is_some())
            .count();
        let risks = plan.risks.iter().filter(|r| r.trigger.is_some()).count();
        let weeks = {
            let first = gantry::metrics::week_monday(schedule.start);
            let last = gantry::metrics::week_monday(schedule.finish);
            (last - first).num_days() / 7 + 1
        };
        assert_eq!(
            events.len() as i64,
            (milestones + gates + risks) as i64 + weeks,
            "{name}"
        );
        let mut uids: Vec<&str> = events.iter().map(|e| e.get_uid().unwrap()).collect();
        uids.sort_unstable();
        let count = uids.len();
        uids.dedup();
        assert_eq!(uids.len(), count, "{name}: UIDs repeat");
        for (task, dates) in plan.tasks.iter().zip(&schedule.tasks) {
            if !dates.milestone {
                continue;
            }
            let event = events
                .iter()
                .find(|e| {
                    e.get_uid()
                        .unwrap()
                        .starts_with(&format!("milestone-{}.", task.id.value))
                })
                .unwrap_or_else(|| panic!("{name}: no event for {}", task.id.value));
            assert_eq!(
                event.get_summary().unwrap(),
                format!("Milestone: {}", inert_text(&task.name)),
                "{name}"
            );
            assert_eq!(
                event.get_start(),
                Some(icalendar::DatePerhapsTime::Date(dates.finish)),
                "{name}"
            );
        }
    }
}

#[test]
fn ics_uids_are_stable_across_edits() {
    let (plan, schedule) = load(&hostile_plan());
    let first = export::export(&plan, &schedule, ExportFormat::Ics, &options(&plan));
    let edited = hostile_plan().replace("duration = 4", "duration = 6");
    let (plan, schedule) = load(&edited);
    let second = export::export(&plan, &schedule, ExportFormat::Ics, &options(&plan));
    let uids = |text: &str| -> Vec<String> {
        let calendar: icalendar::Calendar = text.parse().unwrap();
        calendar
            .events()
            .map(|e| e.get_uid().unwrap().to_owned())
            .filter(|uid| !uid.starts_with("checkin-"))
            .collect()
    };
    assert_eq!(uids(&first), uids(&second));
    assert_ne!(first, second, "the milestone moved");
}

// ---------------------------------------------------------------- Mermaid

/// Checks a chart line by line against Mermaid's gantt grammar (its
/// lexer: a statement keyword, `section NAME`, or `TEXT :DATA` where TEXT
/// has no `:` and DATA no `#` or `;`), and gives back the task names.
fn mermaid_tasks(chart: &str) -> Vec<(String, String)> {
    let mut lines = chart.lines();
    assert_eq!(lines.next(), Some("gantt"));
    let mut tasks = Vec::new();
    let mut section = String::new();
    for line in lines {
        let line = line.trim_start();
        assert!(
            !line.starts_with('#') && !line.starts_with("%%"),
            "{line:?}"
        );
        assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
        if let Some(name) = line.strip_prefix("section ") {
            section = name.to_owned();
            continue;
        }
        if ["title ", "dateFormat ", "axisFormat "]
            .iter()
            .any(|keyword| line.starts_with(keyword))
        {
            continue;
        }
        let (text, data) = line.split_once(':').unwrap_or_else(|| panic!("{line:?}"));
        assert!(
            !data.contains('#') && !data.contains(';') && !data.contains(':'),
            "{line:?}"
        );
        let parts: Vec<&str> = data.split(',').map(str::trim).collect();
        for tag in &parts[..parts.len() - 2] {
            assert!(
                ["crit", "done", "active", "milestone"].contains(tag),
                "{line:?}"
            );
        }
        NaiveDate::parse_from_str(parts[parts.len() - 2], "%Y-%m-%d").unwrap();
        let end = parts[parts.len() - 1];
        assert!(
            end == "0d" || NaiveDate::parse_from_str(end, "%Y-%m-%d").is_ok(),
            "{line:?}"
        );
        let lower = text.to_lowercase();
        for keyword in [
            "gantt",
            "title",
            "section",
            "dateformat",
            "excludes",
            "click",
        ] {
            assert!(!lower.starts_with(keyword), "{line:?}");
        }
        tasks.push((section.clone(), text.trim_end().to_owned()));
        let _ = &section;
    }
    tasks
}

/// Undoes the look-alikes, to see the text came through.
fn un_neutralise(text: &str) -> String {
    text.trim_start_matches('\u{201C}')
        .trim_end_matches('\u{201D}')
        .chars()
        .map(|c| match c {
            '\u{2236}' => ':',
            '\u{FF03}' => '#',
            '\u{FF1B}' => ';',
            '\u{FF05}' => '%',
            '\u{FF06}' => '&',
            '\u{2039}' => '<',
            '\u{203A}' => '>',
            c => c,
        })
        .collect()
}

#[test]
fn mermaid_follows_the_gantt_grammar_and_keeps_the_names() {
    for (name, text) in every_plan() {
        let (plan, schedule) = load(&text);
        let chart = export::export(&plan, &schedule, ExportFormat::Mermaid, &options(&plan));
        let tasks = mermaid_tasks(&chart);
        assert_eq!(tasks.len(), plan.tasks.len(), "{name}");
        for (task, (_, shown)) in plan.tasks.iter().filter(|t| t.phase.is_some()).zip(&tasks) {
            let expected = inert_text(&task.name)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert_eq!(un_neutralise(shown), expected, "{name}");
        }
        for (task, dates) in plan.tasks.iter().zip(&schedule.tasks) {
            let line = chart
                .lines()
                .find(|line| {
                    line.contains(&format!(", {}, ", dates.start))
                        || line.contains(&format!(":{}, ", dates.start))
                })
                .unwrap_or_else(|| panic!("{name}: no line for {}", task.id.value));
            let _ = line;
        }
        let fenced = export::export(
            &plan,
            &schedule,
            ExportFormat::Mermaid,
            &Options {
                markdown: true,
                ..options(&plan)
            },
        );
        assert_eq!(fenced, format!("```mermaid\n{chart}```\n"));
    }
}

#[test]
fn mermaid_tags_come_from_the_schedule_and_progress() {
    let (plan, schedule) = load(&hostile_plan());
    let chart = export::export(&plan, &schedule, ExportFormat::Mermaid, &options(&plan));
    let lines: Vec<&str> = chart.lines().filter(|l| l.contains(" :")).collect();
    // Sections list the phase's tasks first: t1, t2, m1, then t3 and t4.
    let order = ["t1", "t2", "m1", "t3", "t4"];
    for (line, id) in lines.iter().zip(order) {
        let index = plan.task_index(id).unwrap();
        let dates = &schedule.tasks[index];
        let data = line.rsplit_once(" :").unwrap().1;
        assert_eq!(data.contains("crit"), dates.critical, "{id}: {line}");
        if dates.milestone {
            assert!(
                data.ends_with(&format!("milestone, {}, 0d", dates.start)),
                "{line}"
            );
        } else {
            let end = dates.finish.succ_opt().unwrap();
            assert!(data.ends_with(&format!("{}, {end}", dates.start)), "{line}");
        }
    }
    assert!(
        lines[0].ends_with(&format!(
            ":done, {}, {}",
            schedule.tasks[0].start,
            schedule.tasks[0].finish.succ_opt().unwrap()
        )) || lines[0].contains(":crit, done, ")
    );
    assert!(lines[1].contains("active, "), "25% done: {}", lines[1]);
    assert!(!lines[3].contains("active") && !lines[3].contains("done"));
    // The milestone's name begins with a Mermaid keyword: it is quoted.
    assert!(
        lines[2].trim_start().starts_with('\u{201C}'),
        "{}",
        lines[2]
    );
}

// ---------------------------------------------------------------- HTML report

fn html_report(text: &str, week: Option<NaiveDate>) -> String {
    let (plan, schedule) = load(text);
    let status = plan
        .project
        .status_date
        .unwrap_or(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
    let model = gantry::report::build(&plan, &schedule, week.unwrap_or(status), status);
    gantry::report::html::render(&model)
}

/// Nothing in the page can load anything: no URL, no element that fetches,
/// no attribute that points anywhere.
fn assert_loads_nothing(page: &str, name: &str) {
    let lower = page.to_lowercase();
    for needle in [
        "http://",
        "https://",
        "url(",
        "@import",
        "src=",
        "href=",
        "<script",
        "<link",
        "<img",
        "<iframe",
        "<object",
        "<embed",
        "javascript:",
    ] {
        assert!(!lower.contains(needle), "{name}: the page has {needle}");
    }
    let document = scraper::Html::parse_document(page);
    for element in document
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        for (attribute, _) in element.value().attrs() {
            assert!(
                !matches!(
                    attribute,
                    "src" | "href" | "srcset" | "action" | "formaction" | "poster" | "data"
                ) && !attribute.starts_with("on"),
                "{name}: <{}> has {attribute}",
                element.value().name()
            );
        }
    }
}

#[test]
fn the_html_report_parses_and_loads_nothing_from_the_network() {
    for (name, text) in every_plan() {
        for week in [None, NaiveDate::from_ymd_opt(2027, 3, 3)] {
            let page = html_report(&text, week);
            assert_loads_nothing(&page, &name);
            let document = scraper::Html::parse_document(&page);
            let errors: Vec<_> = document.errors.iter().collect();
            assert!(errors.is_empty(), "{name}: {errors:?}");
            let select = |css: &str| scraper::Selector::parse(css).unwrap();
            assert!(document.select(&select("svg")).count() >= 1, "{name}");
            assert_eq!(
                document.select(&select("section.cards .card")).count(),
                7,
                "{name}"
            );
            assert_eq!(
                document.select(&select("table.heat td")).count(),
                25,
                "{name}"
            );
            for heading in [
                "Schedule",
                "Milestones",
                "Done this week",
                "Next week",
                "Blocked",
                "Risks",
                "Changes decided this week",
                "Check-in trend",
            ] {
                assert!(
                    document
                        .select(&select("h2"))
                        .any(|h| h.text().collect::<String>() == heading),
                    "{name}: {heading}"
                );
            }
        }
    }
}

#[test]
fn hostile_text_in_the_html_report_is_text_and_intact() {
    let page = html_report(&hostile_plan(), None);
    assert_loads_nothing(&page, "hostile");
    let document = scraper::Html::parse_document(&page);
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    // No element came from the plan's text.
    assert_eq!(document.select(&select("script")).count(), 0);
    let expected = |tag: &str| inert_text(&format!("{HOSTILE} [{tag}]")).into_owned();
    let title: String = document
        .select(&select("h1 bdi"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(title, expected("project"));
    let head_title: String = document
        .select(&select("title"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(head_title.contains(&expected("project")));
    let bdis: Vec<String> = document
        .select(&select("bdi"))
        .map(|b| b.text().collect())
        .collect();
    for tag in [
        "note",
        "done",
        "next",
        "blocked",
        "risk",
        "mitigation",
        "change",
        "decided_by",
        "person",
    ] {
        assert!(
            bdis.contains(&expected(tag)),
            "{tag} missing from {bdis:#?}"
        );
    }
    // Names in the chart are text of SVG <text> and <title> elements.
    let titles: Vec<String> = document
        .select(&select("svg g title"))
        .map(|t| t.text().collect())
        .collect();
    assert!(
        titles.iter().any(|t| t.starts_with(&expected("task1"))),
        "{titles:#?}"
    );
    // Attributes hold only what the page wrote: the heat map's titles.
    for cell in document.select(&select("td[title]")) {
        assert!(
            cell.value()
                .attr("title")
                .unwrap()
                .starts_with("likelihood ")
        );
    }
    assert!(!page.contains('\u{1b}') && !page.contains('\u{202E}'));
}

#[test]
fn a_large_plan_folds_the_chart_into_phases() {
    let mut text = String::from(
        "[project]\nname = \"Big\"\nstart = 2027-01-04\n\n[[phase]]\nid = \"p1\"\nname = \"One\"\n\n[[phase]]\nid = \"p2\"\nname = \"Two\"\n",
    );
    for index in 0..=gantry::report::GANTT_TASK_LIMIT {
        let phase = if index % 2 == 0 { "p1" } else { "p2" };
        text.push_str(&format!(
            "\n[[task]]\nid = \"t{index}\"\nname = \"Task {index}\"\nphase = \"{phase}\"\n"
        ));
        if index > 1 {
            text.push_str(&format!("depends = [\"t{}\"]\n", index - 2));
        }
    }
    text.push_str("\n[[task]]\nid = \"done\"\nname = \"Done\"\nphase = \"p1\"\nmilestone = true\ndepends = [\"t150\"]\n");
    let page = html_report(&text, None);
    let document = scraper::Html::parse_document(&page);
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    let rows = document.select(&select(".gantt svg > g")).count();
    assert_eq!(rows, 2, "one row per phase");
    assert!(page.contains("152 tasks: shown one row per phase"));
    // The milestone is still drawn, on its phase's row.
    assert_eq!(
        document.select(&select(".gantt svg polygon.g-ms")).count(),
        1
    );

    // At the limit, every task has its row.
    let small: String = text
        .split("\n[[task]]\nid = \"t150\"")
        .next()
        .unwrap()
        .to_owned();
    let page = html_report(&small, None);
    let document = scraper::Html::parse_document(&page);
    assert_eq!(
        document.select(&select(".gantt svg > g")).count(),
        2 + gantry::report::GANTT_TASK_LIMIT
    );
}

#[test]
fn markdown_and_html_reports_say_the_same_things() {
    for (name, text) in every_plan() {
        let (plan, schedule) = load(&text);
        let status = plan
            .project
            .status_date
            .unwrap_or(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        let model = gantry::report::build(&plan, &schedule, status, status);
        let markdown = gantry::report::markdown::render(&model);
        let page = gantry::report::html::render(&model);
        let h = &model.headline;
        for figure in [
            h.scheduled_finish.to_string(),
            gantry::metrics::format_money(h.ac),
            gantry::metrics::format_money(h.bac),
            format!("{:.1}%", h.percent_complete),
        ]
        .into_iter()
        .chain(h.eac.map(gantry::metrics::format_money))
        .chain(h.budget.map(gantry::metrics::format_money))
        .chain(h.forecast_finish.map(|d| d.to_string()))
        {
            assert!(
                markdown.contains(&figure),
                "{name}: {figure} not in the Markdown"
            );
            assert!(page.contains(&figure), "{name}: {figure} not in the HTML");
        }
        for word in [
            h.variance_health,
            h.forecast_health,
            h.budget_health,
            h.burn_health,
            h.blocker_health,
        ] {
            if word != gantry::report::Health::Unknown {
                assert!(markdown.contains(&format!("({})", word.word())), "{name}");
                assert!(page.contains(&format!(" {}</span>", word.word())), "{name}");
            }
        }
    }
}

/// What Mermaid itself read from the committed charts: its parser and its
/// gantt database, run by `tests/fixtures/mermaid/read_tasks.mjs` (the
/// command to regenerate them is in that file).
#[test]
fn mermaid_reads_the_charts_as_gantry_scheduled_them() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mermaid");
    let read: Vec<serde_json::Value> = fs::read_to_string(fixtures.join("tasks.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert!(
        read.iter().all(|task| task.get("error").is_none()),
        "Mermaid refused a chart"
    );
    let mut plans: Vec<(String, String)> = examples()
        .into_iter()
        .map(|path| {
            (
                path.file_stem().unwrap().to_string_lossy().into_owned(),
                fs::read_to_string(&path).unwrap(),
            )
        })
        .collect();
    plans.push(("hostile".to_owned(), hostile_plan()));
    for (name, text) in plans {
        let (plan, schedule) = load(&text);
        let chart = export::export(&plan, &schedule, ExportFormat::Mermaid, &options(&plan));
        let committed = fs::read_to_string(fixtures.join(format!("{name}.mmd"))).unwrap();
        assert_eq!(
            chart, committed,
            "{name}: the export changed; regenerate tests/fixtures/mermaid (see read_tasks.mjs)"
        );
        // The chart's order: each phase's tasks, then those without one.
        let mut order: Vec<usize> = Vec::new();
        for phase in 0..plan.phases.len() {
            order
                .extend((0..plan.tasks.len()).filter(|&t| {
                    plan.tasks[t].phase.as_ref().and_then(|p| p.index) == Some(phase)
                }));
        }
        order.extend(
            (0..plan.tasks.len())
                .filter(|&t| plan.tasks[t].phase.as_ref().and_then(|p| p.index).is_none()),
        );
        let tasks: Vec<&serde_json::Value> = read
            .iter()
            .filter(|t| t["file"] == format!("{name}.mmd"))
            .collect();
        assert_eq!(tasks.len(), plan.tasks.len(), "{name}");
        for (&index, seen) in order.iter().zip(&tasks) {
            let task = &plan.tasks[index];
            let dates = &schedule.tasks[index];
            let id = &task.id.value;
            assert_eq!(
                seen["name"].as_str().unwrap().trim_end(),
                gantry::export::mermaid::neutralise(&task.name),
                "{name} {id}"
            );
            assert_eq!(seen["start"], dates.start.to_string(), "{name} {id}");
            let end = if dates.milestone {
                dates.start
            } else {
                dates.finish.succ_opt().unwrap()
            };
            assert_eq!(seen["end"], end.to_string(), "{name} {id}");
            assert_eq!(seen["crit"], dates.critical, "{name} {id}");
            assert_eq!(seen["milestone"], dates.milestone, "{name} {id}");
            assert_eq!(
                seen["done"],
                gantry::metrics::is_finished(task),
                "{name} {id}"
            );
        }
    }
}

/// Every key the JSON document has is in its schema, `docs/json.md`.
#[test]
fn the_json_schema_documents_every_key() {
    fn keys(
        value: &serde_json::Value,
        parent: &str,
        found: &mut std::collections::BTreeSet<String>,
    ) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, child) in map {
                    // Named baselines are keyed by their names.
                    if parent != "baselines" {
                        found.insert(key.clone());
                    }
                    keys(child, key, found);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    keys(item, parent, found);
                }
            }
            _ => {}
        }
    }
    let schema =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/json.md")).unwrap();
    let mut found = std::collections::BTreeSet::new();
    for (_, text) in every_plan() {
        let (plan, schedule) = load(&text);
        let json = export::export(&plan, &schedule, ExportFormat::Json, &options(&plan));
        keys(&serde_json::from_str(&json).unwrap(), "", &mut found);
    }
    assert!(found.len() > 80, "{found:?}");
    for key in found {
        assert!(
            schema.contains(&format!("\"{key}\"")),
            "docs/json.md does not document `{key}`"
        );
    }
}
