//! A small element tree read with `quick-xml`: names without their
//! namespace prefix, text unescaped, and the line and column of each
//! element for warnings.

use quick_xml::events::Event;

use super::mspdi::ImportError;
use crate::model::Pos;

#[derive(Debug, Default)]
pub struct Element {
    pub name: String,
    pub text: String,
    pub pos: Pos,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child of that name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    /// Every child of that name.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// The trimmed text of the first child of that name, when not empty.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|child| child.text.trim())
            .filter(|text| !text.is_empty())
    }

    /// The untrimmed text of the first child of that name (names, notes).
    pub fn raw_text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(|child| child.text.as_str())
    }

    pub fn number(&self, name: &str) -> Option<f64> {
        self.text_of(name)?
            .parse()
            .ok()
            .filter(|n: &f64| n.is_finite())
    }

    pub fn integer(&self, name: &str) -> Option<i64> {
        let text = self.text_of(name)?;
        text.parse().ok().or_else(|| {
            text.parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(|n| n as i64)
        })
    }

    /// An MSPDI boolean: `1` or `true`.
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.text_of(name), Some("1" | "true"))
    }
}

/// 1-based line and column (in characters) of a byte offset.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        Lines { text, starts }
    }

    fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line.saturating_sub(1)];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        Pos {
            line: line as u32,
            col: col as u32 + 1,
        }
    }
}

fn local_name(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, local)) => local.to_string(),
        None => name.to_string(),
    }
}

/// Parses the document and returns its root element.
pub fn parse(text: &str) -> Result<Element, ImportError> {
    let lines = Lines::new(text);
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let offset = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|error| ImportError::Xml {
            pos: lines.pos(reader.error_position() as usize),
            message: error.to_string(),
        })?;
        let pos = || {
            // The event starts after any whitespace before it.
            let skipped = text
                .get(offset..)
                .map_or(0, |rest| rest.len() - rest.trim_start().len());
            lines.pos(offset + skipped)
        };
        match event {
            Event::Start(start) => stack.push(Element {
                name: local_name(start.name().as_ref()),
                pos: pos(),
                ..Element::default()
            }),
            Event::Empty(start) => {
                let element = Element {
                    name: local_name(start.name().as_ref()),
                    pos: pos(),
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = root.or(Some(element)),
                }
            }
            Event::End(_) => {
                let Some(element) = stack.pop() else {
                    continue;
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = root.or(Some(element)),
                }
            }
            Event::Text(content) => {
                if let Some(element) = stack.last_mut() {
                    element.text.push_str(&content.xml10_content());
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(element) = stack.last_mut() {
                    let name = reference.clone().into_inner();
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) => match &*name {
                            "amp" => "&".to_string(),
                            "lt" => "<".to_string(),
                            "gt" => ">".to_string(),
                            "quot" => "\"".to_string(),
                            "apos" => "'".to_string(),
                            other => {
                                return Err(ImportError::Xml {
                                    pos: pos(),
                                    message: format!("unknown entity `&{other};`"),
                                });
                            }
                        },
                        Err(error) => {
                            return Err(ImportError::Xml {
                                pos: pos(),
                                message: error.to_string(),
                            });
                        }
                    };
                    element.text.push_str(&resolved);
                }
            }
            Event::CData(data) => {
                if let Some(element) = stack.last_mut() {
                    element.text.push_str(&data.xml10_content());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.first() {
        return Err(ImportError::Xml {
            pos: open.pos,
            message: format!("element `{}` is never closed", open.name),
        });
    }
    root.ok_or(ImportError::Xml {
        pos: Pos { line: 1, col: 1 },
        message: "the file holds no XML element".to_string(),
    })
}
