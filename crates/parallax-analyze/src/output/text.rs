//! A short human-readable summary of an analysis.

use crate::Analysis;
use std::fmt::Write;

/// Title, metadata, counts, and what each layer found, with evidence.
pub fn summary(a: &Analysis) -> String {
    let d = &a.doc;
    let m = &d.meta;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "== {} ({})",
        m.title.as_deref().unwrap_or(&m.id),
        m.origin
    );
    let mut facts = Vec::new();
    if let Some(x) = &m.source {
        facts.push(format!("source: {x}"));
    }
    if let Some(x) = &m.author {
        facts.push(format!("author: {x}"));
    }
    if let Some(x) = &m.published {
        facts.push(format!("published: {x}"));
    }
    facts.push(format!(
        "language: {}",
        m.language.as_deref().unwrap_or("unknown")
    ));
    let _ = writeln!(s, "   {}", facts.join(" | "));
    let words = d
        .segments
        .tokens
        .iter()
        .filter(|t| t.kind != parallax_core::TokenKind::Punct)
        .count();
    let _ = writeln!(
        s,
        "   {} paragraphs, {} sentences, {} words, {} links",
        d.segments.paragraphs.len(),
        d.segments.sentences.len(),
        words,
        d.links.len()
    );
    for w in &d.warnings {
        let _ = writeln!(s, "   warning: {w}");
    }
    for l in &d.links {
        let _ = writeln!(
            s,
            "   link [{}..{}] \"{}\" -> {}",
            l.span.cp_start, l.span.cp_end, l.text, l.href
        );
    }
    if let Some(l) = &a.layers.entities {
        entities_summary(&mut s, l);
    }
    if let Some(t) = &a.layers.techniques {
        techniques_summary(&mut s, t);
    }
    s
}

/// Entities by number of mentions, each with its forms; then naming variants.
fn entities_summary(s: &mut String, l: &crate::entities::EntitiesLayer) {
    let _ = writeln!(
        s,
        "   entities: {} mentions of {} entities, {} descriptive references",
        l.mentions.len(),
        l.entities.len(),
        l.naming.len()
    );
    let mut es: Vec<&crate::entities::group::Entity> = l.entities.iter().collect();
    es.sort_by(|a, b| {
        b.mentions
            .len()
            .cmp(&a.mentions.len())
            .then(a.id.cmp(&b.id))
    });
    for e in es.iter().take(15) {
        let forms: Vec<String> = e
            .forms
            .iter()
            .map(|f| format!("\"{}\" x{}", f.text, f.count))
            .collect();
        let _ = writeln!(
            s,
            "   entity {} {} ({} mentions): {}{}",
            e.label,
            e.name,
            e.mentions.len(),
            forms.join(", "),
            if e.unresolved { " [unresolved]" } else { "" }
        );
    }
    for n in &l.naming {
        let _ = writeln!(
            s,
            "   naming [{}..{}] \"{}\" -> {} ({}, {:.2}; {})",
            n.span.cp_start,
            n.span.cp_end,
            n.text,
            n.refers_to.as_deref().unwrap_or("?"),
            n.relation,
            n.confidence,
            n.cue
        );
    }
}

/// Persuasion techniques: the profile, then each span with its cues.
fn techniques_summary(s: &mut String, t: &crate::techniques::TechniquesLayer) {
    let p = &t.profile;
    let _ = writeln!(
        s,
        "   techniques: {} spans covering {:.1}% of words",
        p.spans,
        100.0 * p.share
    );
    for e in &p.techniques {
        let _ = writeln!(
            s,
            "     {:<40} {:>3} spans {:>5.1}% of words",
            e.name,
            e.count,
            100.0 * e.share
        );
    }
    for sp in &t.spans {
        let cues: Vec<String> = sp
            .evidence
            .iter()
            .take(3)
            .map(|e| format!("{} \"{}\"", e.kind, e.cue))
            .collect();
        let _ = writeln!(
            s,
            "   [{}..{}] {} ({:.2}): \"{}\"{}",
            sp.span.cp_start,
            sp.span.cp_end,
            sp.name,
            sp.confidence,
            sp.text,
            if cues.is_empty() {
                String::new()
            } else {
                format!(" - {}", cues.join("; "))
            }
        );
    }
}
