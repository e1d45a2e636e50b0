//! Menus at the terminal: one choice, or checkboxes, drawn on standard
//! error with `console`.
//!
//! tradeoff draws its own menus rather than dialoguer's `Select` and
//! `MultiSelect`, for what a session needs and those do not offer: a menu
//! may start on no item at all (Enter alone then chooses nothing, and says
//! so); it tells Enter on the starting item apart from a choice the user
//! moved to; `?` asks why a question matters and keeps the checks; typing
//! filters a long list; and it fits any terminal. dialoguer 0.12 panics in
//! a terminal one or two rows high (`paging.rs:63`: `clamp(3, rows)` with a
//! maximum below the minimum); to reproduce, `stty rows 2` and run any
//! `Select::interact`. Here a terminal too small to draw a menu gets plain
//! numbered prompts instead ([`plain`]), and every line drawn is cut to
//! the width, so that redrawing always clears exactly what was drawn.

use crate::session::{Checked, Menu, Picked, PromptError};
use console::{Key, Style, Term};
use std::io;

/// Below this many rows, or this many columns, menus are plain prompts.
const MIN_ROWS: usize = 6;
const MIN_COLUMNS: usize = 30;

/// How the menus look: the pointer and the styles, plain without colour.
pub struct Look {
    pointer: &'static str,
    active: Style,
    dim: Style,
    done: Style,
}

impl Look {
    pub fn new(color: bool) -> Self {
        let base = Style::new().for_stderr().force_styling(color);
        Self {
            pointer: if color { "❯" } else { ">" },
            active: base.clone().cyan().bold(),
            dim: base.clone().dim(),
            done: base.green(),
        }
    }
}

/// One menu being answered: where the cursor is and what is checked.
struct State<'a> {
    menu: &'a Menu<'a>,
    /// Checkboxes, for a menu of checkboxes.
    checked: Option<Vec<bool>>,
    /// The position in `visible` the cursor is on.
    cursor: Option<usize>,
    moved: bool,
    touched: bool,
    filter: String,
    /// The items shown (all, or those the filter matches), by index.
    visible: Vec<usize>,
    /// A line under the menu: why Enter did nothing.
    notice: Option<&'static str>,
    /// The first visible position, kept between draws so the list scrolls
    /// only when the cursor leaves it.
    top: usize,
}

impl<'a> State<'a> {
    fn new(menu: &'a Menu<'a>, checked: Option<Vec<bool>>) -> Self {
        let visible: Vec<usize> = (0..menu.items.len()).collect();
        Self {
            menu,
            checked,
            cursor: menu.cursor.filter(|&c| c < visible.len()),
            moved: false,
            touched: false,
            filter: String::new(),
            visible,
            notice: None,
            top: 0,
        }
    }

    fn refilter(&mut self) {
        let needle = self.filter.to_lowercase();
        self.visible = (0..self.menu.items.len())
            .filter(|&i| self.menu.items[i].to_lowercase().contains(&needle))
            .collect();
        self.cursor = (!self.visible.is_empty()).then_some(0);
        self.moved = true;
    }

    fn step(&mut self, down: bool, by: usize) {
        let n = self.visible.len();
        if n == 0 {
            return;
        }
        self.cursor = Some(match (self.cursor, down) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(c), true) if by == 1 => (c + 1) % n,
            (Some(c), false) if by == 1 => (c + n - 1) % n,
            (Some(c), true) => (c + by).min(n - 1),
            (Some(c), false) => c.saturating_sub(by),
        });
        self.moved = true;
    }

    fn item(&self) -> Option<usize> {
        self.cursor.and_then(|c| self.visible.get(c)).copied()
    }

    fn checked_items(&self) -> Vec<usize> {
        self.checked
            .as_ref()
            .map(|c| (0..c.len()).filter(|&i| c[i]).collect())
            .unwrap_or_default()
    }
}

/// What ended a menu.
enum Done {
    Picked(Picked),
    Checked(Checked),
}

/// One choice from the menu.
pub fn select(term: &Term, look: &Look, menu: &Menu<'_>) -> Result<Picked, PromptError> {
    if too_small(term) {
        return plain::select(term, menu);
    }
    match run(term, look, State::new(menu, None))? {
        Done::Picked(picked) => Ok(picked),
        // Only a menu of checkboxes ends with checks.
        Done::Checked(_) => Ok(Picked::Help),
    }
}

