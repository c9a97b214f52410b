//! Colours and glyphs. Colour never carries meaning alone: every state has
//! a glyph too, and the mono theme (for `NO_COLOR`) uses bold, reverse and
//! underline instead.

use ratatui::style::{Color, Modifier, Style};

/// What the terminal can show, read once from the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    pub color: ColorSupport,
    pub unicode: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorSupport {
    /// `NO_COLOR` is set: attributes only.
    None,
    /// The 16 ANSI colours every terminal has.
    Ansi16,
    /// 24-bit colour, advertised by `COLORTERM`.
    TrueColor,
}

impl Capabilities {
    /// Reads `NO_COLOR`, `COLORTERM` and the locale variables.
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let color = if var("NO_COLOR").is_some_and(|value| !value.is_empty()) {
            ColorSupport::None
        } else if var("COLORTERM").is_some_and(|value| value == "truecolor" || value == "24bit") {
            ColorSupport::TrueColor
        } else {
            ColorSupport::Ansi16
        };
        // The first of these that is set decides, as the C library does.
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .find_map(|name| var(name).filter(|value| !value.is_empty()))
            .unwrap_or_default()
            .to_ascii_lowercase();
        let unicode = locale.contains("utf-8") || locale.contains("utf8");
        Capabilities { color, unicode }
    }
}

/// The characters that draw the chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyphs {
    pub done: char,
    pub planned: char,
    pub milestone: char,
    pub critical: char,
    pub blocked: char,
    pub baseline: char,
    pub today: char,
    pub status_date: char,
    pub weekend: char,
    pub collapsed: char,
    pub expanded: char,
    pub predecessor: char,
    pub successor: char,
    pub ellipsis: char,
    pub linked_risk: char,
}

impl Glyphs {
    pub const UNICODE: Glyphs = Glyphs {
        done: '█',
        planned: '░',
        milestone: '◆',
        critical: '!',
        blocked: '✖',
        baseline: '┄',
        today: '│',
        status_date: '┆',
        weekend: '·',
        collapsed: '▸',
        expanded: '▾',
        predecessor: '←',
        successor: '→',
        ellipsis: '…',
        linked_risk: '⚑',
    };

    pub const ASCII: Glyphs = Glyphs {
        done: '#',
        planned: '=',
        milestone: '*',
        critical: '!',
        blocked: 'X',
        baseline: '-',
        today: '|',
        status_date: ':',
        weekend: '.',
        collapsed: '+',
        expanded: '-',
        predecessor: '<',
        successor: '>',
        ellipsis: '~',
        linked_risk: 'R',
    };
}

/// Every style the app draws with.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub glyphs: Glyphs,
    pub base: Style,
    pub dim: Style,
    pub title: Style,
    pub pane_active: Style,
    pub pane_inactive: Style,
    pub status_bar: Style,
    pub selected: Style,
    pub phase: Style,
    pub bar_done: Style,
    pub bar_planned: Style,
    pub bar_critical: Style,
    pub milestone: Style,
    pub blocked: Style,
    pub baseline: Style,
    pub slip: Style,
    pub today: Style,
    pub status_date: Style,
    pub weekend: Style,
    pub related: Style,
    pub error: Style,
    pub warning: Style,
    pub info: Style,
    pub key: Style,
    pub banner: Style,
    pub input: Style,
}

impl Theme {
    pub fn for_capabilities(capabilities: Capabilities) -> Theme {
        let glyphs = if capabilities.unicode {
            Glyphs::UNICODE
        } else {
            Glyphs::ASCII
        };
        match capabilities.color {
            ColorSupport::None => Theme::mono(glyphs),
            ColorSupport::Ansi16 => Theme::colored(glyphs, &ANSI16),
            ColorSupport::TrueColor => Theme::colored(glyphs, &TRUE_COLOR),
        }
    }

    /// Attributes only: bold, reverse, underline, dim.
    pub fn mono(glyphs: Glyphs) -> Theme {
        let plain = Style::new();
        let bold = plain.add_modifier(Modifier::BOLD);
        let reverse = plain.add_modifier(Modifier::REVERSED);
        Theme {
            glyphs,
            base: plain,
            dim: plain.add_modifier(Modifier::DIM),
            title: bold,
            pane_active: reverse.add_modifier(Modifier::BOLD),
            pane_inactive: plain,
            status_bar: reverse,
            selected: reverse,
            phase: bold,
            bar_done: plain,
            bar_planned: plain,
            bar_critical: bold,
            milestone: bold,
            blocked: bold.add_modifier(Modifier::UNDERLINED),
            baseline: plain.add_modifier(Modifier::DIM),
            slip: bold,
            today: bold,
            status_date: plain,
            weekend: plain.add_modifier(Modifier::DIM),
            related: plain.add_modifier(Modifier::UNDERLINED),
            error: bold,
            warning: bold,
            info: plain,
            key: bold,
            banner: reverse.add_modifier(Modifier::BOLD),
            input: plain.add_modifier(Modifier::UNDERLINED),
        }
    }

