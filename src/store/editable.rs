//! The editable document of a plan file: ready, or still being parsed on
//! a thread of its own while the app already shows the plan.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use toml_edit::DocumentMut;

type Parsed = Result<DocumentMut, String>;

/// A `DocumentMut`, perhaps not parsed yet. Asking for it waits for the
/// parse, so an edit can never be applied to a document that is not there,
/// nor twice.
pub struct Editable {
    ready: OnceLock<Parsed>,
    building: Mutex<Option<JoinHandle<Parsed>>>,
    /// The text being parsed, to parse it here should the thread fail.
    text: Option<Arc<str>>,
}

impl std::fmt::Debug for Editable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Editable")
            .field("ready", &self.is_ready())
            .finish_non_exhaustive()
    }
}

/// How long the tests make the parse take longer, to act on the plan
/// before its document is there (`GANTRY_TEST_DOCUMENT_DELAY_MS`).
fn test_delay() -> Option<Duration> {
    let millis = std::env::var("GANTRY_TEST_DOCUMENT_DELAY_MS").ok()?;
    millis.parse().ok().map(Duration::from_millis)
}

fn parse(text: &str) -> Parsed {
    text.parse::<DocumentMut>()
        .map_err(|error| error.message().trim().to_owned())
}

impl Editable {
    pub fn ready(document: DocumentMut) -> Editable {
        Editable {
            ready: OnceLock::from(Ok(document)),
            building: Mutex::new(None),
            text: None,
        }
    }

    /// Starts parsing `text` on a thread of its own.
    pub fn build(text: &str) -> Editable {
        let text: Arc<str> = Arc::from(text);
        let shared = Arc::clone(&text);
        let handle = std::thread::Builder::new()
            .name("document".to_owned())
            .spawn(move || {
                if let Some(delay) = test_delay() {
                    std::thread::sleep(delay);
                }
                parse(&shared)
            })
            .ok();
        Editable {
            ready: OnceLock::new(),
            building: Mutex::new(handle),
            text: Some(text),
        }
    }

    /// Whether asking for the document would return at once.
    pub fn is_ready(&self) -> bool {
        self.ready.get().is_some()
            || self
                .building
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .as_ref()
                .is_none_or(JoinHandle::is_finished)
    }

    /// Waits at most `timeout` for the document; whether it is ready.
    pub fn wait(&self, timeout: Duration) -> bool {
        let start = Instant::now();
        while !self.is_ready() {
            if start.elapsed() >= timeout {
                return false;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        true
    }

    /// The document, waiting for it if need be; an error if the text does
    /// not parse as `toml_edit` reads it.
    pub fn get(&self) -> Result<&DocumentMut, &str> {
        self.ready
            .get_or_init(|| {
                let handle = self
                    .building
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .take();
                match handle.map(JoinHandle::join) {
                    Some(Ok(parsed)) => parsed,
                    // The thread could not start or did not finish: parse here.
                    _ => match &self.text {
                        Some(text) => parse(text),
                        None => Err("the plan's document was lost".to_owned()),
                    },
                }
            })
            .as_ref()
            .map_err(String::as_str)
    }

    pub fn get_mut(&mut self) -> Result<&mut DocumentMut, String> {
        self.get().map_err(str::to_owned)?;
        match self.ready.get_mut() {
            Some(Ok(document)) => Ok(document),
            Some(Err(error)) => Err(error.clone()),
            None => Err("the plan's document is not ready".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_built_aside_is_the_one_parsed_here() {
        let text = "[project]\nname = \"x\" # kept\n";
        let mut editable = Editable::build(text);
        assert!(editable.wait(Duration::from_secs(10)));
        assert_eq!(editable.get().map(ToString::to_string), Ok(text.to_owned()));
        editable.get_mut().unwrap()["project"]["name"] = toml_edit::value("y");
        assert!(editable.get().unwrap().to_string().contains("\"y\""));
    }

    #[test]
    fn a_text_that_does_not_parse_is_an_error_not_a_panic() {
        let mut editable = Editable::build("a = \n");
        assert!(editable.get().is_err());
        assert!(editable.get_mut().is_err());
    }
}
