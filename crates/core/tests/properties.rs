//! Property tests of the scoring core.

use proptest::prelude::*;
use zipfit_core::compress::{parse, pieces, Backend, Compressor, Lengths, Origin, Step};
use zipfit_core::jsonl::{Corpus, OnError, ReadOptions};
use zipfit_core::ncd::ncd;
use zipfit_core::score::{score_range, Method, Targets};

fn compressors() -> impl Strategy<Value = Compressor> {
    prop_oneof![
        (1u8..=9).prop_map(|level| Compressor::Gzip { level }),
        Just(Compressor::Lz4)
    ]
}

/// Every compressor scoring offers: those with a parse, and the C libraries.
fn scored_compressors() -> impl Strategy<Value = Compressor> {
    prop_oneof![
        searching_compressors(),
        (-7i8..=-1).prop_map(|level| Compressor::Zstd { level }),
    ]
}

/// The compressors that look for every repeat: all but zstd's negative levels, which
/// skip ahead over input they find no match in, and so may leave a short text repeated
/// almost whole.
fn searching_compressors() -> impl Strategy<Value = Compressor> {
    prop_oneof![
        compressors(),
        (3u8..=12).prop_map(|level| Compressor::Lz4Hc { level }),
        (1i8..=22).prop_map(|level| Compressor::Zstd { level }),
        Just(Compressor::Brotli),
        Just(Compressor::Lzma),
    ]
}

fn corpus(texts: &[String]) -> Corpus {
    let lines: Vec<String> = texts
        .iter()
        .map(|t| serde_json::json!({ "text": t }).to_string())
        .collect();
    Corpus::from_bytes("p", lines.join("\n").into_bytes(), &ReadOptions::default()).unwrap()
}

/// Random text, or a random unit repeated with edits (long matches, lazy decisions).
fn texts() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..3000),
        "[ab\n]{0,2000}".prop_map(String::into_bytes),
        (
            "[a-f (){}:\n]{1,40}",
            1usize..200,
            prop::collection::vec(any::<u8>(), 0..8)
        )
            .prop_map(|(unit, times, edits)| {
                let mut text = unit.repeat(times).into_bytes();
                for (k, e) in edits.iter().enumerate() {
                    let at = (k * 7919 + *e as usize) % text.len();
                    text[at] = *e;
                }
                text
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn parses_rebuild_their_input_within_the_formats_limits(text in texts(), compressor in compressors()) {
        let steps = parse(compressor, &text).unwrap();
        let mut rebuilt: Vec<u8> = Vec::with_capacity(text.len());
        for step in &steps {
            match *step {
                Step::Literal { len } => {
                    prop_assert!(len > 0);
                    let at = rebuilt.len();
                    rebuilt.extend_from_slice(&text[at..at + len]);
                }
                Step::Copy { len, distance } => {
                    let (min_len, max_len, max_distance) = match compressor {
                        Compressor::Gzip { .. } => (3, 258, 32 * 1024),
                        Compressor::Lz4 => (4, usize::MAX, 65_535),
                        other => unreachable!("{other} has no parse"),
                    };
                    prop_assert!((min_len..=max_len).contains(&len), "copy of {len}");
                    prop_assert!(distance >= 1 && distance <= max_distance.min(rebuilt.len()));
                    for _ in 0..len {
                        rebuilt.push(rebuilt[rebuilt.len() - distance]);
                    }
                }
            }
        }
        prop_assert_eq!(&rebuilt, &text);
        // Split into pieces at any point, every byte keeps its copy's source.
        let x_len = text.len() / 3;
        let all = pieces(&steps, x_len);
        prop_assert_eq!(all.iter().map(|p| p.len).sum::<usize>(), text.len());
        for p in &all {
            prop_assert!(p.start + p.len <= x_len || p.start >= x_len, "a piece crosses the end of x");
            if let Origin::Other { from, .. } = p.origin {
                prop_assert!(p.start >= x_len && from + p.len <= x_len);
            }
        }
    }

    #[test]
    fn ncd_of_a_text_with_itself_is_small(text in "[a-z (){}:\n]{40,400}", compressor in searching_compressors()) {
        let mut lengths = Lengths::new(compressor, Backend::Model);
        let c = lengths.len(text.as_bytes());
        let doubled = format!("{text}{text}");
        let d = ncd(c, c, lengths.len(doubled.as_bytes()));
        prop_assert!(d < 0.35, "NCD(x, x) = {d}");
    }

    #[test]
    fn scores_are_in_a_sane_range(
        sources in prop::collection::vec("\\PC{0,200}", 1..6),
        targets in prop::collection::vec("\\PC{0,200}", 1..4),
        compressor in scored_compressors(),
    ) {
        let targets = Targets::new(targets, Method { compressor, backend: Backend::Model });
        let scores = score_range(&corpus(&sources), 0..sources.len(), &targets).unwrap();
        for s in scores {
            prop_assert!(s.is_finite() && (-0.5..=1.0).contains(&s), "score {s}");
        }
    }

    #[test]
    fn scores_do_not_depend_on_thread_count(
        sources in prop::collection::vec("[a-zA-Z0-9 \n]{0,300}", 1..24),
        targets in prop::collection::vec("[a-zA-Z0-9 \n]{0,300}", 1..5),
        compressor in scored_compressors(),
    ) {
        let targets = Targets::new(targets, Method { compressor, backend: Backend::Model });
        let source = corpus(&sources);
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| score_range(&source, 0..source.len(), &targets).unwrap())
        };
        let one: Vec<u64> = run(1).iter().map(|s| s.to_bits()).collect();
        let four: Vec<u64> = run(4).iter().map(|s| s.to_bits()).collect();
        prop_assert_eq!(one, four);
    }

    #[test]
    fn every_line_is_a_record_a_blank_or_an_issue(lines in prop::collection::vec(
        prop_oneof![
            "[a-z]{0,10}".prop_map(|t| serde_json::json!({ "text": t }).to_string()),
            Just(String::new()),
            Just("   ".to_string()),
            Just("{\"other\": 1}".to_string()),
            "\\PC{0,20}",
        ],
        1..30,
    ), crlf in any::<bool>()) {
        let ending = if crlf { "\r\n" } else { "\n" };
        let bytes = lines.iter().map(|line| format!("{line}{ending}")).collect::<String>().into_bytes();
        let options = ReadOptions { on_error: OnError::Skip, ..ReadOptions::default() };
        if let Ok(corpus) = Corpus::from_bytes("p", bytes, &options) {
            prop_assert_eq!(corpus.len() + corpus.blank_lines() + corpus.issues().len(), lines.len());
        }
    }
}

