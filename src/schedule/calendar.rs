//! The working-day calendar: which dates are working days, and how to walk
//! over them by whole working days without visiting the days in between.
//!
//! Every date has a *working-day index*: the number of working days between
//! a fixed epoch (0001-01-01, a Monday) and the date, counted signed. A
//! working day's index is its position on the line of working days; a day
//! off shares its index with the next working day. Going from a date to its
//! index and back costs O(log holidays), so walking two million working days
//! costs the same as walking one.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::model;

/// The first date a plan can hold. TOML writes a date's year with four
/// digits, so a schedule must stay within these, and within the
/// `YYYY-MM-DD` dates `gantry schedule --json` promises.
pub const FIRST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(0, 1, 1) {
    Some(date) => date,
    None => NaiveDate::MIN,
};

/// The last date a plan can hold (see `FIRST_DATE`).
pub const LAST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(date) => date,
    None => NaiveDate::MAX,
};

/// Why a calendar cannot be built or a walk cannot finish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("the calendar has no working days: `workdays` must name at least one weekday")]
    NoWorkdays,
    #[error("the date falls outside the dates a plan can hold ({FIRST_DATE} to {LAST_DATE})")]
    OutOfRange,
}

/// A working week and its holidays, ready for fast date arithmetic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// `is_workday[d]` for weekday offsets 0 (Monday) to 6 (Sunday).
    is_workday: [bool; 7],
    /// How many working weekdays fall before each weekday offset 0..=7 in a week.
    workdays_before: [i64; 8],
    /// The weekday offset of the n-th working weekday of a week.
    nth_workday: Vec<i64>,
    /// Holidays that fall on working weekdays, as day numbers, sorted and unique.
    holidays: Vec<i64>,
    /// For the i-th holiday, the number of working days before it: lets an
    /// index be turned back into a date with one binary search.
    working_days_before_holiday: Vec<i64>,
    /// The smallest and largest working-day index of a representable working day.
    first_index: i64,
    last_index: i64,
}

/// Day number of 0001-01-01, a Monday, is 0.
pub(crate) fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - 1
}

fn date_of_day_number(day: i64) -> Option<NaiveDate> {
    let from_ce = i32::try_from(day.checked_add(1)?).ok()?;
    NaiveDate::from_num_days_from_ce_opt(from_ce)
}

fn weekday_offset(weekday: Weekday) -> usize {
    weekday.num_days_from_monday() as usize
}

impl Calendar {
    pub fn new(calendar: &model::Calendar) -> Result<Calendar, CalendarError> {
        let mut is_workday = [false; 7];
        for weekday in &calendar.workdays {
            is_workday[weekday_offset(*weekday)] = true;
        }
        let mut workdays_before = [0i64; 8];
        let mut nth_workday = Vec::new();
        for offset in 0..7 {
            workdays_before[offset + 1] = workdays_before[offset] + i64::from(is_workday[offset]);
            if is_workday[offset] {
                nth_workday.push(offset as i64);
            }
        }
        if nth_workday.is_empty() {
            return Err(CalendarError::NoWorkdays);
        }
        let mut holidays: Vec<i64> = calendar
            .holidays
            .iter()
            .filter(|date| is_workday[weekday_offset(date.weekday())])
            .map(|date| day_number(*date))
            .collect();
        holidays.sort_unstable();
        holidays.dedup();
        let mut result = Calendar {
            is_workday,
            workdays_before,
            nth_workday,
            holidays,
            working_days_before_holiday: Vec::new(),
            first_index: 0,
            last_index: 0,
        };
        result.working_days_before_holiday = result
            .holidays
            .iter()
            .enumerate()
            .map(|(position, &day)| result.weekdays_before(day) - position as i64)
            .collect();
        result.first_index = result.index_of(FIRST_DATE);
        let after_last = result.index_of(LAST_DATE);
        result.last_index = if result.is_working_day(LAST_DATE) {
            after_last
        } else {
            after_last - 1
        };
        Ok(result)
    }

