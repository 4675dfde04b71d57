//! Offset-tracked segmentation into paragraphs, sentences and tokens.
//!
//! Rule-based and deterministic. Paragraphs are lines, or blank-line blocks
//! when the text is hard-wrapped. Sentences never cross a paragraph, so a
//! headline line without final punctuation is a sentence of its own.
//! Sentence ends survive abbreviations (Mr., Dr., U.S., Jan., No., St.),
//! initials, decimals and money ("$3.8 billion"), ellipses, and closing
//! quotes after the terminator (`act.”` ends with the quote).

use crate::span::{OffsetIndex, Span};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    Word,
    Number,
    Punct,
    Symbol,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Sentence {
    pub span: Span,
    /// Index of the paragraph holding this sentence.
    pub paragraph: usize,
    /// Range of indices into [`Segments::tokens`].
    #[serde(skip)]
    pub tokens: std::ops::Range<usize>,
}

/// Paragraphs, sentences and tokens of one text, in text order.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Segments {
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Sentence>,
    #[serde(skip)]
    pub tokens: Vec<Token>,
}

impl Segments {
    /// Index of the sentence containing byte offset `b`, if any.
    pub fn sentence_at(&self, b: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= b);
        (i < self.sentences.len() && self.sentences[i].span.start <= b).then_some(i)
    }
    /// Tokens of sentence `i`.
    pub fn sentence_tokens(&self, i: usize) -> &[Token] {
        &self.tokens[self.sentences[i].tokens.clone()]
    }
}

/// Segments `text` into paragraphs, sentences and tokens.
pub fn segment(text: &str, index: &OffsetIndex) -> Segments {
    let mut out = Segments::default();
    for (ps, pe) in paragraphs(text) {
        let pi = out.paragraphs.len();
        out.paragraphs.push(index.span(text, ps, pe));
        for (ss, se) in sentences(text, ps, pe) {
            let t0 = out.tokens.len();
            tokenize_into(text, ss, se, index, &mut out.tokens);
            out.sentences.push(Sentence {
                span: index.span(text, ss, se),
                paragraph: pi,
                tokens: t0..out.tokens.len(),
            });
        }
    }
    out
}

/// Byte ranges of lines without their line terminator, trimmed of
/// surrounding whitespace; empty lines are `None`.
fn lines(text: &str) -> Vec<Option<(usize, usize)>> {
    let mut v = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            v.push(trim(text, start, i));
            start = i + 1;
        }
    }
    if start < text.len() {
        v.push(trim(text, start, text.len()));
    }
    v
}

fn trim(text: &str, s: usize, e: usize) -> Option<(usize, usize)> {
    let seg = &text[s..e];
    let lead = seg.len() - seg.trim_start().len();
    let t = seg.trim();
    (!t.is_empty()).then(|| (s + lead, s + lead + t.len()))
}

/// Paragraph byte ranges (trimmed).
pub fn paragraphs(text: &str) -> Vec<(usize, usize)> {
    let ls = lines(text);
    // Blocks of consecutive non-empty lines.
    let mut blocks: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut cur = Vec::new();
    for l in ls {
        match l {
            Some(r) => cur.push(r),
            None => {
                if !cur.is_empty() {
                    blocks.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        blocks.push(cur);
    }
    // Hard-wrapped text: most lines inside multi-line blocks end mid-sentence.
    let mut multi = 0;
    let mut open = 0;
    for b in blocks.iter().filter(|b| b.len() > 1) {
        for &(s, e) in &b[..b.len() - 1] {
            multi += 1;
            let last = text[s..e].chars().last().unwrap_or('.');
            if e - s >= 30 && !matches!(last, '.' | '!' | '?' | ':' | '"' | '”' | '\'' | '’' | '…')
            {
                open += 1;
            }
        }
    }
    let wrapped = multi >= 2 && open * 2 >= multi;
    let mut out = Vec::new();
    for b in blocks {
        if wrapped {
            out.push((b[0].0, b[b.len() - 1].1));
        } else {
            out.extend(b);
        }
    }
    out
}

/// Abbreviations that precede a name or number and never end a sentence.
const NEVER_FINAL: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "cpt",
    "maj", "adm", "rev", "hon", "pres", "messrs", "mt", "ft", "st", "supt", "insp", "det", "cmdr",
    "vs", "v", "e.g", "i.e", "cf", "approx", "dept", "fig", "figs", "eq", "vol", "pp", "ca",
];
/// Abbreviations that never end a sentence when a number follows.
const BEFORE_NUMBER: &[&str] = &[
    "no", "nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "p", "art", "ch", "sec", "para", "op", "ed",
];
/// Abbreviations that may end a sentence: break only before a typical sentence opener.
const AMBIGUOUS: &[&str] = &[
    "etc", "inc", "ltd", "co", "corp", "jr", "sr", "bros", "al", "a.m", "p.m", "llc", "plc",
];
/// Words that typically open a sentence (checked after an ambiguous abbreviation).
const OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "In",
    "But",
    "And",
    "This",
    "That",
    "These",
    "Those",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "My",
    "There",
    "As",
    "At",
    "On",
    "For",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "According",
    "Meanwhile",
    "However",
    "Still",
    "Yet",
    "So",
    "Some",
    "Many",
    "Most",
    "Now",
    "Then",
    "What",
    "Why",
    "How",
    "Who",
    "Since",
    "Although",
    "Though",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Last",
    "Earlier",
    "Later",
    "Today",
    "Yesterday",
    "Also",
    "Both",
    "One",
    "Two",
    "Under",
    "With",
    "Without",
    "Such",
    "Even",
];

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '”' | '’' | '\'' | '»' | ')' | ']' | '}' | '›')
}
fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉')
}

