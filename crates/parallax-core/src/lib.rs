//! # parallax-core
//!
//! The document model every Parallax analyzer stands on.
//!
//! A [`Document`] owns its UTF-8 text and metadata. Every annotation is a
//! [`Span`] into that one text (invariant 1): `&doc.text[span.range()]` is the
//! evidence. Internally spans are byte ranges; every serialized span carries
//! Unicode code-point offsets, end exclusive (invariant 2), the convention of
//! the PTC corpus and of Python string indices.
//!
//! Data flow inside this crate:
//!
//! ```text
//! path / JSONL line / stdin --ingest--> RawDoc --extract--> Document --segment--> Segments
//! ```
//!
//! Plain text is kept exactly as read: no trimming, no line-ending or quote
//! normalization, so offsets line up with the file on disk.

pub mod document;
pub mod html;
pub mod ingest;
pub mod lang;
pub mod metrics;
pub mod rng;
pub mod segment;
pub mod span;

pub use document::{DocMeta, Document, InputFormat, Link};
pub use ingest::{IngestError, IngestOptions, Ingested, Inputs, RawBody, RawDoc};
pub use segment::{Segments, Sentence, Token, TokenKind};
pub use span::{OffsetIndex, Span};
