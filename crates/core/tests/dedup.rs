//! MinHash dedup against exact Jaccard, on real texts with planted near-duplicates.

mod common;

use zipfit_core::dedup::{self, jaccard, shingles};
use zipfit_core::select::Budget;

/// A small seeded generator (64-bit LCG), so the planted edits are the same every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `text` with each word replaced, with probability `rate`, by a word from elsewhere.
fn edited(text: &str, rate: f64, vocabulary: &[&str], rng: &mut Lcg) -> String {
    text.split_whitespace()
        .map(|w| {
            if (rng.next() % 1_000_000) as f64 / 1e6 < rate {
                vocabulary[rng.below(vocabulary.len())]
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The records left out by the same greedy walk with exact Jaccard.
fn exact_walk(texts: &[String], order: &[u32], threshold: f64) -> Vec<u32> {
    let sets: Vec<Vec<u64>> = texts.iter().map(|t| shingles(t)).collect();
    let mut kept: Vec<u32> = Vec::new();
    let mut dropped = Vec::new();
    for &i in order {
        if kept
            .iter()
            .any(|&k| jaccard(&sets[i as usize], &sets[k as usize]) >= threshold)
        {
            dropped.push(i);
        } else {
            kept.push(i);
        }
    }
    dropped
}

#[test]
fn minhash_finds_planted_near_duplicates_as_exact_jaccard_does() {
    let base: Vec<String> = common::texts(&common::data_dir().join("source.jsonl"))
        .into_iter()
        .filter(|t| t.split_whitespace().count() >= 20)
        .take(600)
        .collect();
    let all_words: Vec<&str> = base.iter().flat_map(|t| t.split_whitespace()).collect();
    let mut rng = Lcg(7);
    let mut texts = base.clone();
    for (r, rate) in [0.0, 0.01, 0.03, 0.05, 0.1, 0.2, 0.4]
        .into_iter()
        .enumerate()
    {
        for k in 0..80 {
            let original = &base[(r * 80 + k) % base.len()];
            texts.push(edited(original, rate, &all_words, &mut rng));
        }
    }
    // A seeded shuffle stands for a ranking.
    let mut order: Vec<u32> = (0..texts.len() as u32).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    let scores: Vec<f64> = vec![0.5; texts.len()];
    for threshold in [0.8, 0.6, 0.9] {
        let truth = exact_walk(&texts, &order, threshold);
        let got = dedup::select::<_, ()>(
            &order,
            &scores,
            Budget::All,
            threshold,
            |_| 1,
            |i| Ok(texts[i].clone()),
        )
        .unwrap();
        let found: Vec<u32> = got.duplicates.iter().map(|d| d.index).collect();
        let both = found.iter().filter(|i| truth.contains(i)).count() as f64;
        let (precision, recall) = (both / found.len() as f64, both / truth.len() as f64);
        eprintln!(
            "threshold {threshold}: {} true near-duplicates, {} found, precision {precision:.3}, recall {recall:.3}",
            truth.len(),
            found.len()
        );
        assert!(
            truth.len() >= 150,
            "the planted copies should be near-duplicates"
        );
        assert!(
            precision >= 0.95 && recall >= 0.95,
            "precision {precision}, recall {recall}"
        );
        assert_eq!(got.kept.len() + got.duplicates.len(), texts.len());
    }
}

#[test]
fn the_budget_is_met_from_further_down() {
    let texts: Vec<String> = common::texts(&common::data_dir().join("source.jsonl"))
        .into_iter()
        .take(300)
        .collect();
    // Every record twice in a row: half the walk is copies.
    let doubled: Vec<String> = texts.iter().flat_map(|t| [t.clone(), t.clone()]).collect();
    let order: Vec<u32> = (0..doubled.len() as u32).collect();
    let scores: Vec<f64> = (0..doubled.len()).map(|i| -(i as f64)).collect();
    let got = dedup::select::<_, ()>(
        &order,
        &scores,
        Budget::Count(250),
        0.8,
        |_| 1,
        |i| Ok(doubled[i].clone()),
    )
    .unwrap();
    assert_eq!(got.kept.len(), 250);
    // Each kept record's copy, just after it, is left out.
    let left_out: Vec<u32> = got.duplicates.iter().map(|d| d.index).collect();
    let walked_past = &got.kept[..got.kept.len() - 1]; // the walk stops after the last
    for &k in walked_past.iter().filter(|&&k| k % 2 == 0) {
        assert!(left_out.contains(&(k + 1)), "the copy of {k}");
    }
    assert!(got.duplicates.iter().all(|d| d.similarity >= 0.8));
    let tokens = |i: usize| doubled[i].len() as u64 / 4;
    let budget = 20_000;
    let by_tokens =
        dedup::select::<_, ()>(&order, &scores, Budget::Tokens(budget), 0.8, tokens, |i| {
            Ok(doubled[i].clone())
        })
        .unwrap();
    let used: u64 = by_tokens.kept.iter().map(|&i| tokens(i as usize)).sum();
    let largest = (0..doubled.len()).map(tokens).max().unwrap();
    // Within the budget, and stopped only because the next record kept would pass it.
    assert!(used <= budget && used + largest > budget, "{used}");
}