/// Any of the menu's items, with `checked` checked at the start.
pub fn multi_select(
    term: &Term,
    look: &Look,
    menu: &Menu<'_>,
    checked: &[bool],
) -> Result<Checked, PromptError> {
    if too_small(term) {
        return plain::multi_select(term, menu, checked);
    }
    match run(term, look, State::new(menu, Some(checked.to_vec())))? {
        Done::Checked(checked) => Ok(checked),
        // Only a one-choice menu ends with a pick.
        Done::Picked(_) => Ok(Checked {
            items: checked
                .iter()
                .enumerate()
                .filter(|(_, c)| **c)
                .map(|(i, _)| i)
                .collect(),
            touched: false,
            help: false,
        }),
    }
}

fn too_small(term: &Term) -> bool {
    let (rows, columns) = term.size();
    usize::from(rows) < MIN_ROWS || usize::from(columns) < MIN_COLUMNS
}

/// Draws the menu and reads keys until it is answered; then leaves one
/// line saying what was chosen.
fn run(term: &Term, look: &Look, mut state: State<'_>) -> Result<Done, PromptError> {
    let _ = term.hide_cursor();
    let mut drawn = 0;
    let result = loop {
        term.clear_last_lines(drawn)?;
        drawn = draw(term, look, &mut state)?;
        let key = term.read_key_raw()?;
        state.notice = None;
        if let Some(done) = on_key(&mut state, key)? {
            break done;
        }
    };
    term.clear_last_lines(drawn)?;
    let _ = term.show_cursor();
    report(term, look, &state, &result)?;
    Ok(result)
}

/// What a key does; `Some` when it ends the menu.
fn on_key(state: &mut State<'_>, key: Key) -> Result<Option<Done>, PromptError> {
    let multi = state.checked.is_some();
    let letters = !state.menu.filter;
    match key {
        Key::CtrlC => {
            // A signal interrupting the read looks like Ctrl-C: let its
            // handler end the process with the signal's status.
            super::signals::wait_if_signalled();
            return Err(PromptError::Interrupted);
        }
        Key::ArrowDown | Key::Tab => state.step(true, 1),
        Key::ArrowUp | Key::BackTab => state.step(false, 1),
        Key::Char('j') if letters => state.step(true, 1),
        Key::Char('k') if letters => state.step(false, 1),
        Key::PageDown => state.step(true, 10),
        Key::PageUp => state.step(false, 10),
        Key::Home => state.step(false, usize::MAX),
        Key::End => state.step(true, usize::MAX),
        Key::Char('?') if state.menu.help && multi => {
            return Ok(Some(Done::Checked(Checked {
                items: state.checked_items(),
                touched: state.touched,
                help: true,
            })));
        }
        Key::Char('?') if state.menu.help => return Ok(Some(Done::Picked(Picked::Help))),
        Key::Char(' ') if multi => match (state.item(), state.checked.as_mut()) {
            (Some(i), Some(checked)) => {
                checked[i] = !checked[i];
                state.touched = true;
            }
            _ => state.notice = Some("move to an item with ↑↓ first"),
        },
        Key::Enter if multi => {
            return Ok(Some(Done::Checked(Checked {
                items: state.checked_items(),
                touched: state.touched,
                help: false,
            })));
        }
        Key::Enter => match state.item() {
            Some(i) if state.moved => return Ok(Some(Done::Picked(Picked::Chosen(i)))),
            Some(i) => return Ok(Some(Done::Picked(Picked::Kept(i)))),
            None => state.notice = Some("nothing is chosen yet: move to an answer with ↑↓"),
        },
        Key::Backspace if !state.filter.is_empty() => {
            state.filter.pop();
            state.refilter();
        }
        Key::Escape if !state.filter.is_empty() => {
            state.filter.clear();
            state.refilter();
        }
        Key::Char(c) if state.menu.filter && !c.is_control() => {
            state.filter.push(c);
            state.refilter();
        }
        _ => {}
    }
    Ok(None)
}

