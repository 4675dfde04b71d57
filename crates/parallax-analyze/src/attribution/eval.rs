//! Scoring against PolNeAR-style brat annotations.
//!
//! Content: precision, recall and F1 where each predicted content earns the
//! share of it that overlaps gold contents, and each gold content the share
//! of it covered by predictions (the PTC span metric, on code points; a
//! content made of several fragments is one unit). Source accuracy: among
//! gold attributions with a source whose content some prediction overlaps,
//! the share where the best-overlapping prediction's source span overlaps
//! the gold source span. The same figures for direct quotations alone:
//! gold and predicted attributions whose content opens with a quotation
//! mark (one test for both sides).

use super::AttributionLayer;
use parallax_core::Document;
use std::collections::HashMap;

/// A code-point range, end exclusive.
pub type Range = (usize, usize);

/// One attribution as a set of ranges per role.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Item {
    pub source: Vec<Range>,
    pub cue: Vec<Range>,
    pub content: Vec<Range>,
    /// For predictions: the rule that produced it (empty for gold).
    pub rule: String,
}

fn ranges(s: &str) -> Option<Vec<Range>> {
    s.split(';')
        .map(|r| {
            let mut it = r.split_whitespace();
            let a = it.next()?.parse().ok()?;
            let b = it.next()?.parse().ok()?;
            Some((a, b))
        })
        .collect()
}

/// Parses a brat `.ann` (PolNeAR flavour): `T` lines and `E` lines tying
/// `Source`, `Cue` and `Content`. Attributions without content are dropped.
pub fn parse_ann(ann: &str) -> Vec<Item> {
    let mut t: HashMap<&str, Vec<Range>> = HashMap::new();
    let mut events = Vec::new();
    for line in ann.lines() {
        let mut cols = line.split('\t');
        let (Some(id), Some(body)) = (cols.next(), cols.next()) else {
            continue;
        };
        if id.starts_with('T') && id[1..].bytes().all(|b| b.is_ascii_digit()) {
            if let Some((_, rs)) = body.split_once(' ') {
                if let Some(r) = ranges(rs) {
                    t.insert(id, r);
                }
            }
        } else if id.starts_with('E') && id[1..].bytes().all(|b| b.is_ascii_digit()) {
            events.push(body);
        }
    }
    let mut out = Vec::new();
    for e in events {
        let mut item = Item::default();
        for arg in e.split_whitespace() {
            let Some((role, tid)) = arg.split_once(':') else {
                continue;
            };
            let Some(r) = t.get(tid) else { continue };
            match role {
                "Source" => item.source = r.clone(),
                "Cue" => item.cue = r.clone(),
                "Content" => item.content = r.clone(),
                _ => {}
            }
        }
        if !item.content.is_empty() {
            out.push(item);
        }
    }
    out
}

fn len(rs: &[Range]) -> usize {
    rs.iter().map(|r| r.1.saturating_sub(r.0)).sum()
}

fn overlap(a: &[Range], b: &[Range]) -> usize {
    let mut n = 0;
    for x in a {
        for y in b {
            let s = x.0.max(y.0);
            let e = x.1.min(y.1);
            if e > s {
                n += e - s;
            }
        }
    }
    n
}

/// Characters of `content` covered by the contents of `items`.
fn covered(content: &[Range], items: &[Item]) -> usize {
    items.iter().map(|i| overlap(content, &i.content)).sum()
}

/// The item whose content overlaps `content` most (none when none does).
/// Ties go to the shorter content (the tighter fit: a gold attribution
/// nested in a predicted one's content matches the nested prediction,
/// whatever order the predictions come in), then to the earlier item.
fn best_match<'a>(content: &[Range], items: &'a [Item]) -> Option<&'a Item> {
    items
        .iter()
        .enumerate()
        .map(|(k, i)| (overlap(content, &i.content), i, k))
        .filter(|(o, _, _)| *o > 0)
        .max_by_key(|&(o, i, k)| (o, std::cmp::Reverse(len(&i.content)), std::cmp::Reverse(k)))
        .map(|(_, i, _)| i)
}

/// Running totals for one subset (all attributions, or direct quotes).
#[derive(Clone, Debug, Default)]
pub struct Score {
    pub predicted: usize,
    pub gold: usize,
    pub p_sum: f64,
    pub r_sum: f64,
    pub source_matched: usize,
    pub source_correct: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        parallax_core::metrics::mean(self.p_sum, self.predicted)
    }
    pub fn recall(&self) -> f64 {
        parallax_core::metrics::mean(self.r_sum, self.gold)
    }
    pub fn f1(&self) -> f64 {
        parallax_core::metrics::f1(self.precision(), self.recall())
    }
    pub fn source_accuracy(&self) -> f64 {
        if self.source_matched == 0 {
            0.0
        } else {
            self.source_correct as f64 / self.source_matched as f64
        }
    }

    /// Adds one document's predictions and gold items.
    pub fn add(&mut self, pred: &[Item], gold: &[Item]) {
        self.predicted += pred.len();
        self.gold += gold.len();
        for p in pred {
            let l = len(&p.content);
            if l > 0 {
                let o = covered(&p.content, gold);
                self.p_sum += (o as f64 / l as f64).min(1.0);
            }
        }
        for g in gold {
            let l = len(&g.content);
            if l > 0 {
                let o = covered(&g.content, pred);
                self.r_sum += (o as f64 / l as f64).min(1.0);
            }
            if g.source.is_empty() {
                continue;
            }
            if let Some(p) = best_match(&g.content, pred) {
                self.source_matched += 1;
                if overlap(&p.source, &g.source) > 0 {
                    self.source_correct += 1;
                }
            }
        }
    }
}

