//! What the comparison needs from one analyzed article, gathered into one
//! flat view: sentences with their evidence, quotes with speakers, cited
//! sources, entity mentions, check-worthiness, techniques.
//!
//! Each part comes from the article's analyzer layer when that layer is
//! present (`adapt_layers`), and from the light rules in [`crate::evidence`]
//! otherwise, so a comparison works with any subset of layers.

use crate::embed::SentenceEncoder;
use crate::evidence::{self, Value};
use parallax_analyze::Analysis;
use parallax_core::{Document, Span};

/// One sentence and the evidence found in it.
#[derive(Clone, Debug)]
pub struct SentenceView {
    pub span: Span,
    pub text: String,
    pub vec: Vec<f32>,
    pub words: Vec<String>,
    /// Stemmed content words, sorted (for overlap).
    pub stems: Vec<String>,
    pub values: Vec<Value>,
    pub negations: Vec<String>,
    /// Attribution cue (document byte range), from the attributions layer or the light rule.
    pub attribution: Option<(usize, usize)>,
    /// Whether the sentence reads as a checkable claim (claims layer, or the
    /// light rule: has a number/date or a name, 6+ words, not a question).
    pub claim: bool,
    /// Check-worthiness score when the claims layer gives one.
    pub checkworthy: Option<f32>,
    /// The sentence is (part of) a quotation.
    pub in_quote: bool,
    /// For a half of a long sentence: the index in `sentences` of the whole
    /// sentence's unit.
    pub part_of: Option<usize>,
    /// A short line of its own without final punctuation (a heading such as
    /// `Pro-North Korea, pro-Hamas`): never aligned, never a claim.
    pub heading: bool,
    /// Content words written in lower case (not names, not title words):
    /// a unit with fewer than two says little beyond its names (`In his
    /// 2018 book, North Korea's Military Proliferation in the Middle East
    /// and Africa`) and is not aligned.
    pub plain_words: usize,
}

#[derive(Clone, Debug)]
pub struct QuoteView {
    pub span: Span,
    pub text: String,
    pub speaker: Option<String>,
    pub speaker_span: Option<Span>,
}

#[derive(Clone, Debug)]
pub struct SourceView {
    pub span: Span,
    pub text: String,
    pub kind: String,
}

/// How an entity is referred to at one place.
#[derive(Clone, Debug)]
pub struct MentionView {
    pub span: Span,
    pub text: String,
    /// `name`, `alias` or `descriptive`.
    pub kind: String,
    pub confidence: f32,
}

#[derive(Clone, Debug)]
pub struct EntityView {
    /// Canonical name within this article.
    pub name: String,
    /// PER/ORG/LOC/MISC when known.
    pub label: Option<String>,
    pub mentions: Vec<MentionView>,
}

#[derive(Clone, Debug)]
pub struct TechniqueView {
    pub label: String,
    pub span: Span,
    pub text: String,
}

/// Which layer each part came from: `layer` or `rules`.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Provenance {
    pub quotes: &'static str,
    pub sources: &'static str,
    pub entities: &'static str,
    pub claims: &'static str,
    /// Numbers and dates of the aligned claims.
    pub values: &'static str,
    pub techniques: &'static str,
}

pub struct ArticleView {
    pub doc: Document,
    pub sentences: Vec<SentenceView>,
    pub quotes: Vec<QuoteView>,
    pub sources: Vec<SourceView>,
    pub entities: Vec<EntityView>,
    /// None when no techniques layer ran.
    pub techniques: Option<Vec<TechniqueView>>,
    pub provenance: Provenance,
}

