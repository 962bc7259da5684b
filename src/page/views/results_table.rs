//! `ResultsTable`: the ranked records, any number of them.
//!
//! Only the rows in view exist in the page. The table scrolls through a virtual offset
//! (`top`, in pixels of the full-height table) rather than the browser's scroll position,
//! because browsers cap an element's height (at about 16.7 million pixels in Chromium):
//! at 30 px a row, ten million rows need 300 million. The scroll area is therefore at
//! most `MAX_SCROLL_PX` tall and its scrollbar is scaled to the whole table; the wheel
//! and the keyboard move the virtual offset pixel by pixel, so scrolling stays smooth at
//! any size, and dragging the scrollbar reaches every row.
//!
//! Keyboard: the table is one focusable grid. Arrow keys, Page Up/Down, Home and End
//! move the current row, Enter opens it; "Go to rank" jumps anywhere.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{AddEventListenerOptions, HtmlElement, HtmlInputElement, WheelEvent};
use yew::prelude::*;

use crate::page::shared::Shared;
use crate::page::text::thousands;
use crate::protocol::RowView;

const ROW_HEIGHT: f64 = 30.0;
const VIEW_ROWS: usize = 18;
const FETCH_MARGIN: usize = 40;
/// The tallest scroll area the table makes; well under every browser's element-height cap.
const MAX_SCROLL_PX: f64 = 4_000_000.0;

/// Where things are in a table of `total` rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    pub total: usize,
}

impl Geometry {
    /// Height of the whole table, in pixels.
    fn content(self) -> f64 {
        self.total as f64 * ROW_HEIGHT
    }

    /// Height of the visible part.
    fn view(self) -> f64 {
        VIEW_ROWS as f64 * ROW_HEIGHT
    }

    /// The largest virtual offset: the last row at the bottom of the view.
    pub fn max_top(self) -> f64 {
        (self.content() - self.view()).max(0.0)
    }

    /// Height of the scroll area the browser sees.
    pub fn scroll_height(self) -> f64 {
        self.content().min(MAX_SCROLL_PX).max(self.view())
    }

    /// Virtual pixels per scrolled pixel (1 for tables that fit).
    pub fn scale(self) -> f64 {
        let scrollable = self.scroll_height() - self.view();
        if scrollable <= 0.0 {
            1.0
        } else {
            (self.max_top() / scrollable).max(1.0)
        }
    }

    /// The virtual offset for a browser scroll position.
    pub fn top_for_scroll(self, scroll_top: f64) -> f64 {
        (scroll_top * self.scale()).clamp(0.0, self.max_top())
    }

    /// The browser scroll position for a virtual offset.
    pub fn scroll_for_top(self, top: f64) -> f64 {
        top / self.scale()
    }

    /// Ranking positions drawn at offset `top` (the partly visible ones included).
    pub fn visible(self, top: f64) -> std::ops::Range<usize> {
        let first = ((top / ROW_HEIGHT).floor() as usize).min(self.total);
        first..(first + VIEW_ROWS + 1).min(self.total)
    }

    /// The offset closest to `top` that shows row `position` whole.
    pub fn reveal(self, top: f64, position: usize) -> f64 {
        let row_top = position as f64 * ROW_HEIGHT;
        let shown = if row_top < top {
            row_top
        } else if row_top + ROW_HEIGHT > top + self.view() {
            row_top + ROW_HEIGHT - self.view()
        } else {
            top
        };
        shown.clamp(0.0, self.max_top())
    }

    /// The offset that puts row `position` near the middle of the view.
    pub fn center(self, position: usize) -> f64 {
        let middle = (VIEW_ROWS / 2) as f64 * ROW_HEIGHT;
        (position as f64 * ROW_HEIGHT - middle).clamp(0.0, self.max_top())
    }
}

/// The id of a row's element, for `aria-activedescendant`.
fn row_id(position: usize) -> String {
    format!("rank-{}", position + 1)
}

