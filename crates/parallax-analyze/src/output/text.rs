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
    s
}
