//! Features for span identification (one token at a time) and technique
//! classification (one span at a time).
//!
//! Features are hashed (FNV-1a) into a fixed number of buckets, so that
//! extraction allocates nothing per feature. The same extraction can also
//! emit readable names ([`NameSink`]) for the few spans whose evidence is
//! shown to users.
//!
//! Locality: every feature is a function of the token or span, its sentence,
//! its two neighbors either side, whether the sentence is the headline (first
//! line) or among the first sentences, and whether its word n-grams (n >= 2)
//! recur in the same article. Nothing depends on the article's id, source or
//! any other metadata, so the same phrase in the same local context gets the
//! same label whichever article uses it.

use super::lexicon::{self, LexEntry};
use parallax_core::{Document, TokenKind};
use std::ops::Range;

/// Receives features as a template name plus parts.
pub trait Sink {
    fn feat(&mut self, tpl: &str, parts: &[&str]);
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Stable 64-bit FNV-1a hash of a template and its parts.
pub fn hash_feature(tpl: &str, parts: &[&str]) -> u64 {
    let mut h = FNV_OFFSET;
    let mut eat = |b: u8| {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    };
    for &b in tpl.as_bytes() {
        eat(b);
    }
    for p in parts {
        eat(0x1f);
        for &b in p.as_bytes() {
            eat(b);
        }
    }
    h
}

/// Folds a 64-bit hash into `bits` bits.
pub fn bucket(h: u64, bits: u32) -> u32 {
    let x = h ^ (h >> 29) ^ (h >> 47);
    (x as u32) & ((1u32 << bits) - 1)
}

/// Collects bucket indices.
pub struct HashSink {
    pub bits: u32,
    pub out: Vec<u32>,
}

impl Sink for HashSink {
    fn feat(&mut self, tpl: &str, parts: &[&str]) {
        self.out.push(bucket(hash_feature(tpl, parts), self.bits));
    }
}

/// Collects readable feature names with their buckets (for evidence).
pub struct NameSink {
    pub bits: u32,
    pub out: Vec<(String, String, u32)>,
}

impl Sink for NameSink {
    fn feat(&mut self, tpl: &str, parts: &[&str]) {
        self.out.push((
            tpl.to_string(),
            parts.join(" "),
            bucket(hash_feature(tpl, parts), self.bits),
        ));
    }
}

/// One token with what the features need.
pub struct Tok<'a> {
    pub text: &'a str,
    pub lower: String,
    pub kind: TokenKind,
    pub shape: &'static str,
    pub lex: Option<&'static LexEntry>,
    pub in_quote: bool,
    pub sent: usize,
    /// Longest n (2 or 3) of a word n-gram holding this token that occurs
    /// at least twice in the article; 0 if none.
    pub rep: u8,
}

/// One sentence with summary counts.
pub struct Sent {
    pub toks: Range<usize>,
    pub index: usize,
    pub is_title: bool,
    pub excl: bool,
    pub quest: bool,
    pub words: usize,
    pub subj: usize,
    pub neg: usize,
    pub pos: usize,
    pub strong: usize,
    pub quoted: usize,
}

/// A document prepared for feature extraction.
pub struct DocCtx<'a> {
    pub doc: &'a Document,
    pub toks: Vec<Tok<'a>>,
    pub sents: Vec<Sent>,
    /// Positions of each lowercased token (by hash), for [`DocCtx::occurrences`].
    positions: crate::entities::model::KeyMap<Vec<u32>>,
}

fn shape(text: &str, kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Number => "d",
        TokenKind::Symbol => "s",
        TokenKind::Punct => match text {
            "\"" | "“" | "”" | "'" | "‘" | "’" | "«" | "»" => "q",
            "!" => "!",
            "?" => "?",
            "." | "," | ";" | ":" => ".",
            _ => "p",
        },
        TokenKind::Word => {
            let mut chars = text.chars();
            let first = chars.next().unwrap_or('a');
            let letters = text.chars().filter(|c| c.is_alphabetic()).count();
            let upper = text.chars().filter(|c| c.is_uppercase()).count();
            if letters > 1 && upper == letters {
                "XX"
            } else if first.is_uppercase() {
                "Xx"
            } else {
                "x"
            }
        }
    }
}

pub(crate) fn is_stop(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "of"
            | "to"
            | "in"
            | "and"
            | "or"
            | "is"
            | "was"
            | "it"
            | "that"
            | "for"
            | "on"
            | "with"
            | "as"
            | "at"
            | "by"
            | "be"
            | "he"
            | "she"
            | "they"
            | "this"
            | "from"
            | "are"
            | "his"
            | "her"
            | "their"
            | "has"
            | "have"
            | "had"
            | "said"
            | "not"
            | "but"
            | "which"
            | "who"
            | "we"
            | "i"
            | "you"
    )
}