/// Error lines for one document, for reading what the scores count:
/// `FP` predicted contents with less than half of them in gold,
/// `FN` gold contents less than half covered, `SRC` matched attributions
/// whose predicted source misses the gold source (with both cues at the
/// end). Tab-separated, texts
/// cut to 160 characters.
/// `all_gold` is used to show, for a false positive, the gold content of
/// any kind that overlaps it most (or nothing).
pub fn error_lines(doc: &Document, pred: &[Item], gold: &[Item], all_gold: &[Item]) -> Vec<String> {
    let text = |rs: &[Range]| -> String {
        let mut s: String = rs
            .iter()
            .filter_map(|r| doc.span_from_cp(r.0, r.1))
            .map(|sp| doc.slice(&sp).replace(['\n', '\t'], " "))
            .collect::<Vec<_>>()
            .join(" … ");
        if s.chars().count() > 160 {
            s = s.chars().take(160).collect::<String>() + "…";
        }
        s
    };
    let mut out = Vec::new();
    for p in pred {
        let l = len(&p.content);
        if l > 0 && 2 * covered(&p.content, gold) < l {
            let near = best_match(&p.content, all_gold)
                .map(|g| format!("{} | {}", text(&g.source), text(&g.content)))
                .unwrap_or_default();
            out.push(format!(
                "{}\tFP\t{}\t{}\t{}\trule={}",
                doc.meta.id,
                text(&p.source),
                text(&p.content),
                near,
                p.rule
            ));
        }
    }
    for g in gold {
        let l = len(&g.content);
        if l > 0 && 2 * covered(&g.content, pred) < l {
            out.push(format!(
                "{}\tFN\t{}\t{}",
                doc.meta.id,
                text(&g.source),
                text(&g.content)
            ));
        }
        if g.source.is_empty() {
            continue;
        }
        if let Some(p) = best_match(&g.content, pred) {
            if overlap(&p.source, &g.source) == 0 {
                out.push(format!(
                    "{}\tSRC\tgold={}\tpred={}\t{}\trule={}\tgold_cue={}\tpred_cue={}",
                    doc.meta.id,
                    text(&g.source),
                    text(&p.source),
                    text(&g.content),
                    p.rule,
                    text(&g.cue),
                    text(&p.cue)
                ));
            }
        }
    }
    out
}

/// Predictions of a layer as items; the flag says "direct quotation".
pub fn predicted_items(doc: &Document, layer: &AttributionLayer) -> Vec<(Item, bool)> {
    layer
        .attributions
        .iter()
        .map(|a| {
            let item = Item {
                source: a
                    .source
                    .iter()
                    .map(|p| (p.span.cp_start, p.span.cp_end))
                    .collect(),
                cue: a
                    .cue
                    .iter()
                    .map(|c| (c.span.cp_start, c.span.cp_end))
                    .collect(),
                content: a
                    .content
                    .iter()
                    .map(|p| (p.span.cp_start, p.span.cp_end))
                    .collect(),
                rule: a.rule.to_string(),
            };
            // The same test as for gold: the content opens with a mark.
            let direct = a
                .content
                .first()
                .is_some_and(|p| opens_quote(doc.slice(&p.span)));
            (item, direct)
        })
        .collect()
}

fn opens_quote(s: &str) -> bool {
    s.trim_start().starts_with(['"', '“', '‘', '\'', '«', '„'])
}

/// Whether a gold item is a direct quotation (its content opens with a mark).
pub fn gold_is_direct(doc: &Document, g: &Item) -> bool {
    g.content
        .first()
        .and_then(|r| doc.span_from_cp(r.0, r.1))
        .is_some_and(|s| opens_quote(doc.slice(&s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_polnear_lines() {
        let ann = "T1\tSource 0 3\tBob\nT2\tCue 4 8\tsaid\nT3\tContent 9 12;14 16\txyz ab\nT4\tAttribution 4 8\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\nmultiline text\n";
        let items = parse_ann(ann);
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].content, vec![(9, 12), (14, 16)]);
        assert_eq!(items[0].source, vec![(0, 3)]);
    }

    #[test]
    fn partial_credit_metric() {
        let gold = vec![Item {
            source: vec![(0, 3)],
            cue: vec![],
            content: vec![(10, 20)],
            rule: String::new(),
        }];
        let pred = vec![Item {
            source: vec![(1, 2)],
            cue: vec![],
            content: vec![(15, 25)],
            rule: "test".into(),
        }];
        let mut s = Score::default();
        s.add(&pred, &gold);
        assert!((s.precision() - 0.5).abs() < 1e-9);
        assert!((s.recall() - 0.5).abs() < 1e-9);
        assert_eq!(s.source_accuracy(), 1.0);
        let mut empty = Score::default();
        empty.add(&[], &gold);
        assert_eq!(empty.f1(), 0.0);
    }

    #[test]
    fn nested_gold_matches_the_tighter_prediction_in_any_order() {
        let item = |source: Range, content: Range| Item {
            source: vec![source],
            cue: vec![],
            content: vec![content],
            rule: String::new(),
        };
        // "Officials(0-9) said that Bob(20-23) said the plan failed(29-44)".
        let gold = vec![item((0, 9), (15, 44)), item((20, 23), (29, 44))];
        let outer = item((0, 9), (15, 44));
        let inner = item((20, 23), (29, 44));
        for pred in [vec![outer.clone(), inner.clone()], vec![inner, outer]] {
            let mut s = Score::default();
            s.add(&pred, &gold);
            assert_eq!((s.source_matched, s.source_correct), (2, 2));
        }
    }
}
