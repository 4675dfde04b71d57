//! The techniques layer on the two sample articles, on PTC articles, and
//! its locality guarantee: the same sentence gets the same spans and
//! labels whichever article it appears in.

use parallax_analyze::techniques::{self, features::DocCtx, TechniquesLayer};
use parallax_core::Document;
use std::path::{Path, PathBuf};

/// `shared/` next to the checkout (CI: beside the clone; here: an ancestor).
fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared"))
        .find(|p| p.join("data").is_dir())
        .expect("shared/data next to the checkout")
}

fn samples() -> Vec<(String, String)> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(shared().join("samples"))
        .expect("../shared/samples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    v.iter()
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().to_string(),
                std::fs::read_to_string(p).unwrap(),
            )
        })
        .collect()
}

fn check_spans(doc: &Document, layer: &TechniquesLayer) {
    let chars: Vec<char> = doc.text.chars().collect();
    for s in &layer.spans {
        assert_eq!(doc.slice(&s.span), s.text);
        let by_cp: String = chars[s.span.cp_start..s.span.cp_end].iter().collect();
        assert_eq!(by_cp, s.text, "code-point offsets give the span text");
        assert!((0.0..=1.0).contains(&s.confidence));
        assert!(!s.evidence.is_empty(), "every span says why: {:?}", s.text);
    }
    let p = &layer.profile;
    assert_eq!(p.spans, layer.spans.len());
    assert!((0.0..=1.0).contains(&p.share));
    let counted: usize = p.techniques.iter().map(|e| e.count).sum();
    assert_eq!(counted, layer.spans.len());
}

#[test]
fn both_samples_get_techniques_with_evidence() {
    for (id, text) in samples() {
        let doc = Document::from_text(&id, &text);
        let layer = techniques::analyze(&doc);
        assert!(!layer.spans.is_empty(), "{id}: no technique found");
        check_spans(&doc, &layer);
    }
}

#[test]
fn output_does_not_depend_on_article_id() {
    for (_, text) in samples() {
        let a = techniques::analyze(&Document::from_text("one", &text));
        let b = techniques::analyze(&Document::from_text("article999", &text));
        assert_eq!(a, b);
    }
}

/// Sentences of `doc` that are usable for the transplant test: not among the
/// first four (headline/early-sentence features), no quotation mark before
/// them in their paragraph (quote state), and no word n-gram recurring in
/// the article (repetition features).
fn transplantable(doc: &Document) -> Vec<usize> {
    let ctx = DocCtx::new(doc);
    let segs = &doc.segments;
    (4..segs.sentences.len())
        .filter(|&i| {
            let s = &segs.sentences[i];
            let par = segs.paragraphs[s.paragraph];
            let before = &doc.text[par.start..s.span.start];
            !before.contains(['"', '“', '”', '«', '»'])
                && s.tokens.clone().all(|t| ctx.toks[t].rep == 0)
        })
        .collect()
}

#[test]
fn same_sentence_same_labels_in_either_article() {
    let s = samples();
    assert_eq!(s.len(), 2, "two sample articles");
    let mut compared = 0;
    for (from, to) in [(0, 1), (1, 0)] {
        let src = Document::from_text("src", &s[from].1);
        let src_layer = techniques::analyze(&src);
        for si in transplantable(&src) {
            let sent = src.segments.sentences[si].span;
            let inside: Vec<_> = src_layer
                .spans
                .iter()
                .filter(|x| sent.contains(&x.span))
                .collect();
            if inside.is_empty() {
                continue;
            }
            let sentence = src.slice(&sent);
            let host_text = format!("{}\n{}\n", s[to].1.trim_end(), sentence);
            let host = Document::from_text("host", &host_text);
            let offset = host_text.len() - sentence.len() - 1;
            let hs = host.segments.sentence_at(offset).unwrap();
            if host.segments.sentences[hs].span.start != offset
                || !transplantable(&host).contains(&hs)
            {
                continue; // its words recur in the host article: not comparable
            }
            let host_layer = techniques::analyze(&host);
            let moved: Vec<_> = host_layer
                .spans
                .iter()
                .filter(|x| x.span.start >= offset)
                .collect();
            assert_eq!(moved.len(), inside.len(), "{sentence}");
            for (a, b) in inside.iter().zip(&moved) {
                assert_eq!(a.text, b.text);
                assert_eq!(a.technique, b.technique, "{}", a.text);
                assert_eq!(a.span.start - sent.start, b.span.start - offset);
                assert!((a.confidence - b.confidence).abs() < 1e-6);
            }
            compared += 1;
        }
    }
    assert!(compared >= 3, "only {compared} sentences compared");
}

#[test]
fn ptc_article_spans_are_valid() {
    let dir = shared().join("data/ptc/train-articles");
    let p = dir.join("article111111111.txt");
    let text = std::fs::read_to_string(&p).expect("PTC article");
    let doc = Document::from_text("article111111111", &text);
    let layer = techniques::analyze(&doc);
    check_spans(&doc, &layer);
}
