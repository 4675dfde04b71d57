//! The embedded technique encoder (`analyze --techniques-encoder`) on the
//! two sample articles: spans with valid offsets, each saying first that
//! the encoder found it, and the locality guarantee at its scale: the
//! encoder reads a paragraph line at a time, so the same paragraph gets the
//! same spans and labels whichever article it appears in.

use parallax_analyze::techniques::{self, features::DocCtx, TechniquesLayer};
use parallax_compare::full::techniques::embedded;
use parallax_core::Document;
use std::path::{Path, PathBuf};

fn samples() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/samples"))
        .find(|p| p.is_dir())
        .expect("shared/samples next to the checkout");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    v.iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

fn fused(doc: &Document) -> TechniquesLayer {
    techniques::analyze_with(embedded(), doc)
}

#[test]
fn both_samples_get_encoder_spans_that_say_so() {
    for text in samples() {
        let doc = Document::from_text("s", &text);
        let layer = fused(&doc);
        assert!(
            layer.model.ends_with("+techniques-encoder-v1"),
            "{}",
            layer.model
        );
        assert!(!layer.spans.is_empty());
        let chars: Vec<char> = doc.text.chars().collect();
        for s in &layer.spans {
            let by_cp: String = chars[s.span.cp_start..s.span.cp_end].iter().collect();
            assert_eq!(by_cp, s.text);
            let e = &s.evidence[0];
            assert_eq!((e.kind, e.cue.as_str()), ("encoder", s.text.as_str()));
            assert!(e.note.contains("fine-tuned encoder"), "{}", e.note);
            assert!(s.evidence.len() > 1, "the technique's own cues follow");
            assert!((0.0..=1.0).contains(&s.confidence));
        }
        // the encoder changes what is found, not the layer's shape
        let linear = techniques::analyze(&doc);
        assert_ne!(
            linear.spans.iter().map(|s| s.span).collect::<Vec<_>>(),
            layer.spans.iter().map(|s| s.span).collect::<Vec<_>>()
        );
        assert_eq!(layer.profile.spans, layer.spans.len());
    }
}

/// The encoder reads one line at a time: a line's word probabilities are
/// the same alone, in its article and appended to the other article.
#[test]
fn the_encoder_sees_a_line_the_same_in_any_article() {
    let s = samples();
    let enc = &embedded().encoder;
    let mut checked = 0;
    for (from, to) in [(0, 1), (1, 0)] {
        let (src_words, src_p) = enc.word_probs(&s[from]);
        for line in s[from]
            .lines()
            .filter(|l| l.split_whitespace().count() > 5)
            .take(3)
        {
            let (ws, alone) = enc.word_probs(line);
            let at = s[from].find(line).unwrap();
            let k = src_words.iter().position(|w| w.start == at).unwrap();
            let host = format!("{}\n{}\n", s[to].trim_end(), line);
            let (hw, hp) = enc.word_probs(&host);
            let h = hw
                .iter()
                .position(|w| w.start == host.len() - line.len() - 1)
                .unwrap();
            for j in 0..ws.len() {
                assert!((alone[j] - src_p[k + j]).abs() < 1e-5, "{line}");
                assert!((alone[j] - hp[h + j]).abs() < 1e-5, "{line}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 6);
}

/// A paragraph moved to the end of the other article gets the same spans
/// and labels from the mixed model wherever the linear tagger reads its
/// tokens the same there. The linear tagger's repetition features count
/// a phrase's recurrences in the whole article, so most paragraphs read
/// differently once moved; those that read the same (two on the samples
/// and the example article) must get the same spans.
#[test]
fn same_paragraph_same_spans_and_labels_in_either_article() {
    let s = samples();
    assert_eq!(s.len(), 2, "two sample articles");
    let linear = embedded().linear;
    // hosts: the other sample, and an article on another subject (the two
    // samples share many phrases, which the linear tagger's repetition
    // features see)
    let other = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/article.txt"),
    )
    .unwrap();
    let mut compared = 0;
    for (from, host_article) in [(0, &s[1]), (1, &s[0]), (0, &other), (1, &other)] {
        let src = Document::from_text("src", &s[from]);
        let src_layer = fused(&src);
        let src_p = linear.token_probs(&DocCtx::new(&src));
        let mut here = 0;
        for par in src.segments.paragraphs.iter().skip(2) {
            let inside: Vec<_> = src_layer
                .spans
                .iter()
                .filter(|x| par.contains(&x.span))
                .collect();
            if inside.is_empty() || here == 2 {
                continue;
            }
            let para = src.slice(par);
            let host_text = format!("{}\n\n{}\n", host_article.trim_end(), para);
            let host = Document::from_text("host", &host_text);
            let offset = host_text.len() - para.len() - 1;
            let host_p = linear.token_probs(&DocCtx::new(&host));
            let toks = |d: &Document, p: &[f32], from: usize, to: usize| -> Vec<f32> {
                d.segments
                    .tokens
                    .iter()
                    .zip(p)
                    .filter(|(t, _)| t.span.start >= from && t.span.end <= to)
                    .map(|(_, &x)| x)
                    .collect()
            };
            let (a, b) = (
                toks(&src, &src_p, par.start, par.end),
                toks(&host, &host_p, offset, host_text.len()),
            );
            if a.len() != b.len() || a.iter().zip(&b).any(|(x, y)| (x - y).abs() > 1e-6) {
                continue; // the linear tagger reads it differently there
            }
            let moved: Vec<_> = fused(&host)
                .spans
                .into_iter()
                .filter(|x| x.span.start >= offset)
                .collect();
            assert_eq!(moved.len(), inside.len(), "{para}");
            for (a, b) in inside.iter().zip(&moved) {
                assert_eq!(a.text, b.text);
                assert_eq!(a.technique, b.technique, "{}", a.text);
                assert_eq!(a.span.start - par.start, b.span.start - offset);
                assert!((a.confidence - b.confidence).abs() < 1e-5);
            }
            here += 1;
        }
        compared += here;
    }
    assert!(compared >= 2, "only {compared} paragraphs compared");
}
