//! One field's value in a diff, typed so JSON keeps numbers as numbers and
//! text output can say what changed inside a list.

use chrono::NaiveDate;

/// A field's value on one side of a change.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Not set.
    None,
    Bool(bool),
    Int(i64),
    Number(f64),
    /// Text from the plan.
    Text(String),
    /// A word from a fixed set (`done`, `open`, `mon`) or one the output
    /// made (`2027-01-04..2027-01-08`): safe as it is.
    Keyword(String),
    Date(NaiveDate),
    /// Items of a list of plan text (skills, scope items...).
    List(Vec<String>),
    /// Items of a list of ids, or of dependencies written `ID[:TYPE±LAG]`.
    Ids(Vec<String>),
    /// Items of a list of words that are safe as they are (dates, weekdays).
    Keywords(Vec<String>),
    /// A checklist: each item and whether it is done.
    Checklist(Vec<(String, bool)>),
}

impl Value {
    pub fn text(text: &str) -> Value {
        Value::Text(text.to_owned())
    }

    pub fn opt_text(text: Option<&str>) -> Value {
        text.map_or(Value::None, Value::text)
    }

    pub fn opt_date(date: Option<NaiveDate>) -> Value {
        date.map_or(Value::None, Value::Date)
    }

    pub fn opt_number(number: Option<f64>) -> Value {
        number.map_or(Value::None, Value::Number)
    }

    pub fn opt_int(number: Option<i64>) -> Value {
        number.map_or(Value::None, Value::Int)
    }

    pub fn list<S: AsRef<str>>(items: &[S]) -> Value {
        Value::List(items.iter().map(|item| item.as_ref().to_owned()).collect())
    }

    pub fn keyword(word: impl Into<String>) -> Value {
        Value::Keyword(word.into())
    }

    pub fn opt_id(id: Option<&str>) -> Value {
        id.map_or(Value::None, |id| Value::Ids(vec![id.to_owned()]))
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    /// The items of a list value, each as the output shows it.
    fn items(&self, quoting: &Quoting<'_>) -> Option<Vec<String>> {
        match self {
            Value::List(items) => Some(items.iter().map(|item| (quoting.text)(item)).collect()),
            Value::Ids(items) => Some(items.iter().map(|item| (quoting.id)(item)).collect()),
            Value::Keywords(items) => Some(items.clone()),
            _ => None,
        }
    }

    /// The value in words, plan text made safe for the output by `quoting`.
    pub fn display(&self, quoting: &Quoting<'_>) -> String {
        if let Value::Ids(items) = self
            && items.len() == 1
        {
            return (quoting.id)(&items[0]);
        }
        if let Some(items) = self.items(quoting) {
            return format!("[{}]", items.join(", "));
        }
        match self {
            Value::None => "none".to_owned(),
            Value::Bool(value) => value.to_string(),
            Value::Int(value) => value.to_string(),
            Value::Number(value) => number_text(*value),
            Value::Text(text) => (quoting.text)(text),
            Value::Keyword(word) => word.clone(),
            Value::Date(date) => date.to_string(),
            Value::List(_) | Value::Ids(_) | Value::Keywords(_) => String::new(),
            Value::Checklist(items) => {
                let done = items.iter().filter(|(_, done)| *done).count();
                format!("{done} of {} done", items.len())
            }
        }
    }
}

/// How an output shows text from the plan: `text` sanitises or escapes
/// it and marks where it begins and ends (quotes), `id` does the same for
/// an id (backticks).
pub struct Quoting<'a> {
    pub text: &'a dyn Fn(&str) -> String,
    pub id: &'a dyn Fn(&str) -> String,
}

