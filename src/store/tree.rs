//! One view of a parsed TOML tree, whichever parser made it, so that the
//! model is built and checked by one set of rules.
//!
//! Two parsers feed the loader: `toml`'s spanned parser (`DeTable`), which
//! borrows the text and is more than twice as fast, for everything that
//! only reads; and `toml_edit`'s format-preserving document, for the tables
//! an edit changed. Both share one lexer, so they give the same spans. Where
//! a `DeTable` does not say what `toml_edit` would (an inline table or a
//! `[header]` table, an inline array or an array of tables), the text at
//! the span says it: an inline table starts with `{`, and an array of
//! tables has the span of its first table's header.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};
use toml_edit::Datetime;

/// A value: a string, number, date, array or table.
#[derive(Clone, Copy)]
pub enum Item<'t> {
    Edit(&'t toml_edit::Item),
    EditValue(&'t toml_edit::Value),
    Fast(Fast<'t>),
}

/// A value of a `DeTable`, with the text it was parsed from.
#[derive(Clone, Copy)]
pub struct Fast<'t> {
    value: &'t Spanned<DeValue<'t>>,
    /// The text it was parsed from: a piece of the plan (see `chunks`)...
    text: &'t str,
    /// ...that starts at this offset of the plan.
    base: usize,
    /// Whether the value is inside an inline table or array.
    inline: bool,
}

/// A table: `[header]`, `[[array]]` element, dotted or inline.
#[derive(Clone, Copy)]
pub enum Table<'t> {
    Edit(&'t dyn toml_edit::TableLike),
    Fast {
        table: &'t DeTable<'t>,
        text: &'t str,
        base: usize,
        inline: bool,
    },
}

/// An inline array.
#[derive(Clone, Copy)]
pub enum Array<'t> {
    Edit(&'t toml_edit::Array),
    Fast {
        array: &'t DeArray<'t>,
        text: &'t str,
        base: usize,
    },
}

fn shifted(span: Range<usize>, base: usize) -> Range<usize> {
    span.start + base..span.end + base
}

impl<'t> Fast<'t> {
    fn is_inline_table(self) -> bool {
        self.inline
            || self
                .text
                .as_bytes()
                .get(self.value.span().start)
                .is_some_and(|&byte| byte == b'{')
    }

    fn is_array_of_tables(self, array: &DeArray<'_>) -> bool {
        !self.inline
            && array.first().is_some_and(|first| {
                first.span() == self.value.span() && matches!(first.get_ref(), DeValue::Table(_))
            })
    }
}

impl<'t> Item<'t> {
    /// Where the value is in the text, when the tree knows (an edited
    /// document does not).
    pub fn span(self) -> Option<Range<usize>> {
        match self {
            Item::Edit(item) => item.span(),
            Item::EditValue(value) => value.span(),
            Item::Fast(fast) => Some(shifted(fast.value.span(), fast.base)),
        }
    }

    /// The text the value was parsed from, for the fast tree.
    pub fn source_text(self) -> Option<&'t str> {
        match self {
            Item::Fast(fast) => fast.text.get(fast.value.span()),
            Item::Edit(_) | Item::EditValue(_) => None,
        }
    }

    /// The value's type as a user would say it.
    pub fn describe(self) -> &'static str {
        match self {
            Item::Edit(item) => match item {
                toml_edit::Item::None => "nothing",
                toml_edit::Item::Table(_) => "a table",
                toml_edit::Item::ArrayOfTables(_) => "an array of tables",
                toml_edit::Item::Value(value) => Item::EditValue(value).describe(),
            },
            Item::EditValue(value) => match value {
                toml_edit::Value::String(_) => "a string",
                toml_edit::Value::Integer(_) => "an integer",
                toml_edit::Value::Float(_) => "a number with a fraction",
                toml_edit::Value::Boolean(_) => "a boolean",
                toml_edit::Value::Datetime(_) => "a date or time",
                toml_edit::Value::Array(_) => "an array",
                toml_edit::Value::InlineTable(_) => "an inline table",
            },
            Item::Fast(fast) => match fast.value.get_ref() {
                DeValue::String(_) => "a string",
                DeValue::Integer(_) => "an integer",
                DeValue::Float(_) => "a number with a fraction",
                DeValue::Boolean(_) => "a boolean",
                DeValue::Datetime(_) => "a date or time",
                DeValue::Array(array) if fast.is_array_of_tables(array) => "an array of tables",
                DeValue::Array(_) => "an array",
                DeValue::Table(_) if fast.is_inline_table() => "an inline table",
                DeValue::Table(_) => "a table",
            },
        }
    }

    pub fn as_str(self) -> Option<&'t str> {
        match self {
            Item::Edit(item) => item.as_str(),
            Item::EditValue(value) => value.as_str(),
            Item::Fast(fast) => match fast.value.get_ref() {
                DeValue::String(text) => Some(text.as_ref()),
                _ => None,
            },
        }
    }

    /// An integer; the fast tree's integers were all checked to fit when it
    /// was parsed (`numbers_fit`).
    pub fn as_integer(self) -> Option<i64> {
        match self {
            Item::Edit(item) => item.as_integer(),
            Item::EditValue(value) => value.as_integer(),
            Item::Fast(fast) => match fast.value.get_ref() {
                DeValue::Integer(number) => {
                    i64::from_str_radix(number.as_str(), number.radix()).ok()
                }
                _ => None,
            },
        }
    }

    /// A number written with a fraction or exponent (or inf, nan).
    pub fn as_float(self) -> Option<f64> {
        match self {
            Item::Edit(item) => item.as_float(),
            Item::EditValue(value) => value.as_float(),
            Item::Fast(fast) => match fast.value.get_ref() {
                DeValue::Float(number) => number.as_str().parse().ok(),
                _ => None,
            },
        }
    }

    pub fn as_bool(self) -> Option<bool> {
        match self {
            Item::Edit(item) => item.as_bool(),
            Item::EditValue(value) => value.as_bool(),
            Item::Fast(fast) => match fast.value.get_ref() {
                DeValue::Boolean(flag) => Some(*flag),
                _ => None,
            },
        }
    }

    pub fn as_datetime(self) -> Option<&'t Datetime> {
        match self {
            Item::Edit(item) => item.as_datetime(),
            Item::EditValue(value) => value.as_datetime(),
            Item::Fast(fast) => match fast.value.get_ref() {
                DeValue::Datetime(datetime) => Some(datetime),
                _ => None,
            },
        }
    }

    /// An inline array (not an array of tables).
    pub fn as_array(self) -> Option<Array<'t>> {
        match self {
            Item::Edit(item) => item.as_array().map(Array::Edit),
            Item::EditValue(value) => value.as_array().map(Array::Edit),
            Item::Fast(fast) => match fast.value.get_ref() {
                DeValue::Array(array) if !fast.is_array_of_tables(array) => Some(Array::Fast {
                    array,
                    text: fast.text,
                    base: fast.base,
                }),
                _ => None,
            },
        }
    }

    /// A table, inline or not.
    pub fn as_table(self) -> Option<Table<'t>> {
        match self {
            Item::Edit(item) => item.as_table_like().map(Table::Edit),
            Item::EditValue(value) => value
                .as_inline_table()
                .map(|table| Table::Edit(table as &dyn toml_edit::TableLike)),
            Item::Fast(fast) => match fast.value.get_ref() {
                DeValue::Table(table) => Some(Table::Fast {
                    table,
                    text: fast.text,
                    base: fast.base,
                    inline: fast.is_inline_table(),
                }),
                _ => None,
            },
        }
    }

    /// Whether the value is an array of tables (`[[task]]`).
    pub fn is_array_of_tables(self) -> bool {
        match self {
            Item::Edit(item) => item.is_array_of_tables(),
            Item::EditValue(_) => false,
            Item::Fast(fast) => match fast.value.get_ref() {
                DeValue::Array(array) => fast.is_array_of_tables(array),
                _ => false,
            },
        }
    }

    /// The tables of an array of tables (`[[task]]`), each with its span.
    pub fn array_of_tables(self) -> Option<Vec<(Table<'t>, Option<Range<usize>>)>> {
        match self {
            Item::Edit(toml_edit::Item::ArrayOfTables(array)) => Some(
                array
                    .iter()
                    .map(|table| {
                        (
                            Table::Edit(table as &dyn toml_edit::TableLike),
                            table.span(),
                        )
                    })
                    .collect(),
            ),
            Item::Edit(_) | Item::EditValue(_) => None,
            Item::Fast(fast) => match fast.value.get_ref() {
                DeValue::Array(array) if fast.is_array_of_tables(array) => Some(
                    array
                        .iter()
                        .filter_map(|element| match element.get_ref() {
                            DeValue::Table(table) => Some((
                                Table::Fast {
                                    table,
                                    text: fast.text,
                                    base: fast.base,
                                    inline: false,
                                },
                                Some(shifted(element.span(), fast.base)),
                            )),
                            _ => None,
                        })
                        .collect(),
                ),
                _ => None,
            },
        }
    }
}