impl<'a> DocCtx<'a> {
    pub fn new(doc: &'a Document) -> Self {
        let segs = &doc.segments;
        let mut toks: Vec<Tok<'a>> = segs
            .tokens
            .iter()
            .map(|t| {
                let text = &doc.text[t.span.range()];
                let lower = text.to_lowercase();
                let lex = if t.kind == TokenKind::Word {
                    lexicon::lookup(&lower)
                } else {
                    None
                };
                Tok {
                    text,
                    shape: shape(text, t.kind),
                    kind: t.kind,
                    lower,
                    lex,
                    in_quote: false,
                    sent: 0,
                    rep: 0,
                }
            })
            .collect();
        // Sentences; quote state runs across the sentences of one paragraph.
        let mut sents = Vec::with_capacity(segs.sentences.len());
        let mut in_q = false;
        let mut last_par = usize::MAX;
        for (si, s) in segs.sentences.iter().enumerate() {
            if s.paragraph != last_par {
                in_q = false;
                last_par = s.paragraph;
            }
            let mut st = Sent {
                toks: s.tokens.clone(),
                index: si,
                is_title: si == 0 && s.paragraph == 0,
                excl: false,
                quest: false,
                words: 0,
                subj: 0,
                neg: 0,
                pos: 0,
                strong: 0,
                quoted: 0,
            };
            for ti in s.tokens.clone() {
                let t = &mut toks[ti];
                t.sent = si;
                match t.text {
                    "“" | "«" => in_q = true,
                    "”" | "»" => in_q = false,
                    "\"" => in_q = !in_q,
                    _ => {}
                }
                t.in_quote = in_q || t.shape == "q";
                match t.shape {
                    "!" => st.excl = true,
                    "?" => st.quest = true,
                    _ => {}
                }
                if t.kind == TokenKind::Word {
                    st.words += 1;
                    if t.in_quote {
                        st.quoted += 1;
                    }
                    if let Some(l) = t.lex {
                        st.subj += l.subjective() as usize;
                        st.neg += l.negative() as usize;
                        st.pos += l.positive() as usize;
                        st.strong += l.strong() as usize;
                    }
                }
            }
            sents.push(st);
        }
        // Repeated word n-grams (n = 2, 3) across the article.
        let words: Vec<usize> = (0..toks.len())
            .filter(|&i| toks[i].kind != TokenKind::Punct)
            .collect();
        for n in [2usize, 3] {
            if words.len() < n {
                continue;
            }
            let mut counts: crate::entities::model::KeyMap<u32> = Default::default();
            counts.reserve(words.len());
            let key = |k: &[usize], toks: &[Tok]| {
                let mut parts = [""; 3];
                for (p, &i) in parts.iter_mut().zip(k) {
                    *p = toks[i].lower.as_str();
                }
                hash_feature("ng", &parts[..k.len()])
            };
            let content = |k: &[usize], toks: &[Tok]| k.iter().any(|&i| !is_stop(&toks[i].lower));
            for w in words.windows(n) {
                if content(w, &toks) {
                    *counts.entry(key(w, &toks)).or_default() += 1;
                }
            }
            for w in words.windows(n) {
                if content(w, &toks) && counts.get(&key(w, &toks)).is_some_and(|&c| c >= 2) {
                    for &i in w {
                        toks[i].rep = toks[i].rep.max(n as u8);
                    }
                }
            }
        }
        let mut positions: crate::entities::model::KeyMap<Vec<u32>> = Default::default();
        for (i, t) in toks.iter().enumerate() {
            positions
                .entry(hash_feature("", &[&t.lower]))
                .or_default()
                .push(i as u32);
        }
        DocCtx {
            doc,
            toks,
            sents,
            positions,
        }
    }

    fn word(&self, i: isize, s: &Sent) -> &str {
        if i < s.toks.start as isize {
            "<s>"
        } else if i >= s.toks.end as isize {
            "</s>"
        } else {
            &self.toks[i as usize].lower
        }
    }