impl ArticleView {
    pub fn build(a: &Analysis, enc: &dyn SentenceEncoder) -> ArticleView {
        let doc = a.doc.clone();
        let mut v = ArticleView {
            sentences: Vec::new(),
            quotes: Vec::new(),
            sources: Vec::new(),
            entities: Vec::new(),
            techniques: None,
            provenance: Provenance {
                quotes: "rules",
                sources: "rules",
                entities: "rules",
                claims: "rules",
                values: "rules",
                techniques: "absent",
            },
            doc,
        };
        // The light number regex serves the light claim rule and the
        // values; with both layers present neither is read.
        let rule_values = a.layers.quantities.is_none() || a.layers.claims.is_none();
        v.sentences_from_rules(enc, rule_values);
        let used = crate::adapt::adapt_layers(&mut v, a);
        // rule quotes fill in what the attributions layer missed (e.g. block
        // quotations without marks)
        let layer_quotes = std::mem::take(&mut v.quotes);
        v.quotes_from_rules();
        let rule_quotes = std::mem::take(&mut v.quotes);
        v.quotes = layer_quotes;
        for q in rule_quotes {
            if let Some(o) = v.quotes.iter_mut().find(|o| o.span.overlaps(&q.span)) {
                if o.speaker.is_none() {
                    o.speaker = q.speaker.clone();
                    o.speaker_span = q.speaker_span;
                }
            } else {
                v.quotes.push(q);
            }
        }
        v.quotes.sort_by_key(|q| q.span.start);
        let _ = used.quotes;
        if !used.sources {
            v.sources_from_rules();
        }
        if !used.entities {
            v.entities_from_rules();
        }
        for q in &v.quotes {
            for s in v.sentences.iter_mut() {
                if q.span.start <= s.span.start && s.span.end <= q.span.end + 3 {
                    s.in_quote = true;
                }
            }
        }
        v
    }

    fn sentences_from_rules(&mut self, enc: &dyn SentenceEncoder, rule_values: bool) {
        let doc = &self.doc;
        // units: every sentence, plus the two halves of a long sentence
        // (split at the comma nearest its middle), so that one clause of a
        // long sentence can align on its own
        let mut units: Vec<(usize, usize, Option<usize>)> = Vec::new();
        let base = self.sentences.len();
        for s in &doc.segments.sentences {
            let (bs, be) = (s.span.start, s.span.end);
            let whole = base + units.len();
            units.push((bs, be, None));
            let t = &doc.text[bs..be];
            if t.split_whitespace().count() > 30 {
                let mid = t.len() / 2;
                if let Some(c) = t
                    .match_indices(", ")
                    .map(|(i, _)| i)
                    .min_by_key(|&i| i.abs_diff(mid))
                {
                    let (l, r) = (&t[..c], &t[c + 2..]);
                    if l.split_whitespace().count() >= 8 && r.split_whitespace().count() >= 8 {
                        units.push((bs, bs + c, Some(whole)));
                        units.push((bs + c + 2, be, Some(whole)));
                    }
                }
            }
        }
        for (bs, be, part_of) in units {
            let text = doc.text[bs..be].to_string();
            let words = evidence::words(&text);
            let values = if rule_values {
                evidence::values(&doc.text, bs, be)
            } else {
                Vec::new()
            };
            let names = evidence::names(&text);
            let attribution = evidence::attribution_cue(&text).map(|(a, b)| (bs + a, bs + b));
            let heading = part_of.is_none() && is_heading(&doc.text, bs, be);
            let plain_words = evidence::word_pieces(&text)
                .filter(|w| w.starts_with(char::is_lowercase) && crate::is_content(w))
                .count();
            let claim = part_of.is_none()
                && !heading
                && words.len() >= 6
                && !text.trim_end().ends_with('?')
                && (!values.is_empty() || names.iter().any(|(a, _)| *a > 0) || names.len() > 1);
            self.sentences.push(SentenceView {
                span: doc.span(bs, be),
                vec: enc.encode(&text),
                negations: evidence::negations(&words),
                stems: crate::stems(&alias_words(&words)),
                words,
                values,
                attribution,
                claim,
                checkworthy: None,
                in_quote: false,
                part_of,
                heading,
                plain_words,
                text,
            });
        }
    }

    /// Replaces each unit's rule-found numbers and dates with the
    /// quantities layer's (normalized dates: `October 16, 1986` is one
    /// date, not the count 16 and the year 1986).
    pub(crate) fn values_from_layer(&mut self, q: &parallax_analyze::quantities::QuantitiesLayer) {
        let found = layer_values(q);
        for s in self.sentences.iter_mut() {
            s.values = found
                .iter()
                .filter(|v| s.span.start <= v.bytes.0 && v.bytes.1 <= s.span.end)
                .cloned()
                .collect();
        }
    }