impl<'t> Table<'t> {
    /// The root of a `DeTable` parsed from `text`, a piece of the plan
    /// that starts at offset `base`.
    pub fn fast(table: &'t DeTable<'t>, text: &'t str, base: usize) -> Self {
        Table::Fast {
            table,
            text,
            base,
            inline: false,
        }
    }

    pub fn len(self) -> usize {
        match self {
            Table::Edit(table) => table.len(),
            Table::Fast { table, .. } => table.len(),
        }
    }

    /// Each key with its value, in the order of the text, and the key's
    /// span when it comes at no cost (see `key_span` for the rest).
    pub fn iter(self) -> Entries<'t> {
        match self {
            Table::Edit(table) => Entries::Edit(table.iter()),
            Table::Fast {
                table,
                text,
                base,
                inline,
            } => Entries::Fast {
                entries: table.iter(),
                text,
                base,
                inline,
            },
        }
    }

    pub fn get(self, key: &str) -> Option<Item<'t>> {
        match self {
            Table::Edit(table) => table.get(key).map(Item::Edit),
            Table::Fast {
                table,
                text,
                base,
                inline,
            } => table.get(key).map(|value| {
                Item::Fast(Fast {
                    value,
                    text,
                    base,
                    inline,
                })
            }),
        }
    }

    /// Where `key` is written in this table.
    pub fn key_span(self, key: &str) -> Option<Range<usize>> {
        match self {
            Table::Edit(table) => table.get_key_value(key).and_then(|(key, _)| key.span()),
            Table::Fast { table, base, .. } => table
                .get_key_value(key)
                .map(|(key, _)| shifted(key.span(), base)),
        }
    }
}

