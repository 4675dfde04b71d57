//! # Attributions: who says what, and what it leans on
//!
//! Finds direct quotations, attributions in the PolNeAR sense (source, cue,
//! content; direct, indirect and mixed speech), the named speaker behind
//! each source where the text allows it, cited sources (reports, books,
//! documents, polls, interviews, official bodies, news outlets, links) and
//! the sentences that cite nothing.
//!
//! The approach is rules, dependency-free and deterministic:
//! 1. [`quotes`] pairs quotation marks with a state machine.
//! 2. Sentences are merged into *units* wherever a quotation crosses a
//!    sentence boundary, so a multi-sentence quote and its frame
//!    (`“A. B,” he said.`) are read together.
//! 3. In each unit, a reporting-verb lexicon ([`lexicon`]) finds the cue in
//!    the text outside quotations; the source is the noun phrase next to it
//!    and the content the quotations of the unit or, for indirect speech,
//!    the clause the cue governs. A unit ending with a colon introduces the
//!    next paragraph (block quotation).
//! 4. [`resolve`] maps a source to a named speaker ("Mr. Steele" -> the
//!    "Michael Steele" mentioned earlier; "he" -> the nearest fitting name).
//! 5. [`sources`] finds cited works and bodies and links them to sentences.
//!
//! Every finding carries its span (code points in output), a copy of its
//! text, the rule that fired and a confidence. Labels describe the text: a
//! quotation attributed to someone is not a claim that they said it.

pub mod eval;
pub mod lexicon;
pub mod quotes;
pub mod resolve;
pub mod sources;
mod speech;

use parallax_core::{Document, Span};
use serde::Serialize;

/// A piece of evidence: a span and a copy of its text.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Part {
    pub span: Span,
    pub text: String,
}

impl Part {
    pub fn new(doc: &Document, start: usize, end: usize) -> Part {
        let span = doc.span(start, end);
        Part {
            text: doc.slice(&span).to_string(),
            span,
        }
    }
}

/// What a quotation is doing in the text.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    /// Reported speech or writing, attributed or not.
    Speech,
    /// A few quoted words inside the author's own sentence, attributed.
    Partial,
    /// A paragraph introduced by a colon line ("X states:").
    Block,
    /// Quotation marks around a word or two, not attributed: distance or
    /// irony ("scare quotes"), not speech.
    Scare,
    /// The title of a work ("In “Title,” X writes").
    Title,
}

/// One quotation.
#[derive(Clone, Debug, Serialize)]
pub struct Quote {
    /// Covers the quotation marks (or the whole paragraph of a block quote).
    pub span: Span,
    pub text: String,
    pub kind: QuoteKind,
    /// `double`, `single`, `guillemet` or `none` (unquoted block).
    pub marks: &'static str,
    /// 0 in running text, 1+ inside another quotation.
    pub depth: usize,
    /// Both marks found (false: closed at the paragraph end).
    pub closed: bool,
    /// Index into `attributions` of the attribution it belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<usize>,
    pub confidence: f32,
}

/// Direct (content is quotations), indirect (paraphrase) or mixed.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AttributionKind {
    Direct,
    Indirect,
    Mixed,
}

/// Source + cue + content, as in PolNeAR.
#[derive(Clone, Debug, Serialize)]
pub struct Attribution {
    pub kind: AttributionKind,
    /// Who, as written ("he", "Mr. Steele", "the poll"). Absent when the
    /// text names no one for this content (a continued quotation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Part>,
    /// The named speaker the source refers to, when it could be resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// The mention the speaker's name was taken from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker_mention: Option<Part>,
    /// "Quoting A, B reported": B, who passes on A's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relayed_by: Option<Part>,
    /// The reporting verb or phrase ("said", "according to", ":"); absent
    /// for a quotation that no cue introduces.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cue: Option<Part>,
    /// What is attributed: one or more fragments in text order.
    pub content: Vec<Part>,
    /// Index into `sources` of the cited work this content comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work: Option<usize>,
    /// Which pattern fired (`source_cue_content`, `content_cue_source`,
    /// `according_to`, `block`, `continuation`, `headline_colon`, ...).
    pub rule: &'static str,
    pub confidence: f32,
}

