//! `config.toml` in the platform's config folder: keys, colours, display.
//!
//! A broken config never stops the app: each problem becomes a warning in
//! the status line and the default stays in force.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use toml_edit::{DocumentMut, Item};

use crate::keymap::{Command, Key, Keymap};
use crate::theme::{Capabilities, Glyphs, Theme};

/// Everything the config file can change.
#[derive(Debug, Clone)]
pub struct Config {
    pub keymap: Keymap,
    pub theme: Theme,
    pub mouse: bool,
    /// Problems found in the file, shown once the app is up.
    pub warnings: Vec<String>,
}

impl Config {
    pub fn defaults(capabilities: Capabilities) -> Config {
        Config {
            keymap: Keymap::default(),
            theme: Theme::for_capabilities(capabilities),
            mouse: true,
            warnings: Vec::new(),
        }
    }

    /// The largest config file read: a config holds a few settings.
    const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

    /// `$GANTRY_CONFIG`, else `config.toml` in the platform's config folder.
    pub fn path() -> Option<PathBuf> {
        if let Some(path) = std::env::var_os("GANTRY_CONFIG") {
            return Some(PathBuf::from(path));
        }
        directories::ProjectDirs::from("", "", "gantry")
            .map(|dirs| dirs.config_dir().join("config.toml"))
    }

    /// Reads the config file if there is one.
    pub fn load(capabilities: Capabilities) -> Config {
        let mut config = Config::defaults(capabilities);
        let Some(path) = Config::path() else {
            return config;
        };
        // Only a regular file of a sensible size: a FIFO or `/dev/zero`
        // named by `$GANTRY_CONFIG` is refused, not read forever.
        let text = crate::store::read_regular(&path, Config::MAX_CONFIG_BYTES).and_then(|bytes| {
            String::from_utf8(bytes).map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not UTF-8 text")
            })
        });
        match text {
            Ok(text) => config.apply(&path, &text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => config.warnings.push(format!(
                "cannot read {}: {error}; using the defaults",
                path.display()
            )),
        }
        config
    }

    /// Applies the settings in `text` over the current ones.
    pub fn apply(&mut self, path: &Path, text: &str) {
        let document = match DocumentMut::from_str(text) {
            Ok(document) => document,
            Err(error) => {
                self.warnings.push(format!(
                    "{}: {}; using the defaults",
                    path.display(),
                    error.message().trim()
                ));
                return;
            }
        };
        let name = path.display();
        if let Some(display) = document.get("display").and_then(Item::as_table_like) {
            if let Some(ascii) = display.get("ascii").and_then(Item::as_bool)
                && ascii
            {
                self.theme.glyphs = Glyphs::ASCII;
            }
            if let Some(mouse) = display.get("mouse").and_then(Item::as_bool) {
                self.mouse = mouse;
            }
        }
        if let Some(keys) = document.get("keys").and_then(Item::as_table_like) {
            for (command_name, item) in keys.iter() {
                let Some(command) = Command::from_name(command_name) else {
                    self.warnings.push(format!(
                        "{name}: [keys] has no command `{command_name}`{}",
                        crate::diagnostic::suggestion(
                            command_name,
                            Command::ALL.iter().map(|(_, n, _)| *n)
                        )
                    ));
                    continue;
                };
                let texts: Vec<&str> = match item {
                    Item::Value(toml_edit::Value::String(text)) => vec![text.value().as_str()],
                    Item::Value(toml_edit::Value::Array(array)) => {
                        array.iter().filter_map(|v| v.as_str()).collect()
                    }
                    _ => {
                        self.warnings
                            .push(format!("{name}: [keys] {command_name} must be a key like \"q\" or a list of keys"));
                        continue;
                    }
                };
                let keys: Vec<Key> = texts
                    .iter()
                    .filter_map(|text| {
                        let key = Key::parse(text);
                        if key.is_none() {
                            self.warnings.push(format!(
                                "{name}: `{text}` is not a key (try \"x\", \"ctrl-x\", \"f2\")"
                            ));
                        }
                        key
                    })
                    .collect();
                if !keys.is_empty() {
                    self.keymap.unbind_all(command);
                    for key in keys {
                        self.keymap.bind(key, command);
                    }
                }
            }
        }
        if let Some(colors) = document.get("colors").and_then(Item::as_table_like) {
            for (style_name, item) in colors.iter() {
                let Some(spec) = item.as_table_like() else {
                    self.warnings
                        .push(format!("{name}: [colors] {style_name} must be a table like {{ fg = \"yellow\", bold = true }}"));
                    continue;
                };
                match parse_style(spec) {
                    Ok(style) => match self.theme.style_mut(style_name) {
                        Some(slot) => *slot = style,
                        None => self.warnings.push(format!(
                            "{name}: [colors] has no style `{style_name}`{}",
                            crate::diagnostic::suggestion(
                                style_name,
                                Theme::STYLE_NAMES.iter().copied()
                            )
                        )),
                    },
                    Err(message) => self
                        .warnings
                        .push(format!("{name}: [colors] {style_name}: {message}")),
                }
            }
        }
    }
}

