/// A 1-based line and column (in characters) in the plan file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> Located<T> {
    pub fn new(value: T, pos: Pos) -> Self {
        Located { value, pos }
    }
}

impl Located<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// Ids are made of ASCII letters, digits, '-', '_' and '.'.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_accept_letters_digits_and_three_marks() {
        for id in ["api", "R1", "phase-2", "qa_env", "v1.2", "A-7"] {
            assert!(is_valid_id(id), "{id}");
        }
        for id in ["", "a b", "a/b", "x\u{1b}", "a:b", "café"] {
            assert!(!is_valid_id(id), "{id:?}");
        }
    }
}