    fn colored(glyphs: Glyphs, palette: &Palette) -> Theme {
        let plain = Style::new();
        let bold = plain.add_modifier(Modifier::BOLD);
        Theme {
            glyphs,
            base: plain,
            dim: plain.fg(palette.muted),
            title: bold.fg(palette.accent),
            pane_active: bold.fg(palette.on_accent).bg(palette.accent),
            pane_inactive: plain.fg(palette.muted),
            status_bar: plain.fg(palette.on_bar).bg(palette.bar),
            selected: plain.add_modifier(Modifier::REVERSED),
            phase: bold.fg(palette.accent),
            bar_done: plain.fg(palette.done),
            bar_planned: plain.fg(palette.planned),
            bar_critical: plain.fg(palette.critical),
            milestone: bold.fg(palette.milestone),
            blocked: bold.fg(palette.critical),
            baseline: plain.fg(palette.muted),
            slip: bold.fg(palette.warning),
            today: plain.fg(palette.today),
            status_date: plain.fg(palette.accent),
            weekend: plain.fg(palette.muted),
            related: plain.fg(palette.related).add_modifier(Modifier::UNDERLINED),
            error: bold.fg(palette.critical),
            warning: bold.fg(palette.warning),
            info: plain.fg(palette.done),
            key: bold.fg(palette.accent),
            banner: bold.fg(palette.on_accent).bg(palette.warning),
            input: plain.add_modifier(Modifier::UNDERLINED),
        }
    }

    /// A named style, for the `[colors]` table of the config file.
    pub fn style_mut(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "base" => &mut self.base,
            "dim" => &mut self.dim,
            "title" => &mut self.title,
            "pane_active" => &mut self.pane_active,
            "pane_inactive" => &mut self.pane_inactive,
            "status_bar" => &mut self.status_bar,
            "selected" => &mut self.selected,
            "phase" => &mut self.phase,
            "bar_done" => &mut self.bar_done,
            "bar_planned" => &mut self.bar_planned,
            "bar_critical" => &mut self.bar_critical,
            "milestone" => &mut self.milestone,
            "blocked" => &mut self.blocked,
            "baseline" => &mut self.baseline,
            "slip" => &mut self.slip,
            "today" => &mut self.today,
            "status_date" => &mut self.status_date,
            "weekend" => &mut self.weekend,
            "related" => &mut self.related,
            "error" => &mut self.error,
            "warning" => &mut self.warning,
            "info" => &mut self.info,
            "key" => &mut self.key,
            "banner" => &mut self.banner,
            "input" => &mut self.input,
            _ => return None,
        })
    }

    pub const STYLE_NAMES: &'static [&'static str] = &[
        "base",
        "dim",
        "title",
        "pane_active",
        "pane_inactive",
        "status_bar",
        "selected",
        "phase",
        "bar_done",
        "bar_planned",
        "bar_critical",
        "milestone",
        "blocked",
        "baseline",
        "slip",
        "today",
        "status_date",
        "weekend",
        "related",
        "error",
        "warning",
        "info",
        "key",
        "banner",
        "input",
    ];
}

struct Palette {
    accent: Color,
    on_accent: Color,
    muted: Color,
    bar: Color,
    on_bar: Color,
    done: Color,
    planned: Color,
    critical: Color,
    milestone: Color,
    warning: Color,
    today: Color,
    related: Color,
}

const ANSI16: Palette = Palette {
    accent: Color::Cyan,
    on_accent: Color::Black,
    muted: Color::DarkGray,
    bar: Color::Blue,
    on_bar: Color::White,
    done: Color::Green,
    planned: Color::Blue,
    critical: Color::Red,
    milestone: Color::Magenta,
    warning: Color::Yellow,
    today: Color::Yellow,
    related: Color::Cyan,
};

const TRUE_COLOR: Palette = Palette {
    accent: Color::Rgb(0x5f, 0xaf, 0xd7),
    on_accent: Color::Rgb(0x10, 0x14, 0x1a),
    muted: Color::Rgb(0x6c, 0x70, 0x86),
    bar: Color::Rgb(0x2a, 0x31, 0x45),
    on_bar: Color::Rgb(0xe0, 0xe4, 0xf0),
    done: Color::Rgb(0x7f, 0xc8, 0x7a),
    planned: Color::Rgb(0x6f, 0x9b, 0xe8),
    critical: Color::Rgb(0xe8, 0x6b, 0x6b),
    milestone: Color::Rgb(0xc5, 0x8a, 0xf0),
    warning: Color::Rgb(0xf0, 0xc0, 0x5a),
    today: Color::Rgb(0xf0, 0xc0, 0x5a),
    related: Color::Rgb(0x5f, 0xd7, 0xd7),
};

#[cfg(test)]
mod tests {
    use super::*;

    fn vars<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn no_color_wins_and_locale_decides_glyphs() {
        let caps = Capabilities::from_vars(vars(&[
            ("NO_COLOR", "1"),
            ("COLORTERM", "truecolor"),
            ("LANG", "en_US.UTF-8"),
        ]));
        assert_eq!(
            caps,
            Capabilities {
                color: ColorSupport::None,
                unicode: true
            }
        );
        let caps = Capabilities::from_vars(vars(&[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")]));
        assert_eq!(
            caps,
            Capabilities {
                color: ColorSupport::Ansi16,
                unicode: false
            }
        );
        let caps =
            Capabilities::from_vars(vars(&[("COLORTERM", "24bit"), ("LC_CTYPE", "de_DE.utf8")]));
        assert_eq!(
            caps,
            Capabilities {
                color: ColorSupport::TrueColor,
                unicode: true
            }
        );
    }

    #[test]
    fn the_mono_theme_uses_no_colour() {
        let theme = Theme::mono(Glyphs::ASCII);
        for name in Theme::STYLE_NAMES {
            let mut theme = theme.clone();
            let style = theme.style_mut(name).unwrap();
            assert_eq!(style.fg, None, "{name}");
            assert_eq!(style.bg, None, "{name}");
        }
    }
}
