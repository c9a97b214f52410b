//! Screen measures that both the app (scrolling, paging, clicks) and the
//! drawing use, so the two always agree on what is where.

/// Below this the app shows "terminal too small".
pub const MIN_SIZE: (u16, u16) = (60, 16);

/// Rows every pane gives up to the pane bar (top) and the status line (bottom).
pub const FRAME_ROWS: u16 = 2;

/// Rows of chrome around the Gantt rows: pane bar, axis, status line.
pub const CHROME_ROWS: u16 = FRAME_ROWS + 1;

/// Rows the Gantt pane's detail panel takes when shown.
pub const DETAIL_ROWS: u16 = 7;

/// Columns for task names: about a third of the screen, within limits.
pub fn label_width(total: u16) -> u16 {
    (total / 3).clamp(20, 48).min(total.saturating_sub(10))
}
