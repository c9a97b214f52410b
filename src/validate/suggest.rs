//! "Did you mean" for references that name nothing, with the work
//! bounded. Comparing a misspelt id with every id is cheap once, but a plan
//! with 10,000 tasks each naming a missing one would make 100 million
//! comparisons. So each distinct misspelling is looked up once; the first
//! ones are compared with every id, as long as a budget of comparisons
//! lasts; after that, only with the ids one deleted character away (a
//! typo: a letter added, dropped, changed or two swapped), found through
//! an index of every id with each one character taken out.

use std::cell::{Cell, OnceCell, RefCell};

use rustc_hash::FxHashMap;

use crate::diagnostic;

/// How many id comparisons a kind's misspellings may cost in full scans:
/// a few milliseconds. Past it, suggestions come from the index.
const SCAN_BUDGET: usize = 200_000;

/// Ids longer than this are compared in full scans only.
const INDEXED_LENGTH: usize = 64;

pub struct Suggestions<'ids> {
    /// The ids that may be suggested, in a fixed order, built when first needed.
    candidates: OnceCell<Vec<&'ids str>>,
    /// The suggestion each misspelling got.
    known: RefCell<FxHashMap<String, Option<&'ids str>>>,
    /// What is left of `SCAN_BUDGET`.
    budget: Cell<usize>,
    /// Each candidate, and each with one character taken out, to the
    /// candidates that give it.
    index: OnceCell<FxHashMap<String, Vec<u32>>>,
}

impl<'ids> Suggestions<'ids> {
    pub fn new() -> Self {
        Suggestions {
            candidates: OnceCell::new(),
            known: RefCell::new(FxHashMap::default()),
            budget: Cell::new(SCAN_BUDGET),
            index: OnceCell::new(),
        }
    }

    /// `; did you mean `x`?` or nothing, for `word` among what `candidates`
    /// gives (called once, the first time a suggestion is needed).
    pub fn suggestion<I>(&self, word: &str, candidates: impl FnOnce() -> I) -> String
    where
        I: Iterator<Item = &'ids str>,
    {
        match self.nearest(word, candidates) {
            Some(candidate) => format!("; did you mean `{}`?", crate::sanitize::quote(candidate)),
            None => String::new(),
        }
    }

    fn nearest<I>(&self, word: &str, candidates: impl FnOnce() -> I) -> Option<&'ids str>
    where
        I: Iterator<Item = &'ids str>,
    {
        if let Some(known) = self.known.borrow().get(word) {
            return *known;
        }
        let candidates = self.candidates.get_or_init(|| candidates().collect());
        let budget = self.budget.get();
        let nearest = if candidates.len() <= budget {
            self.budget.set(budget - candidates.len());
            diagnostic::did_you_mean(word, candidates.iter().copied())
        } else {
            let index = self.index.get_or_init(|| index_of(candidates));
            let mut near: Vec<u32> = variants(word)
                .filter_map(|variant| index.get(variant.as_str()))
                .flatten()
                .copied()
                .collect();
            // In the candidates' order, as a full scan would meet them.
            near.sort_unstable();
            near.dedup();
            diagnostic::did_you_mean(
                word,
                near.iter()
                    .filter_map(|&at| candidates.get(at as usize).copied()),
            )
        };
        self.known.borrow_mut().insert(word.to_owned(), nearest);
        nearest
    }
}

/// The word itself and the word with each one of its characters taken out.
fn variants(word: &str) -> impl Iterator<Item = String> + '_ {
    let short = word.chars().count() <= INDEXED_LENGTH;
    std::iter::once(word.to_owned()).chain(word.char_indices().filter(move |_| short).map(
        move |(at, c)| {
            let mut variant = String::with_capacity(word.len());
            variant.push_str(&word[..at]);
            variant.push_str(&word[at + c.len_utf8()..]);
            variant
        },
    ))
}

fn index_of(candidates: &[&str]) -> FxHashMap<String, Vec<u32>> {
    let mut index: FxHashMap<String, Vec<u32>> = FxHashMap::default();
    for (at, candidate) in candidates.iter().enumerate() {
        if candidate.chars().count() > INDEXED_LENGTH {
            continue;
        }
        for variant in variants(candidate) {
            let entry = index.entry(variant).or_default();
            // "aab" without either 'a' is one variant: listed once.
            if entry.last() != Some(&(at as u32)) {
                entry.push(at as u32);
            }
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_those_of_a_full_scan_while_the_budget_lasts() {
        let ids = ["design", "build", "launch"];
        let suggestions = Suggestions::new();
        assert_eq!(
            suggestions.suggestion("desgin", || ids.iter().copied()),
            "; did you mean `design`?"
        );
        assert_eq!(suggestions.suggestion("zzz", || ids.iter().copied()), "");
        // The same word again is not compared again.
        let spent = SCAN_BUDGET - suggestions.budget.get();
        assert_eq!(
            suggestions.suggestion("desgin", || ids.iter().copied()),
            "; did you mean `design`?"
        );
        assert_eq!(SCAN_BUDGET - suggestions.budget.get(), spent);
    }

    #[test]
    fn past_the_budget_typos_are_still_found_through_the_index() {
        let ids: Vec<String> = (0..20_000).map(|n| format!("task-{n}")).collect();
        let suggestions = Suggestions::new();
        let candidates = || ids.iter().map(String::as_str);
        // Spend the budget on words that match nothing.
        for n in 0..SCAN_BUDGET / ids.len() + 1 {
            assert_eq!(suggestions.suggestion(&format!("zz{n}"), candidates), "");
        }
        assert!(suggestions.budget.get() < ids.len());
        for (word, expected) in [
            ("tsak-17", "task-17"),       // two letters swapped
            ("task-1x7", "task-17"),      // one added
            ("tas-17", "task-17"),        // one dropped
            ("task_19999", "task-19999"), // one changed
        ] {
            assert_eq!(
                suggestions.suggestion(word, candidates),
                format!("; did you mean `{expected}`?"),
                "{word}"
            );
        }
        assert_eq!(suggestions.suggestion("nothing-like-it", candidates), "");
    }
}