fn parse_style(spec: &dyn toml_edit::TableLike) -> Result<Style, String> {
    let mut style = Style::new();
    let color = |key: &str| -> Result<Option<Color>, String> {
        match spec.get(key).and_then(Item::as_str) {
            Some(text) => Color::from_str(text).map(Some).map_err(|_| {
                format!("`{text}` is not a colour (a name like \"yellow\", \"#rrggbb\" or 0–255)")
            }),
            None => Ok(None),
        }
    };
    if let Some(fg) = color("fg")? {
        style = style.fg(fg);
    }
    if let Some(bg) = color("bg")? {
        style = style.bg(bg);
    }
    for (key, modifier) in [
        ("bold", Modifier::BOLD),
        ("dim", Modifier::DIM),
        ("italic", Modifier::ITALIC),
        ("underline", Modifier::UNDERLINED),
        ("reverse", Modifier::REVERSED),
    ] {
        if spec.get(key).and_then(Item::as_bool) == Some(true) {
            style = style.add_modifier(modifier);
        }
    }
    Ok(style)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::ColorSupport;

    fn config() -> Config {
        Config::defaults(Capabilities {
            color: ColorSupport::Ansi16,
            unicode: true,
        })
    }

    #[test]
    fn keys_and_colours_are_overridden() {
        let mut config = config();
        config.apply(
            Path::new("config.toml"),
            "[keys]\nquit = [\"Q\", \"ctrl-q\"]\nsave = \"ctrl-w\"\n[colors]\nselected = { fg = \"black\", bg = \"yellow\", bold = true }\n[display]\nascii = true\nmouse = false\n",
        );
        assert!(config.warnings.is_empty(), "{:?}", config.warnings);
        assert_eq!(config.keymap.command(Key::char('Q')), Some(Command::Quit));
        assert_eq!(config.keymap.command(Key::ctrl('q')), Some(Command::Quit));
        assert_eq!(config.keymap.command(Key::char('q')), None);
        assert_eq!(config.keymap.command(Key::ctrl('w')), Some(Command::Save));
        assert_eq!(
            config.theme.selected,
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        );
        assert_eq!(config.theme.glyphs, Glyphs::ASCII);
        assert!(!config.mouse);
    }

    #[test]
    fn mistakes_become_warnings_and_keep_defaults() {
        let mut config = config();
        config.apply(
            Path::new("c.toml"),
            "[keys]\nquitt = \"x\"\nsave = \"nonsense\"\n[colors]\nselectd = { fg = \"red\" }\nbase = { fg = \"nocolour\" }\n",
        );
        assert_eq!(config.warnings.len(), 4, "{:?}", config.warnings);
        assert!(config.warnings[0].contains("did you mean `quit`"));
        assert_eq!(config.keymap.command(Key::ctrl('s')), Some(Command::Save));
        let mut broken = self::config();
        broken.apply(Path::new("c.toml"), "[keys\n");
        assert_eq!(broken.warnings.len(), 1);
    }
}