    fn quotes_from_rules(&mut self) {
        let doc = &self.doc;
        let sents = &doc.segments.sentences;
        let paras = &doc.segments.paragraphs;
        let mut out: Vec<QuoteView> = Vec::new();
        // inline quotations
        for (i, s) in sents.iter().enumerate() {
            let st = &doc.text[s.span.start..s.span.end];
            for (qs, qe) in evidence::quotations(st) {
                let (qs, qe) = (s.span.start + qs, s.span.start + qe);
                let speaker = speaker_in(doc, s.span.start, s.span.end, Some((qs, qe)))
                    .or_else(|| intro_speaker(doc, i));
                out.push(QuoteView {
                    span: doc.span(qs, qe),
                    text: doc.text[qs..qe].to_string(),
                    speaker: speaker.as_ref().map(|x| x.0.clone()),
                    speaker_span: speaker.map(|x| x.1),
                });
            }
        }
        // block quotations: a paragraph without quotation marks after an
        // intro sentence ending with ':' that carries an attribution cue
        for (pi, p) in paras.iter().enumerate() {
            if pi == 0 {
                continue;
            }
            let pt = &doc.text[p.start..p.end];
            if !evidence::quotations(pt).is_empty() || pt.contains('“') {
                continue;
            }
            let Some(first) = sents.iter().position(|s| s.paragraph == pi) else {
                continue;
            };
            if first == 0 || sents[first - 1].paragraph + 1 != pi {
                continue;
            }
            if let Some(sp) = intro_speaker(doc, first) {
                let (qs, qe) = (p.start, p.end);
                out.push(QuoteView {
                    span: doc.span(qs, qe),
                    text: doc.text[qs..qe].to_string(),
                    speaker: Some(sp.0),
                    speaker_span: Some(sp.1),
                });
            }
        }
        out.sort_by_key(|q| q.span.start);
        self.quotes = out;
    }

    fn sources_from_rules(&mut self) {
        let doc = &self.doc;
        let re = crate::rules::SOURCE_RE.clone();
        for s in &doc.segments.sentences {
            let st = &doc.text[s.span.start..s.span.end];
            for c in re.captures_iter(st) {
                let m = c.get(2).unwrap();
                let (a, b) = (s.span.start + m.start(), s.span.start + m.end());
                self.sources.push(SourceView {
                    span: doc.span(a, b),
                    text: doc.text[a..b].to_string(),
                    kind: "cited".into(),
                });
            }
        }
        for l in &doc.links {
            self.sources.push(SourceView {
                span: l.span,
                text: l.href.clone(),
                kind: "link".into(),
            });
        }
    }

    fn entities_from_rules(&mut self) {
        let doc = &self.doc;
        let mut groups: Vec<EntityView> = Vec::new();
        let mut push = |key: String, m: MentionView| {
            if let Some(g) = groups.iter_mut().find(|g| g.name == key) {
                g.mentions.push(m);
            } else {
                groups.push(EntityView {
                    name: key,
                    label: None,
                    mentions: vec![m],
                });
            }
        };
        for s in &doc.segments.sentences {
            let st = &doc.text[s.span.start..s.span.end];
            for (a, b) in evidence::names(st) {
                let (a, b) = (s.span.start + a, s.span.start + b);
                let text = &doc.text[a..b];
                let (key, kind, conf) = match crate::rules::alias_of(text) {
                    Some(k) => (k.to_string(), "alias", 0.9),
                    None => (text.to_string(), "name", 1.0),
                };
                push(
                    key,
                    MentionView {
                        span: doc.span(a, b),
                        text: text.to_string(),
                        kind: kind.into(),
                        confidence: conf,
                    },
                );
            }
            for (a, b, key) in crate::rules::descriptive_refs(st) {
                let (a, b) = (s.span.start + a, s.span.start + b);
                push(
                    key.to_string(),
                    MentionView {
                        span: doc.span(a, b),
                        text: doc.text[a..b].to_string(),
                        kind: "descriptive".into(),
                        confidence: 0.6,
                    },
                );
            }
        }
        // a mention whose text equals the canonical key is a name, not an alias
        for g in groups.iter_mut() {
            for m in g.mentions.iter_mut() {
                if m.text == g.name {
                    m.kind = "name".into();
                    m.confidence = 1.0;
                }
            }
            g.mentions.sort_by_key(|m| m.span.start);
            // a mention inside a longer mention of the same group is dropped
            let ms = std::mem::take(&mut g.mentions);
            for m in ms {
                if !g
                    .mentions
                    .iter()
                    .any(|o: &MentionView| o.span.start <= m.span.start && m.span.end <= o.span.end)
                {
                    g.mentions.push(m);
                }
            }
        }
        self.entities = groups;
    }
}

