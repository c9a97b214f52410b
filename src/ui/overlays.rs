//! What draws over a pane: help, the task form, questions and the banner
//! for a file changed on disk.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Widget};
use unicode_width::UnicodeWidthStr;

use crate::app::{App, Confirm, Mode, TaskForm};
use crate::sanitize::for_terminal;

use super::fit_with;

pub fn render(buffer: &mut Buffer, area: Rect, app: &App) {
    match &app.mode {
        Mode::Help { scroll } => help(buffer, area, app, *scroll),
        Mode::Form(form) => task_form(buffer, area, app, form),
        Mode::RiskForm(form) => risk_form(buffer, area, app, form),
        Mode::RecordForm(form) => record_form(buffer, area, app, form),
        Mode::TimeLog { task, selected } => time_log(buffer, area, app, task, *selected),
        Mode::Confirm(confirm) => question(buffer, area, app, confirm),
        Mode::Problems { selected } => problems(buffer, area, app, *selected),
        Mode::Trend { scroll } => super::trend::render(buffer, area, app, *scroll),
        Mode::Conflicts { selected } => conflicts(buffer, area, app, *selected),
        Mode::Notice { title, lines, .. } => notice(buffer, area, app, title, lines),
        Mode::Plan(dialog) => super::plan::dialog(buffer, area, app, dialog),
        _ => {}
    }
}

/// A bordered box of `width` x `height` centred in `area`, cleared.
pub(super) fn dialog(
    buffer: &mut Buffer,
    area: Rect,
    app: &App,
    width: u16,
    height: u16,
    title: &str,
) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height.saturating_sub(2));
    let outer = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + 1 + (area.height.saturating_sub(2) - height) / 2,
        width,
        height,
    );
    Clear.render(outer, buffer);
    let theme = &app.config.theme;
    let border = if theme.glyphs.done.is_ascii() {
        ratatui::symbols::border::Set {
            top_left: "+",
            top_right: "+",
            bottom_left: "+",
            bottom_right: "+",
            vertical_left: "|",
            vertical_right: "|",
            horizontal_top: "-",
            horizontal_bottom: "-",
        }
    } else {
        ratatui::symbols::border::PLAIN
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(border)
        .border_style(theme.title)
        .title(format!(" {title} "))
        .title_style(theme.title)
        .style(theme.base);
    let inner = block.inner(outer);
    block.render(outer, buffer);
    inner
}

/// The help's lines: a heading (no key), or keys and what they do.
pub fn help_lines(app: &App) -> Vec<(Option<String>, String)> {
    let glyphs = app.config.theme.glyphs;
    let ascii = glyphs.done.is_ascii();
    let done_mark = if ascii { "v" } else { "✓" };
    let phase_span = if ascii { "-" } else { "▔" };
    let mut lines: Vec<(Option<String>, String)> = Vec::new();
    for (title, entries) in app.config.keymap.help_sections() {
        lines.push((None, title.to_owned()));
        for (keys, text) in entries {
            lines.push((Some(keys), text.to_owned()));
        }
        if title == "Dashboard pane" {
            lines.push((
                Some("ok watch act".to_owned()),
                "ok needs nothing, watch is drifting, act needs a decision now".to_owned(),
            ));
        }
    }
    lines.push((None, "Forms and prompts".to_owned()));
    for (keys, text) in [
        ("Tab, Down / Up", "next / previous field"),
        ("Enter", "save (the prompt says what it does)"),
        ("Esc", "cancel"),
    ] {
        lines.push((Some(keys.to_owned()), text.to_owned()));
    }
    lines.push((None, "The command line".to_owned()));
    for (keys, text) in [
        (":w  :q  :q!  :wq", "save, quit, quit without saving, both"),
        (":e!", "reload the file, dropping unsaved changes"),
        (
            ":baseline [NAME]",
            "record every task's dates as the baseline",
        ),
        (":compare [NAME]", "compare with that baseline"),
        (":goto ID", "jump to a task"),
        (
            ":filter ...",
            "phase=ID owner=ID status=S critical TEXT (alone: clear)",
        ),
        (":problems", "list the plan's problems"),
        (":history", "milestone trend over the plan's git history"),
        (":conflicts", "the merge conflicts"),
        (":zoom day|week|month", "set the time scale"),
        (":w PATH", "save a copy elsewhere and continue there"),
        (
            ":export FORMAT PATH",
            "write mermaid, csv, ics, json, tjp, mspdi",
        ),
        (
            ":report PATH",
            "write the weekly report (.html: a web page)",
        ),
    ] {
        lines.push((Some(keys.to_owned()), text.to_owned()));
    }
    lines.push((None, "What the Gantt draws".to_owned()));
    let glyph = |c: char| c.to_string();
    for (keys, text) in [
        (glyph(glyphs.done), "done part of a bar"),
        (glyph(glyphs.planned), "planned part of a bar"),
        (glyph(glyphs.milestone), "milestone"),
        (
            glyph(glyphs.baseline),
            "baseline (the bar drawn over it: the slip)",
        ),
        (
            "+3d".to_owned(),
            "finish slipped 3 working days past the baseline",
        ),
        (
            glyph(glyphs.critical),
            "on the critical path (in a row's first column)",
        ),
        (glyph(glyphs.blocked), "blocked"),
        (
            glyph(glyphs.predecessor),
            "the selected task depends on this one",
        ),
        (
            glyph(glyphs.successor),
            "this one depends on the selected task",
        ),
        (done_mark.to_owned(), "done"),
        (glyph(glyphs.linked_risk), "linked to a risk"),
        (glyph(glyphs.today), "today"),
        (glyph(glyphs.status_date), "the status date"),
        (glyph(glyphs.weekend), "a non-working day"),
        (
            format!("{} {}", glyphs.expanded, glyphs.collapsed),
            "an open / a folded phase (z folds)",
        ),
        (phase_span.to_owned(), "a phase's span"),
        (glyph(glyphs.ellipsis), "text cut to fit"),
    ] {
        lines.push((Some(keys), text.to_owned()));
    }
    lines
}

