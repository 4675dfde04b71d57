//! A long sentence is compared whole and by halves; the halves point at
//! their whole, and one finding is never shown twice through them.

use parallax_analyze::Pipeline;
use parallax_compare::{compare_documents, Comparer};
use parallax_core::Document;

const LONG2: &str = "When the delegates finally met in the old conference hall on the lake shore, the two sides agreed on a schedule for the next round of talks in the spring after many months of delay and mutual recrimination.";

const LONG: &str = "In a detailed report published by the agency last spring after two years of field work, the researchers documented how North Korea trained and armed Palestinian fighters throughout the 1970s and the 1980s.";

fn overlaps(a: parallax_core::Span, b: parallax_core::Span) -> bool {
    a.start < b.end && b.start < a.end
}

#[test]
fn halves_point_at_their_whole_sentence() {
    // two long sentences: the second one's halves come after the first's
    let text = format!("{LONG2} {LONG} Officials declined to comment on the findings.");
    let a = Pipeline::default().analyze(Document::from_text("a", &text));
    let views = Comparer::default().views(&[a]);
    let s = &views[0].sentences;
    let halves: Vec<_> = s.iter().filter(|u| u.part_of.is_some()).collect();
    assert_eq!(
        halves.len(),
        4,
        "{:?}",
        s.iter().map(|u| &u.text).collect::<Vec<_>>()
    );
    for h in halves {
        let whole = &s[h.part_of.unwrap()];
        assert!(whole.part_of.is_none());
        assert!(
            whole.span.start <= h.span.start && h.span.end <= whole.span.end,
            "{} not in {}",
            h.text,
            whole.text
        );
    }
}

/// On the two sample articles a long sentence and its first half both
/// aligned with one sentence of the other article (the same finding shown
/// twice) before families were aligned once.
#[test]
fn a_sentence_and_its_half_do_not_align_twice_with_one_partner() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/samples");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    let docs = names
        .iter()
        .map(|p| Document::from_text("x", &std::fs::read_to_string(p).unwrap()))
        .collect();
    let c = compare_documents(docs, &Pipeline::default());
    assert!(!c.aligned.is_empty());
    for (k, x) in c.aligned.iter().enumerate() {
        for y in &c.aligned[k + 1..] {
            let same_partner = (0..2).any(|side| {
                x.sides[side].span == y.sides[side].span
                    && overlaps(x.sides[1 - side].span, y.sides[1 - side].span)
            });
            assert!(
                !same_partner,
                "{} and {} show one finding twice: {:?} / {:?}",
                x.id, y.id, x.sides[0].text, y.sides[0].text
            );
        }
    }
}
