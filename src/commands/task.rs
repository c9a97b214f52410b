//! `gantry task set FILE ID FIELD=VALUE...`.

use std::io::Write;

use chrono::NaiveDate;
use toml_edit::{InlineTable, Value};

use crate::cli::{TaskCommand, TaskSetArgs};
use crate::diagnostic;
use crate::model::DependencyKind;
use crate::store::{Edit, EditError, SaveError, SaveOutcome, TaskField};

use super::{EXIT_INVALID, EXIT_OK, EXIT_USAGE, open_plan};

pub fn run(command: TaskCommand) -> anyhow::Result<u8> {
    match command {
        TaskCommand::Set(args) => set(&args),
    }
}

fn set(args: &TaskSetArgs) -> anyhow::Result<u8> {
    let mut edits = Vec::new();
    for assignment in &args.assignments {
        let Some((key, text)) = assignment.split_once('=') else {
            eprintln!("gantry: `{assignment}` is not FIELD=VALUE; write e.g. status=done");
            return Ok(EXIT_USAGE);
        };
        let key = key.trim();
        let Some(field) = TaskField::from_key(key) else {
            let names: Vec<&str> = TaskField::ALL.iter().map(|f| f.key()).collect();
            eprintln!(
                "gantry: `{key}` is not a task field{}; fields: {}",
                diagnostic::suggestion(key, names.iter().copied()),
                names.join(", ")
            );
            return Ok(EXIT_USAGE);
        };
        match parse_value(field, text) {
            Ok(value) => edits.push((field, value)),
            Err(message) => {
                eprintln!("gantry: {key}={text}: {message}");
                return Ok(EXIT_INVALID);
            }
        }
    }
    let mut file = match open_plan(&args.file, false)? {
        Ok(file) => file,
        Err(code) => return Ok(code),
    };
    for (field, value) in edits {
        let edit = Edit::SetTask {
            task: args.id.clone(),
            field,
            value,
        };
        match file.apply(edit) {
            Ok(_) => {}
            Err(EditError::Invalid(diagnostics)) => {
                let mut stderr = std::io::stderr().lock();
                for diagnostic in &diagnostics {
                    writeln!(stderr, "{}", diagnostic.display(&args.file))?;
                }
                writeln!(
                    stderr,
                    "gantry: change refused; {} was not modified",
                    args.file.display()
                )?;
                return Ok(EXIT_INVALID);
            }
            Err(error) => {
                eprintln!("gantry: {error}; {} was not modified", args.file.display());
                return Ok(EXIT_INVALID);
            }
        }
    }
    match file.save() {
        Ok(SaveOutcome::Written) => {
            println!("updated task `{}` in {}", args.id, args.file.display());
            Ok(EXIT_OK)
        }
        Ok(SaveOutcome::Unchanged) => {
            println!(
                "task `{}` already has these values; {} was not modified",
                args.id,
                args.file.display()
            );
            Ok(EXIT_OK)
        }
        Err(error @ SaveError::Conflict { .. }) => {
            eprintln!("gantry: {error}");
            Ok(EXIT_INVALID)
        }
        Err(error) => Err(error.into()),
    }
}

/// The TOML value for `FIELD=TEXT`; an empty text removes an optional field.
pub fn parse_value(field: TaskField, text: &str) -> Result<Option<Value>, String> {
    if text.is_empty() {
        return if field.is_optional() {
            Ok(None)
        } else {
            Err(format!("a task must keep its `{}`", field.key()))
        };
    }
    let value = match field {
        TaskField::Name | TaskField::Phase | TaskField::Owner | TaskField::Status => {
            Value::from(text)
        }
        TaskField::Blocker | TaskField::Notes => Value::from(text),
        TaskField::Duration | TaskField::Progress => {
            text.trim().parse::<i64>().map(Value::from).map_err(|_| {
                format!(
                    "`{}` takes a whole number, e.g. {}=4",
                    field.key(),
                    field.key()
                )
            })?
        }
        TaskField::Estimate => match text.trim().parse::<i64>() {
            Ok(hours) => Value::from(hours),
            Err(_) => text
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|hours| hours.is_finite())
                .map(Value::from)
                .ok_or_else(|| "`estimate` takes a number of hours, e.g. estimate=32".to_owned())?,
        },
        TaskField::Milestone => match text.trim() {
            "true" => Value::from(true),
            "false" => Value::from(false),
            _ => return Err("`milestone` takes true or false".to_owned()),
        },
        TaskField::Start | TaskField::BlockedSince => {
            let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
                .map_err(|_| format!("`{}` takes a date like 2027-01-04", field.key()))?;
            crate::store::toml_date(date)
        }
        TaskField::Depends => parse_depends(text)?,
    };
    Ok(Some(value))
}

/// `design,vendor:fs+2,qa-env:ss,docs:ff-1` as the `depends` array.
fn parse_depends(text: &str) -> Result<Value, String> {
    let mut array = toml_edit::Array::new();
    for part in text
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
    {
        let (head, lag) = match part
            .rfind(['+', '-'])
            .filter(|&at| at > 0 && part[at + 1..].parse::<i64>().is_ok())
        {
            Some(at) => (
                &part[..at],
                part[at..]
                    .trim_start_matches('+')
                    .parse::<i64>()
                    .unwrap_or(0),
            ),
            None => (part, 0),
        };
        let (id, kind) = match head.split_once(':') {
            Some((id, kind)) => (
                id,
                DependencyKind::parse(kind).ok_or_else(|| {
                    format!("`{kind}` is not a dependency type; use fs, ss or ff")
                })?,
            ),
            None => (head, DependencyKind::FinishToStart),
        };
        if kind == DependencyKind::FinishToStart && lag == 0 {
            array.push(id);
        } else {
            let mut table = InlineTable::new();
            table.insert("task", Value::from(id));
            if kind != DependencyKind::FinishToStart {
                table.insert("type", Value::from(kind.as_str()));
            }
            if lag != 0 {
                table.insert("lag", Value::from(lag));
            }
            array.push(table);
        }
    }
    Ok(Value::Array(array))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depends_accepts_types_and_lags() {
        let value = parse_depends("design, vendor:fs+2, qa-env:ss, docs:ff-1, a-b-3")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            value.to_string(),
            r#"["design", { task = "vendor", lag = 2 }, { task = "qa-env", type = "ss" }, { task = "docs", type = "ff", lag = -1 }, { task = "a-b", lag = -3 }]"#
        );
    }

    #[test]
    fn values_are_typed_by_field() {
        assert_eq!(
            parse_value(TaskField::Progress, "60")
                .unwrap()
                .unwrap()
                .as_integer(),
            Some(60)
        );
        assert!(parse_value(TaskField::Progress, "sixty").is_err());
        assert!(parse_value(TaskField::Start, "2027-02-30").is_err());
        assert_eq!(parse_value(TaskField::Owner, "").unwrap(), None);
        assert!(parse_value(TaskField::Name, "").is_err());
    }
}