fn help(buffer: &mut Buffer, area: Rect, app: &App, scroll: usize) {
    let theme = &app.config.theme;
    let ellipsis = theme.glyphs.ellipsis;
    let width = area.width.saturating_sub(4).min(76);
    let height = area.height.saturating_sub(2);
    let inner = dialog(
        buffer,
        area,
        app,
        width,
        height,
        "Help (j/k, PgDn/PgUp scroll; any other key closes)",
    );
    let key_width = 18usize.min(inner.width as usize / 2);
    let lines = help_lines(app);
    let scroll = scroll.min(lines.len().saturating_sub(1));
    for (y, (keys, text)) in (inner.y..inner.y + inner.height).zip(lines.iter().skip(scroll)) {
        match keys {
            None => {
                buffer.set_string(
                    inner.x,
                    y,
                    fit_with(text, inner.width as usize, ellipsis),
                    theme.title,
                );
            }
            Some(keys) => {
                buffer.set_string(inner.x, y, fit_with(keys, key_width, ellipsis), theme.key);
                let room = (inner.width as usize).saturating_sub(key_width + 1);
                buffer.set_string(
                    inner.x + key_width as u16 + 1,
                    y,
                    fit_with(text, room, ellipsis),
                    theme.base,
                );
            }
        }
    }
}

fn task_form(buffer: &mut Buffer, area: Rect, app: &App, form: &TaskForm) {
    let mut rows: Vec<FormRow> = form
        .fields
        .iter()
        .map(|field| FormRow {
            label: field.field.key(),
            input: &field.input,
            error: field.message(),
        })
        .collect();
    rows.push(FormRow {
        label: "id",
        input: &form.id.input,
        error: form.id.message(),
    });
    let (message, help) = if form.on_id() {
        (
            form.id.message(),
            match form.renames.as_deref() {
                Some(note) => for_terminal(note),
                None => "letters, digits, '-', '_' and '.'; what names the task by its old id is renamed with it".into(),
            },
        )
    } else {
        let focused = form.focused();
        (focused.message(), field_help(focused.field).into())
    };
    let footer = match message {
        Some(error) => (for_terminal(error).into_owned(), true),
        None if !form.suggestions.is_empty() => (
            format!("Tab completes: {}", form.suggestions.join("  ")),
            false,
        ),
        None => (help.into_owned(), false),
    };
    let title = format!(
        "Edit task {} (Tab next, Enter save, Esc cancel)",
        for_terminal(&form.task)
    );
    draw_form(buffer, area, app, &title, &rows, form.focus, footer);
}