#[derive(Properties, PartialEq)]
pub struct TableProps {
    pub total: usize,
    pub kept: usize,
    pub rows: Shared<HashMap<usize, RowView>>,
    pub short_keys: Vec<String>,
    /// Rows `start..start+count` are wanted.
    pub on_need: Callback<(usize, usize)>,
    pub on_open: Callback<RowView>,
}

/// The table's scroll state. Kept outside Yew's state so that the wheel listener, which
/// is registered once, always sees the current values.
#[derive(Default)]
struct Scroll {
    /// Virtual offset of the view's top, in pixels of the full table.
    top: Cell<f64>,
    /// The scroll position the table itself last set (a scroll event there is ours).
    set_by_us: Cell<Option<i32>>,
}

impl Scroll {
    /// Moves the view to `top` and the browser's scrollbar with it.
    fn go(&self, element: &HtmlElement, geometry: Geometry, top: f64) {
        let top = top.clamp(0.0, geometry.max_top());
        self.top.set(top);
        let scroll = geometry.scroll_for_top(top).round() as i32;
        self.set_by_us.set(Some(scroll));
        element.set_scroll_top(scroll);
    }
}

/// The ranked records, with a "go to rank" field above them.
#[function_component(ResultsTable)]
pub fn results_table(props: &TableProps) -> Html {
    let geometry = Geometry { total: props.total };
    let scroll = use_mut_ref(Scroll::default);
    let redraw = use_force_update();
    let active = use_state(|| None::<usize>);
    let body = use_node_ref();
    let goto = use_node_ref();
    // A row opened (Enter) before its data arrived; it opens when the data comes.
    let pending_open = use_open_when_loaded(props);
    use_top_for_new_ranking(props.total, &scroll, &active, &body);
    use_wheel(geometry, &scroll, &redraw, &body);

    // The scrollbar (dragged, clicked, or moved by the browser): follow it.
    let on_scroll = {
        let scroll = scroll.clone();
        let redraw = redraw.clone();
        Callback::from(move |e: Event| {
            let element: HtmlElement = e.target_unchecked_into();
            let position = element.scroll_top();
            let scroll = scroll.borrow();
            if scroll.set_by_us.take() == Some(position) {
                return;
            }
            scroll.top.set(geometry.top_for_scroll(position as f64));
            redraw.force_update();
        })
    };

    let top = scroll.borrow().top.get();
    let visible = geometry.visible(top);
    use_row_requests(props, visible.start);

    // Makes `position` the current row and scrolls it into view.
    let move_to = {
        let scroll = scroll.clone();
        let active = active.clone();
        let body = body.clone();
        let total = props.total;
        Rc::new(move |position: usize, centered: bool| {
            if total == 0 {
                return;
            }
            let position = position.min(total - 1);
            active.set(Some(position));
            if let Some(element) = body.cast::<HtmlElement>() {
                let scroll = scroll.borrow();
                let top = if centered {
                    geometry.center(position)
                } else {
                    geometry.reveal(scroll.top.get(), position)
                };
                scroll.go(&element, geometry, top);
            }
            redraw.force_update();
        })
    };

    let on_key = {
        let move_to = move_to.clone();
        let active = *active;
        let rows = props.rows.clone();
        let on_open = props.on_open.clone();
        let total = props.total;
        let first_visible = visible.start;
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            if key == "Enter" || key == " " {
                e.prevent_default();
                match active.map(|p| (p, rows.get(&p))) {
                    Some((_, Some(row))) => on_open.emit(row.clone()),
                    Some((position, None)) => *pending_open.borrow_mut() = Some(position),
                    None => {}
                }
            } else if let Some(next) = moved(&key, active, first_visible, total) {
                e.prevent_default();
                pending_open.borrow_mut().take(); // moved on: do not open the earlier row later
                move_to(next, false);
            }
        })
    };

    // Focus without a current row starts at the first row in view.
    let on_focus = {
        let active = active.clone();
        let first_visible = visible.start;
        let total = props.total;
        Callback::from(move |_: FocusEvent| {
            if active.is_none() && total > 0 {
                active.set(Some(first_visible));
            }
        })
    };

    // A rank outside 1..=total (or not a whole number) is refused, saying the range.
    let goto_refused = use_state(|| None::<String>);
    let on_goto = {
        let goto = goto.clone();
        let body = body.clone();
        let refused = goto_refused.clone();
        let total = props.total;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(input) = goto.cast::<HtmlInputElement>() else {
                return;
            };
            let text = input.value().trim().replace(',', "");
            match text.parse::<usize>() {
                Ok(rank) if (1..=total).contains(&rank) => {
                    refused.set(None);
                    move_to(rank - 1, true);
                    if let Some(element) = body.cast::<HtmlElement>() {
                        element.focus().ok();
                    }
                }
                _ => {
                    let shown = if text.is_empty() { "\"\"" } else { &text };
                    refused.set(Some(format!(
                        "{shown} is not a rank: ranks run from 1 to {}",
                        thousands(total)
                    )));
                }
            }
        })
    };

    let active_id = active
        .filter(|p| visible.contains(p))
        .map(|p| AttrValue::from(row_id(p)));
    let spacer = geometry.scroll_height() - geometry.view();
    html! {
        <div class="table">
            <form class="goto" onsubmit={on_goto} novalidate=true>
                <label for="goto-rank">{ "Go to rank" }</label>
                <input id="goto-rank" ref={goto} type="number" min="1" max={props.total.to_string()}
                    inputmode="numeric" placeholder={format!("1–{}", thousands(props.total))}
                    aria-invalid={goto_refused.is_some().to_string()}
                    aria-describedby={goto_refused.is_some().then_some("goto-error")} />
                <button class="secondary" type="submit">{ "Go" }</button>
                if let Some(error) = &*goto_refused {
                    <span class="error" id="goto-error" role="alert">{ error }</span>
                }
                <span class="hint">{ "In the table: ↑ ↓, Page Up/Down, Home, End; Enter opens a row." }</span>
            </form>
            <div class="table-body" id="results" ref={body} role="grid" tabindex="0"
                aria-label="Ranked records" aria-rowcount={(props.total + 1).to_string()}
                aria-activedescendant={active_id}
                onscroll={on_scroll} onkeydown={on_key} onfocus={on_focus}
                style={format!("height: {}px; --spacer: {spacer}px", ROW_HEIGHT * (VIEW_ROWS + 1) as f64)}>
                <div class="table-head" role="rowgroup">
                    <div class="head-row" role="row" aria-rowindex="1">
                        <span class="rank" role="columnheader">{ "rank" }</span>
                        <span class="score" role="columnheader">{ "score" }</span>
                        { for props.short_keys.iter().map(|k| html! { <span class="short" role="columnheader">{ k }</span> }) }
                        <span class="preview" role="columnheader">{ "text (open a row for all of it)" }</span>
                    </div>
                </div>
                <div class="viewport" role="rowgroup" style={format!("height: {}px", geometry.view())}>
                    { for visible.map(|position| table_row(props, position, top, &active)) }
                </div>
            </div>
        </div>
    }
}