    /// How many times the token sequence `r` (lowercased, punctuation kept)
    /// occurs in the article.
    pub fn occurrences(&self, r: Range<usize>) -> usize {
        let n = r.len();
        if n == 0 || n > self.toks.len() {
            return 0;
        }
        let first = &self.toks[r.start].lower;
        let Some(starts) = self.positions.get(&hash_feature("", &[first])) else {
            return 0;
        };
        starts
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| {
                i + n <= self.toks.len()
                    && &self.toks[i].lower == first
                    && (1..n).all(|k| self.toks[i + k].lower == self.toks[r.start + k].lower)
            })
            .count()
    }

    /// Features of token `i` for span identification.
    pub fn si_features(&self, i: usize, out: &mut impl Sink) {
        let t = &self.toks[i];
        let s = &self.sents[t.sent];
        let ii = i as isize;
        let wp1 = self.word(ii - 1, s);
        let wp2 = self.word(ii - 2, s);
        let wn1 = self.word(ii + 1, s);
        let wn2 = self.word(ii + 2, s);
        out.feat("b", &[]);
        out.feat("w", &[&t.lower]);
        out.feat("wp1", &[wp1]);
        out.feat("wp2", &[wp2]);
        out.feat("wn1", &[wn1]);
        out.feat("wn2", &[wn2]);
        out.feat("bgp", &[wp1, &t.lower]);
        out.feat("bgn", &[&t.lower, wn1]);
        let suf: String = {
            let n = t.lower.chars().count();
            t.lower.chars().skip(n.saturating_sub(3)).collect()
        };
        out.feat("suf", &[&suf]);
        let first_in_sent = i == s.toks.start;
        let shape = if t.shape == "Xx" && !first_in_sent {
            "Xx-mid"
        } else {
            t.shape
        };
        out.feat("shape", &[shape]);
        out.feat(
            "shape3",
            &[self.shape_at(ii - 1, s), shape, self.shape_at(ii + 1, s)],
        );
        for (tag, j) in [("lex", ii), ("lex-1", ii - 1), ("lex+1", ii + 1)] {
            if j >= s.toks.start as isize && j < s.toks.end as isize {
                if let Some(l) = self.toks[j as usize].lex {
                    lex_feats(tag, l, out);
                }
            }
        }
        // Strong words nearby (±3).
        let lo = (i.saturating_sub(3)).max(s.toks.start);
        let hi = (i + 4).min(s.toks.end);
        let near = (lo..hi).any(|j| j != i && self.toks[j].lex.is_some_and(|l| l.strong()));
        if near {
            out.feat("nearstrong", &[]);
        }
        if t.in_quote {
            out.feat("inq", &[]);
        }
        let n = s.toks.len().max(1);
        let rel = (i - s.toks.start) * 3 / n;
        out.feat("relpos", &[["0", "1", "2"][rel.min(2)]]);
        if first_in_sent {
            out.feat("first", &[]);
        }
        if i + 1 == s.toks.end {
            out.feat("last", &[]);
        }
        out.feat("slen", &[bucket_str(s.words, &[3, 6, 10, 16, 25, 40])]);
        if s.excl {
            out.feat("s!", &[]);
        }
        if s.quest {
            out.feat("s?", &[]);
        }
        if s.is_title {
            out.feat("title", &[]);
        } else if s.index < 4 {
            out.feat("early", &[]);
        }
        out.feat("ssubj", &[bucket_str(s.subj, &[0, 1, 2, 4])]);
        out.feat("sneg", &[bucket_str(s.neg, &[0, 1, 2, 4])]);
        out.feat("sstrong", &[bucket_str(s.strong, &[0, 1, 2])]);
        out.feat(
            "squote",
            &[bucket_str(s.quoted * 4 / s.words.max(1), &[0, 1, 2, 3])],
        );
        if t.rep > 0 {
            out.feat("rep", &[if t.rep >= 3 { "3" } else { "2" }]);
            out.feat("repw", &[&t.lower]);
        }
    }

    fn shape_at(&self, i: isize, s: &Sent) -> &'static str {
        if i < s.toks.start as isize || i >= s.toks.end as isize {
            "_"
        } else {
            self.toks[i as usize].shape
        }
    }

    /// Features of the span covering tokens `r` for technique classification.
    pub fn tc_features(&self, r: Range<usize>, out: &mut impl Sink) {
        out.feat("b", &[]);
        if r.is_empty() {
            return;
        }
        let s = &self.sents[self.toks[r.start].sent];
        let words: Vec<usize> = r
            .clone()
            .filter(|&i| self.toks[i].kind != TokenKind::Punct)
            .collect();
        for &i in &words {
            out.feat("u", &[&self.toks[i].lower]);
        }
        for w in words.windows(2) {
            out.feat("bg", &[&self.toks[w[0]].lower, &self.toks[w[1]].lower]);
        }
        if let (Some(&f), Some(&l)) = (words.first(), words.last()) {
            out.feat("first", &[&self.toks[f].lower]);
            out.feat("last", &[&self.toks[l].lower]);
        }
        let ii = r.start as isize;
        out.feat("prev1", &[self.word(ii - 1, s)]);
        out.feat("prev2", &[self.word(ii - 2, s), self.word(ii - 1, s)]);
        out.feat("next1", &[self.word(r.end as isize, s)]);
        // Sentence words outside the span (context such as "said", "because").
        for i in s.toks.clone() {
            if !r.contains(&i)
                && self.toks[i].kind == TokenKind::Word
                && !is_stop(&self.toks[i].lower)
            {
                out.feat("sw", &[&self.toks[i].lower]);
            }
        }
        let nw = words.len();
        out.feat("len", &[bucket_str(nw, &[1, 2, 3, 5, 8, 12, 20, 35])]);
        let cover = nw * 10 / s.words.max(1);
        out.feat("cover", &[bucket_str(cover, &[2, 5, 8])]);
        let (mut strong, mut neg, mut pos, mut subj) = (0, 0, 0, 0);
        for &i in &words {
            if let Some(l) = self.toks[i].lex {
                strong += l.strong() as usize;
                neg += l.negative() as usize;
                pos += l.positive() as usize;
                subj += l.subjective() as usize;
            }
        }
        out.feat("lexstrong", &[bucket_str(strong, &[0, 1, 2])]);
        out.feat("lexneg", &[bucket_str(neg, &[0, 1, 2])]);
        out.feat("lexpos", &[bucket_str(pos, &[0, 1, 2])]);
        out.feat("lexsubj", &[bucket_str(subj, &[0, 1, 2])]);
        if nw <= 2 && strong > 0 {
            out.feat("shortstrong", &[]);
        }
        let occ = self.occurrences(r.clone());
        if occ >= 2 {
            out.feat("occ", &[bucket_str(occ, &[2, 3, 5])]);
        } else {
            out.feat("once", &[]);
        }
        if words.iter().any(|&i| self.toks[i].rep > 0) {
            out.feat("repin", &[]);
        }
        if r.clone().any(|i| self.toks[i].in_quote) {
            out.feat("inq", &[]);
        }
        if r.clone().any(|i| self.toks[i].shape == "!") || s.excl {
            out.feat("excl", &[]);
        }
        if r.clone().any(|i| self.toks[i].shape == "?") {
            out.feat("quest", &[]);
        } else if s.quest {
            out.feat("squest", &[]);
        }
        if words.iter().any(|&i| self.toks[i].shape == "XX") {
            out.feat("caps", &[]);
        }
        let capw = words
            .iter()
            .filter(|&&i| self.toks[i].shape == "Xx" && i != s.toks.start)
            .count();
        out.feat("capw", &[bucket_str(capw * 4 / nw.max(1), &[0, 1, 2, 3])]);
        if s.is_title {
            out.feat("title", &[]);
        }
    }
}

