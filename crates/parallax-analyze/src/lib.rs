//! # parallax-analyze
//!
//! Analyzers turn a [`Document`] into layers of spans. Each analyzer is a
//! pure, deterministic function `&Document -> Layer` (invariant 3) and knows
//! nothing of input handling or output formats: it only adds its own layer.
//! [`Pipeline`] runs the enabled analyzers and gathers an [`Analysis`];
//! [`output`] renders analyses as JSON, JSONL or text.
//!
//! Adding a layer: write `src/<layer>.rs` with a `Layer` type (spans are
//! [`parallax_core::Span`]s made with `doc.span(..)`, each finding keeping a
//! `text` copy of its evidence), add an `Option<Layer>` field to [`Layers`],
//! compute it in [`Pipeline::analyze`], and describe it in `docs/schema.md`.

pub mod attribution;
pub mod claims;
pub mod embed;
pub mod entities;
pub mod output;
pub mod quantities;
pub mod techniques;

use parallax_core::Document;
use serde::Serialize;

/// Version of the JSON output schema (`docs/schema.md`). Bump the minor
/// number when fields are added, the major one when fields change meaning.
pub const SCHEMA_VERSION: &str = "1.0";

/// The layers an analysis may hold; a layer not run is absent from output.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Layers {
    /// Named entities, their grouping, and descriptive naming variants.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entities: Option<entities::EntitiesLayer>,
    /// Quotations, attributions (source, cue, content), cited sources and
    /// unsourced sentences (`docs/attribution.md`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributions: Option<attribution::AttributionLayer>,
    /// Persuasion techniques (`techniques`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub techniques: Option<techniques::TechniquesLayer>,
    /// Amounts, percentages, counts and dates, normalized (`quantities`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantities: Option<quantities::QuantitiesLayer>,
    /// Check-worthiness score per sentence (`claims`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims: Option<claims::ClaimsLayer>,
}

/// One document and every layer computed on it.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub doc: Document,
    pub layers: Layers,
}

/// Which analyzers run.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Layer names to skip (e.g. `techniques`).
    pub skip: Vec<String>,
}

impl Config {
    pub fn enabled(&self, layer: &str) -> bool {
        !self.skip.iter().any(|s| s == layer)
    }
}

/// Runs the enabled analyzers with the embedded default models.
#[derive(Clone, Debug, Default)]
pub struct Pipeline {
    pub config: Config,
}

impl Pipeline {
    pub fn new(config: Config) -> Self {
        Pipeline { config }
    }

    /// Analyzes one document. Pure: the same document gives the same analysis.
    pub fn analyze(&self, doc: Document) -> Analysis {
        let mut layers = Layers::default();
        if self.config.enabled("entities") {
            layers.entities = Some(entities::analyze(&doc));
        }
        if self.config.enabled("attributions") {
            layers.attributions = Some(attribution::analyze(&doc));
        }
        if self.config.enabled("techniques") {
            layers.techniques = Some(techniques::analyze(&doc));
        }
        if self.config.enabled("quantities") {
            layers.quantities = Some(quantities::analyze(&doc));
        }
        if self.config.enabled("claims") {
            layers.claims = Some(claims::analyze(&doc));
        }
        Analysis { doc, layers }
    }
}
