//! Renders analyses. The printer is separate from the analyzers: each
//! format here reads an [`Analysis`] and writes text, nothing else.
//!
//! Every `start`/`end` written by any format is a Unicode code-point offset,
//! end exclusive (invariant 2).

pub mod brat;
pub mod json;
pub mod ptc;
pub mod text;

use crate::Analysis;

/// Output formats of `parallax analyze`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Pretty JSON, one object (or an array of them for many documents).
    Json,
    /// One compact JSON object a line.
    Jsonl,
    /// A short human summary.
    Text,
    /// brat standoff `.ann` of the attributions layer (PolNeAR style).
    Brat,
    /// PTC technique lines `ID<TAB>TECHNIQUE<TAB>START<TAB>END` (see [`ptc`]).
    Ptc,
}

/// Renders one analysis in a format. `Json` is pretty, `Jsonl` one line.
pub fn render(a: &Analysis, format: Format) -> String {
    match format {
        Format::Json => {
            serde_json::to_string_pretty(&json::AnalysisJson::from(a)).expect("serializable")
        }
        Format::Jsonl => serde_json::to_string(&json::AnalysisJson::from(a)).expect("serializable"),
        Format::Text => text::summary(a),
        Format::Brat => brat::ann(a),
        Format::Ptc => ptc::render(a),
    }
}
