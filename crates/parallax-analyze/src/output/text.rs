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
    if let Some(l) = &a.layers.attributions {
        attributions_summary(&mut s, l);
    }
    quantities_summary(&mut s, a);
    claims_summary(&mut s, a);
    s
}

fn clip(t: &str, n: usize) -> String {
    let one: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= n {
        one
    } else {
        format!("{}…", one.chars().take(n).collect::<String>())
    }
}

/// Who says what (speaker, cue, content), then the cited sources.
fn attributions_summary(s: &mut String, l: &crate::attribution::AttributionLayer) {
    let _ = writeln!(
        s,
        "   attributions: {} ({} quotations, {} cited sources, {} unsourced statements)",
        l.attributions.len(),
        l.quotes.len(),
        l.sources.len(),
        l.unsourced.len()
    );
    for a in &l.attributions {
        let who = a
            .speaker
            .as_deref()
            .or(a.source.as_ref().map(|p| p.text.as_str()))
            .unwrap_or("(no source)");
        let span = a.anchor();
        let _ = writeln!(
            s,
            "   [{}] {:?} {} | {} | \"{}\"",
            span.cp_start,
            a.kind,
            who,
            a.cue.as_ref().map(|c| c.text.as_str()).unwrap_or("-"),
            clip(
                &a.content
                    .iter()
                    .map(|c| c.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" … "),
                90
            )
        );
    }
    for c in &l.sources {
        let mut facts = vec![c.kind.to_string()];
        if let Some(t) = &c.title {
            facts.push(format!("title \"{}\"", clip(&t.text, 60)));
        }
        if let Some(x) = c.author.as_ref().or(c.publisher.as_ref()) {
            facts.push(format!("by {x}"));
        }
        if let Some(d) = &c.date {
            facts.push(format!("date {}", d.text));
        }
        let _ = writeln!(
            s,
            "   source [{}..{}] {} - \"{}\"",
            c.span.cp_start,
            c.span.cp_end,
            facts.join(", "),
            clip(&c.text, 60)
        );
    }
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