/// Draws the prompt, the visible items and the keys; returns how many
/// lines it drew. Every line is wrapped or cut to the width, so that the
/// count is exact and the next draw clears just what this one drew.
fn draw(term: &Term, look: &Look, state: &mut State<'_>) -> io::Result<usize> {
    let (rows, columns) = term.size();
    let width = usize::from(columns).saturating_sub(1).max(10);
    let mut lines: Vec<String> = Vec::new();
    let prompt = textwrap::wrap(state.menu.prompt, width.saturating_sub(2));
    for (i, line) in prompt.iter().enumerate() {
        let mark = if i == 0 { "? " } else { "  " };
        lines.push(format!("{mark}{}", look.active.apply_to(line)));
    }
    if !state.filter.is_empty() {
        lines.push(format!("  filter: {}", state.filter));
    }
    // Room for the items, with a line for "more" above and below, and the keys.
    let room = usize::from(rows).saturating_sub(lines.len() + 4).max(1);
    let items: Vec<Vec<String>> = state
        .visible
        .iter()
        .enumerate()
        .map(|(at, &index)| item_lines(look, state, at, index, width))
        .collect();
    scroll(state, &items, room);
    if state.top > 0 {
        lines.push(
            look.dim
                .apply_to(format!("  ↑ {} more", state.top))
                .to_string(),
        );
    }
    let mut used = 0;
    let mut shown = 0;
    for item in items.iter().skip(state.top) {
        if used + item.len() > room && shown > 0 {
            break;
        }
        used += item.len();
        shown += 1;
        lines.extend(item.iter().take(room).cloned());
    }
    let below = items.len().saturating_sub(state.top + shown);
    if below > 0 {
        lines.push(look.dim.apply_to(format!("  ↓ {below} more")).to_string());
    }
    let hint = state.notice.map_or_else(|| keys(state), str::to_owned);
    lines.push(
        look.dim
            .apply_to(console::truncate_str(&hint, width, "…"))
            .to_string(),
    );
    for line in &lines {
        term.write_line(line)?;
    }
    term.flush()?;
    Ok(lines.len())
}

/// Moves the window so that the cursor's item is in it, with the items
/// from `top` to the cursor's fitting in `room` lines.
fn scroll(state: &mut State<'_>, items: &[Vec<String>], room: usize) {
    let Some(cursor) = state.cursor else {
        state.top = state.top.min(items.len().saturating_sub(1));
        return;
    };
    if cursor < state.top {
        state.top = cursor;
    }
    let height = |from: usize| -> usize { items[from..=cursor].iter().map(Vec::len).sum() };
    while state.top < cursor && height(state.top) > room {
        state.top += 1;
    }
}

/// An item's lines: the pointer and checkbox, then its text wrapped under
/// itself.
fn item_lines(
    look: &Look,
    state: &State<'_>,
    at: usize,
    index: usize,
    width: usize,
) -> Vec<String> {
    let on = state.cursor == Some(at);
    let pointer = if on { look.pointer } else { " " };
    let check = match &state.checked {
        Some(checked) if checked[index] => "[x] ",
        Some(_) => "[ ] ",
        None => "",
    };
    let first = format!("{pointer} {check}");
    let rest = " ".repeat(console::measure_text_width(&first));
    let options = textwrap::Options::new(width)
        .initial_indent(&first)
        .subsequent_indent(&rest);
    textwrap::wrap(&state.menu.items[index], options)
        .into_iter()
        .map(|line| {
            let line = console::truncate_str(&line, width, "…").into_owned();
            if on {
                look.active.apply_to(line).to_string()
            } else {
                line
            }
        })
        .collect()
}

/// The keys that work here, in a line.
fn keys(state: &State<'_>) -> String {
    let mut keys = vec!["↑↓ move"];
    if state.checked.is_some() {
        keys.push("space check");
        keys.push("enter done");
    } else if state.cursor.is_none() {
        keys.push("no default: move to an answer, then enter");
    } else {
        keys.push("enter choose");
    }
    if state.menu.help {
        keys.push("? why it matters");
    }
    if state.menu.filter {
        keys.push("type to filter");
    }
    keys.join(" · ")
}

