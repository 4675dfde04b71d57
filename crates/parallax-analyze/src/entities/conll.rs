//! CoNLL-2003 files: reading, writing predictions, and the entity-level
//! metric of the `conlleval` script (a mention counts only when its type and
//! both boundaries match).

use std::collections::BTreeMap;
use std::fmt::Write;

/// One sentence: the original lines (kept for `--conll-in` output), the
/// tokens (first column) and the gold tags (last column).
#[derive(Clone, Debug, Default)]
pub struct ConllSentence {
    pub lines: Vec<String>,
    pub tokens: Vec<String>,
    pub tags: Vec<String>,
}

/// One document (between `-DOCSTART-` lines). `docstart` holds the
/// `-DOCSTART-` line itself when the file had one.
#[derive(Clone, Debug, Default)]
pub struct ConllDoc {
    pub docstart: Option<String>,
    pub sentences: Vec<ConllSentence>,
}

impl ConllDoc {
    pub fn token_count(&self) -> usize {
        self.sentences.iter().map(|s| s.tokens.len()).sum()
    }
}

/// Error naming the line of a malformed CoNLL file.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ConllError {
    pub line: usize,
    pub reason: String,
}

/// Parses CoNLL text: one token a line (`token ... TAG`, space or tab
/// separated), blank lines between sentences, `-DOCSTART-` between documents.
/// A file without `-DOCSTART-` is one document.
pub fn parse(text: &str) -> Result<Vec<ConllDoc>, ConllError> {
    let mut docs: Vec<ConllDoc> = Vec::new();
    let mut doc = ConllDoc::default();
    let mut sent = ConllSentence::default();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !sent.tokens.is_empty() {
                doc.sentences.push(std::mem::take(&mut sent));
            }
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols[0] == "-DOCSTART-" {
            if !sent.tokens.is_empty() {
                doc.sentences.push(std::mem::take(&mut sent));
            }
            if !doc.sentences.is_empty() || doc.docstart.is_some() {
                docs.push(std::mem::take(&mut doc));
            }
            doc.docstart = Some(line.to_string());
            continue;
        }
        if cols.len() < 2 {
            return Err(ConllError {
                line: n + 1,
                reason: format!("expected `token ... TAG`, found {line:?}"),
            });
        }
        let tag = cols[cols.len() - 1];
        if !(tag == "O" || tag.starts_with("B-") || tag.starts_with("I-")) {
            return Err(ConllError {
                line: n + 1,
                reason: format!("last column {tag:?} is not an IOB tag (O, B-X, I-X)"),
            });
        }
        sent.lines.push(line.to_string());
        sent.tokens.push(cols[0].to_string());
        sent.tags.push(tag.to_string());
    }
    if !sent.tokens.is_empty() {
        doc.sentences.push(sent);
    }
    if !doc.sentences.is_empty() || doc.docstart.is_some() {
        docs.push(doc);
    }
    Ok(docs)
}

/// A typed chunk `[start, end)` over token indices.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Chunk {
    pub start: usize,
    pub end: usize,
    pub label: String,
}

fn split_tag(t: &str) -> (char, &str) {
    if t == "O" || t.len() < 3 {
        ('O', "")
    } else {
        (t.as_bytes()[0] as char, &t[2..])
    }
}

/// Chunks of a tag sequence, read the way `conlleval` reads them: a chunk
/// starts at `B-X`, or at `I-X` after anything but `B-X`/`I-X` (so IOB1 and
/// sloppy IOB2 both work).
pub fn chunks<S: AsRef<str>>(tags: &[S]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (p, ty) = split_tag(t.as_ref());
        let continues = p == 'I' && open.as_ref().is_some_and(|(_, l)| l == ty);
        if !continues {
            if let Some((s, l)) = open.take() {
                out.push(Chunk {
                    start: s,
                    end: i,
                    label: l,
                });
            }
            if p != 'O' {
                open = Some((i, ty.to_string()));
            }
        }
    }
    if let Some((s, l)) = open {
        out.push(Chunk {
            start: s,
            end: tags.len(),
            label: l,
        });
    }
    out
}

/// Counts of the entity-level metric, per type and overall.
#[derive(Clone, Debug, Default)]
pub struct Score {
    /// label -> (correct, predicted, gold)
    pub per_type: BTreeMap<String, (usize, usize, usize)>,
    pub tokens: usize,
    pub tokens_correct: usize,
}