/// The current row after key `key`, when the key moves it.
fn moved(key: &str, active: Option<usize>, first_visible: usize, total: usize) -> Option<usize> {
    let current = active.unwrap_or(first_visible);
    let page = VIEW_ROWS - 1;
    Some(match key {
        "ArrowDown" => active.map_or(current, |p| p + 1),
        "ArrowUp" => current.saturating_sub(1),
        "PageDown" => current + page,
        "PageUp" => current.saturating_sub(page),
        "Home" => 0,
        "End" => total.saturating_sub(1),
        _ => return None,
    })
}

/// The row at ranking `position`, drawn at virtual offset `top`: the record when its
/// data is here, else a placeholder.
fn table_row(
    props: &TableProps,
    position: usize,
    top: f64,
    active: &UseStateHandle<Option<usize>>,
) -> Html {
    let style = format!(
        "transform: translateY({}px); height: {ROW_HEIGHT}px",
        position as f64 * ROW_HEIGHT - top
    );
    let row = props.rows.get(&position);
    let kept = row.map_or(position < props.kept, |row| {
        row.diverse_kept.unwrap_or(position < props.kept)
    });
    let classes = classes!(
        "row",
        kept.then_some("kept"),
        (**active == Some(position)).then_some("active"),
    );
    let row_index = (position + 2).to_string();
    let selected = (**active == Some(position)).to_string();
    let Some(row) = row else {
        return html! {
            <div class={classes!(classes, "placeholder")} style={style} id={row_id(position)}
                role="row" aria-rowindex={row_index} aria-selected={selected}>
                <span class="rank" role="gridcell">{ thousands(position + 1) }</span>
                <span class="preview" role="gridcell">{ "loading…" }</span>
            </div>
        };
    };
    let on_click = {
        let on_open = props.on_open.clone();
        let active = active.clone();
        let clicked = row.clone();
        Callback::from(move |_: MouseEvent| {
            active.set(Some(clicked.position));
            on_open.emit(clicked.clone());
        })
    };
    html! {
        <div class={classes} style={style} id={row_id(position)} role="row"
            aria-rowindex={row_index} aria-selected={selected}
            data-index={row.index.to_string()} onclick={on_click}>
            <span class="rank" role="gridcell">{ thousands(position + 1) }</span>
            <span class="score" role="gridcell">{ format!("{:.4}", row.score) }</span>
            { for row.short.iter().map(|v| html! { <span class="short" role="gridcell">{ v }</span> }) }
            <span class="preview" role="gridcell">{ &row.preview }</span>
        </div>
    }
}