/// The word right before byte `dot` (letters, digits and inner periods).
fn word_before(text: &str, from: usize, dot: usize) -> &str {
    let seg = &text[from..dot];
    let start = seg
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '.')
        .last()
        .map(|(i, _)| i)
        .unwrap_or(seg.len());
    seg[start..].trim_start_matches('.')
}

fn next_word(text: &str, at: usize, end: usize) -> &str {
    let seg = &text[at..end];
    let e = seg
        .find(|c: char| c.is_whitespace() || (c != '.' && !c.is_alphanumeric()))
        .unwrap_or(seg.len());
    let w = &seg[..e];
    // Keep the period for "Mr." etc, drop a sentence-final one.
    if w.ends_with('.') && !OPENERS.contains(&w) {
        w.trim_end_matches('.')
    } else {
        w
    }
}

/// Sentence byte ranges inside the paragraph `[ps, pe)`.
pub fn sentences(text: &str, ps: usize, pe: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = ps;
    let p = &text[ps..pe];
    let mut iter = p.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if !is_terminator(c) {
            continue;
        }
        let t0 = ps + i;
        // The whole run of terminators, then closing quotes/brackets.
        let mut j = t0 + c.len_utf8();
        let mut only_single_dot = c == '.';
        while let Some(&(k, d)) = iter.peek() {
            if is_terminator(d) {
                only_single_dot = false;
                iter.next();
                j = ps + k + d.len_utf8();
            } else {
                break;
            }
        }
        while let Some(&(k, d)) = iter.peek() {
            if is_closer(d) {
                iter.next();
                j = ps + k + d.len_utf8();
            } else {
                break;
            }
        }
        // Must be followed by whitespace or the paragraph end.
        let rest = &text[j..pe];
        let Some(first) = rest.chars().next() else {
            break; // paragraph end: the final sentence is pushed below
        };
        if !first.is_whitespace() {
            continue;
        }
        let ws = rest.len() - rest.trim_start().len();
        let m = j + ws;
        if m >= pe {
            break;
        }
        let next = text[m..pe].chars().next().unwrap();
        if next.is_lowercase() {
            continue;
        }
        if only_single_dot {
            let w = word_before(text, start, t0);
            let lw = w.to_lowercase();
            let nw = next_word(text, m, pe);
            let next_is_digit = next.is_ascii_digit();
            let initial = w.chars().count() == 1 && w.chars().all(|c| c.is_uppercase());
            if NEVER_FINAL.contains(&lw.as_str()) || initial {
                continue;
            }
            if next_is_digit && BEFORE_NUMBER.contains(&lw.as_str()) {
                continue;
            }
            let initialism = w.contains('.') && w.split('.').all(|part| part.chars().count() <= 2);
            if (initialism || AMBIGUOUS.contains(&lw.as_str())) && !OPENERS.contains(&nw) {
                continue;
            }
        }
        out.push((start, j));
        start = m;
        // Skip the iterator to m.
        while let Some(&(k, _)) = iter.peek() {
            if ps + k < m {
                iter.next();
            } else {
                break;
            }
        }
    }
    if start < pe {
        let seg = &text[start..pe];
        let t = seg.trim_end();
        if !t.is_empty() {
            out.push((start, start + t.len()));
        }
    }
    out
}

const ABBREV_TOKENS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "gov", "sen", "rep", "inc", "ltd",
    "co", "corp", "vs", "no", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "col", "lt", "rev",
    "etc",
];