fn field_help(field: crate::store::TaskField) -> &'static str {
    use crate::store::TaskField::*;
    match field {
        Name => "what the task is called",
        Phase => "the id of a phase; empty for none",
        Owner => "the id of a person; empty for none",
        Duration => "whole working days; 0 makes a milestone",
        Estimate => "planned effort in hours",
        Depends => "ids, comma-separated; id:ss, id:ff and +N/-N lags",
        Start => "start no earlier than YYYY-MM-DD; empty for none",
        Status => "todo, doing, done or blocked",
        Progress => "percent complete, 0 to 100",
        Blocker => "why the task is blocked",
        Milestone | BlockedSince | Notes => "",
    }
}

fn split_at_width(text: &str, width: usize) -> (String, String) {
    if text.width() <= width {
        return (text.to_owned(), String::new());
    }
    let mut used = 0;
    let mut cut = 0;
    for (index, c) in text.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        cut = index + c.len_utf8();
    }
    // Prefer to break at a space.
    let head = &text[..cut];
    let cut = match head.rfind(' ') {
        Some(space) if space > cut / 2 => space,
        _ => cut,
    };
    (text[..cut].to_owned(), text[cut..].trim_start().to_owned())
}

fn question(buffer: &mut Buffer, area: Rect, app: &App, confirm: &Confirm) {
    let (title, lines): (&str, Vec<String>) = match confirm {
        Confirm::Delete { task } => {
            let dependents = app.dependents_of(task);
            let task = for_terminal(task).into_owned();
            let lines = if dependents.is_empty() {
                vec![
                    format!("Delete task {task}?"),
                    "No task depends on it.".to_owned(),
                    "y delete   n keep".to_owned(),
                ]
            } else {
                vec![
                    format!("Delete task {task}?"),
                    format!(
                        "{} depend(s) on it: y also removes those links,",
                        for_terminal(&dependents.join(", "))
                    ),
                    "all in one step that u takes back.".to_owned(),
                    "y delete with the links   n keep".to_owned(),
                ]
            };
            ("Delete task", lines)
        }
        Confirm::DeleteRisk { risk } => (
            "Delete risk",
            vec![
                format!("Delete risk {risk}?"),
                "y delete   n keep".to_owned(),
            ],
        ),
        Confirm::QuitUnsaved => {
            let mut lines = Vec::new();
            if app.modified {
                lines.push("The plan has unsaved changes.".to_owned());
            }
            let drafts = app.unsaved_drafts();
            if !drafts.is_empty() {
                let weeks: Vec<String> = drafts.iter().map(|d| d.week.to_string()).collect();
                lines.push(format!(
                    "The check-in draft of the week of {} is not recorded.",
                    weeks.join(", ")
                ));
                lines.push("s records it, saves and quits".to_owned());
            }
            lines.push("s save and quit   d discard and quit   n stay".to_owned());
            ("Unsaved changes", lines)
        }
        Confirm::Recovery { recovery, changed } => {
            let path = for_terminal(&recovery.path.display().to_string()).into_owned();
            let plan = for_terminal(&app.file.path.display().to_string()).into_owned();
            let lines = if recovery.base.is_none() {
                vec![
                    "An earlier session (of an older gantry) ended with".to_owned(),
                    format!("unsaved changes: {path}"),
                    "Restoring puts its text in place of the plan's.".to_owned(),
                    "r restore them   d discard them".to_owned(),
                ]
            } else if *changed {
                vec![
                    "An earlier session ended with unsaved changes, and".to_owned(),
                    format!("{plan} has changed on disk since."),
                    "r restores them on top of the file as it is now.".to_owned(),
                    "r restore them   d discard them".to_owned(),
                ]
            } else {
                vec![
                    "An earlier session ended with unsaved changes:".to_owned(),
                    path,
                    "r restore them   d discard them".to_owned(),
                ]
            };
            ("Recovered changes", lines)
        }
        Confirm::RecoveryConflict { conflicts, .. } => {
            let mut lines = vec![
                "Your recovered changes conflict with changes made".to_owned(),
                "on disk since:".to_owned(),
            ];
            const SHOWN: usize = 4;
            lines.extend(
                conflicts
                    .iter()
                    .take(SHOWN)
                    .map(|conflict| format!("  {}", for_terminal(conflict))),
            );
            if conflicts.len() > SHOWN {
                lines.push(format!("  and {} more", conflicts.len() - SHOWN));
            }
            lines.push("m restore both, conflicts marked in the plan".to_owned());
            lines.push(
                "r drop mine  o overwrite with mine  s save mine elsewhere  n later".to_owned(),
            );
            ("Recovered changes conflict", lines)
        }
        Confirm::Conflict => {
            conflict_banner(buffer, area, app);
            return;
        }
        Confirm::Deleted => ("Deleted on disk", app.deleted_question().to_vec()),
    };
    question_box(buffer, area, app, title, title.len() as u16 + 6, &lines);
}