impl<'t> Array<'t> {
    pub fn iter(self) -> Elements<'t> {
        match self {
            Array::Edit(array) => Elements::Edit(array.iter()),
            Array::Fast { array, text, base } => Elements::Fast {
                elements: array.iter(),
                text,
                base,
            },
        }
    }
}

/// The keys and values of a table.
pub enum Entries<'t> {
    Edit(toml_edit::Iter<'t>),
    Fast {
        entries: toml::map::Iter<'t, Spanned<toml::de::DeString<'t>>, Spanned<DeValue<'t>>>,
        text: &'t str,
        base: usize,
        inline: bool,
    },
}

impl<'t> Iterator for Entries<'t> {
    type Item = (&'t str, Option<Range<usize>>, Item<'t>);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Entries::Edit(entries) => entries
                .next()
                .map(|(key, item)| (key, None, Item::Edit(item))),
            Entries::Fast {
                entries,
                text,
                base,
                inline,
            } => entries.next().map(|(key, value)| {
                let item = Item::Fast(Fast {
                    value,
                    text,
                    base: *base,
                    inline: *inline,
                });
                (
                    key.get_ref().as_ref(),
                    Some(shifted(key.span(), *base)),
                    item,
                )
            }),
        }
    }
}

/// The elements of an inline array.
pub enum Elements<'t> {
    Edit(toml_edit::ArrayIter<'t>),
    Fast {
        elements: std::slice::Iter<'t, Spanned<DeValue<'t>>>,
        text: &'t str,
        base: usize,
    },
}

impl<'t> Iterator for Elements<'t> {
    type Item = Item<'t>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Elements::Edit(elements) => elements.next().map(Item::EditValue),
            Elements::Fast {
                elements,
                text,
                base,
            } => elements.next().map(|value| {
                Item::Fast(Fast {
                    value,
                    text,
                    base: *base,
                    inline: true,
                })
            }),
        }
    }
}

/// Whether every number of the tree is one `toml_edit` accepts too: an
/// integer that fits 64 bits, a float that does not overflow. `DeTable`
/// keeps numbers as text, so it does not check; where one fails, the plan
/// is read with `toml_edit`, which reports it as a syntax error.
pub fn numbers_fit(table: &DeTable<'_>) -> bool {
    table.values().all(|value| value_fits(value.get_ref()))
}

fn value_fits(value: &DeValue<'_>) -> bool {
    match value {
        DeValue::Integer(number) => i64::from_str_radix(number.as_str(), number.radix()).is_ok(),
        DeValue::Float(number) => match number.as_str().parse::<f64>() {
            Ok(parsed) => parsed.is_finite() || number.as_str().contains("inf") || parsed.is_nan(),
            Err(_) => false,
        },
        DeValue::Array(array) => array.iter().all(|value| value_fits(value.get_ref())),
        DeValue::Table(table) => numbers_fit(table),
        DeValue::String(_) | DeValue::Boolean(_) | DeValue::Datetime(_) => true,
    }
}
