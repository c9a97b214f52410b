//! When a communication item is next due, from its `cadence` in words
//! ("weekly, Friday", "every two weeks, Tuesday", "monthly, first Monday")
//! and the date it `last` took place. A cadence the rules below do not
//! read ("per change", "after each release") is shown as written.
//!
//! Dates are calendar dates, not working days: a weekly meeting on Friday
//! is due on Friday whatever the plan's calendar says. Without `last`, the
//! first one is due at the first date the cadence names on or after the
//! date given (the project start); with `last`, the next one comes one
//! period after it, on the weekday the cadence names (in that week, or the
//! ordinal weekday of that month).

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use crate::model::Communication;

/// A cadence read from its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cadence {
    /// Every `every` days.
    Daily { every: u32 },
    /// Every `every` weeks, on `weekday` when given.
    Weekly {
        every: u32,
        weekday: Option<Weekday>,
    },
    /// Every `every` months, on the `n`th (1..=4, or 5 for the last)
    /// `weekday` of the month when given.
    Monthly {
        every: u32,
        on: Option<(u8, Weekday)>,
    },
    /// Words that name no regular period, kept as written.
    Text(String),
}

/// When a communication item is next due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    On(NaiveDate),
    /// The cadence in words, for one that names no date ("per change").
    Text(String),
    /// No cadence given.
    Unscheduled,
}

impl Due {
    /// Whether the item was due before `date` and has not happened since.
    pub fn is_overdue(&self, date: NaiveDate) -> bool {
        matches!(self, Due::On(due) if *due < date)
    }
}

