//! The playground's state: two texts, the compressor whose parse is drawn, and the
//! worker's latest answer. Changed only through [`PlaygroundAction`]s (by the page's
//! reducer); drawn by `crate::page::views::PlaygroundView`.

use zipfit_core::compress::Compressor;

use crate::page::shared::Shared;
use crate::protocol::Pairing;

/// The pair a first visit opens with: two functions that share most of their text.
const EXAMPLE_X: &str = "def mean(values):\n    \"\"\"Return the arithmetic mean of values.\"\"\"\n    return sum(values) / len(values)\n";
const EXAMPLE_Y: &str = "def median(values):\n    \"\"\"Return the median of values.\"\"\"\n    ordered = sorted(values)\n    return ordered[len(ordered) // 2]\n";

/// Texts up to this many bytes each are sent at once on every change; longer ones when
/// the user pauses ([`PAUSE_MS`]).
pub const LIVE_BYTES: usize = 16 * 1024;
/// The pause after which long texts are sent.
pub const PAUSE_MS: i32 = 400;

/// What the figures on screen were computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub x: String,
    pub y: String,
    pub pairing: Pairing,
}

/// The playground.
#[derive(Debug, Clone, PartialEq)]
pub struct Playground {
    pub x: String,
    pub y: String,
    /// The compressor whose parse is drawn.
    pub drawn: Compressor,
    /// Counts changes to the texts or to `drawn`; a request carries it as its id.
    pub revision: u32,
    /// The request in flight: its revision and texts.
    pub sent: Option<(u32, String, String)>,
    /// The latest answer, with the texts it was computed from.
    pub shown: Option<Shared<Shown>>,
    /// The piece of the drawing under the pointer or focus (an index into its pieces).
    pub hovered: Option<usize>,
    /// The share link, or why there is none.
    pub share: Option<Result<String, String>>,
}

impl Default for Playground {
    fn default() -> Self {
        Playground {
            x: EXAMPLE_X.to_string(),
            y: EXAMPLE_Y.to_string(),
            drawn: Compressor::Gzip { level: 9 },
            revision: 1,
            sent: None,
            shown: None,
            hovered: None,
            share: None,
        }
    }
}

/// Everything that changes the playground.
#[derive(Debug)]
pub enum PlaygroundAction {
    SetX(String),
    SetY(String),
    /// Both texts at once (a shared link, a record and a target from the table).
    Load {
        x: String,
        y: String,
    },
    Swap,
    Clear,
    SetDrawn(Compressor),
    /// A request for `revision` was sent with these texts.
    Sent(u32),
    Answer(Pairing),
    Hover(Option<usize>),
    Share(Result<String, String>),
}

impl Playground {
    /// True when the figures shown are not those of the current texts.
    pub fn stale(&self) -> bool {
        self.shown
            .as_ref()
            .is_none_or(|s| s.pairing.id != self.revision)
    }

    pub fn apply(&mut self, action: PlaygroundAction) {
        let edited = matches!(
            action,
            PlaygroundAction::SetX(_)
                | PlaygroundAction::SetY(_)
                | PlaygroundAction::Load { .. }
                | PlaygroundAction::Swap
                | PlaygroundAction::Clear
                | PlaygroundAction::SetDrawn(_)
        );
        match action {
            PlaygroundAction::SetX(x) => self.x = x,
            PlaygroundAction::SetY(y) => self.y = y,
            PlaygroundAction::Load { x, y } => {
                self.x = x;
                self.y = y;
            }
            PlaygroundAction::Swap => std::mem::swap(&mut self.x, &mut self.y),
            PlaygroundAction::Clear => {
                self.x.clear();
                self.y.clear();
            }
            PlaygroundAction::SetDrawn(compressor) => self.drawn = compressor,
            PlaygroundAction::Sent(revision) => {
                self.sent = Some((revision, self.x.clone(), self.y.clone()));
            }
            PlaygroundAction::Answer(pairing) => {
                if let Some((revision, x, y)) = self.sent.take() {
                    if revision == pairing.id {
                        self.shown = Some(Shared::new(Shown { x, y, pairing }));
                        self.hovered = None;
                    }
                }
            }
            PlaygroundAction::Hover(piece) => self.hovered = piece,
            PlaygroundAction::Share(link) => self.share = Some(link),
        }
        if edited {
            self.revision = self.revision.wrapping_add(1);
            self.share = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_dedicated_worker);

    fn answer(id: u32) -> Pairing {
        Pairing {
            id,
            lengths: Vec::new(),
            drawing: zipfit_core::explain::drawing(Compressor::Lz4, b"", b"").unwrap(),
        }
    }

    #[wasm_bindgen_test]
    fn an_answer_shows_the_texts_it_was_computed_from() {
        let mut p = Playground::default();
        p.apply(PlaygroundAction::Sent(p.revision));
        let sent = p.revision;
        p.apply(PlaygroundAction::SetX("new".into()));
        assert!(p.stale());
        p.apply(PlaygroundAction::Answer(answer(sent)));
        let shown = p.shown.clone().unwrap();
        assert_eq!(shown.x, EXAMPLE_X, "the texts sent, not the edited ones");
        assert!(
            p.stale() && p.sent.is_none(),
            "the edit still needs a request"
        );
    }
}