/// Tokenizes `[s, e)` into `out`. Words keep inner apostrophes, hyphens and
/// periods (U.S., e.g.); numbers keep inner `.` and `,` ("3.8", "635,000");
/// a possessive `'s` is its own token; everything else is one char a token.
pub fn tokenize_into(text: &str, s: usize, e: usize, index: &OffsetIndex, out: &mut Vec<Token>) {
    let seg = &text[s..e];
    let chars: Vec<(usize, char)> = seg.char_indices().collect();
    let n = chars.len();
    let mut i = 0;
    while i < n {
        let (bi, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let numeric = c.is_ascii_digit();
            let mut j = i + 1;
            while j < n {
                let d = chars[j].1;
                if d.is_alphanumeric()
                    || d == '\u{0301}'
                    || (d as u32 >= 0x300 && d as u32 <= 0x36f)
                {
                    j += 1;
                    continue;
                }
                let next_alnum = j + 1 < n && chars[j + 1].1.is_alphanumeric();
                let next_digit = j + 1 < n && chars[j + 1].1.is_ascii_digit();
                let prev_digit = chars[j - 1].1.is_ascii_digit();
                let ok = match d {
                    '.' => next_alnum && (prev_digit && next_digit || !numeric),
                    ',' => prev_digit && next_digit && numeric,
                    '-' | '‑' | '_' | '/' => next_alnum,
                    '\'' | '’' => {
                        // Split possessive 's / s' off; keep other contractions (don't).
                        next_alnum
                            && !(matches!(chars[j + 1].1, 's' | 'S')
                                && (j + 2 >= n || !chars[j + 2].1.is_alphanumeric()))
                    }
                    _ => false,
                };
                if ok {
                    j += 1;
                } else {
                    break;
                }
            }
            // Attach the final period of an abbreviation or initialism.
            if j < n && chars[j].1 == '.' {
                let w = &seg[bi..chars[j].0];
                let lw = w.to_lowercase();
                let initialism = w.contains('.') && !numeric;
                let initial = w.chars().count() == 1 && w.chars().all(char::is_uppercase);
                if initialism || initial || ABBREV_TOKENS.contains(&lw.as_str()) {
                    // Only when the period does not visibly end the sentence.
                    if j + 1 < n {
                        j += 1;
                    }
                }
            }
            let be = if j < n { chars[j].0 } else { seg.len() };
            out.push(Token {
                span: index.span(text, s + bi, s + be),
                kind: if numeric {
                    TokenKind::Number
                } else {
                    TokenKind::Word
                },
            });
            i = j;
            continue;
        }
        // Possessive 's as its own token.
        if matches!(c, '\'' | '’')
            && i + 1 < n
            && matches!(chars[i + 1].1, 's' | 'S')
            && (i + 2 >= n || !chars[i + 2].1.is_alphanumeric())
            && i > 0
            && chars[i - 1].1.is_alphanumeric()
        {
            let be = if i + 2 < n { chars[i + 2].0 } else { seg.len() };
            out.push(Token {
                span: index.span(text, s + bi, s + be),
                kind: TokenKind::Word,
            });
            i += 2;
            continue;
        }
        let be = bi + c.len_utf8();
        let kind = if c.is_ascii_punctuation()
            && !matches!(
                c,
                '$' | '%' | '#' | '@' | '&' | '+' | '=' | '<' | '>' | '^' | '|' | '~'
            )
            || is_terminator(c)
            || is_closer(c)
            || matches!(c, '“' | '‘' | '«' | '—' | '–' | '‹')
        {
            TokenKind::Punct
        } else {
            TokenKind::Symbol
        };
        out.push(Token {
            span: index.span(text, s + bi, s + be),
            kind,
        });
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        sentences(t, 0, t.len())
            .into_iter()
            .map(|(s, e)| &t[s..e])
            .collect()
    }

    #[test]
    fn sentence_table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Mr. Smith went to Washington. He left.",
                &["Mr. Smith went to Washington.", "He left."],
            ),
            (
                "Dr. Bruce Bechtol wrote it. It sold.",
                &["Dr. Bruce Bechtol wrote it.", "It sold."],
            ),
            (
                "Aid to the U.S. Army rose. The U.S. The end.",
                &["Aid to the U.S. Army rose.", "The U.S.", "The end."],
            ),
            (
                "It grew in the U.S. The rest fell.",
                &["It grew in the U.S.", "The rest fell."],
            ),
            (
                "It was $3.8 billion. That is 0.11 percent.",
                &["It was $3.8 billion.", "That is 0.11 percent."],
            ),
            (
                "On Jan. 5 they met. No. 10 Downing St. is old.",
                &["On Jan. 5 they met.", "No. 10 Downing St. is old."],
            ),
            (
                "J. R. R. Tolkien wrote. Then he slept.",
                &["J. R. R. Tolkien wrote.", "Then he slept."],
            ),
            (
                "Wait... what? Yes!! Sure.",
                &["Wait... what?", "Yes!!", "Sure."],
            ),
            (
                "He paused… Then he spoke.",
                &["He paused…", "Then he spoke."],
            ),
            (
                "“This is bad. We must act.” Then he left.",
                &["“This is bad.", "We must act.”", "Then he left."],
            ),
            (
                "\"Why?\" he asked. Nobody knew.",
                &["\"Why?\" he asked.", "Nobody knew."],
            ),
            (
                "She said 'no.' Then left.",
                &["She said 'no.'", "Then left."],
            ),
            (
                "Visit example.com today. OK.",
                &["Visit example.com today.", "OK."],
            ),
            (
                "It costs 3.5 million (about 40%). Done",
                &["It costs 3.5 million (about 40%).", "Done"],
            ),
            (
                "Apple Inc. The company grew. Smith Inc. said no.",
                &["Apple Inc.", "The company grew.", "Smith Inc. said no."],
            ),
            (
                "At 5 p.m. The meeting ended.",
                &["At 5 p.m.", "The meeting ended."],
            ),
            (
                "Headline without punctuation",
                &["Headline without punctuation"],
            ),
            (
                "St. Louis is big. Gen. Lee lost.",
                &["St. Louis is big.", "Gen. Lee lost."],
            ),
        ];
        for (input, want) in cases {
            assert_eq!(sents(input), *want, "input: {input}");
        }
    }

    #[test]
    fn headline_lines_are_their_own_sentences() {
        let t = "Pro-North Korea, pro-Hamas\nNodutdol is a group. It exists.\n";
        let ix = OffsetIndex::new(t);
        let s = segment(t, &ix);
        let got: Vec<&str> = s.sentences.iter().map(|x| &t[x.span.range()]).collect();
        assert_eq!(
            got,
            vec![
                "Pro-North Korea, pro-Hamas",
                "Nodutdol is a group.",
                "It exists."
            ]
        );
        assert_eq!(s.paragraphs.len(), 2);
    }

    #[test]
    fn wrapped_paragraphs() {
        let t = "This is a long line of hard-wrapped text that goes on and\non to the next line where the sentence finally ends.\n\nSecond paragraph starts here and it also wraps across the\nline boundary like so.\n";
        assert_eq!(paragraphs(t).len(), 2);
    }

    fn toks(t: &str) -> Vec<&str> {
        let ix = OffsetIndex::new(t);
        let mut v = Vec::new();
        tokenize_into(t, 0, t.len(), &ix, &mut v);
        v.iter().map(|k| &t[k.span.range()]).collect()
    }

    #[test]
    fn token_table() {
        assert_eq!(
            toks("$3.8 billion, 635,000 tons."),
            vec!["$", "3.8", "billion", ",", "635,000", "tons", "."]
        );
        assert_eq!(
            toks("Israel’s U.S.-backed don't well-known"),
            vec!["Israel", "’s", "U.S.", "-", "backed", "don't", "well-known"]
        );
        assert_eq!(
            toks("Mr. Kim met the U.S. envoy."),
            vec!["Mr.", "Kim", "met", "the", "U.S.", "envoy", "."]
        );
        assert_eq!(
            toks("“Yes,” 😀 café"),
            vec!["“", "Yes", ",", "”", "😀", "café"]
        );
    }
}