/// A number as written: no trailing `.0`, at most four decimals.
pub fn number_text(value: f64) -> String {
    if !value.is_finite() {
        return "n/a".to_owned();
    }
    let text = format!("{value:.4}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// What changed between two values, in words: `5 → 8` for plain values,
/// the items added and removed for lists, the items ticked and added for
/// checklists.
pub fn describe_change(old: &Value, new: &Value, quoting: &Quoting<'_>) -> String {
    let quote = quoting.text;
    let lists = match (old, new) {
        (Value::List(_), Value::List(_))
        | (Value::Ids(_), Value::Ids(_))
        | (Value::Keywords(_), Value::Keywords(_)) => old.items(quoting).zip(new.items(quoting)),
        _ => None,
    };
    if let Some((old_items, new_items)) = lists {
        // One id for another (an owner, a phase) reads best as a plain change.
        let single = matches!(old, Value::Ids(items) if items.len() == 1)
            && matches!(new, Value::Ids(items) if items.len() == 1);
        let added: Vec<String> = new_items
            .iter()
            .filter(|item| !old_items.contains(item))
            .map(|item| format!("+{item}"))
            .collect();
        let removed: Vec<String> = old_items
            .iter()
            .filter(|item| !new_items.contains(item))
            .map(|item| format!("-{item}"))
            .collect();
        if single || (added.is_empty() && removed.is_empty()) {
            // Same items in another order, or one for another.
            return format!("{} → {}", old.display(quoting), new.display(quoting));
        }
        return added
            .into_iter()
            .chain(removed)
            .collect::<Vec<_>>()
            .join(", ");
    }
    match (old, new) {
        (Value::Checklist(old_items), Value::Checklist(new_items)) => {
            let mut parts = Vec::new();
            for (item, done) in new_items {
                match old_items.iter().find(|(old_item, _)| old_item == item) {
                    Some((_, was_done)) if was_done == done => {}
                    Some(_) if *done => parts.push(format!("ticked {}", quote(item))),
                    Some(_) => parts.push(format!("unticked {}", quote(item))),
                    None => parts.push(format!(
                        "+{}{}",
                        quote(item),
                        if *done { " (done)" } else { "" }
                    )),
                }
            }
            for (item, _) in old_items {
                if !new_items.iter().any(|(new_item, _)| new_item == item) {
                    parts.push(format!("-{}", quote(item)));
                }
            }
            if parts.is_empty() {
                return "reordered".to_owned();
            }
            parts.join(", ")
        }
        _ => format!("{} → {}", old.display(quoting), new.display(quoting)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(text: &str) -> String {
        format!("\"{text}\"")
    }

    fn backtick(id: &str) -> String {
        format!("`{id}`")
    }

    const PLAIN: Quoting<'static> = Quoting {
        text: &quote,
        id: &backtick,
    };

    #[test]
    fn numbers_read_as_written() {
        assert_eq!(number_text(32.0), "32");
        assert_eq!(number_text(32.5), "32.5");
        assert_eq!(number_text(-0.00001), "0");
        assert_eq!(number_text(f64::NAN), "n/a");
    }

    #[test]
    fn lists_say_what_was_added_and_removed() {
        let old = Value::Ids(vec!["design".into(), "vendor".into()]);
        let new = Value::Ids(vec!["design".into(), "qa:ss".into()]);
        assert_eq!(describe_change(&old, &new, &PLAIN), "+`qa:ss`, -`vendor`");
        let reordered = Value::Ids(vec!["vendor".into(), "design".into()]);
        assert_eq!(
            describe_change(&old, &reordered, &PLAIN),
            "[`design`, `vendor`] → [`vendor`, `design`]"
        );
        assert_eq!(
            describe_change(
                &Value::opt_id(Some("ana")),
                &Value::opt_id(Some("ben")),
                &PLAIN
            ),
            "`ana` → `ben`"
        );
        assert_eq!(
            describe_change(&Value::list(&["a"]), &Value::list(&["a", "b"]), &PLAIN),
            "+\"b\""
        );
        assert_eq!(
            describe_change(&Value::Int(5), &Value::Int(8), &PLAIN),
            "5 → 8"
        );
        assert_eq!(
            describe_change(&Value::None, &Value::text("x"), &PLAIN),
            "none → \"x\""
        );
    }

    #[test]
    fn checklists_say_what_was_ticked() {
        let old = Value::Checklist(vec![("Load test".into(), false), ("Docs".into(), true)]);
        let new = Value::Checklist(vec![("Load test".into(), true), ("Access".into(), false)]);
        assert_eq!(
            describe_change(&old, &new, &PLAIN),
            "ticked \"Load test\", +\"Access\", -\"Docs\""
        );
    }
}
