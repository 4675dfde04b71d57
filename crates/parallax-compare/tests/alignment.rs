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

fn compare(a: &str, b: &str) -> parallax_compare::Comparison {
    compare_documents(
        vec![Document::from_text("a", a), Document::from_text("b", b)],
        &Pipeline::default(),
    )
}

/// A short line of its own without final punctuation is a heading: it is
/// neither aligned nor a claim, however many names it shares.
#[test]
fn a_heading_line_does_not_align() {
    let a = "The weather was mild on Friday.\n\nIran, North Korea and the Geneva nuclear deal\n\nThe markets closed higher.";
    let b =
        "Envoys from Iran and North Korea met in Geneva on Friday to talk about the nuclear deal.";
    let c = compare(a, b);
    assert!(c.aligned.is_empty(), "{:?}", c.aligned);
    let views =
        Comparer::default().views(&[Pipeline::default().analyze(Document::from_text("a", a))]);
    let h = views[0]
        .sentences
        .iter()
        .find(|s| s.text.starts_with("Iran, North Korea"))
        .unwrap();
    assert!(h.heading && !h.claim);
    assert!(views[0].sentences.iter().filter(|s| s.heading).count() == 1);
}

/// Two loosely similar sentences with different dates are two events (an
/// interview of 1986 and one of 1971), not one claim with two dates; the
/// same sentence with another amount stays one claim with differing values.
#[test]
fn loose_pairs_with_different_dates_do_not_align_as_one_claim() {
    let c = compare(
        "In an October 16, 1986, interview with the Egyptian newspaper Al Massa, Kim Il Sung states:",
        "As Kim Il Sung told an Iraqi reporter in 1971:",
    );
    assert!(
        c.aligned.iter().all(|x| x.differing_values.is_none()),
        "{:?}",
        c.aligned
    );
    let c = compare(
        "The House voted to give Israel $14.3 billion in military aid on November 2, 2023.",
        "The House voted to give Israel $12 billion in military aid on November 2, 2023.",
    );
    assert_eq!(c.aligned.len(), 1);
    let [p, q] = c.aligned[0].differing_values.clone().unwrap();
    assert_eq!(
        (p, q),
        (
            vec!["$14.3 billion".to_string()],
            vec!["$12 billion".to_string()]
        )
    );
}

/// Dates come from the quantities layer: `October 16, 1986` is one date
/// (not the count 16 and the year 1986) and falls within `1986` and within
/// `the 1980s`.
#[test]
fn dates_are_whole_and_fall_within_their_year_and_decade() {
    let a = Pipeline::default().analyze(Document::from_text(
        "a",
        "In an October 16, 1986, interview, he spoke. He spoke in 1986. He spoke in the 1980s.",
    ));
    let v = Comparer::default().views(&[a]);
    assert_eq!(v[0].provenance.values, "layer");
    let vals: Vec<_> = v[0]
        .sentences
        .iter()
        .flat_map(|s| s.values.clone())
        .collect();
    assert_eq!(
        vals.iter().map(|x| x.text.as_str()).collect::<Vec<_>>(),
        ["October 16, 1986", "1986", "1980s"]
    );
    assert!(vals[0].compatible(&vals[1]) && vals[0].compatible(&vals[2]));
    assert!(vals[1].compatible(&vals[2]));
}

/// A unit that is mostly names and title words (the first half of a long
/// sentence: an intro phrase and a book title) says nothing to align on.
#[test]
fn a_unit_of_names_and_title_words_has_few_plain_words() {
    let t = "In his 2018 book, North Korea’s Military Proliferation in the Middle East and Africa, Dr. Bruce Bechtol provided a thorough record of North Korea’s proliferation to Iran, Syria, and terrorist groups, including Hamas and Hezbollah.";
    let a = Pipeline::default().analyze(Document::from_text("a", t));
    let v = Comparer::default().views(&[a]);
    let s = &v[0].sentences;
    let first = s
        .iter()
        .find(|u| u.part_of.is_some() && u.text.starts_with("In his 2018 book"))
        .expect("the first half");
    assert!(
        first.plain_words < 2,
        "{}: {}",
        first.text,
        first.plain_words
    );
    assert!(s[0].part_of.is_none() && s[0].plain_words >= 5);
}

/// The pair score is turned into the probability that two units state one
/// fact (calibrated on hand-labelled pairs, bench/align/pairs.tsv): a close
/// retelling keeps a same-fact label, two different facts on one topic
/// align as `related`, and the probability rises with the score.
#[test]
fn same_topic_pairs_are_related_and_retellings_keep_their_label() {
    use parallax_compare::{calibrated, AlignLabel, SAME_FACT_CALIBRATION};
    let same_fact_probability = |x| calibrated(SAME_FACT_CALIBRATION, x);
    let c = compare(
        "The Senate passed the highway bill on Tuesday by a vote of 83 to 16.",
        "On Tuesday the Senate passed the highway bill, 83 to 16.",
    );
    assert_eq!(c.aligned.len(), 1, "{:?}", c.aligned);
    assert_eq!(c.aligned[0].label, AlignLabel::SameClaim, "{:?}", c.aligned);
    assert!(c.aligned[0].confidence >= 0.5);
    let c = compare(
        "Clinton won the Delaware primary with strong support from black voters.",
        "Sanders won the Rhode Island primary with strong support from young voters.",
    );
    assert_eq!(c.aligned.len(), 1, "{:?}", c.aligned);
    assert_eq!(c.aligned[0].label, AlignLabel::Related, "{:?}", c.aligned);
    assert!(c.aligned[0].confidence < 0.5);
    assert_eq!(c.related_count(), 1);
    assert!(parallax_compare::summary(&c)
        .contains("aligned claims: 1 (0 likely the same fact, 1 related passages)"));
    let mut last = 0.0;
    for k in 0..=20 {
        let p = same_fact_probability(k as f32 / 20.0);
        assert!(p > last && p < 1.0);
        last = p;
    }
    assert!((same_fact_probability(0.636) - 0.5).abs() < 0.01);
}

/// A sentence aligns at most once with the other article: when two of its
/// sentences retell it equally well, one pair is shown (the first), and
/// swapping the articles shows the mirrored pair.
#[test]
fn a_sentence_aligns_once_with_the_other_article() {
    let a = "The Senate passed the highway bill on Tuesday by a vote of 83 to 16.";
    let b = "On Tuesday the Senate passed the highway bill, 83 to 16. The Senate on Tuesday passed the highway bill 83 to 16.";
    let c = compare(a, b);
    assert_eq!(c.aligned.len(), 1, "{:?}", c.aligned);
    assert!(c.aligned[0].sides[1].text.starts_with("On Tuesday"));
    let d = compare(b, a);
    assert_eq!(d.aligned.len(), 1, "{:?}", d.aligned);
    assert_eq!(d.aligned[0].sides[0].text, c.aligned[0].sides[1].text);
}
