//! Cited sources: the reports, books, documents, polls, interviews,
//! official bodies, news outlets and links that the text leans on, with
//! type, title, author or publisher and date where the text gives them.

use super::lexicon::{BODY_WORDS, MONTHS, OUTLET_WORDS, SOURCE_NOUNS};
use super::quotes::RawQuote;
use super::resolve::Names;
use super::{Attribution, CitedSource, Part};
use parallax_core::{Document, TokenKind};

const TITLE_CUES: &[&str] = &[
    "in",
    "on",
    "podcast",
    "segment",
    "episode",
    "titled",
    "entitled",
    "dubbed",
    "book",
    "report",
    "article",
    "op-ed",
    "column",
    "essay",
    "film",
    "documentary",
    "song",
    "speech",
    "paper",
    "study",
    "memo",
    "document",
    "album",
    "poem",
    "novel",
    "headline",
    "editorial",
    "series",
    "program",
    "show",
];

/// A quotation that names a work: `In “Title,” X says`, `report, “Title,”`.
pub fn is_title_quote(doc: &Document, q: &RawQuote) -> bool {
    if q.depth > 0 || !q.closed {
        return false;
    }
    let inner = &doc.text[q.inner_start..q.inner_end];
    let body = inner.trim_end_matches([',', ' ']);
    if body.is_empty()
        || body.split_whitespace().count() > 30
        || body.contains(['.', '!', '?']) && !body.ends_with(['?', '!'])
    {
        return false;
    }
    // Mostly capitalized words.
    let words: Vec<&str> = body.split_whitespace().collect();
    let caps = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
        .count();
    if caps * 2 < words.len() {
        return false;
    }
    let para_start = doc
        .segments
        .sentence_at(q.start)
        .map(|s| doc.segments.paragraphs[doc.segments.sentences[s].paragraph].start)
        .unwrap_or(0);
    let before = doc.text[para_start..q.start].trim_end();
    let before = before.trim_end_matches(',').trim_end();
    let last = before
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .to_lowercase();
    TITLE_CUES.contains(&last.as_str())
}

fn lw(doc: &Document, i: usize) -> String {
    doc.text[doc.segments.tokens[i].span.range()].to_lowercase()
}
fn word(doc: &Document, i: usize) -> &str {
    &doc.text[doc.segments.tokens[i].span.range()]
}
fn is_cap(doc: &Document, i: usize) -> bool {
    word(doc, i)
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase())
}
fn is_punct(doc: &Document, i: usize) -> bool {
    doc.segments.tokens[i].kind == TokenKind::Punct
}

const DETS: &[&str] = &[
    "a", "an", "the", "his", "her", "their", "its", "our", "this", "that", "these", "those", "my",
    "new", "recent",
];
const TITLE_FUNCTION: &[&str] = &[
    "of", "the", "in", "and", "for", "to", "a", "an", "on", "with", "from", "at", "by", "’s", "'s",
    ",",
];

/// A date inside tokens `[s, e)`: "May 24, 1984", "March 1", "2018", "October 16, 1986".
fn find_date(doc: &Document, s: usize, e: usize) -> Option<(usize, usize)> {
    let mut i = s;
    while i < e {
        let l = lw(doc, i);
        if MONTHS.contains(&l.as_str()) && is_cap(doc, i) {
            let mut j = i + 1;
            if j < e && doc.segments.tokens[j].kind == TokenKind::Number && word(doc, j).len() <= 2
            {
                j += 1;
            }
            if j + 1 < e && word(doc, j) == "," && is_year(word(doc, j + 1)) {
                j += 2;
            } else if j < e && is_year(word(doc, j)) {
                j += 1;
            }
            if j > i + 1 {
                return Some((i, j));
            }
        }
        if is_year(word(doc, i)) {
            return Some((i, i + 1));
        }
        i += 1;
    }
    None
}

fn is_year(w: &str) -> bool {
    w.len() == 4
        && w.bytes().all(|b| b.is_ascii_digit())
        && (w.starts_with("19") || w.starts_with("20"))
}

fn tok_range(doc: &Document, start: usize, end: usize) -> (usize, usize) {
    let t = &doc.segments.tokens;
    (
        t.partition_point(|x| x.span.start < start),
        t.partition_point(|x| x.span.start < end),
    )
}

/// A capitalized run (title-like: function words allowed inside) from `i`,
/// ending before a comma/colon/period; returns the end token.
fn title_run(doc: &Document, i: usize, limit: usize, allow_comma: bool) -> usize {
    let mut e = i;
    let mut last_cap = i;
    while e < limit {
        let w = word(doc, e);
        let l = w.to_lowercase();
        if is_cap(doc, e) && !is_punct(doc, e) {
            e += 1;
            last_cap = e;
        } else if TITLE_FUNCTION.contains(&l.as_str()) && (l != "," || allow_comma) {
            e += 1;
        } else {
            break;
        }
    }
    last_cap
}

