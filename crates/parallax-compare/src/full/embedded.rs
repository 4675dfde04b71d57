//! The check-worthiness classifier embedded in the binary
//! (`models/checkworthy-encoder/`, see its model card): all-MiniLM-L6-v2
//! fine-tuned in Rust by `parallax train checkworthy-encoder --int8`, its
//! weight matrices stored in 8 bits. It is the default scorer of
//! `parallax checkworthy` and `parallax eval checkworthy`, and of the claims
//! layer of `parallax analyze --claims-encoder`.

use super::FullModel;

static CONFIG: &[u8] = include_bytes!("../../../../models/checkworthy-encoder/config.json");
static VOCAB: &str = include_str!("../../../../models/checkworthy-encoder/vocab.txt");
static WEIGHTS: &[u8] = include_bytes!("../../../../models/checkworthy-encoder/model.safetensors");

/// The model's name in outputs (the claims layer's `model` field).
pub const NAME: &str = "checkworthy-encoder-v1";

/// Where the embedded bytes came from, as errors and names say it.
const ORIGIN: &str = "models/checkworthy-encoder (embedded)";

/// The embedded classifier, dequantized to f32 (about 90 MB; tens of
/// milliseconds to build).
pub fn checkworthy() -> FullModel {
    FullModel::from_parts(CONFIG, VOCAB, WEIGHTS, ORIGIN)
        .unwrap_or_else(|e| panic!("the embedded check-worthiness encoder: {e}"))
}

/// The seed of the train/dev/held-out split the embedded model was trained
/// with (its `config.json`), so that `--split heldout` picks the rows it
/// never saw.
pub fn checkworthy_seed() -> u64 {
    serde_json::from_slice::<serde_json::Value>(CONFIG)
        .ok()
        .and_then(|c| c["parallax_classifier"]["seed"].as_u64())
        .unwrap_or(42)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_classifier_loads_and_separates_claims_from_chatter() {
        let m = checkworthy();
        assert!(m.is_classifier());
        assert_eq!(m.config.layers, 6);
        let claim = m
            .classify("Unemployment fell from 10 percent to 4.7 percent during those eight years.")
            .unwrap();
        let chat = m
            .classify("Thank you very much, it is great to be here.")
            .unwrap();
        assert!(claim > 0.5 && chat < 0.5, "claim {claim}, chatter {chat}");
        assert_eq!(checkworthy_seed(), 42);
    }

    #[test]
    fn embedded_weights_are_int8_with_row_scales() {
        let t = super::super::read_safetensors(WEIGHTS).unwrap();
        // an I8 tensor comes back dequantized, its scales consumed
        assert!(t.contains_key("encoder.layer.0.attention.self.query.weight"));
        assert!(!t.keys().any(|k| k.ends_with(super::super::ROW_SCALE)));
        // 8-bit storage: a quarter of the f32 size, give or take the scales
        let params: usize = t.values().map(|(_, v)| v.len()).sum();
        assert!(WEIGHTS.len() < params * 2, "{} bytes", WEIGHTS.len());
    }
}