/// The name nearest before an attribution cue in `[s, e)` (outside the
/// quote), as (name, span).
fn speaker_in(
    doc: &Document,
    s: usize,
    e: usize,
    quote: Option<(usize, usize)>,
) -> Option<(String, Span)> {
    let t = &doc.text[s..e];
    let (cs, _) = evidence::attribution_cue(t)?;
    if let Some((qs, qe)) = quote {
        if (qs..qe).contains(&(s + cs)) {
            return None;
        }
    }
    let names = evidence::names(t);
    let pick = names.iter().rfind(|(a, _)| *a < cs).or_else(|| {
        names
            .iter()
            .find(|(a, _)| *a > cs && quote.is_none_or(|(qs, qe)| !(qs..qe).contains(&(s + a))))
    })?;
    let (a, b) = (s + pick.0, s + pick.1);
    Some((doc.text[a..b].to_string(), doc.span(a, b)))
}

/// Speaker named by the sentence before sentence `i` when that one ends with ':'.
fn intro_speaker(doc: &Document, i: usize) -> Option<(String, Span)> {
    if i == 0 {
        return None;
    }
    let p = &doc.segments.sentences[i - 1];
    let t = doc.text[p.span.start..p.span.end].trim_end();
    if !t.ends_with(':') {
        return None;
    }
    speaker_in(doc, p.span.start, p.span.end, None)
}

/// Words with demonyms and aliases folded to their entity ("Israeli" ->
/// "israel"), so overlap sees the same entity under different forms.
fn alias_words(ws: &[String]) -> Vec<String> {
    ws.iter()
        .map(|w| {
            let mut c = w.chars();
            let cap: String = c
                .next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default();
            match crate::rules::alias_of(&cap) {
                Some(k) => k.to_lowercase().replace(' ', ""),
                None => w.clone(),
            }
        })
        .collect()
}

/// A heading: a line of its own (text before and after it on its line is
/// only whitespace), under ten words, that does not end like a sentence.
fn is_heading(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].trim_end_matches([' ', '\t']);
    let line_start = before.is_empty() || before.ends_with('\n');
    let rest = text[e..].trim_start_matches([' ', '\t']);
    let line_end = rest.is_empty() || rest.starts_with(['\n', '\r']);
    let t = text[s..e].trim_end();
    let ends_like_sentence = t.ends_with([
        '.', '!', '?', ':', ';', '"', '\u{201d}', '\u{2019}', '\'', ')', '\u{2026}',
    ]);
    line_start && line_end && !ends_like_sentence && t.split_whitespace().count() < 10
}

/// Numbers and dates of the quantities layer as comparison values. Dates
/// become ranges of (fractional) years, so that `1986` holds `October 16,
/// 1986` and `the 1980s` holds both; a date whose year is unknown is left
/// out. Fractions, measures and counts compare as counts.
fn layer_values(q: &parallax_analyze::quantities::QuantitiesLayer) -> Vec<Value> {
    let mut out = Vec::new();
    for d in &q.dates {
        // a decade's value is `197X`
        let decade = || {
            d.value
                .strip_suffix('X')
                .and_then(|p| p.parse::<i32>().ok())
                .map(|p| p * 10)
        };
        let Some(y) = d
            .year
            .or_else(|| (d.granularity == "decade").then(decade).flatten())
        else {
            continue;
        };
        let y = y as f64;
        let (lo, hi) = match (d.granularity, d.month, d.day) {
            ("decade", _, _) => (y, y + 9.999),
            ("day", Some(m), Some(day)) => {
                let t = y + (m as f64 - 1.0) / 12.0 + (day as f64 - 1.0) / 372.0;
                (t, t)
            }
            ("month", Some(m), _) | ("day", Some(m), None) => {
                let t = y + (m as f64 - 1.0) / 12.0;
                (t, t + 1.0 / 12.0 - 1e-6)
            }
            _ => (y, y + 0.999),
        };
        out.push(Value {
            kind: evidence::ValueKind::Year,
            lo,
            hi,
            bytes: (d.span.start, d.span.end),
            text: d.text.clone(),
        });
    }
    for x in &q.quantities {
        let kind = match x.kind {
            "money" => evidence::ValueKind::Money,
            "percent" => evidence::ValueKind::Percent,
            _ => evidence::ValueKind::Count,
        };
        out.push(Value {
            kind,
            lo: x.value,
            hi: x.value,
            bytes: (x.span.start, x.span.end),
            text: x.text.clone(),
        });
    }
    out.sort_by_key(|v| v.bytes);
    out
}
