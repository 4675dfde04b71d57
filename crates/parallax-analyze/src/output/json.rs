//! The versioned JSON shape of an analysis (see `docs/schema.md`).

use crate::{Analysis, Layers, SCHEMA_VERSION};
use parallax_core::{DocMeta, Link, Span};
use serde::Serialize;

#[derive(Serialize)]
pub struct DocumentJson<'a> {
    #[serde(flatten)]
    pub meta: &'a DocMeta,
    /// Length of `text` in code points.
    pub char_length: usize,
    pub text: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub warnings: &'a [String],
}

#[derive(Serialize)]
pub struct SentenceJson {
    pub start: usize,
    pub end: usize,
    pub paragraph: usize,
}

#[derive(Serialize)]
pub struct SegmentsJson<'a> {
    pub paragraphs: &'a [Span],
    pub sentences: Vec<SentenceJson>,
    pub token_count: usize,
}

/// The whole analysis as written by `--format json|jsonl`.
#[derive(Serialize)]
pub struct AnalysisJson<'a> {
    pub schema_version: &'static str,
    pub document: DocumentJson<'a>,
    pub links: &'a [Link],
    pub segments: SegmentsJson<'a>,
    pub layers: &'a Layers,
}

impl<'a> From<&'a Analysis> for AnalysisJson<'a> {
    fn from(a: &'a Analysis) -> Self {
        let d = &a.doc;
        AnalysisJson {
            schema_version: SCHEMA_VERSION,
            document: DocumentJson {
                meta: &d.meta,
                char_length: d.char_len(),
                text: &d.text,
                warnings: &d.warnings,
            },
            links: &d.links,
            segments: SegmentsJson {
                paragraphs: &d.segments.paragraphs,
                sentences: d
                    .segments
                    .sentences
                    .iter()
                    .map(|s| SentenceJson {
                        start: s.span.cp_start,
                        end: s.span.cp_end,
                        paragraph: s.paragraph,
                    })
                    .collect(),
                token_count: d.segments.tokens.len(),
            },
            layers: &a.layers,
        }
    }
}