/// The line left after the menu: the prompt and what was chosen.
fn report(term: &Term, look: &Look, state: &State<'_>, done: &Done) -> io::Result<()> {
    let answer = match done {
        Done::Picked(Picked::Chosen(i) | Picked::Kept(i)) => state.menu.items[*i].clone(),
        Done::Picked(Picked::Help) => return Ok(()),
        Done::Checked(checked) if checked.help => return Ok(()),
        Done::Checked(checked) => {
            let names: Vec<&str> = checked
                .items
                .iter()
                .map(|&i| state.menu.items[i].as_str())
                .collect();
            if names.is_empty() {
                "nothing checked".to_owned()
            } else {
                names.join(", ")
            }
        }
    };
    let width = usize::from(term.size().1).saturating_sub(1).max(20);
    let text = format!(
        "{} {} · {answer}",
        look.done.apply_to("✔"),
        state.menu.prompt
    );
    for line in textwrap::wrap(&text, width) {
        term.write_line(&line)?;
    }
    Ok(())
}

/// Numbered prompts, one line of input each: for a terminal too small to
/// draw a menu in.
mod plain {
    use crate::session::{Checked, Menu, Picked, PromptError};
    use console::Term;

    fn list(term: &Term, menu: &Menu<'_>, checked: Option<&[bool]>) -> std::io::Result<()> {
        term.write_line(&format!("? {}", menu.prompt))?;
        for (i, item) in menu.items.iter().enumerate() {
            let mark = match checked {
                Some(c) if c[i] => "[x] ",
                Some(_) => "[ ] ",
                None if menu.cursor == Some(i) => "* ",
                None => "",
            };
            term.write_line(&format!("  {}) {mark}{item}", i + 1))?;
        }
        Ok(())
    }

    pub fn select(term: &Term, menu: &Menu<'_>) -> Result<Picked, PromptError> {
        list(term, menu, None)?;
        loop {
            let hint = match (menu.cursor, menu.help) {
                (Some(c), true) => format!("number (enter: {}, ?: why) › ", c + 1),
                (Some(c), false) => format!("number (enter: {}) › ", c + 1),
                (None, true) => "number (?: why) › ".to_owned(),
                (None, false) => "number › ".to_owned(),
            };
            term.write_str(&hint)?;
            let line = term.read_line()?;
            let line = line.trim();
            match (line, menu.cursor) {
                ("", Some(c)) => return Ok(Picked::Kept(c)),
                ("?", _) if menu.help => return Ok(Picked::Help),
                _ => {}
            }
            if let Ok(n) = line.parse::<usize>()
                && (1..=menu.items.len()).contains(&n)
            {
                return Ok(Picked::Chosen(n - 1));
            }
            term.write_line(&format!("  a number from 1 to {}", menu.items.len()))?;
        }
    }

    pub fn multi_select(
        term: &Term,
        menu: &Menu<'_>,
        checked: &[bool],
    ) -> Result<Checked, PromptError> {
        list(term, menu, Some(checked))?;
        let given: Vec<usize> = (0..checked.len()).filter(|&i| checked[i]).collect();
        loop {
            term.write_str("numbers, separated by spaces (enter: as checked) › ")?;
            let line = term.read_line()?;
            let line = line.trim();
            if line == "?" && menu.help {
                return Ok(Checked {
                    items: given,
                    touched: false,
                    help: true,
                });
            }
            if line.is_empty() {
                return Ok(Checked {
                    items: given,
                    touched: false,
                    help: false,
                });
            }
            let picks: Option<Vec<usize>> = line
                .split([' ', ','])
                .filter(|w| !w.is_empty())
                .map(|w| {
                    w.parse::<usize>()
                        .ok()
                        .filter(|n| (1..=menu.items.len()).contains(n))
                })
                .map(|n| n.map(|n| n - 1))
                .collect();
            match picks {
                Some(mut items) => {
                    items.sort_unstable();
                    items.dedup();
                    return Ok(Checked {
                        touched: items != given,
                        items,
                        help: false,
                    });
                }
                None => term.write_line(&format!(
                    "  numbers from 1 to {}, e.g. 1 3",
                    menu.items.len()
                ))?,
            }
        }
    }
}