/// A row asked to open before its data arrived: opened when the data comes. Returns
/// where such a row is kept.
#[hook]
fn use_open_when_loaded(props: &TableProps) -> Rc<RefCell<Option<usize>>> {
    let pending_open = use_mut_ref(|| None::<usize>);
    let pending = pending_open.clone();
    let on_open = props.on_open.clone();
    use_effect_with(props.rows.clone(), move |rows| {
        let ready = pending.borrow().and_then(|p| rows.get(&p).cloned());
        if let Some(row) = ready {
            pending.borrow_mut().take();
            on_open.emit(row);
        }
    });
    pending_open
}

/// A new ranking (another number of rows) starts at the top, with no current row.
#[hook]
fn use_top_for_new_ranking(
    total: usize,
    scroll: &Rc<RefCell<Scroll>>,
    active: &UseStateHandle<Option<usize>>,
    body: &NodeRef,
) {
    let geometry = Geometry { total };
    let (scroll, active, body) = (scroll.clone(), active.clone(), body.clone());
    use_effect_with(total, move |_| {
        if let Some(element) = body.cast::<HtmlElement>() {
            scroll.borrow().go(&element, geometry, 0.0);
        }
        active.set(None);
    });
}

/// The wheel moves the virtual offset itself when the scrollbar is scaled; Yew's
/// listeners are passive, so this one is added by hand to be able to prevent the default.
#[hook]
fn use_wheel(
    geometry: Geometry,
    scroll: &Rc<RefCell<Scroll>>,
    redraw: &UseForceUpdateHandle,
    body: &NodeRef,
) {
    let (scroll, redraw) = (scroll.clone(), redraw.clone());
    use_effect_with((body.clone(), geometry.total), move |(body, _)| {
        let element = body.cast::<HtmlElement>();
        let listener = element.as_ref().map(|element| {
            let target = element.clone();
            let closure = Closure::<dyn FnMut(WheelEvent)>::new(move |e: WheelEvent| {
                if geometry.scale() <= 1.0 {
                    return; // the browser scrolls such tables natively
                }
                e.prevent_default();
                let step = match e.delta_mode() {
                    WheelEvent::DOM_DELTA_LINE => ROW_HEIGHT,
                    WheelEvent::DOM_DELTA_PAGE => VIEW_ROWS as f64 * ROW_HEIGHT,
                    _ => 1.0,
                };
                let scroll = scroll.borrow();
                scroll.go(&target, geometry, scroll.top.get() + e.delta_y() * step);
                redraw.force_update();
            });
            let options = AddEventListenerOptions::new();
            options.set_passive(false);
            element
                .add_event_listener_with_callback_and_add_event_listener_options(
                    "wheel",
                    closure.as_ref().unchecked_ref(),
                    &options,
                )
                .ok();
            (element.clone(), closure)
        });
        move || {
            if let Some((element, closure)) = listener {
                element
                    .remove_event_listener_with_callback("wheel", closure.as_ref().unchecked_ref())
                    .ok();
            }
        }
    });
}

