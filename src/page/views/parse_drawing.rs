//! `ParseDrawing`: `x` and `y` as the compressor encoded `x ++ y`. Every byte is marked as
//! a literal, a copy from earlier in its own text, or (in `y`) a copy from `x`; pointing at
//! or focusing a copy highlights the bytes it repeats. Text is shown as text, and marks
//! fall on whole characters: a character takes the mark of its first byte.

use wasm_bindgen::JsCast;
use yew::prelude::*;
use zipfit_core::compress::{Origin, Piece};

use crate::page::playground::Shown;
use crate::page::shared::Shared;

#[derive(Properties, PartialEq)]
pub struct ParseDrawingProps {
    pub shown: Shared<Shown>,
    pub hovered: Option<usize>,
    pub on_hover: Callback<Option<usize>>,
}

/// The first character boundary of `text` at or after `at`.
fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while at < text.len() && !text.is_char_boundary(at) {
        at += 1;
    }
    at.min(text.len())
}

fn class_of(origin: &Origin) -> &'static str {
    match origin {
        Origin::Literal => "lit",
        Origin::Same { .. } => "same",
        Origin::Other { .. } => "from-x",
    }
}

/// The bytes a copy repeats, as `start..end` in `x ++ y`.
pub fn source_of(piece: &Piece) -> Option<(usize, usize)> {
    match piece.origin {
        Origin::Literal => None,
        Origin::Same { from, .. } | Origin::Other { from, .. } => Some((from, from + piece.len)),
    }
}

/// One line describing a piece, for the status line and screen readers.
pub fn describe(piece: &Piece, x_len: usize, joined: &str) -> String {
    let quoted = |start: usize, end: usize| {
        let (s, e) = (ceil_boundary(joined, start), ceil_boundary(joined, end));
        let text: String = joined[s..e].chars().take(60).collect();
        format!("{text:?}")
    };
    let here = if piece.start >= x_len { "y" } else { "x" };
    let at = piece.start - if piece.start >= x_len { x_len } else { 0 };
    match piece.origin {
        Origin::Literal => format!("{} literal bytes of {here} at {at}", piece.len),
        Origin::Same { from, distance } => {
            let from_here = from - if piece.start >= x_len { x_len } else { 0 };
            format!(
                "copy of {} bytes of {here} at {at} from {here} bytes {from_here}–{}, distance {distance}: {}",
                piece.len,
                from_here + piece.len,
                quoted(from, from + piece.len)
            )
        }
        Origin::Other { from, distance } => format!(
            "copy of {} bytes of y at {at} from x bytes {from}–{}, distance {distance}: {}",
            piece.len,
            from + piece.len,
            quoted(from, from + piece.len)
        ),
    }
}

/// The piece index in `data-piece` of the event's target, if any.
fn piece_of(event: &Event) -> Option<usize> {
    let element: web_sys::Element = event.target_dyn_into()?;
    element.get_attribute("data-piece")?.parse().ok()
}

/// Spans of `joined[lo..hi]`, one per piece, cut where the highlighted bytes start and end.
/// Without `focus` (the drawing of `x`, which takes no pointer or keyboard) neighbouring
/// spans of one kind are merged, which keeps long texts quick to draw.
fn draw(
    joined: &str,
    pieces: &[Piece],
    (lo, hi): (usize, usize),
    highlight: Option<(usize, usize)>,
    focus: Option<usize>,
) -> Html {
    let mut out = Vec::new();
    // The pending run of merged text: its start, end and classes.
    let mut run: Option<(usize, usize, Classes)> = None;
    let flush = |run: &mut Option<(usize, usize, Classes)>, out: &mut Vec<Html>| {
        if let Some((a, b, class)) = run.take() {
            out.push(html! { <span class={class}>{ &joined[a..b] }</span> });
        }
    };
    for (i, piece) in pieces.iter().enumerate() {
        let (start, end) = (piece.start, piece.start + piece.len);
        if end <= lo || start >= hi {
            continue;
        }
        let mut cuts = vec![start];
        if let Some((h0, h1)) = highlight {
            cuts.extend([h0, h1].into_iter().filter(|&c| c > start && c < end));
        }
        cuts.push(end);
        let copy = !matches!(piece.origin, Origin::Literal);
        for (k, pair) in cuts.windows(2).enumerate() {
            let (a, b) = (
                ceil_boundary(joined, pair[0]),
                ceil_boundary(joined, pair[1]),
            );
            if a >= b {
                continue;
            }
            let lit = highlight.is_some_and(|(h0, h1)| pair[0] >= h0 && pair[1] <= h1);
            let class = classes!(class_of(&piece.origin), lit.then_some("source"));
            if focus.is_none() {
                match &mut run {
                    Some((_, run_end, run_class)) if *run_end == a && *run_class == class => {
                        *run_end = b;
                    }
                    _ => {
                        flush(&mut run, &mut out);
                        run = Some((a, b, class));
                    }
                }
                continue;
            }
            let text = joined[a..b].to_string();
            // The first part of a copy is its keyboard stop (one at a time: arrows move).
            if copy && k == 0 {
                let tabindex = if focus == Some(i) { "0" } else { "-1" };
                out.push(html! {
                    <span class={class} data-piece={i.to_string()} id={format!("piece-{i}")} tabindex={tabindex}>{ text }</span>
                });
            } else {
                out.push(html! { <span class={class} data-piece={i.to_string()}>{ text }</span> });
            }
        }
    }
    flush(&mut run, &mut out);
    out.into_iter().collect()
}

