//! The [`Document`]: one article's text, metadata, links and segmentation.

use crate::segment::{self, Segments};
use crate::span::{OffsetIndex, Span};
use serde::Serialize;

/// How the document came in. Decides how its text was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    #[default]
    Text,
    Markdown,
    Html,
    Jsonl,
}

/// Metadata of an article. Every field but `id` is optional: the text is
/// the only thing Parallax really needs.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct DocMeta {
    /// Stable identifier: from the JSONL `id`, else the file stem, else `stdin`.
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Outlet or site name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Publication date as given (ISO 8601 when the input had it so).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// ISO 639-3 code detected from the text, e.g. `eng`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Where it was read from: a path, `path:line` for JSONL, or `-`.
    pub origin: String,
    pub format: InputFormat,
    /// Hex SHA-256 of the text: identical texts have identical hashes.
    pub content_hash: String,
}

/// A hyperlink inside the article body; the span covers its anchor text.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Link {
    pub span: Span,
    pub text: String,
    pub href: String,
}

/// One article. Owns its text; every annotation is a [`Span`] into it.
#[derive(Clone, Debug)]
pub struct Document {
    pub meta: DocMeta,
    pub text: String,
    pub links: Vec<Link>,
    pub segments: Segments,
    /// Non-fatal notes from ingestion (decoding, extraction).
    pub warnings: Vec<String>,
    index: OffsetIndex,
}

impl Document {
    /// Builds a document: indexes offsets, segments, detects language and
    /// hashes the text. `links` are byte ranges of anchor text with hrefs.
    pub fn new(mut meta: DocMeta, text: String, links: Vec<(usize, usize, String)>) -> Self {
        let index = OffsetIndex::new(&text);
        let segments = segment::segment(&text, &index);
        if meta.language.is_none() {
            meta.language = crate::lang::detect(&text);
        }
        meta.content_hash = content_hash(&text);
        let links = links
            .into_iter()
            .filter(|(s, e, _)| {
                s < e && *e <= text.len() && text.is_char_boundary(*s) && text.is_char_boundary(*e)
            })
            .map(|(s, e, href)| Link {
                span: index.span(&text, s, e),
                text: text[s..e].to_string(),
                href,
            })
            .collect();
        Document {
            meta,
            text,
            links,
            segments,
            warnings: Vec::new(),
            index,
        }
    }

    /// A document from plain text with only an id (handy in tests).
    pub fn from_text(id: &str, text: &str) -> Self {
        let meta = DocMeta {
            id: id.to_string(),
            origin: id.to_string(),
            ..Default::default()
        };
        Document::new(meta, text.to_string(), Vec::new())
    }

    /// Makes a span from a byte range of this document's text.
    pub fn span(&self, start: usize, end: usize) -> Span {
        self.index.span(&self.text, start, end)
    }

    /// The evidence: the text a span covers.
    pub fn slice(&self, span: &Span) -> &str {
        &self.text[span.range()]
    }

    /// Byte offset of a code-point offset (for inputs such as PTC labels).
    pub fn byte_of_cp(&self, cp: usize) -> Option<usize> {
        self.index.byte(&self.text, cp)
    }

    /// Code-point offset of a byte offset.
    pub fn cp_of_byte(&self, b: usize) -> usize {
        self.index.cp(&self.text, b)
    }

    /// Span from code-point offsets, or `None` when out of range.
    pub fn span_from_cp(&self, cp_start: usize, cp_end: usize) -> Option<Span> {
        let s = self.byte_of_cp(cp_start)?;
        let e = self.byte_of_cp(cp_end)?;
        (s <= e).then(|| self.span(s, e))
    }

    pub fn char_len(&self) -> usize {
        self.index.cp(&self.text, self.text.len())
    }
}

/// Hex SHA-256 of a text.
pub fn content_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(text.as_bytes());
    d.iter().map(|b| format!("{b:02x}")).collect()
}