fn lex_feats(tag: &str, l: &LexEntry, out: &mut impl Sink) {
    if let Some(v) = l.vader {
        let b = if v <= -2.0 {
            "--"
        } else if v <= -0.5 {
            "-"
        } else if v >= 2.0 {
            "++"
        } else if v >= 0.5 {
            "+"
        } else {
            "0"
        };
        out.feat(tag, &["vader", b]);
    }
    if let Some(a) = l.afinn {
        out.feat(tag, &["afinn", &a.clamp(-4, 4).to_string()]);
    }
    if let Some(s) = l.subjectivity {
        let b = if s >= 0.8 {
            "hi"
        } else if s >= 0.5 {
            "mid"
        } else {
            "lo"
        };
        out.feat(tag, &["subj", b]);
    }
}

/// `"<=k"` for the first threshold k with `n <= k`, else `">last"`.
fn bucket_str(n: usize, thresholds: &[usize]) -> &'static str {
    const NAMES: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    for (k, &t) in thresholds.iter().enumerate() {
        if n <= t {
            return NAMES[k];
        }
    }
    NAMES[thresholds.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_is_stable() {
        assert_eq!(hash_feature("w", &["evil"]), hash_feature("w", &["evil"]));
        assert_ne!(hash_feature("w", &["evil"]), hash_feature("wp1", &["evil"]));
        assert_ne!(hash_feature("bg", &["a", "b"]), hash_feature("bg", &["ab"]));
        assert!(bucket(hash_feature("w", &["x"]), 10) < 1024);
    }

    #[test]
    fn repetition_and_quotes() {
        let doc = Document::from_text(
            "t",
            "Title here\n\nThey said \"build the wall now\" today.\nWe must build the wall.\n",
        );
        let c = DocCtx::new(&doc);
        let build = c.toks.iter().position(|t| t.lower == "build").unwrap();
        assert!(c.toks[build].in_quote);
        assert_eq!(c.toks[build].rep, 3);
        let today = c.toks.iter().position(|t| t.lower == "today").unwrap();
        assert!(!c.toks[today].in_quote);
        assert_eq!(c.toks[today].rep, 0);
        assert!(c.sents[0].is_title);
        let mut h = HashSink {
            bits: 12,
            out: vec![],
        };
        c.si_features(build, &mut h);
        assert!(h.out.len() > 15);
    }
}
