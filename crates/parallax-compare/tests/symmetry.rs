//! Invariant 4: swapping the inputs mirrors the output, and the same
//! wording gets the same label whichever side uses it.

use parallax_analyze::Pipeline;
use parallax_compare::{Comparer, Comparison};
use parallax_core::Document;
use proptest::prelude::*;
use std::collections::BTreeSet;

const POOL: &[&str] = &[
    "North Korea trained and armed Palestinian groups in the 1970s and 1980s.",
    "Pyongyang supplied weapons to Palestinian militants during the 1980s, according to a CIA document.",
    "North Korea did not arm Palestinian groups in the 1970s.",
    "The House voted to give Israel $14.3 billion in military aid on November 2.",
    "The House voted to give Israel $12 billion in military aid on November 2.",
    "Kim Il Sung said: “Israel is an outpost of aggression in the Middle East.”",
    "The minister said exports rose by 4 percent last year.",
    "Exports fell by 4 percent last year.",
    "The Kim regime oppresses its people at home and abroad.",
    "The DPRK recognizes Palestinian sovereignty over what is called Israel.",
    "Around 120,000 men, women, and children face forced labor in five camps.",
    "Hamas fighters crossed into Israel on October 7 and attacked civilians.",
    "The weather in Seoul was mild for the season, officials noted.",
    "Senator Lindsay Graham told the press he anticipated more aid.",
];

fn article(idx: &[usize]) -> String {
    idx.iter().map(|&i| POOL[i]).collect::<Vec<_>>().join(" ")
}

type Key = (String, bool, String, String, String);

/// Everything in a comparison, written so that article `i` is called `names[i]`.
fn canon(
    c: &Comparison,
    names: &[&str],
) -> (
    BTreeSet<Key>,
    BTreeSet<String>,
    BTreeSet<String>,
    BTreeSet<String>,
) {
    let mut al = BTreeSet::new();
    for a in &c.aligned {
        let mut sides: Vec<(String, String)> = a
            .sides
            .iter()
            .map(|s| (names[s.article].to_string(), s.text.clone()))
            .collect();
        let mut dv = a.differing_values.clone().map(|[x, y]| {
            vec![
                (names[a.sides[0].article], x),
                (names[a.sides[1].article], y),
            ]
        });
        if let Some(d) = dv.as_mut() {
            d.sort();
        }
        sides.sort();
        al.insert((
            format!("{:?} {:?} {}", a.label, dv, a.similarity),
            a.attribution_differs,
            format!("{:?}", a.judge),
            format!("{}:{}", sides[0].0, sides[0].1),
            format!("{}:{}", sides[1].0, sides[1].1),
        ));
    }
    let only = c
        .only_in_one
        .iter()
        .map(|o| {
            format!(
                "{} {} {} {:?} {:?}",
                names[o.article], o.kind, o.text, o.span, o.best_elsewhere
            )
        })
        .collect();
    let naming = c
        .naming
        .iter()
        .map(|n| {
            let mut per: Vec<String> = n
                .by_article
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    format!(
                        "{}={:?}",
                        names[i],
                        f.iter()
                            .map(|x| (&x.text, x.count, &x.kind))
                            .collect::<Vec<_>>()
                    )
                })
                .collect();
            per.sort();
            format!(
                "{} {} {} {:?}",
                n.entity, n.match_confidence, n.matched_by, per
            )
        })
        .collect();
    let quotes = c
        .quotes
        .iter()
        .map(|q| {
            let mut per: Vec<String> = q
                .by_article
                .iter()
                .enumerate()
                .map(|(i, x)| {
                    format!(
                        "{}={:?}",
                        names[i],
                        x.iter().map(|y| &y.text).collect::<Vec<_>>()
                    )
                })
                .collect();
            per.sort();
            format!("{} {:?}", q.speaker, per)
        })
        .collect();
    (al, only, naming, quotes)
}

fn run(texts: &[String]) -> Comparison {
    let p = Pipeline::default();
    let analyses: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| p.analyze(Document::from_text(&format!("d{i}"), t)))
        .collect();
    Comparer::default().compare(&analyses)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]
    #[test]
    fn swapping_inputs_mirrors_output(
        a in proptest::collection::vec(0..POOL.len(), 1..6),
        b in proptest::collection::vec(0..POOL.len(), 1..6),
    ) {
        let (ta, tb) = (article(&a), article(&b));
        let ab = run(&[ta.clone(), tb.clone()]);
        let ba = run(&[tb, ta]);
        prop_assert_eq!(canon(&ab, &["A", "B"]), canon(&ba, &["B", "A"]));
        let pa: Vec<_> = ab.profiles.iter().map(|p| (p.claims, p.quotes, p.claims_citing_nothing)).collect();
        let pb: Vec<_> = ba.profiles.iter().rev().map(|p| (p.claims, p.quotes, p.claims_citing_nothing)).collect();
        prop_assert_eq!(pa, pb);
    }
}

#[test]
fn same_wording_same_label_either_side() {
    // the same two sentences, placed on either side, get the same label and values
    let x =
        "The House voted to give Israel $14.3 billion in military aid on November 2.".to_string();
    let y = "The House voted to give Israel $12 billion in military aid on November 2.".to_string();
    let c1 = run(&[x.clone(), y.clone()]);
    let c2 = run(&[y, x]);
    assert_eq!(c1.aligned.len(), 1);
    assert_eq!(c1.aligned[0].label, c2.aligned[0].label);
    assert_eq!(format!("{:?}", c1.aligned[0].label), "DifferentValues");
    let [p, q] = c1.aligned[0].differing_values.clone().unwrap();
    let [r, s] = c2.aligned[0].differing_values.clone().unwrap();
    assert_eq!((p, q), (s, r));
}

#[test]
fn spans_are_the_evidence() {
    let texts = [article(&[0, 5, 8, 3]), article(&[1, 9, 4, 12])];
    let p = Pipeline::default();
    let analyses: Vec<_> = texts
        .iter()
        .map(|t| p.analyze(Document::from_text("d", t)))
        .collect();
    let c = Comparer::default().compare(&analyses);
    for a in &c.aligned {
        for s in &a.sides {
            let chars: String = texts[s.article]
                .chars()
                .skip(s.span.cp_start)
                .take(s.span.cp_end - s.span.cp_start)
                .collect();
            assert_eq!(chars, s.text);
        }
    }
    for o in &c.only_in_one {
        let chars: String = texts[o.article]
            .chars()
            .skip(o.span.cp_start)
            .take(o.span.cp_end - o.span.cp_start)
            .collect();
        assert_eq!(chars, o.text);
    }
}