/// The drawing of `x` and `y`.
#[function_component(ParseDrawing)]
pub fn parse_drawing(props: &ParseDrawingProps) -> Html {
    let shown = &props.shown;
    let drawing = &shown.pairing.drawing;
    let joined = format!("{}{}", shown.x, shown.y);
    let x_len = drawing.x_len;
    let pieces = &drawing.pieces;
    let hovered = props.hovered.and_then(|i| pieces.get(i).map(|p| (i, p)));
    let highlight = hovered.and_then(|(_, p)| source_of(p));
    let y_copies: Vec<usize> = (0..pieces.len())
        .filter(|&i| pieces[i].start >= x_len && !matches!(pieces[i].origin, Origin::Literal))
        .collect();
    let focus = hovered
        .map(|(i, _)| i)
        .filter(|i| y_copies.contains(i))
        .or(y_copies.first().copied());

    let on_over = props.on_hover.reform(|e: MouseEvent| piece_of(&e));
    let on_focus = props.on_hover.reform(|e: FocusEvent| piece_of(&e));
    let on_leave = props.on_hover.reform(|_: MouseEvent| None);
    let on_key = {
        let copies = y_copies.clone();
        let on_hover = props.on_hover.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step: isize = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => 1,
                "ArrowLeft" | "ArrowUp" => -1,
                _ => return,
            };
            let Some(at) = focus.and_then(|f| copies.iter().position(|&c| c == f)) else {
                return;
            };
            let next = (at as isize + step).clamp(0, copies.len() as isize - 1) as usize;
            e.prevent_default();
            on_hover.emit(Some(copies[next]));
            let element = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("piece-{}", copies[next])));
            if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                element.focus().ok();
            }
        })
    };
    let y_len = drawing.y_len.max(1) as f64;
    let share = |n: usize| format!("{:.0}%", 100.0 * n as f64 / y_len);
    let literal = drawing.y_len - drawing.y_from_x - drawing.y_from_y;
    let status = match hovered {
        Some((_, piece)) => describe(piece, x_len, &joined),
        None => "Point at or focus a copy (Tab to the drawing of y, then arrow keys) to see the bytes it repeats.".to_string(),
    };

    html! {
        <div class="parse" onmouseover={on_over} onmouseleave={on_leave} onfocusin={on_focus}>
            <p class="legend" id="parse-legend">
                <span class="swatch from-x">{ "copied from x" }</span>
                <span class="swatch same">{ "copied from earlier in the same text" }</span>
                <span class="swatch lit">{ "literal" }</span>
                { format!(" {} of y's {} bytes ({}) came from x; {} from earlier in y; {} are literals.",
                    drawing.y_from_x, drawing.y_len, share(drawing.y_from_x), share(drawing.y_from_y), share(literal)) }
            </p>
            <h3>{ "x" }</h3>
            <pre class="drawn" id="drawn-x">{ draw(&joined, pieces, (0, x_len), highlight, None) }</pre>
            <h3>{ "y" }</h3>
            <pre class="drawn" id="drawn-y" onkeydown={on_key} aria-describedby="parse-status">
                { draw(&joined, pieces, (x_len, joined.len()), highlight, focus) }
            </pre>
            <p class="parse-status" id="parse-status" aria-live="polite">{ status }</p>
        </div>
    }
}