/// A question in a box as wide as its longest line (and at least
/// `min_width`): its lines, the last one (the keys to press) in the key
/// style.
pub(super) fn question_box(
    buffer: &mut Buffer,
    area: Rect,
    app: &App,
    title: &str,
    min_width: u16,
    lines: &[String],
) {
    let theme = &app.config.theme;
    let width = lines.iter().map(|l| l.width()).max().unwrap_or(20) as u16 + 4;
    let inner = dialog(
        buffer,
        area,
        app,
        width.max(min_width),
        lines.len() as u16 + 2,
        title,
    );
    for (row, line) in lines.iter().enumerate() {
        let style = if row + 1 == lines.len() {
            theme.key
        } else {
            theme.base
        };
        buffer.set_string(
            inner.x + 1,
            inner.y + row as u16,
            fit_with(
                line,
                inner.width.saturating_sub(1) as usize,
                theme.glyphs.ellipsis,
            ),
            style,
        );
    }
}

/// Two lines across the top of the pane: the file changed under us.
fn conflict_banner(buffer: &mut Buffer, area: Rect, app: &App) {
    let theme = &app.config.theme;
    let ellipsis = theme.glyphs.ellipsis;
    let lines = [
        format!(" {} changed on disk, and you have unsaved changes.", for_terminal(&app.file.path.display().to_string())),
        " r reload theirs (drop mine)   o overwrite with mine   s save mine elsewhere   n decide later".to_owned(),
    ];
    for (row, line) in lines.iter().enumerate() {
        let y = area.y + 1 + row as u16;
        let rect = Rect::new(area.x, y, area.width, 1);
        Clear.render(rect, buffer);
        buffer.set_style(rect, theme.banner);
        buffer.set_string(
            area.x,
            y,
            fit_with(line, area.width as usize, ellipsis),
            theme.banner,
        );
    }
}

fn problems(buffer: &mut Buffer, area: Rect, app: &App, selected: usize) {
    let theme = &app.config.theme;
    let ellipsis = theme.glyphs.ellipsis;
    let diagnostics = &app.file.diagnostics;
    let title = format!(
        "{} problem(s): j/k choose, Enter jump, Esc close",
        diagnostics.len()
    );
    let height = (diagnostics.len() as u16 + 2)
        .min(area.height.saturating_sub(4))
        .max(4);
    let inner = dialog(
        buffer,
        area,
        app,
        area.width.saturating_sub(4).min(100),
        height,
        &title,
    );
    let rows = inner.height as usize;
    let first = selected.saturating_sub(rows.saturating_sub(1));
    for (offset, diagnostic) in diagnostics.iter().enumerate().skip(first).take(rows) {
        let y = inner.y + (offset - first) as u16;
        let text = format!(
            "{}:{} {}: {}",
            diagnostic.pos.line,
            diagnostic.pos.col,
            diagnostic.severity.as_str(),
            for_terminal(&diagnostic.message)
        );
        let mut style = if diagnostic.is_error() {
            theme.error
        } else {
            theme.warning
        };
        if offset == selected {
            style = style.patch(theme.selected);
            buffer.set_style(Rect::new(inner.x, y, inner.width, 1), theme.selected);
        }
        buffer.set_string(
            inner.x,
            y,
            fit_with(&text, inner.width as usize, ellipsis),
            style,
        );
    }
}