impl Attribution {
    /// Where the attribution is anchored: its cue, else its first content.
    pub fn anchor(&self) -> Span {
        self.cue
            .as_ref()
            .map(|c| c.span)
            .or_else(|| self.content.first().map(|c| c.span))
            .unwrap_or_default()
    }

    /// Span from the first content fragment to the last.
    pub fn content_cover(&self) -> Option<Span> {
        let f = self.content.first()?;
        let l = self.content.last()?;
        Some(f.span.cover(&l.span))
    }
}

/// A document, study, poll, book, body, outlet or link that text leans on.
#[derive(Clone, Debug, Serialize)]
pub struct CitedSource {
    /// The mention ("a May 24, 1984 declassified CIA document").
    pub span: Span,
    pub text: String,
    /// `report`, `study`, `poll`, `book`, `document`, `paper`, `article`,
    /// `statement`, `interview`, `speech`, `testimony`, `data`, `post`,
    /// `media`, `work` (a titled work), `official_body`, `news_outlet`, `link`.
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Part>,
    /// Person who wrote or said it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Organization that issued or published it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Part>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Indices into the document's sentences that rely on this source.
    pub sentences: Vec<usize>,
    /// The word or pattern that made it a source.
    pub cue: String,
    pub confidence: f32,
}

/// A sentence that neither attributes its content nor cites a source.
#[derive(Clone, Debug, Serialize)]
pub struct Unsourced {
    pub sentence: usize,
    pub span: Span,
    pub text: String,
}

/// The `attributions` layer.
#[derive(Clone, Debug, Serialize, Default)]
pub struct AttributionLayer {
    pub quotes: Vec<Quote>,
    pub attributions: Vec<Attribution>,
    pub sources: Vec<CitedSource>,
    /// Statements (sentences ending in `.` or `!`, outside quotations and
    /// attributions) that rely on no source found in the text.
    pub unsourced: Vec<Unsourced>,
}

/// Runs the layer on one document. Pure and deterministic.
pub fn analyze(doc: &Document) -> AttributionLayer {
    let paras: Vec<(usize, usize)> = doc
        .segments
        .paragraphs
        .iter()
        .map(|p| (p.start, p.end))
        .collect();
    let raw = quotes::find(&doc.text, &paras);
    let mut found = speech::extract(doc, &raw);
    let names = resolve::Names::collect(doc);
    resolve::resolve_all(doc, &names, &mut found.attributions);
    let srcs = sources::find(doc, &mut found.attributions, &names);
    let quotes = speech::classify_quotes(doc, &raw, &found);
    let unsourced = unsourced(doc, &found.attributions, &srcs);
    AttributionLayer {
        quotes,
        attributions: found.attributions,
        sources: srcs,
        unsourced,
    }
}

fn unsourced(doc: &Document, atts: &[Attribution], srcs: &[CitedSource]) -> Vec<Unsourced> {
    let mut covered = vec![false; doc.segments.sentences.len()];
    for a in atts {
        let parts = a.content.iter().chain(a.source.iter()).chain(a.cue.iter());
        for p in parts {
            let first = doc.segments.sentence_at(p.span.start);
            let last = doc
                .segments
                .sentence_at(p.span.end.saturating_sub(1).max(p.span.start));
            if let (Some(f), Some(l)) = (first, last) {
                for c in covered.iter_mut().take(l + 1).skip(f) {
                    *c = true;
                }
            }
        }
    }
    for s in srcs {
        for &i in &s.sentences {
            if let Some(c) = covered.get_mut(i) {
                *c = true;
            }
        }
    }
    let mut out = Vec::new();
    for (i, s) in doc.segments.sentences.iter().enumerate() {
        if covered[i] {
            continue;
        }
        let t = doc.slice(&s.span).trim_end();
        let t = t.trim_end_matches(['”', '"', '’', '\'', ')']);
        let words = doc.segments.sentence_tokens(i).len();
        if words < 4 || !(t.ends_with('.') || t.ends_with('!')) {
            continue; // headings, questions, fragments
        }
        out.push(Unsourced {
            sentence: i,
            span: s.span,
            text: doc.slice(&s.span).to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests;