fn prf(c: usize, p: usize, g: usize) -> (f64, f64, f64) {
    let pr = if p == 0 { 0.0 } else { c as f64 / p as f64 };
    let re = if g == 0 { 0.0 } else { c as f64 / g as f64 };
    let f = if pr + re == 0.0 {
        0.0
    } else {
        2.0 * pr * re / (pr + re)
    };
    (pr, re, f)
}

impl Score {
    /// Adds one sentence (gold and predicted tags, same length).
    pub fn add<S: AsRef<str>, T: AsRef<str>>(&mut self, gold: &[S], pred: &[T]) {
        assert_eq!(gold.len(), pred.len());
        self.tokens += gold.len();
        self.tokens_correct += gold
            .iter()
            .zip(pred)
            .filter(|(g, p)| g.as_ref() == p.as_ref())
            .count();
        let g = chunks(gold);
        let p = chunks(pred);
        for c in &g {
            self.per_type.entry(c.label.clone()).or_default().2 += 1;
        }
        for c in &p {
            let e = self.per_type.entry(c.label.clone()).or_default();
            e.1 += 1;
            if g.contains(c) {
                e.0 += 1;
            }
        }
    }

    pub fn totals(&self) -> (usize, usize, usize) {
        self.per_type
            .values()
            .fold((0, 0, 0), |a, v| (a.0 + v.0, a.1 + v.1, a.2 + v.2))
    }

    /// Overall (precision, recall, F1) over all types.
    pub fn overall(&self) -> (f64, f64, f64) {
        let (c, p, g) = self.totals();
        prf(c, p, g)
    }

    /// (precision, recall, F1) of one type.
    pub fn of(&self, label: &str) -> (f64, f64, f64) {
        let (c, p, g) = self.per_type.get(label).copied().unwrap_or_default();
        prf(c, p, g)
    }

    /// A conlleval-like table.
    pub fn report(&self) -> String {
        let mut s = String::new();
        let (c, p, g) = self.totals();
        let (pr, re, f) = self.overall();
        let _ = writeln!(
            s,
            "processed {} tokens with {} gold entities; found {}; correct {}",
            self.tokens, g, p, c
        );
        let _ = writeln!(
            s,
            "accuracy {:6.2}%; precision {:6.2}%; recall {:6.2}%; F1 {:6.2}",
            100.0 * self.tokens_correct as f64 / self.tokens.max(1) as f64,
            100.0 * pr,
            100.0 * re,
            100.0 * f
        );
        for (l, &(c, p, g)) in &self.per_type {
            let (pr, re, f) = prf(c, p, g);
            let _ = writeln!(
                s,
                "{:>6}: precision {:6.2}%; recall {:6.2}%; F1 {:6.2}  (gold {g}, found {p})",
                l,
                100.0 * pr,
                100.0 * re,
                100.0 * f
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_like_conlleval() {
        let t = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-LOC", "I-ORG"];
        let c = chunks(&t);
        assert_eq!(c.len(), 4);
        assert_eq!((c[0].start, c[0].end, c[0].label.as_str()), (0, 2, "PER"));
        assert_eq!((c[1].start, c[1].end), (3, 5));
        assert_eq!((c[2].start, c[2].end), (5, 6));
        assert_eq!((c[3].start, c[3].end, c[3].label.as_str()), (6, 7, "ORG"));
    }

    #[test]
    fn score_counts_exact_matches_only() {
        let mut s = Score::default();
        s.add(
            &["B-PER", "I-PER", "O", "B-LOC"],
            &["B-PER", "O", "O", "B-LOC"],
        );
        let (c, p, g) = s.totals();
        assert_eq!((c, p, g), (1, 2, 2));
        assert_eq!(s.of("LOC").2, 1.0);
        assert_eq!(s.of("PER").2, 0.0);
    }

    #[test]
    fn parse_docs_and_errors() {
        let t = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n-DOCSTART- -X- O O\n\nPeter NNP B-NP B-PER\n";
        let d = parse(t).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].sentences[0].tokens, vec!["EU", "rejects"]);
        assert_eq!(d[1].sentences[0].tags, vec!["B-PER"]);
        let e = parse("EU NNP B-NP X-ORG\n").unwrap_err();
        assert_eq!(e.line, 1);
    }
}