/// The merge conflicts, two lines each: what, then every side's value.
fn conflicts(buffer: &mut Buffer, area: Rect, app: &App, selected: usize) {
    let theme = &app.config.theme;
    let ellipsis = theme.glyphs.ellipsis;
    let conflicts = &app.file.plan.conflicts;
    let title = format!(
        "{} merge conflict(s): o ours  t theirs  b base  u undo  Esc close",
        conflicts.len()
    );
    let height = (conflicts.len() as u16 * 2 + 2)
        .min(area.height.saturating_sub(4))
        .max(4);
    let inner = dialog(
        buffer,
        area,
        app,
        area.width.saturating_sub(4).min(100),
        height,
        &title,
    );
    let shown = (inner.height as usize / 2).max(1);
    let first = selected.saturating_sub(shown - 1);
    for (offset, conflict) in conflicts.iter().enumerate().skip(first).take(shown) {
        let y = inner.y + ((offset - first) * 2) as u16;
        let [base, ours, theirs] = conflict.values();
        let lines = [
            for_terminal(&conflict.subject()).into_owned(),
            format!("   ours {ours}   theirs {theirs}   base {base}"),
        ];
        for (row, line) in lines.iter().enumerate() {
            let y = y + row as u16;
            if y >= inner.y + inner.height {
                break;
            }
            let mut style = if row == 0 { theme.error } else { theme.base };
            if offset == selected {
                style = style.patch(theme.selected);
                buffer.set_style(Rect::new(inner.x, y, inner.width, 1), theme.selected);
            }
            buffer.set_string(
                inner.x,
                y,
                fit_with(line, inner.width as usize, ellipsis),
                style,
            );
        }
    }
}

fn risk_form(buffer: &mut Buffer, area: Rect, app: &App, form: &crate::app::RiskForm) {
    let rows: Vec<FormRow> = form
        .fields
        .iter()
        .map(|field| FormRow {
            label: field.field.key(),
            input: &field.input,
            error: field.message(),
        })
        .collect();
    let focused = &form.fields[form.focus];
    let footer = match &focused.error {
        Some(error) => (for_terminal(error).into_owned(), true),
        None => (crate::app::risk_field_help(focused.field).to_owned(), false),
    };
    let title = format!("Edit risk {} (Tab next, Enter save, Esc cancel)", form.risk);
    draw_form(buffer, area, app, &title, &rows, form.focus, footer);
}

fn record_form(buffer: &mut Buffer, area: Rect, app: &App, form: &crate::app::RecordForm) {
    let rows: Vec<FormRow> = form
        .fields
        .iter()
        .map(|field| FormRow {
            label: field.field,
            input: &field.input,
            error: field.error.as_deref(),
        })
        .collect();
    let focused = &form.fields[form.focus];
    let footer = match focused.error.as_deref().or(form.refused.as_deref()) {
        Some(error) => (for_terminal(error).into_owned(), true),
        None => (
            crate::app::record_field_help(focused.field).to_owned(),
            false,
        ),
    };
    draw_form(buffer, area, app, &form.title(), &rows, form.focus, footer);
}

/// The selected task's log entries, newest first.
fn time_log(buffer: &mut Buffer, area: Rect, app: &App, task: &str, selected: usize) {
    let theme = &app.config.theme;
    let ellipsis = theme.glyphs.ellipsis;
    let entries = app.task_log_entries(task);
    let plan = &app.file.plan;
    // A fold from 0.0: an empty `sum` of f64 is -0.0, shown as "-0 h".
    let logged = entries
        .iter()
        .fold(0.0, |total, &i| total + plan.log[i].hours);
    let estimate = plan
        .task(task)
        .and_then(|t| t.estimate)
        .map(|e| format!(" of {e} h estimated"))
        .unwrap_or_default();
    let title = format!(
        "Time log of {}: {logged} h{estimate} (Enter edit, a add, d delete, u undo, Esc close)",
        for_terminal(task)
    );
    let height = (entries.len().max(1) as u16 + 4).min(area.height.saturating_sub(4));
    let inner = dialog(
        buffer,
        area,
        app,
        area.width.saturating_sub(4).min(78),
        height,
        &title,
    );
    if entries.is_empty() {
        buffer.set_string(
            inner.x,
            inner.y,
            "No hours logged yet: a (or L) logs some.",
            theme.dim,
        );
        return;
    }
    let visible = inner.height as usize;
    let first = selected.saturating_sub(visible.saturating_sub(1));
    for (offset, &index) in entries.iter().enumerate().skip(first).take(visible) {
        let entry = &plan.log[index];
        let y = inner.y + (offset - first) as u16;
        let person = entry
            .person
            .as_ref()
            .map(|p| p.id.value.as_str())
            .unwrap_or("-");
        let text = format!(
            "{}  {:>5} h  {:<10}  {}",
            entry.date,
            entry.hours,
            for_terminal(person),
            for_terminal(entry.note.as_deref().unwrap_or(""))
        );
        let style = if offset == selected {
            theme.selected
        } else {
            theme.base
        };
        if offset == selected {
            buffer.set_style(Rect::new(inner.x, y, inner.width, 1), theme.selected);
        }
        buffer.set_string(
            inner.x,
            y,
            fit_with(&text, inner.width as usize, ellipsis),
            style,
        );
    }
}