fn weekday(word: &str) -> Option<Weekday> {
    let word = word
        .strip_suffix('s')
        .filter(|w| w.len() > 2)
        .unwrap_or(word);
    Some(match word {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn count(word: &str) -> Option<u32> {
    if let Ok(number) = word.parse::<u32>() {
        return (1..=366).contains(&number).then_some(number);
    }
    const WORDS: [&str; 12] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    if word == "other" {
        return Some(2);
    }
    WORDS
        .iter()
        .position(|name| *name == word)
        .map(|index| index as u32 + 1)
}

fn ordinal(word: &str) -> Option<u8> {
    Some(match word {
        "first" | "1st" => 1,
        "second" | "2nd" => 2,
        "third" | "3rd" => 3,
        "fourth" | "4th" => 4,
        "last" => 5,
        _ => return None,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Period {
    Day,
    Week,
    Month,
}

/// Reads a cadence. Anything it cannot read fully is `Cadence::Text`.
pub fn parse_cadence(text: &str) -> Cadence {
    let as_text = || Cadence::Text(text.trim().to_owned());
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    let mut period: Option<(Period, u32)> = None;
    let mut every: Option<u32> = None;
    let mut saw_every = false;
    let mut day: Option<Weekday> = None;
    let mut nth: Option<u8> = None;
    let set_period = |period_slot: &mut Option<(Period, u32)>, value: (Period, u32)| {
        if period_slot.is_some() {
            return false;
        }
        *period_slot = Some(value);
        true
    };
    for word in &words {
        let word = *word;
        let fine = match word {
            "daily" => set_period(&mut period, (Period::Day, 1)),
            "weekly" => set_period(&mut period, (Period::Week, 1)),
            "biweekly" | "fortnightly" | "fortnight" => set_period(&mut period, (Period::Week, 2)),
            "monthly" => set_period(&mut period, (Period::Month, 1)),
            "quarterly" => set_period(&mut period, (Period::Month, 3)),
            "day" | "days" => set_period(&mut period, (Period::Day, 1)),
            "week" | "weeks" => set_period(&mut period, (Period::Week, 1)),
            "month" | "months" => set_period(&mut period, (Period::Month, 1)),
            "every" | "each" => {
                saw_every = true;
                true
            }
            "on" | "the" | "of" | "a" | "in" | "at" => true,
            _ => {
                if let Some(found) = weekday(word) {
                    day.replace(found).is_none()
                } else if let Some(found) = ordinal(word) {
                    nth.replace(found).is_none()
                } else if let Some(found) = count(word).filter(|_| saw_every) {
                    every.replace(found).is_none()
                } else {
                    false
                }
            }
        };
        if !fine {
            return as_text();
        }
    }
    // "every Friday" is weekly.
    let (period, base) = match (period, day) {
        (Some(found), _) => found,
        (None, Some(_)) if saw_every => (Period::Week, 1),
        _ => return as_text(),
    };
    let every = every.unwrap_or(1) * base;
    match period {
        Period::Day if day.is_none() && nth.is_none() => Cadence::Daily { every },
        Period::Week if nth.is_none() => Cadence::Weekly {
            every,
            weekday: day,
        },
        Period::Month => match (nth, day) {
            (Some(n), Some(day)) => Cadence::Monthly {
                every,
                on: Some((n, day)),
            },
            (None, None) => Cadence::Monthly { every, on: None },
            _ => as_text(),
        },
        _ => as_text(),
    }
}

/// The `n`th (5: last) `weekday` of the month of `date`.
fn nth_weekday(date: NaiveDate, n: u8, weekday: Weekday) -> Option<NaiveDate> {
    if n >= 5 {
        let next_month = date.with_day(1)?.checked_add_months(Months::new(1))?;
        let last = next_month.pred_opt()?;
        let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
        return last.checked_sub_days(Days::new(u64::from(back)));
    }
    NaiveDate::from_weekday_of_month_opt(date.year(), date.month(), weekday, n)
}

/// The first `weekday` on or after `date`.
fn on_or_after(date: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let ahead = (7 + weekday.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
    date.checked_add_days(Days::new(u64::from(ahead)))
}

/// `weekday` in the Monday-to-Sunday week of `date`.
fn in_week(date: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let monday = crate::metrics::week_monday(date);
    monday.checked_add_days(Days::new(u64::from(weekday.num_days_from_monday())))
}

/// When `communication` is next due: one period after its `last`, else
/// the first date its cadence names on or after `from` (the project start).
pub fn next_due(communication: &Communication, from: NaiveDate) -> Due {
    let Some(text) = communication.cadence.as_deref() else {
        return Due::Unscheduled;
    };
    let cadence = parse_cadence(text);
    let due = match (&cadence, communication.last) {
        (Cadence::Text(text), _) => return Due::Text(text.clone()),
        (Cadence::Daily { every }, Some(last)) => {
            last.checked_add_days(Days::new(u64::from(*every)))
        }
        (Cadence::Daily { .. }, None) => Some(from),
        (Cadence::Weekly { every, weekday }, Some(last)) => {
            let base = last.checked_add_days(Days::new(7 * u64::from(*every)));
            match weekday {
                Some(weekday) => base.and_then(|base| in_week(base, *weekday)),
                None => base,
            }
        }
        (Cadence::Weekly { weekday, .. }, None) => match weekday {
            Some(weekday) => on_or_after(from, *weekday),
            None => Some(from),
        },
        (Cadence::Monthly { every, on }, Some(last)) => {
            let base = last.checked_add_months(Months::new(*every));
            match on {
                Some((n, weekday)) => base.and_then(|base| nth_weekday(base, *n, *weekday)),
                None => base,
            }
        }
        (Cadence::Monthly { on, .. }, None) => match on {
            Some((n, weekday)) => nth_weekday(from, *n, *weekday)
                .filter(|date| *date >= from)
                .or_else(|| {
                    let next = from.with_day(1)?.checked_add_months(Months::new(1))?;
                    nth_weekday(next, *n, *weekday)
                }),
            None => Some(from),
        },
    };
    match due {
        Some(date) => Due::On(date),
        None => Due::Text(text.trim().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Located;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    fn item(cadence: &str, last: Option<&str>) -> Communication {
        Communication {
            id: Located::new("c".to_owned(), Default::default()),
            what: "Update".to_owned(),
            audience: None,
            cadence: Some(cadence.to_owned()),
            channel: None,
            owner: None,
            last: last.map(date),
            pos: Default::default(),
        }
    }

    /// 2027-01-06 is a Wednesday.
    fn due(cadence: &str, last: Option<&str>) -> Due {
        next_due(&item(cadence, last), date("2027-01-06"))
    }

    fn on(text: &str) -> Due {
        Due::On(date(text))
    }

    #[test]
    fn weekly_and_weekly_on_a_day() {
        assert_eq!(
            parse_cadence("weekly"),
            Cadence::Weekly {
                every: 1,
                weekday: None
            }
        );
        assert_eq!(due("weekly", None), on("2027-01-06"));
        assert_eq!(due("Weekly", Some("2027-01-04")), on("2027-01-11"));
        assert_eq!(due("weekly, Friday", None), on("2027-01-08"));
        assert_eq!(due("weekly, Friday", Some("2027-01-08")), on("2027-01-15"));
        // Held on a Wednesday instead: still due on the Friday a week on.
        assert_eq!(
            due("weekly on fridays", Some("2027-01-06")),
            on("2027-01-15")
        );
        assert_eq!(due("every Monday", None), on("2027-01-11"));
    }

    #[test]
    fn every_n_weeks_in_digits_or_words() {
        assert_eq!(
            parse_cadence("every 3 weeks"),
            Cadence::Weekly {
                every: 3,
                weekday: None
            }
        );
        assert_eq!(
            parse_cadence("every twelve weeks"),
            Cadence::Weekly {
                every: 12,
                weekday: None
            }
        );
        assert_eq!(due("every two weeks", Some("2027-01-04")), on("2027-01-18"));
        assert_eq!(
            due("every two weeks, Tuesday", Some("2027-01-05")),
            on("2027-01-19")
        );
        assert_eq!(due("every two weeks, Tuesday", None), on("2027-01-12"));
        assert_eq!(
            due("every other week", Some("2027-01-04")),
            on("2027-01-18")
        );
        assert_eq!(due("biweekly", Some("2027-01-04")), on("2027-01-18"));
        assert_eq!(
            due("fortnightly, thu", Some("2027-01-07")),
            on("2027-01-21")
        );
    }

    #[test]
    fn monthly_and_monthly_on_the_first_monday() {
        assert_eq!(due("monthly", None), on("2027-01-06"));
        assert_eq!(due("monthly", Some("2027-01-31")), on("2027-02-28"));
        // The first Monday of January 2027 (the 4th) is before the 6th.
        assert_eq!(due("monthly, first Monday", None), on("2027-02-01"));
        assert_eq!(
            due("monthly, first Monday", Some("2027-02-01")),
            on("2027-03-01")
        );
        assert_eq!(
            due("monthly on the last Friday", Some("2027-01-29")),
            on("2027-02-26")
        );
        assert_eq!(due("quarterly", Some("2027-01-15")), on("2027-04-15"));
        assert_eq!(
            due("the first Monday of every month", None),
            on("2027-02-01")
        );
    }

    #[test]
    fn daily() {
        assert_eq!(due("daily", None), on("2027-01-06"));
        assert_eq!(due("daily", Some("2027-01-06")), on("2027-01-07"));
        assert_eq!(due("every 3 days", Some("2027-01-06")), on("2027-01-09"));
    }

    #[test]
    fn words_that_name_no_period_are_shown_as_written() {
        assert_eq!(due("per change", None), Due::Text("per change".to_owned()));
        assert_eq!(
            due(" after each release ", None),
            Due::Text("after each release".to_owned())
        );
        assert_eq!(
            due("weekly, monthly", None),
            Due::Text("weekly, monthly".to_owned())
        );
        assert_eq!(
            due("daily, Friday", None),
            Due::Text("daily, Friday".to_owned())
        );
        let mut none = item("weekly", None);
        none.cadence = None;
        assert_eq!(next_due(&none, date("2027-01-06")), Due::Unscheduled);
    }

    #[test]
    fn overdue_is_before_the_date() {
        assert!(on("2027-01-05").is_overdue(date("2027-01-06")));
        assert!(!on("2027-01-06").is_overdue(date("2027-01-06")));
        assert!(!Due::Text("per change".to_owned()).is_overdue(date("2030-01-01")));
    }
}
