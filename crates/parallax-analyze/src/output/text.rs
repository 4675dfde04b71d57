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
    quantities_summary(&mut s, a);
    claims_summary(&mut s, a);
    s
}

/// Quantities and dates, one a line, with their normalized values.
fn quantities_summary(s: &mut String, a: &Analysis) {
    let Some(q) = &a.layers.quantities else {
        return;
    };
    let _ = writeln!(
        s,
        "   quantities: {} numbers, {} dates",
        q.quantities.len(),
        q.dates.len()
    );
    for x in &q.quantities {
        let mut norm = String::new();
        if let Some(c) = x.comparator {
            let _ = write!(norm, "{c} ");
        }
        let _ = write!(norm, "{}", x.value);
        if let Some(u) = &x.unit {
            let _ = write!(norm, " {u}");
        }
        if let Some(c) = x.currency {
            let _ = write!(norm, " {c}");
        }
        if let Some(p) = x.per {
            let _ = write!(norm, " per {p}");
        }
        if let Some(c) = &x.counted {
            let _ = write!(norm, " ({})", c.text);
        }
        let _ = writeln!(
            s,
            "   {} [{}..{}] \"{}\" = {}",
            x.kind, x.span.cp_start, x.span.cp_end, x.text, norm
        );
    }
    for d in &q.dates {
        let _ = writeln!(
            s,
            "   date [{}..{}] \"{}\" = {} ({})",
            d.span.cp_start, d.span.cp_end, d.text, d.value, d.granularity
        );
    }
}

/// The check-worthy sentences, highest score first.
fn claims_summary(s: &mut String, a: &Analysis) {
    let Some(c) = &a.layers.claims else {
        return;
    };
    let _ = writeln!(
        s,
        "   check-worthy sentences: {} of {} (model {})",
        c.check_worthy,
        c.sentences.len(),
        c.model
    );
    let mut top: Vec<_> = c
        .sentences
        .iter()
        .filter(|x| x.label == crate::claims::LABEL_YES)
        .collect();
    top.sort_by(|a, b| b.score.total_cmp(&a.score));
    for x in top.iter().take(10) {
        let cues: Vec<&str> = x.cues.iter().map(|c| c.feature.as_str()).collect();
        let _ = writeln!(
            s,
            "   claim {:.2} [{}..{}] \"{}\" (cues: {})",
            x.score,
            x.span.cp_start,
            x.span.cp_end,
            x.text,
            cues.join(", ")
        );
    }
}
