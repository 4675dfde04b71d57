//! The check-worthiness classifier embedded in the binary
//! (`models/checkworthy-encoder/`, see its model card): all-MiniLM-L6-v2
//! fine-tuned in Rust by `parallax train checkworthy-encoder --int8`, its
//! weight matrices stored in 8 bits. It is the default scorer of
//! `parallax checkworthy` and `parallax eval checkworthy`, and of the claims
//! layer of `parallax analyze --claims-encoder`.
//!
//! Beside it, the persuasion-technique word tagger (`models/techniques-encoder/`):
//! the same base model fine-tuned by `parallax train techniques-encoder
//! --int8 --refit`, mixed into the linear span tagger by
//! [`super::techniques::embedded`] for `parallax analyze
//! --techniques-encoder`. Both folders hold the base model's `vocab.txt`
//! (the same file; embedded once).

use super::FullModel;

static CONFIG: &[u8] = include_bytes!("../../../../models/checkworthy-encoder/config.json");
static VOCAB: &str = include_str!("../../../../models/checkworthy-encoder/vocab.txt");
static WEIGHTS: &[u8] = include_bytes!("../../../../models/checkworthy-encoder/model.safetensors");

/// The model's name in outputs (the claims layer's `model` field).
pub const NAME: &str = "checkworthy-encoder-v1";

/// Where the embedded bytes came from, as errors and names say it.
const ORIGIN: &str = "models/checkworthy-encoder (embedded)";

static TECH_CONFIG: &[u8] = include_bytes!("../../../../models/techniques-encoder/config.json");
static TECH_WEIGHTS: &[u8] =
    include_bytes!("../../../../models/techniques-encoder/model.safetensors");

/// The technique tagger's name in outputs (after the linear model's in the
/// techniques layer's `model` field).
pub const TECHNIQUES_NAME: &str = "techniques-encoder-v1";

const TECH_ORIGIN: &str = "models/techniques-encoder (embedded)";

/// The embedded technique word tagger (dequantized to f32) and the mix and
/// decoding chosen for it on dev articles.
pub fn techniques_encoder() -> (FullModel, super::techniques::Fusion) {
    let model = FullModel::from_parts(TECH_CONFIG, VOCAB, TECH_WEIGHTS, TECH_ORIGIN)
        .unwrap_or_else(|e| panic!("the embedded techniques encoder: {e}"));
    let cfg: serde_json::Value = serde_json::from_slice(TECH_CONFIG)
        .unwrap_or_else(|e| panic!("{TECH_ORIGIN}/config.json: {e}"));
    let fusion = super::techniques::Fusion::from_config(&cfg)
        .and_then(|f| f.ok_or_else(|| "no mix in it".to_string()))
        .unwrap_or_else(|e| panic!("{TECH_ORIGIN}/config.json: {e}"));
    (model, fusion)
}

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
    fn both_encoders_share_the_base_models_vocabulary() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../models/techniques-encoder/vocab.txt"
        );
        assert_eq!(std::fs::read_to_string(dir).unwrap(), VOCAB);
    }

    #[test]
    fn embedded_technique_tagger_loads_with_its_mix_and_sees_loaded_words() {
        let (m, f) = techniques_encoder();
        assert!(m.is_classifier());
        assert!(f.mix > 0.0 && f.mix < 1.0 && f.threshold > 0.0, "{f:?}");
        let t = super::super::techniques::EncoderTagger::new(m);
        let (ws, p) = t.word_probs("These treasonous traitors want to destroy our great nation.\nThe meeting is on Tuesday.");
        let at = |w: &str| {
            let text = "These treasonous traitors want to destroy our great nation.\nThe meeting is on Tuesday.";
            let i = ws.iter().position(|x| &text[x.start..x.end] == w).unwrap();
            p[i]
        };
        assert!(
            at("traitors") > at("Tuesday"),
            "{} vs {}",
            at("traitors"),
            at("Tuesday")
        );
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