    /// The working weekdays, Monday first.
    pub fn workdays(&self) -> impl Iterator<Item = Weekday> + '_ {
        self.nth_workday
            .iter()
            .filter_map(|&offset| Weekday::try_from(offset as u8).ok())
    }

    /// Working days in a full week without holidays.
    pub fn workdays_per_week(&self) -> i64 {
        self.nth_workday.len() as i64
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.is_workday[weekday_offset(date.weekday())]
            && self.holidays.binary_search(&day_number(date)).is_err()
    }

    /// The date itself when it is a working day, else the next working day.
    pub fn next_working_day_on_or_after(
        &self,
        date: NaiveDate,
    ) -> Result<NaiveDate, CalendarError> {
        self.date_of(self.index_of(date))
    }

    /// The date itself when it is a working day, else the previous working day.
    pub fn previous_working_day_on_or_before(
        &self,
        date: NaiveDate,
    ) -> Result<NaiveDate, CalendarError> {
        if self.is_working_day(date) {
            Ok(date)
        } else {
            self.date_of(self.index_of(date) - 1)
        }
    }

    /// Walks `n` working days from `date`: for `n > 0` the n-th working day
    /// after it, for `n < 0` the |n|-th working day before it, for 0 the date
    /// itself. The date need not be a working day: a Saturday plus one is the
    /// Monday, minus one the Friday.
    pub fn add_working_days(&self, date: NaiveDate, n: i64) -> Result<NaiveDate, CalendarError> {
        let index = self.index_of(date);
        let target = match n.cmp(&0) {
            std::cmp::Ordering::Equal => return Ok(date),
            std::cmp::Ordering::Greater if !self.is_working_day(date) => {
                index.saturating_add(n - 1)
            }
            _ => index.saturating_add(n),
        };
        self.date_of(target)
    }

    /// The number of working days `d` with `from <= d < to`, negated when `to`
    /// comes before `from`. Friday to the next Monday is 1.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        self.index_of(to) - self.index_of(from)
    }

    /// The working-day index of a date: the number of working days between
    /// the epoch and it. A day off has the index of the next working day.
    pub fn index_of(&self, date: NaiveDate) -> i64 {
        self.index_of_day_number(day_number(date))
    }

    pub(crate) fn index_of_day_number(&self, day: i64) -> i64 {
        let holidays_before = self.holidays.partition_point(|&holiday| holiday < day) as i64;
        self.weekdays_before(day) - holidays_before
    }

    /// The working day with this index.
    pub fn date_of(&self, index: i64) -> Result<NaiveDate, CalendarError> {
        if index < self.first_index || index > self.last_index {
            return Err(CalendarError::OutOfRange);
        }
        let day = self.day_number_of_index(index);
        date_of_day_number(day).ok_or(CalendarError::OutOfRange)
    }

    /// The smallest and largest index of a working day the calendar can represent.
    pub fn index_range(&self) -> std::ops::RangeInclusive<i64> {
        self.first_index..=self.last_index
    }

    /// The number of working days in the Monday-to-Sunday week of `date`.
    pub fn working_days_in_week(&self, date: NaiveDate) -> i64 {
        let monday_day = day_number(date) - day_number(date).rem_euclid(7);
        self.working_days_in_day_range(monday_day, monday_day + 7)
    }

    /// Working days among the day numbers `from..to`.
    pub(crate) fn working_days_in_day_range(&self, from: i64, to: i64) -> i64 {
        let holidays = self.holidays.partition_point(|&day| day < to) as i64
            - self.holidays.partition_point(|&day| day < from) as i64;
        self.weekdays_before(to) - self.weekdays_before(from) - holidays
    }

    /// The day numbers of holidays (on working weekdays) within `from..to`.
    pub(crate) fn holidays_in_day_range(&self, from: i64, to: i64) -> &[i64] {
        let first = self.holidays.partition_point(|&day| day < from);
        let end = self.holidays.partition_point(|&day| day < to);
        &self.holidays[first..end]
    }

    /// The day number of the working day with this index, without the range check.
    pub(crate) fn day_number_of_index(&self, index: i64) -> i64 {
        let holidays_before = self
            .working_days_before_holiday
            .partition_point(|&before| before <= index) as i64;
        let weekday_index = index + holidays_before;
        let per_week = self.workdays_per_week();
        weekday_index.div_euclid(per_week) * 7
            + self.nth_workday[weekday_index.rem_euclid(per_week) as usize]
    }

    /// Working weekdays (holidays not removed) between the epoch and `day`.
    fn weekdays_before(&self, day: i64) -> i64 {
        day.div_euclid(7) * self.workdays_per_week()
            + self.workdays_before[day.rem_euclid(7) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
    }

    fn calendar(workdays: &[Weekday], holidays: &[&str]) -> Calendar {
        Calendar::new(&model::Calendar {
            workdays: workdays.to_vec(),
            holidays: holidays.iter().map(|text| date(text)).collect(),
            hours_per_day: 8.0,
        })
        .expect("calendar")
    }

    fn weekdays() -> Vec<Weekday> {
        model::Calendar::default().workdays
    }

    /// Walks day by day: the slow, obviously right answer.
    fn walk_slowly(calendar: &Calendar, from: NaiveDate, n: i64) -> NaiveDate {
        let mut date = from;
        let mut left = n.abs();
        while left > 0 {
            date = if n > 0 {
                date.succ_opt()
            } else {
                date.pred_opt()
            }
            .expect("in range");
            if calendar.is_working_day(date) {
                left -= 1;
            }
        }
        date
    }

    #[test]
    fn a_calendar_without_workdays_is_refused() {
        let empty = model::Calendar {
            workdays: vec![],
            ..model::Calendar::default()
        };
        assert_eq!(Calendar::new(&empty), Err(CalendarError::NoWorkdays));
    }

    #[test]
    fn weekends_and_holidays_are_days_off() {
        let calendar = calendar(&weekdays(), &["2027-01-18", "2027-01-23"]);
        assert!(calendar.is_working_day(date("2027-01-15")));
        assert!(!calendar.is_working_day(date("2027-01-16")));
        assert!(!calendar.is_working_day(date("2027-01-18")));
        assert_eq!(
            calendar.next_working_day_on_or_after(date("2027-01-16")),
            Ok(date("2027-01-19"))
        );
        assert_eq!(
            calendar.previous_working_day_on_or_before(date("2027-01-18")),
            Ok(date("2027-01-15"))
        );
    }

    #[test]
    fn walking_matches_a_day_by_day_walk() {
        let calendar = calendar(
            &[Weekday::Mon, Weekday::Wed, Weekday::Thu, Weekday::Sat],
            &[
                "2027-01-06",
                "2027-01-07",
                "2027-01-09",
                "2027-02-01",
                "2026-12-30",
                "2027-01-05",
            ],
        );
        let mut from = date("2026-12-20");
        while from < date("2027-02-15") {
            for n in -20..=20 {
                assert_eq!(
                    calendar.add_working_days(from, n),
                    Ok(walk_slowly(&calendar, from, n)),
                    "{from} {n}"
                );
            }
            from = from.succ_opt().expect("in range");
        }
    }

    #[test]
    fn a_saturday_plus_one_is_monday_and_minus_one_is_friday() {
        let calendar = calendar(&weekdays(), &[]);
        assert_eq!(
            calendar.add_working_days(date("2027-01-09"), 1),
            Ok(date("2027-01-11"))
        );
        assert_eq!(
            calendar.add_working_days(date("2027-01-09"), -1),
            Ok(date("2027-01-08"))
        );
        assert_eq!(
            calendar.add_working_days(date("2027-01-09"), 0),
            Ok(date("2027-01-09"))
        );
    }

    #[test]
    fn working_days_between_counts_the_days_from_the_first_up_to_the_second() {
        let calendar = calendar(&weekdays(), &["2027-01-18"]);
        assert_eq!(
            calendar.working_days_between(date("2027-01-15"), date("2027-01-18")),
            1
        );
        assert_eq!(
            calendar.working_days_between(date("2027-01-15"), date("2027-01-19")),
            1
        );
        assert_eq!(
            calendar.working_days_between(date("2027-01-19"), date("2027-01-11")),
            -5
        );
        assert_eq!(
            calendar.working_days_between(date("2027-01-11"), date("2027-01-11")),
            0
        );
    }

    #[test]
    fn four_hundred_thousand_working_days_with_one_workday_a_week_is_immediate() {
        // Nearly eight thousand years: up to 9719, close to the last date.
        let calendar = calendar(&[Weekday::Wed], &["2027-01-13"]);
        let start = date("2027-01-06");
        let end = calendar.add_working_days(start, 400_000).expect("in range");
        assert_eq!(end, start + chrono::Duration::weeks(400_001));
        assert_eq!(calendar.add_working_days(end, -400_000), Ok(start));
        // Past 9999 the walk stops with an error.
        assert_eq!(
            calendar.add_working_days(start, 420_000),
            Err(CalendarError::OutOfRange)
        );
    }

    #[test]
    fn walking_off_the_end_of_time_is_an_error_not_a_panic() {
        let calendar = calendar(&weekdays(), &[]);
        let start = date("2027-01-04");
        assert_eq!(
            calendar.add_working_days(start, i64::MAX),
            Err(CalendarError::OutOfRange)
        );
        assert_eq!(
            calendar.add_working_days(start, i64::MIN),
            Err(CalendarError::OutOfRange)
        );
        assert_eq!(
            calendar.next_working_day_on_or_after(LAST_DATE),
            if calendar.is_working_day(LAST_DATE) {
                Ok(LAST_DATE)
            } else {
                Err(CalendarError::OutOfRange)
            }
        );
        assert_eq!(
            calendar.next_working_day_on_or_after(NaiveDate::MAX),
            Err(CalendarError::OutOfRange)
        );
        let last = calendar
            .date_of(*calendar.index_range().end())
            .expect("last working day");
        assert!(last <= LAST_DATE && calendar.is_working_day(last));
        assert!(last > LAST_DATE - chrono::Days::new(7));
        let first = calendar
            .date_of(*calendar.index_range().start())
            .expect("first working day");
        assert!(calendar.is_working_day(first));
        assert!(first >= FIRST_DATE && first < FIRST_DATE + chrono::Days::new(7));
    }

    #[test]
    fn holidays_on_days_off_change_nothing() {
        let plain = calendar(&weekdays(), &[]);
        let with_weekend_holiday = calendar(&weekdays(), &["2027-01-16", "2027-01-16"]);
        assert_eq!(plain, with_weekend_holiday);
    }

    #[test]
    fn weeks_count_their_working_days() {
        let calendar = calendar(&weekdays(), &["2027-01-18", "2027-01-19"]);
        assert_eq!(calendar.working_days_in_week(date("2027-01-13")), 5);
        assert_eq!(calendar.working_days_in_week(date("2027-01-24")), 3);
    }
}