/// Asks for the rows around the view (from ranking position `first`) that are not
/// cached yet, once per range and row cache.
#[hook]
fn use_row_requests(props: &TableProps, first: usize) {
    // The last request: its range and the row cache it was made for (compared by
    // identity, so a cache replaced by an empty one asks again).
    let requested = use_mut_ref(|| (usize::MAX, 0usize, None::<Shared<HashMap<usize, RowView>>>));
    let on_need = props.on_need.clone();
    use_effect_with(
        (first, props.rows.clone(), props.total),
        move |(first, rows, total)| {
            let start = first.saturating_sub(FETCH_MARGIN);
            let end = (first + VIEW_ROWS + FETCH_MARGIN).min(*total);
            let missing = (start..end).any(|p| !rows.contains_key(&p));
            let key = (start, end, Some(rows.clone()));
            if missing && *requested.borrow() != key {
                *requested.borrow_mut() = key;
                on_need.emit((start, end - start));
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_dedicated_worker);

    #[wasm_bindgen_test]
    fn small_tables_scroll_natively() {
        let g = Geometry { total: 1000 };
        assert_eq!(g.scale(), 1.0);
        assert_eq!(g.top_for_scroll(300.0), 300.0);
        assert_eq!(g.visible(300.0), 10..29);
        assert_eq!(Geometry { total: 5 }.visible(0.0), 0..5);
        assert_eq!(Geometry { total: 0 }.visible(0.0), 0..0);
    }

    #[wasm_bindgen_test]
    fn ten_million_rows_fit_a_capped_scroll_area() {
        let g = Geometry { total: 10_000_000 };
        assert!(g.scroll_height() <= MAX_SCROLL_PX);
        assert!(g.scale() > 70.0);
        // The end of the scrollbar is the last row at the bottom of the view.
        let end = g.scroll_height() - VIEW_ROWS as f64 * ROW_HEIGHT;
        assert_eq!(g.top_for_scroll(end), g.max_top());
        assert_eq!(g.visible(g.max_top()).end, 10_000_000);
        // Revealing a row and mapping back through the scrollbar lands on the same rows.
        let top = g.center(7_654_321);
        assert!(g.visible(top).contains(&7_654_321));
        let back = g.top_for_scroll(g.scroll_for_top(top).round());
        assert!((back - top).abs() <= g.scale(), "{back} vs {top}");
    }

    #[wasm_bindgen_test]
    fn reveal_moves_only_as_far_as_needed() {
        let g = Geometry { total: 100 };
        assert_eq!(g.reveal(0.0, 3), 0.0);
        assert_eq!(
            g.reveal(0.0, VIEW_ROWS),
            ROW_HEIGHT * (VIEW_ROWS + 1) as f64 - g.view()
        );
        assert_eq!(g.reveal(600.0, 2), 60.0);
        assert_eq!(g.reveal(0.0, 99), g.max_top());
    }
}
