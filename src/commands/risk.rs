//! `gantry risk list|add|set`: the risk register from the command line.
//!
//! Changes go through `PlanFile::apply`, so a value `check` would reject is
//! refused with its message and the file is left as it was; a save keeps
//! everything else in the file byte for byte.

use std::io::{self, Write};
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use toml_edit::{Item, Table, Value};

use crate::cli::{RiskAddArgs, RiskCommand, RiskListArgs, RiskSetArgs, RiskSort};
use crate::diagnostic;
use crate::model::{Plan, RiskStatus};
use crate::sanitize::for_terminal;
use crate::store::{Edit, EditError, EntityKind, PlanFile, RiskField, SaveOutcome};

use super::layout::{output_width, text_column};
use super::status::{display_width, finish_output, fit, pad, status_date, today};
use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE, open_plan, read_plan};

pub fn run(command: RiskCommand) -> anyhow::Result<u8> {
    match command {
        RiskCommand::List(args) => list(&args),
        RiskCommand::Add(args) => add(&args),
        RiskCommand::Set(args) => set(&args),
    }
}

/// The risks' indices in the order asked for: the app's register order.
fn sorted(plan: &Plan, sort: RiskSort) -> Vec<usize> {
    let view = crate::app::risks::RiskView {
        sort: match sort {
            RiskSort::Score => crate::app::risks::RiskSort::Score,
            RiskSort::Id => crate::app::risks::RiskSort::Id,
            RiskSort::Trigger => crate::app::risks::RiskSort::Trigger,
        },
        descending: sort == RiskSort::Score,
        ..Default::default()
    };
    view.ordered(plan)
}

#[derive(Serialize)]
struct JsonRisk<'a> {
    id: &'a str,
    title: &'a str,
    owner: Option<&'a str>,
    likelihood: u8,
    impact: u8,
    score: u8,
    trigger: Option<String>,
    past_trigger: bool,
    mitigation: Option<&'a str>,
    status: &'static str,
    tier: &'static str,
    tasks: Vec<&'a str>,
    reviewed: Option<String>,
}

fn list(args: &RiskListArgs) -> anyhow::Result<u8> {
    let file = match read_plan(&args.file, false)? {
        Ok(file) => file,
        Err(code) => return Ok(code),
    };
    if file.has_errors() {
        // Listed as far as it reads, but never silently: a risk with a
        // malformed id is listed as written, and its links may not resolve.
        errln!(
            "gantry: {0} has errors; see `gantry check {0}`",
            crate::sanitize::path(&args.file)
        );
    }
    let plan = &file.plan;
    let date = status_date(plan, None);
    let order = sorted(plan, args.sort);
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written = if args.json {
        let risks: Vec<JsonRisk<'_>> = order
            .iter()
            .map(|&index| {
                let risk = &plan.risks[index];
                JsonRisk {
                    id: risk.id.as_str(),
                    title: &risk.title,
                    owner: risk.owner.as_ref().map(|owner| owner.id.as_str()),
                    likelihood: risk.likelihood,
                    impact: risk.impact,
                    score: risk.score(),
                    trigger: risk.trigger.map(|date| date.to_string()),
                    past_trigger: risk.is_past_trigger(date),
                    mitigation: risk.mitigation.as_deref(),
                    status: risk.status.as_str(),
                    tier: risk.tier.as_str(),
                    tasks: risk.tasks.iter().map(|task| task.id.as_str()).collect(),
                    reviewed: risk.reviewed.map(|date| date.to_string()),
                }
            })
            .collect();
        serde_json::to_string_pretty(&risks)
            .map_err(io::Error::from)
            .and_then(|text| writeln!(out, "{}", crate::sanitize::json(text)))
    } else {
        write_table(&mut out, plan, &order, date, output_width())
    };
    finish_output(written.and_then(|()| out.flush()))
}