/// Sentence-boundary counts for precision/recall/F1.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BoundaryScore {
    pub true_pos: usize,
    pub predicted: usize,
    pub gold: usize,
}

impl BoundaryScore {
    pub fn add(&mut self, o: &BoundaryScore) {
        self.true_pos += o.true_pos;
        self.predicted += o.predicted;
        self.gold += o.gold;
    }
    pub fn precision(&self) -> f64 {
        self.true_pos as f64 / self.predicted.max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.true_pos as f64 / self.gold.max(1) as f64
    }
    pub fn f1(&self) -> f64 {
        crate::metrics::f1(self.precision(), self.recall())
    }
}

/// Scores the segmenter on text with one gold sentence a line (the PTC
/// article layout). Lines of a block (no blank line between them) are
/// joined with a space into one paragraph, re-split, and the predicted
/// sentence ends are compared with the gold ones (each sentence end counts
/// once, the paragraph's last included).
pub fn score_line_gold(text: &str) -> BoundaryScore {
    let mut score = BoundaryScore::default();
    let mut block: Vec<&str> = Vec::new();
    let mut flush = |block: &mut Vec<&str>| {
        if block.is_empty() {
            return;
        }
        let mut joined = String::new();
        let mut gold_ends = std::collections::HashSet::new();
        for (i, l) in block.iter().enumerate() {
            if i > 0 {
                joined.push(' ');
            }
            joined.push_str(l);
            gold_ends.insert(joined.len());
        }
        let pred = sentences(&joined, 0, joined.len());
        score.gold += gold_ends.len();
        score.predicted += pred.len();
        score.true_pos += pred.iter().filter(|(_, e)| gold_ends.contains(e)).count();
        block.clear();
    };
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() {
            flush(&mut block);
        } else {
            block.push(l);
        }
    }
    flush(&mut block);
    score
}