/// Real-looking text: words, code and whitespace, so matches of every length occur.
fn texty() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(
                &["def ", "return ", "self.", "    ", "\n", "(x, y)", "the ", "int ", ": "][..]
            )
            .prop_map(str::to_string),
            "[a-z]{1,8}",
            "[ -~]{1,3}",
        ],
        0..400,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The prefix shortcut must give exactly the length of compressing the concatenation.
    #[test]
    fn prefixed_lengths_equal_whole_lengths(
        x in texty(), ys in prop::collection::vec(texty(), 1..4), compressor in compressors(),
    ) {
        let mut whole = Lengths::new(compressor, Backend::Model);
        let mut prefixed = Lengths::new(compressor, Backend::Model);
        prefixed.set_prefix(x.as_bytes());
        for y in &ys {
            let concatenated = format!("{x}{y}");
            prop_assert_eq!(prefixed.len_with_prefix(y.as_bytes()), whole.len(concatenated.as_bytes()));
        }
    }

    /// One model serving several prefixes in turn, as a scoring thread does, carries
    /// nothing from one prefix's runs into the next.
    #[test]
    fn prefixes_in_turn_leave_nothing_behind(
        xs in prop::collection::vec(texty(), 2..5), ys in prop::collection::vec(texty(), 1..4),
        compressor in compressors(),
    ) {
        let mut whole = Lengths::new(compressor, Backend::Model);
        let mut prefixed = Lengths::new(compressor, Backend::Model);
        for x in &xs {
            prefixed.set_prefix(x.as_bytes());
            for y in &ys {
                let concatenated = format!("{x}{y}");
                prop_assert_eq!(prefixed.len_with_prefix(y.as_bytes()), whole.len(concatenated.as_bytes()));
            }
        }
    }
}

/// Pairs near and past the sizes where the models stop keeping a prefix (zlib's window
/// slide near 64 KiB, LZ4's 64 KiB single block), and past zlib's 32 KiB window where
/// chain links share slots, still give the lengths of whole compression.
#[test]
fn large_pairs_give_whole_lengths() {
    // Deterministic text with both repeats and novelty, so every kind of match occurs.
    let mut state = 0x2545_f491_u32;
    let mut text = String::new();
    while text.len() < 140_000 {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let words = [
            "def ", "return ", "self.", "    ", "\n", "value", "(x, y)", ": ",
        ];
        text.push_str(words[(state % 8) as usize]);
        text.push(char::from(b'a' + (state >> 8) as u8 % 26));
    }
    let bytes = text.as_bytes();
    let sizes = [
        (300, 20_000),
        (16_000, 16_000),
        (20_000, 13_000),
        (30_000, 2_000),
        (32_000, 700),
        (33_000, 30_000),
        (40_000, 25_000),
        (50_000, 15_000),
        (60_000, 5_000),
        (60_000, 10_000),
        (65_000, 200),
        (65_000, 273),
        (65_000, 300),
        (70_000, 70_000),
    ];
    for compressor in [
        Compressor::Lz4,
        Compressor::Gzip { level: 9 },
        Compressor::Gzip { level: 1 },
    ] {
        let mut whole = Lengths::new(compressor, Backend::Model);
        let mut prefixed = Lengths::new(compressor, Backend::Model);
        for (x_len, y_len) in sizes {
            let (x, y) = (&bytes[..x_len], &bytes[x_len..x_len + y_len]);
            prefixed.set_prefix(x);
            assert_eq!(
                prefixed.len_with_prefix(y),
                whole.len(&bytes[..x_len + y_len]),
                "{compressor}, {x_len} + {y_len} bytes"
            );
            assert_eq!(
                prefixed.len_with_prefix(&y[..100]),
                whole.len(&bytes[..x_len + 100])
            );
        }
    }
}
