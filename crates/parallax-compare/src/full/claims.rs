//! Scoring the `claims` layer with a fine-tuned encoder: the packed
//! [`Classifier`], the embedded one, and [`rescore_claims`], which the CLI
//! (`analyze --claims-encoder`, `--claims-explain`) and the server
//! (`claims: "encoder"`, `"explain"`) share. The analyzer crate never
//! loads a transformer; its layer is rescored here.

use super::tune::Net;
use super::{ClassifyInputs, FullModel};
use parallax_analyze::claims::{occlusions, ClaimsLayer, LABEL_YES};
use rayon::prelude::*;
use std::sync::OnceLock;

/// A fine-tuned classifier ready to score many sentences at once: its
/// tokenizer and its weights as a [`Net`], whose scoring pass packs 16
/// sentences into each matrix product (the model itself is dropped: one
/// copy of the weights in memory).
pub struct Classifier {
    inputs: ClassifyInputs,
    net: Net,
}

impl Classifier {
    pub fn new(model: FullModel) -> Classifier {
        let net = Net::from_model(&model, 0, 0);
        Classifier {
            inputs: model.classify_inputs(),
            net,
        }
    }

    /// Probabilities of the positive class, one per text, in order.
    pub fn scores(&self, texts: &[&str]) -> Vec<f32> {
        let ids: Vec<Vec<u32>> = texts.par_iter().map(|t| self.inputs.ids(t)).collect();
        self.net.scores(&ids)
    }
}

/// The embedded check-worthiness encoder as a [`Classifier`], built on
/// first use (about 0.1 s) and kept for the life of the process.
pub fn embedded_classifier() -> &'static Classifier {
    static C: OnceLock<Classifier> = OnceLock::new();
    C.get_or_init(|| Classifier::new(super::embedded::checkworthy()))
}

/// Rescores every sentence of `layer` with `c` (layer `model` = `name`,
/// one encoder cue per sentence); with `explain`, adds to each
/// check-worthy sentence the words whose removal lowers its score most
/// (occlusion: every variant of every such sentence scored in one packed
/// call; see [`ClaimsLayer::explain_by_occlusion`]).
pub fn rescore_claims(layer: &mut ClaimsLayer, c: &Classifier, name: &'static str, explain: bool) {
    let texts: Vec<&str> = layer.sentences.iter().map(|s| s.text.as_str()).collect();
    let scores = c.scores(&texts);
    layer.rescore(name, &scores);
    if !explain {
        return;
    }
    let per: Vec<(usize, Vec<(String, String)>)> = layer
        .sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| s.label == LABEL_YES)
        .map(|(i, s)| (i, occlusions(&s.text)))
        .collect();
    let texts: Vec<&str> = per
        .iter()
        .flat_map(|(_, o)| o.iter().map(|(_, t)| t.as_str()))
        .collect();
    let mut scores = c.scores(&texts).into_iter();
    for (i, o) in per {
        let occluded: Vec<(String, f32)> = o
            .into_iter()
            .map(|(w, _)| (w, scores.next().expect("one score a variant")))
            .collect();
        layer.explain_by_occlusion(i, &occluded);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded encoder rescoring a layer: its name, one score per
    /// sentence, and with `explain` word cues only on check-worthy ones.
    #[test]
    fn rescore_claims_with_the_embedded_encoder() {
        let doc = parallax_core::Document::from_text(
            "t",
            "Unemployment fell from 10 percent to 4.7 percent in eight years. Thank you all for coming.",
        );
        let mut layer = parallax_analyze::claims::analyze(&doc);
        let c = embedded_classifier();
        rescore_claims(&mut layer, c, super::super::embedded::NAME, true);
        assert_eq!(layer.model, "checkworthy-encoder-v1");
        let (claim, chat) = (&layer.sentences[0], &layer.sentences[1]);
        assert_eq!(claim.label, LABEL_YES);
        assert_ne!(chat.label, LABEL_YES);
        assert!(claim.cues.len() > 1 && claim.cues[1].feature.starts_with("w:"));
        assert_eq!(chat.cues.len(), 1);
        assert!(std::ptr::eq(c, embedded_classifier()), "built once");
    }
}