fn sentence_of(doc: &Document, b: usize) -> Option<usize> {
    doc.segments.sentence_at(b)
}

fn org_kind(name: &str) -> Option<&'static str> {
    let l = name.to_lowercase();
    let ws: Vec<&str> = l.split(|c: char| !c.is_alphanumeric()).collect();
    if ws.iter().any(|w| OUTLET_WORDS.contains(w)) {
        Some("news_outlet")
    } else if ws.iter().any(|w| BODY_WORDS.contains(w)) {
        Some("official_body")
    } else {
        None
    }
}

fn content_sentences(doc: &Document, a: &Attribution) -> Vec<usize> {
    let mut v = Vec::new();
    for c in &a.content {
        let f = sentence_of(doc, c.span.start);
        let l = sentence_of(doc, c.span.end.saturating_sub(1).max(c.span.start));
        if let (Some(f), Some(l)) = (f, l) {
            v.extend(f..=l);
        }
    }
    if let Some(s) = sentence_of(doc, a.anchor().start) {
        v.push(s);
    }
    v
}

#[allow(clippy::needless_range_loop)]
pub fn find(doc: &Document, atts: &mut [Attribution], names: &Names) -> Vec<CitedSource> {
    let toks = &doc.segments.tokens;
    let mut out: Vec<CitedSource> = Vec::new();
    let n = toks.len();
    // 1. Source nouns with their modifiers.
    for i in 0..n {
        if toks[i].kind != TokenKind::Word {
            continue;
        }
        let l = lw(doc, i);
        let Some(&(_, kind)) = SOURCE_NOUNS.iter().find(|(w, _)| *w == l) else {
            continue;
        };
        let sent = match sentence_of(doc, toks[i].span.start) {
            Some(s) => s,
            None => continue,
        };
        let st = doc.segments.sentences[sent].tokens.clone();
        // Left: modifiers back to a determiner.
        let mut s = i;
        let mut has_det = false;
        while s > st.start && i - s < 8 {
            let p = s - 1;
            let pl = lw(doc, p);
            if DETS.contains(&pl.as_str()) {
                s = p;
                has_det = true;
                break;
            }
            let ok = is_cap(doc, p)
                || toks[p].kind == TokenKind::Number
                || pl == "," && p > st.start && toks[p - 1].kind == TokenKind::Number
                || pl == "’s"
                || pl == "'s"
                || matches!(
                    pl.as_str(),
                    "declassified"
                        | "classified"
                        | "internal"
                        | "secret"
                        | "leaked"
                        | "annual"
                        | "official"
                        | "published"
                        | "press"
                        | "government"
                        | "federal"
                        | "congressional"
                        | "public"
                        | "latest"
                        | "previous"
                        | "exclusive"
                        | "televised"
                        | "radio"
                        | "television"
                        | "phone"
                        | "national"
                        | "written"
                        | "joint"
                );
            if !ok || is_punct(doc, p) && pl != "," {
                break;
            }
            s = p;
        }
        if !has_det && s == i {
            continue;
        }
        // A verb use ("he reports that") is not a source.
        if i + 1 < n && lw(doc, i + 1) == "that" && !has_det {
            continue;
        }
        let mut e = i + 1;
        let mut title: Option<Part> = None;
        let mut author: Option<String> = None;
        let mut publisher: Option<String> = None;
        let mut date_tok = find_date(doc, s, i);
        // Right side: ", “Title,”" / ", Title," / "titled X" / "by X" / "with X" / "published DATE".
        let se = st.end;
        for _ in 0..4 {
            if e >= se {
                break;
            }
            let el = lw(doc, e);
            if el == "," || matches!(el.as_str(), "titled" | "entitled" | "called") {
                let t = e + 1;
                if t < se && matches!(word(doc, t), "“" | "\"" | "‘") {
                    // Quoted title.
                    if let Some(q) = (t + 1..se).find(|&k| matches!(word(doc, k), "”" | "\"" | "’"))
                    {
                        let a = toks[t + 1].span.start;
                        let mut b = toks[q - 1].span.end;
                        if word(doc, q - 1) == "," {
                            b = toks[q - 1].span.start;
                        }
                        title = Some(Part::new(doc, a, b));
                        e = q + 1;
                        continue;
                    }
                } else if t < se
                    && is_cap(doc, t)
                    && el == ","
                    && !matches!(
                        lw(doc, t).as_str(),
                        "he" | "she" | "it" | "they" | "we" | "i"
                    )
                {
                    let r = title_run(doc, t, se, false);
                    // A title is followed by a comma and then the clause's subject.
                    if r > t + 1 && r < se && word(doc, r) == "," {
                        title = Some(Part::new(doc, toks[t].span.start, toks[r - 1].span.end));
                        // "In his 2018 book, Title, Dr. X provided": X is the author.
                        let a0 = r + 1;
                        let mut a1 = a0;
                        while a1 < se && is_cap(doc, a1) && !is_punct(doc, a1) {
                            a1 += 1;
                        }
                        if a1 > a0 + 1 {
                            author = Some(
                                doc.text[toks[a0].span.start..toks[a1 - 1].span.end].to_string(),
                            );
                        }
                        e = r;
                        break;
                    }
                }
                break;
            } else if matches!(el.as_str(), "by" | "from" | "with" | "of") {
                // "interview with the Egyptian newspaper Al Massa", "report by the CRS".
                // The last capitalized run before the next comma: "with the
                // Egyptian newspaper Al Massa" -> Al Massa.
                let mut t = e + 1;
                let mut best: Option<(usize, usize)> = None;
                while t < se
                    && t - e < 10
                    && (!is_punct(doc, t) || matches!(word(doc, t), "’s" | "'s"))
                {
                    if is_cap(doc, t) {
                        let r = title_run(doc, t, se, false);
                        best = Some((t, r.max(t + 1)));
                        t = r.max(t + 1);
                    } else {
                        t += 1;
                    }
                }
                let (t, r) = best.unwrap_or((e + 1, e + 1));
                if r > t {
                    let name = doc.text[toks[t].span.start..toks[r - 1].span.end].to_string();
                    if el == "by" && org_kind(&name).is_none() {
                        author = Some(name);
                    } else {
                        publisher = Some(name);
                    }
                    e = r;
                    continue;
                }
                break;
            } else if matches!(el.as_str(), "published" | "released" | "dated" | "issued") {
                if let Some(d) = find_date(doc, e + 1, (e + 5).min(se)) {
                    date_tok = Some(d);
                    e = d.1;
                    continue;
                }
                break;
            } else {
                break;
            }
        }
        if date_tok.is_none() {
            date_tok = find_date(doc, i + 1, e);
        }
        // Publisher from capitalized modifiers ("CIA document", "White House's press release").
        if publisher.is_none() {
            let caps: Vec<usize> = (s..i)
                .filter(|&k| {
                    is_cap(doc, k)
                        && !MONTHS.contains(&lw(doc, k).as_str())
                        && !DETS.contains(&lw(doc, k).as_str())
                })
                .collect();
            if let (Some(&a), Some(&b)) = (caps.first(), caps.last()) {
                publisher = Some(doc.text[toks[a].span.start..toks[b].span.end].to_string());
            }
        }
        let dated_or_titled = date_tok.is_some() || title.is_some() || publisher.is_some();
        let span_start = toks[s].span.start;
        let span_end = toks[e.max(i + 1) - 1].span.end;
        let span = doc.span(span_start, span_end);
        // Which attribution leans on it: one whose source holds it, or whose
        // cue sits in the same sentence after it ("In his book, X writes").
        let linked = atts.iter().position(|a| {
            a.source
                .as_ref()
                .is_some_and(|p| p.span.start <= span.start && span.end <= p.span.end)
                || a.cue.as_ref().is_some_and(|c| {
                    sentence_of(doc, c.span.start) == Some(sent) && c.span.start >= span.end
                })
        });
        if !dated_or_titled && linked.is_none() {
            continue;
        }
        let mut sentences = vec![sent];
        if let Some(ai) = linked {
            sentences.extend(content_sentences(doc, &atts[ai]));
            if author.is_none() && publisher.is_none() {
                if let Some(sp) = &atts[ai].speaker {
                    if org_kind(sp).is_some() {
                        publisher = Some(sp.clone());
                    } else {
                        author = Some(sp.clone());
                    }
                }
            }
        }
        if author.is_none() && publisher.is_none() {
            // "his book" with the subject after it.
            if let Some(ai) = linked {
                author = atts[ai].speaker.clone();
            }
        }
        sentences.sort_unstable();
        sentences.dedup();
        let idx = out.len();
        if let Some(ai) = linked {
            if atts[ai].work.is_none() {
                atts[ai].work = Some(idx);
            }
        }
        out.push(CitedSource {
            span,
            text: doc.slice(&span).to_string(),
            kind,
            title,
            author,
            publisher,
            date: date_tok.map(|(a, b)| Part::new(doc, toks[a].span.start, toks[b - 1].span.end)),
            href: None,
            sentences,
            cue: l,
            confidence: if linked.is_some() { 0.8 } else { 0.6 },
        });
    }
    // 2. Titled works: "In “Title,” X states:", "In Title, X affirms:", "X writes in Title:".
    for ai in 0..atts.len() {
        if atts[ai].work.is_some() {
            continue;
        }
        let a = &atts[ai];
        let Some(cue) = a.cue.clone() else { continue };
        let Some(sent) = sentence_of(doc, cue.span.start) else {
            continue;
        };
        let st = doc.segments.sentences[sent].tokens.clone();
        let src_start = a
            .source
            .as_ref()
            .map(|p| p.span.start)
            .unwrap_or(cue.span.start);
        let mut title: Option<Part> = None;
        let mut mention: Option<(usize, usize)> = None;
        if lw(doc, st.start) == "in" && toks[st.start].span.start < src_start {
            let t = st.start + 1;
            if t < st.end && matches!(word(doc, t), "“" | "\"") {
                if let Some(q) = (t + 1..st.end).find(|&k| matches!(word(doc, k), "”" | "\"")) {
                    let b = if word(doc, q - 1) == "," {
                        toks[q - 1].span.start
                    } else {
                        toks[q - 1].span.end
                    };
                    title = Some(Part::new(doc, toks[t + 1].span.start, b));
                    mention = Some((toks[st.start].span.start, toks[q].span.end));
                }
            } else if t < st.end && is_cap(doc, t) {
                let r = title_run(doc, t, st.end, false);
                if r > t + 2 && r < st.end && word(doc, r) == "," && toks[r].span.start < src_start
                {
                    title = Some(Part::new(doc, toks[t].span.start, toks[r - 1].span.end));
                    mention = Some((toks[st.start].span.start, toks[r - 1].span.end));
                }
            }
        }
        if title.is_none() {
            // "writes in Title:"
            let (c0, c1) = tok_range(doc, cue.span.start, cue.span.end);
            let _ = c0;
            if c1 + 1 < st.end && lw(doc, c1) == "in" && is_cap(doc, c1 + 1) {
                let r = title_run(doc, c1 + 1, st.end, true);
                let r = if r > c1 + 1 && word(doc, r - 1) == "," {
                    r - 1
                } else {
                    r
                };
                if r > c1 + 2 && (r >= st.end || matches!(word(doc, r), ":" | "," | ".")) {
                    title = Some(Part::new(
                        doc,
                        toks[c1 + 1].span.start,
                        toks[r - 1].span.end,
                    ));
                    mention = Some((toks[c1].span.start, toks[r - 1].span.end));
                }
            }
        }
        let (Some(title), Some((ms, me))) = (title, mention) else {
            continue;
        };
        let span = doc.span(ms, me);
        let mut sentences = vec![sent];
        sentences.extend(content_sentences(doc, &atts[ai]));
        sentences.sort_unstable();
        sentences.dedup();
        atts[ai].work = Some(out.len());
        out.push(CitedSource {
            span,
            text: doc.slice(&span).to_string(),
            kind: "work",
            title: Some(title),
            author: atts[ai].speaker.clone(),
            publisher: None,
            date: None,
            href: None,
            sentences,
            cue: "titled work".into(),
            confidence: 0.7,
        });
    }
    // 3. Organizations that are sources of attributions.
    for ai in 0..atts.len() {
        let a = &atts[ai];
        let (Some(sp), Some(m)) = (&a.speaker, &a.speaker_mention) else {
            continue;
        };
        let Some(kind) = org_kind(sp) else { continue };
        if out.iter().any(|s| s.span.overlaps(&m.span)) {
            continue;
        }
        let mut sentences = content_sentences(doc, a);
        sentences.sort_unstable();
        sentences.dedup();
        let _ = names;
        out.push(CitedSource {
            span: m.span,
            text: m.text.clone(),
            kind,
            title: None,
            author: None,
            publisher: Some(sp.clone()),
            date: None,
            href: None,
            sentences,
            cue: a.cue.as_ref().map(|c| c.text.clone()).unwrap_or_default(),
            confidence: 0.7,
        });
    }
    // 4. Hyperlinks.
    for l in &doc.links {
        let sentences = sentence_of(doc, l.span.start).into_iter().collect();
        out.push(CitedSource {
            span: l.span,
            text: l.text.clone(),
            kind: "link",
            title: Some(Part {
                span: l.span,
                text: l.text.clone(),
            }),
            author: None,
            publisher: None,
            date: None,
            href: Some(l.href.clone()),
            sentences,
            cue: "hyperlink".into(),
            confidence: 0.9,
        });
    }
    // Stable order by position; fix up the attribution -> source indices.
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by_key(|&i| (out[i].span.start, out[i].span.end));
    let mut new_index = vec![0; out.len()];
    for (ni, &oi) in order.iter().enumerate() {
        new_index[oi] = ni;
    }
    for a in atts.iter_mut() {
        if let Some(w) = a.work {
            a.work = Some(new_index[w]);
        }
    }
    let mut slots: Vec<Option<CitedSource>> = out.into_iter().map(Some).collect();
    order.iter().map(|&i| slots[i].take().unwrap()).collect()
}