/// Lines to read, each wrapped to the dialog's width.
fn notice(buffer: &mut Buffer, area: Rect, app: &App, title: &str, lines: &[String]) {
    let theme = &app.config.theme;
    let width = area.width.saturating_sub(4).min(78);
    let room = width.saturating_sub(2) as usize;
    let mut wrapped = Vec::new();
    for line in lines {
        let mut rest = for_terminal(line).into_owned();
        let mut first = true;
        loop {
            let prefix = if first { "- " } else { "  " };
            let (head, tail) = split_at_width(&rest, room.saturating_sub(2));
            wrapped.push(format!("{prefix}{head}"));
            first = false;
            if tail.is_empty() || head.is_empty() {
                break;
            }
            rest = tail;
        }
    }
    let height = (wrapped.len() as u16 + 2).min(area.height.saturating_sub(2));
    let inner = dialog(buffer, area, app, width, height, title);
    for (row, line) in wrapped.iter().enumerate().take(inner.height as usize) {
        buffer.set_string(inner.x, inner.y + row as u16, line, theme.warning);
    }
}

/// One line of a form, whatever it edits.
pub(super) struct FormRow<'a> {
    pub(super) label: &'static str,
    pub(super) input: &'a crate::app::LineInput,
    pub(super) error: Option<&'a str>,
}

pub(super) fn draw_form(
    buffer: &mut Buffer,
    area: Rect,
    app: &App,
    title: &str,
    rows: &[FormRow],
    focus: usize,
    footer: (String, bool),
) {
    let theme = &app.config.theme;
    let ellipsis = theme.glyphs.ellipsis;
    let height = rows.len() as u16 + 5;
    let inner = dialog(
        buffer,
        area,
        app,
        area.width.saturating_sub(4).min(78),
        height,
        title,
    );
    // A column for the labels, and one more before the values, however
    // long the longest label (`requested_by`) is.
    let label_width = rows
        .iter()
        .map(|row| row.label.width() as u16 + 1)
        .max()
        .unwrap_or(0)
        .max(12);
    for (index, row) in rows.iter().enumerate() {
        let y = inner.y + index as u16;
        if y >= inner.y + inner.height {
            break;
        }
        let focused = index == focus;
        buffer.set_string(
            inner.x,
            y,
            format!("{:>1$}", row.label, usize::from(label_width - 1)),
            if focused { theme.key } else { theme.dim },
        );
        let x = inner.x + label_width;
        let room = inner.width.saturating_sub(label_width + 1) as usize;
        let text = for_terminal(&row.input.text);
        let mut style = if focused { theme.input } else { theme.base };
        if row.error.is_some() {
            style = style.patch(theme.error);
            buffer.set_string(inner.x, y, "!", theme.error);
        }
        buffer.set_string(x, y, fit_with(&text, room, ellipsis), style);
        if focused {
            let cursor: usize = text
                .chars()
                .take(row.input.cursor)
                .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
                .sum();
            let cursor_x = x + cursor.min(room) as u16;
            if cursor_x < inner.x + inner.width {
                buffer.set_style(Rect::new(cursor_x, y, 1, 1), theme.selected);
            }
        }
    }
    let y = inner.y + rows.len() as u16 + 1;
    let style = if footer.1 { theme.error } else { theme.dim };
    let (first, second) = split_at_width(&footer.0, inner.width as usize);
    if y < inner.y + inner.height {
        buffer.set_string(inner.x, y, &first, style);
    }
    if !second.is_empty() && y + 1 < inner.y + inner.height {
        buffer.set_string(
            inner.x,
            y + 1,
            fit_with(&second, inner.width as usize, ellipsis),
            style,
        );
    }
}