/// The register as a table `width` columns wide (None: no limit, every
/// title whole). Ids and owners are never cut; titles take what is left.
fn write_table(
    out: &mut impl Write,
    plan: &Plan,
    order: &[usize],
    date: NaiveDate,
    width: Option<usize>,
) -> io::Result<()> {
    let open = plan
        .risks
        .iter()
        .filter(|risk| risk.status == RiskStatus::Open)
        .count();
    let past = plan
        .risks
        .iter()
        .filter(|risk| risk.is_past_trigger(date))
        .count();
    let count = match plan.risks.len() {
        1 => "1 risk".to_string(),
        count => format!("{count} risks"),
    };
    writeln!(
        out,
        "{count}, {open} open, {past} past the trigger date (as of {date})"
    )?;
    if order.is_empty() {
        return Ok(());
    }
    let id_width = order
        .iter()
        .map(|&index| display_width(&for_terminal(plan.risks[index].id.as_str())))
        .chain([2])
        .max()
        .unwrap_or(2);
    let owner_width = order
        .iter()
        .filter_map(|&index| plan.risks[index].owner.as_ref())
        .map(|owner| display_width(&for_terminal(owner.id.as_str())))
        .chain([5])
        .max()
        .unwrap_or(5);
    // marker 1, id, score 9 ("12 (4x3)"), status 9, tier 7, trigger 10, owner, title.
    let fixed = 2 + id_width + 2 + 8 + 2 + 9 + 2 + 7 + 2 + 10 + 2 + owner_width + 2;
    let longest_title = order
        .iter()
        .map(|&index| display_width(&for_terminal(&plan.risks[index].title)))
        .max()
        .unwrap_or(0);
    let title_width = text_column(longest_title, fixed, width);
    let header = format!(
        "  {}  {:<8}  {:<9}  {:<7}  {:<10}  {}  TITLE",
        pad("ID", id_width),
        "SCORE",
        "STATUS",
        "TIER",
        "TRIGGER",
        pad("OWNER", owner_width),
    );
    writeln!(out, "{header}")?;
    for &index in order {
        let risk = &plan.risks[index];
        let marker = if risk.is_past_trigger(date) { "!" } else { " " };
        let score = format!("{:>2} ({}x{})", risk.score(), risk.likelihood, risk.impact);
        let trigger = risk
            .trigger
            .map(|date| date.to_string())
            .unwrap_or_default();
        let owner = risk
            .owner
            .as_ref()
            .map(|owner| for_terminal(owner.id.as_str()).into_owned())
            .unwrap_or_default();
        let line = format!(
            "{marker} {}  {:<8}  {:<9}  {:<7}  {:<10}  {}  {}",
            pad(&for_terminal(risk.id.as_str()), id_width),
            score,
            risk.status.as_str(),
            risk.tier.as_str(),
            trigger,
            pad(&owner, owner_width),
            fit(&for_terminal(&risk.title), title_width)
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    if past > 0 {
        writeln!(out, "! open and past the trigger date: act on it")?;
    }
    Ok(())
}

/// `FIELD=TEXT` as the key and TOML value to set; `Err` is the exit code
/// after the problem has been printed.
fn parse_assignment(path: &Path, assignment: &str) -> Result<(RiskField, Option<Value>), u8> {
    let Some((key, text)) = assignment.split_once('=') else {
        errln!(
            "gantry: {}: `{}` is not FIELD=VALUE; write e.g. status=mitigated",
            crate::sanitize::path(path),
            crate::sanitize::quote(assignment)
        );
        return Err(EXIT_USAGE);
    };
    let key = key.trim();
    let Some(field) = RiskField::from_key(key) else {
        let names: Vec<&str> = RiskField::ALL.iter().map(|field| field.key()).collect();
        errln!(
            "gantry: {}: `{}` is not a risk field{}; fields: {}",
            crate::sanitize::path(path),
            crate::sanitize::quote(key),
            diagnostic::suggestion(key, names.iter().copied()),
            names.join(", ")
        );
        return Err(EXIT_USAGE);
    };
    field
        .parse_text(text, today())
        .map(|value| (field, value))
        .map_err(|message| {
            errln!(
                "gantry: {}: {}={}: {}; the file was not modified",
                crate::sanitize::path(path),
                crate::sanitize::quote(key),
                crate::sanitize::quote(text),
                crate::sanitize::for_terminal(&message)
            );
            EXIT_INVALID
        })
}

fn set(args: &RiskSetArgs) -> anyhow::Result<u8> {
    let mut edits = Vec::new();
    for assignment in &args.assignments {
        match parse_assignment(&args.file, assignment) {
            Ok((field, value)) => edits.push(Edit::Set {
                kind: EntityKind::Risk,
                id: args.id.clone(),
                key: field.key().to_string(),
                value,
            }),
            Err(code) => return Ok(code),
        }
    }
    let mut file = match open_plan(&args.file, false)? {
        Ok(file) => file,
        Err(code) => return Ok(code),
    };
    if let Err(code) = apply_edits(&mut file, edits.clone())? {
        return Ok(code);
    }
    let id = crate::sanitize::quote(&args.id);
    save(
        &mut file,
        edits,
        &format!("updated risk `{id}`"),
        &format!("risk `{id}` already has these values"),
    )
}

fn add(args: &RiskAddArgs) -> anyhow::Result<u8> {
    let mut table = Table::new();
    table.insert("id", Item::Value(Value::from(args.id.as_str())));
    let tasks = args.tasks.join(",");
    // In the order the format lists the keys. A new risk is open; saying so
    // in the file shows where to change it.
    let given: [(RiskField, Option<&str>); 9] = [
        (RiskField::Title, Some(&args.title)),
        (RiskField::Owner, args.owner.as_deref()),
        (RiskField::Likelihood, Some(&args.likelihood)),
        (RiskField::Impact, Some(&args.impact)),
        (RiskField::Trigger, args.trigger.as_deref()),
        (RiskField::Mitigation, args.mitigation.as_deref()),
        (RiskField::Status, Some("open")),
        (RiskField::Tier, args.tier.as_deref()),
        (
            RiskField::Tasks,
            (!args.tasks.is_empty()).then_some(tasks.as_str()),
        ),
    ];
    for (field, text) in given {
        let Some(text) = text else {
            continue;
        };
        match parse_assignment(&args.file, &format!("{}={text}", field.key())) {
            Ok((field, Some(value))) => {
                table.insert(field.key(), Item::Value(value));
            }
            Ok((_, None)) => {}
            Err(code) => return Ok(code),
        }
    }
    let mut file = match open_plan(&args.file, false)? {
        Ok(file) => file,
        Err(code) => return Ok(code),
    };
    if let Some(existing) = file.plan.risks.iter().find(|risk| risk.id.value == args.id) {
        errln!(
            "{}:{}: error: there is already a risk with id `{}`; choose another id",
            crate::sanitize::path(&args.file),
            existing.id.pos,
            crate::sanitize::quote(&args.id)
        );
        return Ok(EXIT_INVALID);
    }
    let edit = Edit::Add {
        kind: EntityKind::Risk,
        after: None,
        table,
    };
    if let Err(code) = apply_edits(&mut file, vec![edit.clone()])? {
        return Ok(code);
    }
    let id = crate::sanitize::quote(&args.id);
    save(
        &mut file,
        vec![edit],
        &format!("added risk `{id}`"),
        &format!("risk `{id}` was not added"),
    )
}

/// Applies the edits in order. A refused edit prints why, as `check` would,
/// and gives the exit code; the file on disk is not touched either way.
/// Applies the edits as one change, judged once (see `PlanFile::apply_all`);
/// a refusal is printed, and gives the exit code.
pub(super) fn apply_edits(file: &mut PlanFile, edits: Vec<Edit>) -> anyhow::Result<Result<(), u8>> {
    match file.apply_all(edits) {
        Ok(_) => {}
        Err(EditError::Invalid(diagnostics)) => {
            let mut stderr = io::stderr().lock();
            for diagnostic in &diagnostics {
                writeln!(stderr, "{}", diagnostic.display(&file.path))?;
            }
            writeln!(
                stderr,
                "gantry: change refused; {} was not modified",
                crate::sanitize::path(&file.path)
            )?;
            return Ok(Err(EXIT_INVALID));
        }
        Err(error) => {
            errln!(
                "gantry: {}: {}; the file was not modified",
                crate::sanitize::path(&file.path),
                crate::sanitize::message(&error)
            );
            return Ok(Err(EXIT_INVALID));
        }
    }
    Ok(Ok(()))
}

/// Saves the plan changed by `edits` (see `save_edits`) and says what happened.
pub(super) fn save(
    file: &mut PlanFile,
    edits: Vec<Edit>,
    written: &str,
    unchanged: &str,
) -> anyhow::Result<u8> {
    match super::save_edits(file, edits)? {
        Ok(SaveOutcome::Written) => {
            outln!("{written} in {}", crate::sanitize::path(&file.path));
            Ok(EXIT_OK)
        }
        Ok(SaveOutcome::Unchanged) => {
            outln!(
                "{unchanged}; {} was not modified",
                crate::sanitize::path(&file.path)
            );
            Ok(EXIT_OK)
        }
        Err(code) => Ok(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "[project]\nname = \"Hotel\"\nstart = 2027-01-04\n\n[[person]]\nid = \"hotel-operations-manager\"\nname = \"Rui\"\n\n[[risk]]\nid = \"access-transfer-late\"\ntitle = \"The access transfer to the hotel operations team slips past the go-live weekend\"\nowner = \"hotel-operations-manager\"\nlikelihood = 3\nimpact = 4\n";

    fn table(width: Option<usize>) -> String {
        let plan = crate::store::parse_str(PLAN).expect("parses").plan;
        let mut out = Vec::new();
        let date = NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date");
        write_table(&mut out, &plan, &[0], date, width).expect("written");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn ids_and_owners_are_never_cut_and_titles_take_the_width_left() {
        let narrow = table(Some(80));
        // The ids alone take more than 80 columns: the title keeps a few
        // words, and the terminal wraps the line.
        let row = narrow.lines().nth(2).expect("the row");
        assert_eq!(
            row,
            "  access-transfer-late  12 (3x4)  open       tracked              hotel-operations-manager  The access…"
        );
        let wide = table(Some(200));
        assert!(
            wide.contains("hotel-operations-manager  The access transfer to the hotel operations team slips past the go-live weekend\n"),
            "{wide}"
        );
        assert_eq!(table(None), wide);
    }
}
