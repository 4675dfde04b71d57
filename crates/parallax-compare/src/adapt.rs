//! Adapters from the analyzer layers (`parallax_analyze::Layers`) into the
//! comparison's [`ArticleView`]. Each layer is used when present; what a
//! layer does not give is filled by the light rules.

use crate::view::{ArticleView, EntityView, MentionView, QuoteView, SourceView, TechniqueView};
use parallax_analyze::Analysis;

/// Which parts came from layers (the rest fall back to rules).
#[derive(Default)]
pub struct Used {
    pub quotes: bool,
    pub sources: bool,
    pub entities: bool,
}

pub fn adapt_layers(v: &mut ArticleView, a: &Analysis) -> Used {
    let mut used = Used::default();
    let l = &a.layers;
    if let Some(t) = &l.techniques {
        v.techniques = Some(
            t.spans
                .iter()
                .map(|s| TechniqueView {
                    label: s.name.to_string(),
                    span: s.span,
                    text: s.text.clone(),
                })
                .collect(),
        );
        v.provenance.techniques = "layer";
    }
    if let Some(q) = &l.quantities {
        v.values_from_layer(q);
        v.provenance.values = "layer";
    }
    if let Some(c) = &l.claims {
        for cs in &c.sentences {
            for s in v
                .sentences
                .iter_mut()
                .filter(|s| s.part_of.is_none() && s.span.start == cs.span.start)
            {
                s.claim = cs.label == parallax_analyze::claims::LABEL_YES && !s.heading;
                s.checkworthy = Some(cs.score);
            }
        }
        v.provenance.claims = "layer";
    }
    if let Some(at) = &l.attributions {
        for q in &at.quotes {
            let attr = q.attribution.and_then(|i| at.attributions.get(i));
            let speaker = attr.and_then(|x| {
                x.speaker
                    .clone()
                    .or_else(|| x.source.as_ref().map(|p| p.text.clone()))
            });
            let speaker_span = attr.and_then(|x| {
                x.speaker_mention
                    .as_ref()
                    .or(x.source.as_ref())
                    .map(|p| p.span)
            });
            v.quotes.push(QuoteView {
                span: q.span,
                text: q.text.clone(),
                speaker,
                speaker_span,
            });
        }
        for x in &at.attributions {
            if let Some(cue) = &x.cue {
                for s in v.sentences.iter_mut() {
                    if s.span.start <= cue.span.start
                        && cue.span.end <= s.span.end
                        && s.attribution.is_none()
                    {
                        s.attribution = Some((cue.span.start, cue.span.end));
                    }
                }
            }
        }
        for s in &at.sources {
            v.sources.push(SourceView {
                span: s.span,
                text: s.text.clone(),
                kind: s.kind.to_string(),
            });
        }
        used.quotes = !v.quotes.is_empty();
        used.sources = true;
        v.provenance.quotes = "layer";
        v.provenance.sources = "layer";
    }
    if let Some(en) = &l.entities {
        for e in &en.entities {
            let name = crate::rules::alias_of(&e.name)
                .unwrap_or(&e.name)
                .to_string();
            let mut mentions: Vec<MentionView> = e
                .mentions
                .iter()
                .filter_map(|&mi| en.mentions.get(mi))
                .map(|m| MentionView {
                    span: m.span,
                    text: m.text.clone(),
                    kind: if m.text == e.name {
                        "name".into()
                    } else {
                        "alias".into()
                    },
                    confidence: m.confidence,
                })
                .collect();
            for nv in en.naming.iter().filter(|nv| nv.entity == Some(e.id)) {
                mentions.push(MentionView {
                    span: nv.span,
                    text: nv.text.clone(),
                    kind: "descriptive".into(),
                    confidence: nv.confidence,
                });
            }
            if mentions.is_empty() {
                continue;
            }
            mentions.sort_by_key(|m| m.span.start);
            v.entities.push(EntityView {
                name,
                label: Some(e.label.to_string()),
                mentions,
            });
        }
        used.entities = !v.entities.is_empty();
        v.provenance.entities = "layer";
    }
    used
}
