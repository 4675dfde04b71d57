//! Attributions from quotations and reporting verbs (see the module docs).

use super::lexicon::{self, CueClass, CUE_MAP};
use super::quotes::RawQuote;
use super::{Attribution, AttributionKind, Part, Quote, QuoteKind};
use parallax_core::{Document, Token, TokenKind};

/// What extraction found, before speakers are resolved.
pub struct Found {
    pub attributions: Vec<Attribution>,
    /// For each raw quote: the attribution it belongs to.
    pub quote_att: Vec<Option<usize>>,
    /// For each raw quote: it names a work ("In “Title,” X says").
    pub title: Vec<bool>,
    /// Unquoted paragraphs taken as block quotations: (start, end, attribution).
    pub blocks: Vec<(usize, usize, usize)>,
}

struct Ctx<'a> {
    doc: &'a Document,
    toks: &'a [Token],
    lower: Vec<String>,
    /// Top-level quote holding each token (marks included).
    tq: Vec<Option<usize>>,
    /// For each raw quote: it is a title.
    title: Vec<bool>,
}

impl<'a> Ctx<'a> {
    fn lw(&self, i: usize) -> &str {
        &self.lower[i]
    }
    fn word(&self, i: usize) -> &str {
        &self.doc.text[self.toks[i].span.range()]
    }
    fn is_punct(&self, i: usize) -> bool {
        self.toks[i].kind == TokenKind::Punct
    }
    fn is_cap(&self, i: usize) -> bool {
        self.word(i)
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase())
    }
    fn part(&self, t0: usize, t1: usize) -> Part {
        Part::new(
            self.doc,
            self.toks[t0].span.start,
            self.toks[t1 - 1].span.end,
        )
    }
}

#[derive(Clone, Copy, Debug)]
struct Unit {
    start: usize,
    end: usize,
    t0: usize,
    t1: usize,
    para: usize,
}

#[derive(Clone, Copy, Debug)]
struct Cue {
    t0: usize,
    t1: usize,
    verb: usize,
    class: CueClass,
    according: bool,
}

impl Cue {
    /// The `n` words from `i`, a cue only next to a quotation.
    fn quote_only(i: usize, n: usize) -> Cue {
        Cue {
            t0: i,
            t1: i + n,
            verb: i,
            class: CueClass::QuoteOnly,
            according: false,
        }
    }
}

const DET_LIKE: &[&str] = &[
    "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "these", "those", "this",
    "united", "swing", "other", "many", "some", "of", "several", "new", "all", "such", "news",
    "member", "two", "three", "four", "five", "both", "border", "red", "blue", "whose",
];

/// The words of [`DET_LIKE`] that are determiners proper: a cue word after
/// them is always a noun ("the claims", "his say").
const TRUE_DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "these", "those", "this",
    "of", "whose",
];

const TIME_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "tonight",
    "earlier",
    "later",
    "recently",
    "last",
    "week",
    "month",
    "year",
    "night",
    "morning",
    "afternoon",
    "evening",
    "this",
    "on",
    "also",
    "previously",
    "once",
    "again",
    "then",
    "now",
];

/// Adverbs and auxiliaries between a subject and its verb ("Beck, who
/// has in the past described", "officials have long argued", "figures
/// both suggested"), skipped like time words when going back to a source.
const ADVERB_WORDS: &[&str] = &[
    "long",
    "has",
    "have",
    "had",
    "both",
    "repeatedly",
    "publicly",
    "privately",
    "openly",
    "first",
    "initially",
    "ever",
    "often",
    "frequently",
    "already",
    "still",
    "reportedly",
    "separately",
];

const OBJECT_WORDS: &[&str] = &[
    "me",
    "him",
    "her",
    "us",
    "them",
    "you",
    "reporters",
    "supporters",
    "journalists",
    "voters",
    "audience",
    "crowd",
    "host",
    "press",
    "the",
    "a",
    "an",
    "his",
    "their",
    "listeners",
    "viewers",
    "interviewer",
    "reporter",
    "crowds",
    "members",
    "donors",
    "students",
    "congress",
    "lawmakers",
    "it",
    "everyone",
    "people",
    "americans",
];

const EVIDENCE_SUBJECTS: &[&str] = &[
    "poll",
    "polls",
    "survey",
    "surveys",
    "study",
    "studies",
    "report",
    "reports",
    "data",
    "analysis",
    "research",
    "researchers",
    "investigation",
    "figures",
    "numbers",
    "results",
    "review",
    "audit",
    "records",
    "documents",
    "statistics",
    "census",
];

/// The source of an evidence cue (`found`, `shows`) must name a document
/// or a body of data ([`EVIDENCE_SUBJECTS`]). The subject search stops at
/// `by`/`from`, so "A report by the Government Accountability Office
/// found" gives the office: the document before it is taken back in,
/// with its determiner and one modifier ("a new study from …").
fn evidence_source(ctx: &Ctx, (a, b): (usize, usize)) -> Option<(usize, usize)> {
    if (a..b).any(|k| EVIDENCE_SUBJECTS.contains(&ctx.lw(k))) {
        return Some((a, b));
    }
    if a < 2
        || !matches!(ctx.lw(a - 1), "by" | "from")
        || !EVIDENCE_SUBJECTS.contains(&ctx.lw(a - 2))
    {
        return None;
    }
    let det = |k: usize| {
        matches!(
            ctx.lw(k),
            "a" | "an" | "the" | "this" | "that" | "its" | "their" | "his" | "her"
        )
    };
    let noun = a - 2;
    let start = if noun >= 1 && det(noun - 1) {
        noun - 1
    } else if noun >= 2 && det(noun - 2) && ctx.lw(noun - 1).chars().all(|c| c.is_alphanumeric()) {
        noun - 2
    } else {
        noun
    };
    Some((start, b))
}

fn is_terminal(s: &str) -> bool {
    matches!(s, "." | "!" | "?" | "…")
}

pub fn extract(doc: &Document, raw: &[RawQuote]) -> Found {
    let toks = &doc.segments.tokens[..];
    let lower: Vec<String> = toks
        .iter()
        .map(|t| {
            let w = &doc.text[t.span.range()];
            if w.bytes().any(|b| b.is_ascii_uppercase()) {
                w.to_lowercase()
            } else {
                w.to_string()
            }
        })
        .collect();
    // Top-level quotes only.
    let top: Vec<usize> = (0..raw.len()).filter(|&i| raw[i].depth == 0).collect();
    let mut tq = vec![None; toks.len()];
    {
        let mut qi = 0;
        for (ti, t) in toks.iter().enumerate() {
            while qi < top.len() && raw[top[qi]].end <= t.span.start {
                qi += 1;
            }
            if qi < top.len() && raw[top[qi]].start <= t.span.start {
                tq[ti] = Some(top[qi]);
            }
        }
    }
    let title: Vec<bool> = raw
        .iter()
        .map(|q| super::sources::is_title_quote(doc, q))
        .collect();
    let ctx = Ctx {
        doc,
        toks,
        lower,
        tq,
        title: title.clone(),
    };
    let units = units(doc, raw);
    let mut f = Found {
        attributions: Vec::new(),
        quote_att: vec![None; raw.len()],
        title,
        blocks: Vec::new(),
    };
    // Paragraph -> attribution created by a colon line before it.
    let mut skip_para = vec![false; doc.segments.paragraphs.len()];
    let mut last_in_para: Option<(usize, usize)> = None; // (para, attribution)
    let mut last_unit_att: Option<(usize, usize)> = None; // (unit index, attribution)
                                                          // The last quotation of the unit before, when no cue claimed it.
    let mut last_unattributed: Option<(usize, usize)> = None; // (unit index, attribution)
    for (ui, u) in units.iter().enumerate() {
        if skip_para[u.para] {
            continue;
        }
        let uq: Vec<usize> = top
            .iter()
            .copied()
            .filter(|&q| raw[q].start >= u.start && raw[q].start < u.end && !f.title[q])
            .filter(|&q| f.quote_att[q].is_none())
            .collect();
        let cues = find_cues(&ctx, u);
        let ends_colon = doc.text[u.start..u.end].trim_end().ends_with(':');
        // Block quotation: "X states:" + the next paragraph.
        if ends_colon {
            if let Some(a) = block(&ctx, u, &cues, raw, &top, &mut f, &mut skip_para) {
                last_in_para = Some((u.para, a));
                last_unit_att = Some((ui, a));
                continue;
            }
        }
        if let Some(a) = headline_colon(&ctx, u) {
            let idx = push(&mut f, a, raw, &uq);
            last_unit_att = Some((ui, idx));
            last_in_para = Some((u.para, idx));
            continue;
        }
        let chosen = choose_cue(&ctx, u, &cues, raw, &uq);
        if let Some((cue, src)) = chosen {
            if let Some(mut a) = build(&ctx, u, cue, src, raw, &uq) {
                // Further attributions in the unit ("X said A, but Y says
                // B", "X said Y believes B"): before or after the main one
                // by where their content starts, so an attribution nested
                // in another comes after it.
                let extra = secondary(&ctx, u, &cues, (&cue, src), &a, raw, &uq);
                // "X said Y, according to Z" / "X said Y, the Times
                // reported": X's content ends before the phrase that passes
                // it on.
                // "X said A, adding that B": the same speaker's participle
                // after a comma starts B; A ends before it.
                let adds = |e: &Attribution| {
                    e.rule == "secondary"
                        && e.source.as_ref().map(|p| &p.text) == a.source.as_ref().map(|p| &p.text)
                        && e.cue.as_ref().is_some_and(|c| {
                            let k = ctx.toks.partition_point(|t| t.span.start < c.span.start);
                            c.text
                                .split_whitespace()
                                .next()
                                .is_some_and(|w| w.ends_with("ing"))
                                && k > 0
                                && ctx.word(k - 1) == ","
                        })
                };
                for e in &extra {
                    let adding = adds(e);
                    if !(adding || matches!(e.rule, "according_to" | "closing_frame")) {
                        continue;
                    }
                    // (the participle's source is the speaker before the
                    // main cue: only its cue marks the cut)
                    let c0 = e
                        .cue
                        .iter()
                        .chain(e.source.iter().filter(|_| !adding))
                        .map(|p| p.span.start)
                        .min()
                        .unwrap_or(0);
                    let k = ctx.toks.partition_point(|t| t.span.start < c0);
                    let kend = back_over_punct(&ctx, u.t0, k);
                    if kend == 0 {
                        continue;
                    }
                    let cut = ctx.toks[kend - 1].span.end;
                    for p in a.content.iter_mut() {
                        if p.span.start < cut && c0 < p.span.end {
                            *p = Part::new(doc, p.span.start, cut);
                        }
                    }
                }
                // "Trump said Clinton proposed a tax hike": cues known only
                // inside reported content give one more attribution.
                let mut extra = extra;
                let inner = nested(&ctx, u, std::iter::once(&a).chain(&extra));
                extra.extend(inner);
                let a_start = a.content.first().map_or(0, |p| p.span.start);
                for e in extra.iter().filter(|e| e.content[0].span.start < a_start) {
                    f.attributions.push(e.clone());
                }
                let idx = push(&mut f, a, raw, &uq);
                for e in extra
                    .into_iter()
                    .filter(|e| e.content[0].span.start >= a_start)
                {
                    f.attributions.push(e);
                }
                last_unit_att = Some((ui, idx));
                last_in_para = Some((u.para, idx));
                continue;
            }
            // "“… missing.” Trump said.": the sentence splitter cut after
            // the quotation; a short "X said." right after a quotation no
            // cue claimed gives it its source.
            if let (Some((pu, ai)), Some(s)) = (last_unattributed, src) {
                let short = u.t1 - u.t0 <= 8 && uq.is_empty();
                if pu + 1 == ui && units[pu].para == u.para && short {
                    let a = &mut f.attributions[ai];
                    a.source = Some(ctx.part(s.0, s.1));
                    a.cue = Some(ctx.part(cue.t0, cue.t1));
                    a.rule = "content_cue_source";
                    a.confidence = 0.85;
                    last_unit_att = Some((ui, ai));
                    last_in_para = Some((u.para, ai));
                    last_unattributed = None;
                    continue;
                }
            }
        }
        // No cue: a quotation continuing the last direct attribution.
        if uq.is_empty() {
            continue;
        }
        let prev = match last_unit_att {
            Some((pu, a)) if pu + 1 == ui && units[pu].para == u.para => Some(a),
            _ => None,
        }
        .or_else(|| {
            let (pp, a) = last_in_para?;
            let starts_quote = raw[uq[0]].start == doc.segments.paragraphs[u.para].start;
            let prev_continues = top
                .iter()
                .rev()
                .find(|&&q| raw[q].end <= u.start)
                .is_some_and(|&q| raw[q].continues);
            (pp + 1 == u.para
                && starts_quote
                && f.attributions[a].kind != AttributionKind::Indirect
                && (prev_continues
                    || words_in(&ctx, raw[uq[0]].inner_start, raw[uq[0]].inner_end) >= 6))
                .then_some(a)
        });
        let prev = prev.filter(|&a| f.attributions[a].kind != AttributionKind::Indirect);
        // A quotation framed in its own unit ("… - Philip Bump: “…”") is
        // not the previous speaker's.
        let prev = prev.filter(|_| colon_frame(&ctx, u, raw[uq[0]].start).is_none());
        if prev.is_none() {
            // A quotation no cue introduces: reported words of someone the
            // text does not name here (PolNeAR's attribution without source).
            for &q in &uq {
                let inner = &doc.text[raw[q].inner_start..raw[q].inner_end];
                let words = inner.split_whitespace().count();
                let terminal = inner
                    .trim_end_matches(['”', '"', '’', '\'', ','])
                    .ends_with(['.', '!', '?', '…']);
                // A fragment that starts in lower case inside a sentence
                // ("will be enough to “drive somebody else out of the
                // race.”") is a partial quote, not a quotation on its own.
                let partial = inner.chars().next().is_some_and(|c| c.is_lowercase())
                    && raw[q].start > u.start;
                if words < 3 || (!terminal && words < 6) || partial {
                    continue;
                }
                let idx = f.attributions.len();
                // The speaker of the attribution just before, when it is in
                // this paragraph or the one before (reported talk goes on).
                let near = f
                    .attributions
                    .iter()
                    .rposition(|a| a.source.is_some())
                    .filter(|&a| {
                        let src = f.attributions[a].source.as_ref().unwrap();
                        doc.segments
                            .sentence_at(src.span.start)
                            .is_some_and(|s| doc.segments.sentences[s].paragraph + 1 >= u.para)
                    });
                // "Trump issued a statement, “…”", "She then addressed the
                // supporters again: “…”": a quotation right after a colon
                // or comma that closes a clause is that clause's subject's.
                let framed = colon_frame(&ctx, u, raw[q].start);
                // "Dianne Bystrom agreed. “…”": a sentence of the same
                // paragraph just before, with no attribution, whose named
                // subject does something; the quotation opening the next
                // sentence is that subject's.
                let before = (ui > 0 && raw[q].start == u.start)
                    .then(|| &units[ui - 1])
                    .filter(|pu| pu.para == u.para)
                    .filter(|_| last_unit_att.is_none_or(|(pu, _)| pu + 1 != ui))
                    .and_then(|pu| narrative_subject(&ctx, pu));
                let source = framed
                    .or(before)
                    .map(|(a, b)| ctx.part(a, b))
                    .or_else(|| near.and_then(|a| f.attributions[a].source.clone()));
                f.attributions.push(Attribution {
                    kind: AttributionKind::Direct,
                    rule: if framed.is_some() {
                        "colon_frame"
                    } else if before.is_some() {
                        "narrative_subject"
                    } else if source.is_some() {
                        "continuation"
                    } else {
                        "unattributed_quote"
                    },
                    source,
                    speaker: None,
                    speaker_mention: None,
                    relayed_by: None,
                    cue: None,
                    content: vec![Part::new(doc, raw[q].start, raw[q].end)],
                    work: None,
                    confidence: 0.4,
                });
                f.quote_att[q] = Some(idx);
                last_unattributed = Some((ui, idx));
            }
            continue;
        }
        if let Some(a) = prev {
            for &q in &uq {
                let same_para =
                    last_unit_att.is_some_and(|(pu, _)| pu + 1 == ui && units[pu].para == u.para);
                if words_in(&ctx, raw[q].inner_start, raw[q].inner_end)
                    < if same_para { 1 } else { 4 }
                    && !raw[q].continues
                {
                    continue;
                }
                f.attributions[a]
                    .content
                    .push(Part::new(doc, raw[q].start, raw[q].end));
                f.quote_att[q] = Some(a);
                // "“…,” Sanders said, according to CNN. “…”": what passes
                // the speaker's words on passes these on too.
                let first = f.attributions[a].content[0].span;
                let lo = a.saturating_sub(3);
                let hi = (a + 4).min(f.attributions.len());
                for j in (lo..hi).filter(|&j| j != a) {
                    let o = &f.attributions[j];
                    if matches!(o.rule, "according_to" | "closing_frame")
                        && o.content
                            .first()
                            .is_some_and(|p| p.span.start <= first.start && first.end <= p.span.end)
                    {
                        f.attributions[j]
                            .content
                            .push(Part::new(doc, raw[q].start, raw[q].end));
                    }
                }
            }
            last_unit_att = Some((ui, a));
            last_in_para = Some((u.para, a));
        }
    }
    signatures(doc, &mut f);
    tweet_signatures(doc, &mut f);
    f
}

/// The signature line of an embedded tweet: `— Name (@handle) Month D, YYYY`.
static TWEET_SIGNATURE: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| {
    regex::Regex::new(
        r"(?P<dash>[—–]|--)[ \t]*(?P<name>[^\s(—–<>][^(\n—–<>]{0,60}?)[ \t]*\(@\w{1,30}\)[ \t]*(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}",
    )
    .expect("tweet signature pattern")
});

/// "Iron Mike Tyson was not asked to speak … — Donald J. Trump
/// (@realDonaldTrump) June 29, 2016": an embedded tweet, its text up to
/// the signature attributed to the author named there (a link at its end
/// and a leading `<tweet …>` tag are left out). Attributions already
/// found inside the tweet keep theirs; quotations in it no cue claimed
/// get the author too.
fn tweet_signatures(doc: &Document, f: &mut Found) {
    for p in &doc.segments.paragraphs {
        let text = &doc.text[p.start..p.end];
        let mut from = 0;
        for m in TWEET_SIGNATURE.captures_iter(text) {
            let dash = m.name("dash").expect("dash");
            let name = m.name("name").expect("name");
            let seg = &text[from..dash.start()];
            from = m.get(0).expect("match").end();
            // skip a markup tag the text kept ("<tweet id=… author=…>")
            let body_start = match (seg.rfind('<'), seg.rfind('>')) {
                (Some(lt), Some(gt)) if lt < gt => gt + 1,
                _ => 0,
            };
            // links at the end ("https://t.co/…", "pic.twitter.com/…")
            let is_link = |w: &str| w.starts_with("http") || w.starts_with("pic.twitter.com");
            let mut body = seg[body_start..].trim_end();
            while let Some(last) = body.split_whitespace().next_back().filter(|w| is_link(w)) {
                body = body[..body.len() - last.len()].trim_end();
            }
            let lead = body.len() - body.trim_start().len();
            let body = body.trim();
            if body.split_whitespace().count() < 2 {
                continue;
            }
            let seg_start = p.start + (dash.start() - seg.len());
            let c0 = seg_start + body_start + lead;
            let c1 = c0 + body.len();
            let (n0, n1) = (p.start + name.start(), p.start + name.end());
            let (d0, d1) = (p.start + dash.start(), p.start + dash.end());
            sign_uncued(doc, f, (c0, c1), (n0, n1), (d0, d1), "tweet_signature");
            if f.attributions.iter().any(|a| {
                a.content
                    .iter()
                    .any(|c| c.span.start == c0 && c.span.end == c1)
            }) {
                continue;
            }
            f.attributions.push(Attribution {
                kind: AttributionKind::Direct,
                source: Some(Part::new(doc, n0, n1)),
                speaker: None,
                speaker_mention: None,
                relayed_by: None,
                cue: Some(Part::new(doc, d0, d1)),
                content: vec![Part::new(doc, c0, c1)],
                work: None,
                rule: "tweet_signature",
                confidence: 0.8,
            });
        }
    }
}

/// "“I went to Wall Street before the crash.” / - Clinton.": a paragraph
/// of a dash and a short name signs the quoted paragraph before it.
fn signatures(doc: &Document, f: &mut Found) {
    let paras = &doc.segments.paragraphs;
    // On the quotation's own line: "“We will win.” — Bernie Sanders".
    for para in paras.iter() {
        let text = &doc.text[para.start..para.end];
        let t = text.trim_end();
        if !text.trim_start().starts_with(['“', '"']) {
            continue;
        }
        let Some((d, dash)) = t
            .char_indices()
            .rev()
            .find(|&(_, c)| matches!(c, '—' | '–'))
        else {
            continue;
        };
        let before = t[..d].trim_end();
        let rest = &t[d + dash.len_utf8()..];
        // "– William Blackstone, English Common Law": the name is before the comma
        let name = rest
            .trim()
            .split(',')
            .next()
            .unwrap_or("")
            .trim_end_matches('.');
        if !before.ends_with(['”', '"']) || !signature_name(name) {
            continue;
        }
        // a name: every word capitalized but name particles ("— That is
        // all." is no signature)
        let name_like = name.split_whitespace().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                || matches!(w, "de" | "van" | "von" | "bin" | "al" | "la" | "del" | "da")
        });
        if !name_like || name.contains('”') {
            continue;
        }
        let n0 = para.start + d + dash.len_utf8() + (rest.len() - rest.trim_start().len());
        let dash0 = para.start + d;
        let within = (para.start, para.start + before.len());
        sign_uncued(
            doc,
            f,
            within,
            (n0, n0 + name.len()),
            (dash0, dash0 + dash.len_utf8()),
            "signature",
        );
    }
    for p in 1..paras.len() {
        let text = &doc.text[paras[p].start..paras[p].end];
        let t = text.trim();
        let Some(rest) = t.strip_prefix(['-', '—', '–']) else {
            continue;
        };
        let name = rest.trim().trim_end_matches('.');
        if !signature_name(name) {
            continue;
        }
        let prev = &doc.text[paras[p - 1].start..paras[p - 1].end];
        if !prev.trim_start().starts_with(['“', '"']) {
            continue;
        }
        let lead = text.len() - text.trim_start().len();
        let dash = paras[p].start + lead;
        let dash_end = dash + t.len() - rest.len();
        let n0 = dash_end + (rest.len() - rest.trim_start().len());
        let n1 = n0 + name.len();
        let prev = (paras[p - 1].start, paras[p - 1].end);
        sign_uncued(doc, f, prev, (n0, n1), (dash, dash_end), "signature");
    }
}

/// What may follow a signature's dash: one to six words, the first
/// capitalized, no quotation mark or colon.
fn signature_name(name: &str) -> bool {
    let words = name.split_whitespace().count();
    let cap = name.chars().next().is_some_and(|c| c.is_uppercase());
    cap && (1..=6).contains(&words) && !name.contains(['“', '"', ':'])
}

/// Attributions with no cue whose content lies within `within` (bytes):
/// the signature names their source (`name`), its dash is the cue.
fn sign_uncued(
    doc: &Document,
    f: &mut Found,
    (lo, hi): (usize, usize),
    (n0, n1): (usize, usize),
    (d0, d1): (usize, usize),
    rule: &'static str,
) {
    for a in f.attributions.iter_mut() {
        let inside = a
            .content
            .iter()
            .all(|c| c.span.start >= lo && c.span.end <= hi);
        if inside && a.cue.is_none() {
            a.source = Some(Part::new(doc, n0, n1));
            a.cue = Some(Part::new(doc, d0, d1));
            a.rule = rule;
        }
    }
}

/// The subject of the clause that a colon or comma right before a
/// quotation (starting at byte `q_start`, capitalized) closes: a name, a
/// pronoun or a noun phrase of more than one word.
fn colon_frame(ctx: &Ctx, u: &Unit, q_start: usize) -> Option<(usize, usize)> {
    let qt = ctx.toks.partition_point(|t| t.span.start < q_start);
    if qt < u.t0 + 2
        || qt >= u.t1
        || ctx.tq[qt - 1].is_some()
        || !matches!(ctx.lw(qt - 1), ":" | ",")
    {
        return None;
    }
    let first_upper = ctx.doc.text[q_start..]
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase());
    if !first_upper {
        return None;
    }
    // "Media shares blame - HuffPollster: “…”", "More from Jones: “…”":
    // in digest formats the speaker is the label after a dash or "from".
    if ctx.lw(qt - 1) == ":" {
        if let Some(d) = (u.t0..qt - 1)
            .rev()
            .take(8)
            .find(|&k| ctx.tq[k].is_none() && matches!(ctx.lw(k), "-" | "—" | "–" | "from"))
        {
            let (a, b) = (d + 1, qt - 1);
            let name = b > a
                && b - a <= 6
                && (ctx.is_cap(a) || matches!(ctx.lw(a), "the"))
                && (a..b).all(|k| !ctx.is_punct(k) || matches!(ctx.lw(k), "." | "’s" | "'s"))
                && !(a..b).any(|k| LABEL_WORDS.contains(&ctx.lw(k)));
            if name {
                return Some((a, b));
            }
        }
    }
    let (a, b) = clause_subject(ctx, u, qt - 1)?;
    let lone = b - a == 1;
    let w = ctx.lw(a);
    let ok = if lone {
        (ctx.is_cap(a)
            && !matches!(
                w,
                "the" | "a" | "an" | "but" | "and" | "so" | "yet" | "then" | "still"
            ))
            || lexicon::PRONOUNS.contains(&w)
    } else {
        !matches!(ctx.lw(b - 1), "the" | "a" | "an")
    };
    // Not a function word ("When …", "That …", "His …"), not a shouted
    // headline label ("IOWA POLLS NOT NECESSARILY WRONG:").
    let function_word = matches!(
        w,
        "when"
            | "that"
            | "what"
            | "from"
            | "each"
            | "his"
            | "her"
            | "its"
            | "their"
            | "this"
            | "these"
            | "those"
            | "there"
            | "here"
            | "if"
            | "as"
            | "while"
            | "after"
            | "before"
            | "where"
            | "why"
            | "how"
            | "it’s"
            | "it's"
            | "for"
            | "in"
            | "on"
            | "at"
            | "with"
    );
    let shouted = b - a > 1 && (a..b).all(|k| !ctx.word(k).chars().any(|c| c.is_lowercase()));
    // The subject needs a verb after it before the colon (a clause, not a
    // label such as "Transcript:" or a place in "Birmingham, Alabama, …").
    let has_verb = b + 1 < qt - 1;
    // "Bush: “The mission is …”": a name as a speaker label.
    let label = b == qt - 1
        && ctx.lw(qt - 1) == ":"
        && b - a <= 4
        && (a..b).all(|k| ctx.is_cap(k) || matches!(ctx.lw(k), "’s" | "'s" | "."))
        && !(a..b).any(|k| LABEL_WORDS.contains(&ctx.lw(k)));
    (ok && (has_verb || label) && !function_word && !shouted).then_some((a, b))
}

/// Labels before a colon that name no speaker.
const LABEL_WORDS: &[&str] = &[
    "transcript",
    "update",
    "updated",
    "photo",
    "photos",
    "source",
    "sources",
    "note",
    "caption",
    "editor",
    "editors",
    "video",
    "watch",
    "related",
    "read",
    "warning",
    "breaking",
    "exclusive",
    "analysis",
    "opinion",
    "correction",
    "headline",
    "title",
    "quote",
    "quotes",
    "question",
    "answer",
    "subject",
    "excerpt",
    "text",
    "statement",
];

fn words_in(ctx: &Ctx, s: usize, e: usize) -> usize {
    let i0 = ctx.toks.partition_point(|t| t.span.start < s);
    let i1 = ctx.toks.partition_point(|t| t.span.start < e);
    (i0..i1).filter(|&i| !ctx.is_punct(i)).count()
}

fn push(f: &mut Found, a: Attribution, raw: &[RawQuote], uq: &[usize]) -> usize {
    let idx = f.attributions.len();
    for &q in uq {
        if a.content
            .iter()
            .any(|c| c.span.start <= raw[q].start && raw[q].end <= c.span.end)
        {
            f.quote_att[q] = Some(idx);
        }
    }
    f.attributions.push(a);
    idx
}

/// Sentences merged wherever a quotation crosses between them or the next
/// one starts in lower case ("“Go!” he said.").
fn units(doc: &Document, raw: &[RawQuote]) -> Vec<Unit> {
    let sents = &doc.segments.sentences;
    let mut out: Vec<Unit> = Vec::new();
    let mut qi = 0;
    for s in sents {
        let merge = out.last().is_some_and(|u: &Unit| {
            if u.para != s.paragraph {
                return false;
            }
            let lower_start = doc.text[s.span.range()]
                .chars()
                .next()
                .is_some_and(|c| c.is_lowercase());
            while qi < raw.len() && raw[qi].end <= u.end {
                qi += 1;
            }
            let crossing = raw[qi.min(raw.len())..]
                .iter()
                .take_while(|q| q.start < u.end)
                .any(|q| q.depth == 0 && q.end > s.span.start);
            lower_start || crossing || speaker_follows(doc, u, s)
        });
        if merge {
            let u = out.last_mut().unwrap();
            u.end = s.span.end;
            u.t1 = s.tokens.end;
        } else {
            out.push(Unit {
                start: s.span.start,
                end: s.span.end,
                t0: s.tokens.start,
                t1: s.tokens.end,
                para: s.paragraph,
            });
        }
    }
    out
}

/// The subject of a sentence with no quotation that opens on a name and
/// a finite verb in lower case ("Iowa State University's Dianne Bystrom
/// agreed.", "Clinton touted her credentials as a co-sponsor of the
/// bill.").
fn narrative_subject(ctx: &Ctx, u: &Unit) -> Option<(usize, usize)> {
    if u.t1 - u.t0 > 30 || (u.t0..u.t1).any(|k| ctx.tq[k].is_some()) {
        return None;
    }
    let (a, e) = clause_subject(ctx, u, u.t1)?;
    // A name, not a pronoun or a determiner ("The storm flooded …").
    if !ctx.is_cap(a)
        || lexicon::PRONOUNS.contains(&ctx.lw(a))
        || DET_LIKE.contains(&ctx.lw(a))
        || TRUE_DETERMINERS.contains(&ctx.lw(a))
        || e >= u.t1
    {
        return None;
    }
    let w = ctx.lw(e);
    let finite = !ctx.is_cap(e) && !ctx.is_punct(e) && (past_form(w) || s_form(w));
    finite.then_some((a, e))
}

/// "“…, who knows?” Trump told ITV.": the segmenter ends a sentence after
/// a quotation closed by `?`/`!`, but a capitalized speaker and a reporting
/// verb within the next few words make it the quotation's frame.
fn speaker_follows(doc: &Document, u: &Unit, s: &parallax_core::Sentence) -> bool {
    let prev = doc.text[u.start..u.end].trim_end();
    let mut tail = prev.chars().rev();
    let (Some(close), Some(mark)) = (tail.next(), tail.next()) else {
        return false;
    };
    let closes = matches!(close, '”' | '"' | '\'' | '’')
        && (matches!(mark, '?' | '!')
            || (mark == '\'' && close == '\'' && matches!(tail.next(), Some('?' | '!'))));
    if !closes {
        return false;
    }
    let toks = &doc.segments.tokens[s.tokens.clone()];
    let word = |t: &parallax_core::Token| &doc.text[t.span.range()];
    if !toks
        .first()
        .is_some_and(|t| word(t).starts_with(char::is_uppercase))
    {
        return false;
    }
    toks.iter().take(8).skip(1).any(|t| {
        CUE_MAP
            .get(word(t).to_lowercase().as_str())
            .is_some_and(|c| matches!(c, CueClass::Speech | CueClass::QuoteOnly))
    })
}

fn near_quote(ctx: &Ctx, u: &Unit, i: usize) -> bool {
    let after = (i + 1..(i + 3).min(u.t1)).any(|k| ctx.tq[k].is_some() || ctx.lw(k) == ":");
    let before = (i.saturating_sub(5).max(u.t0)..i).any(|k| ctx.tq[k].is_some());
    after || before
}

fn find_cues(ctx: &Ctx, u: &Unit) -> Vec<Cue> {
    let mut out = Vec::new();
    for i in u.t0..u.t1 {
        if ctx.tq[i].is_some() || ctx.is_punct(i) {
            continue;
        }
        let lw = ctx.lw(i);
        let next = if i + 1 < u.t1 { ctx.lw(i + 1) } else { "" };
        let prev = if i > u.t0 { ctx.lw(i - 1) } else { "" };
        if lw == "according" && next == "to" {
            out.push(Cue {
                t0: i,
                t1: i + 2,
                verb: i,
                class: CueClass::Speech,
                according: true,
            });
            continue;
        }
        // "as Tom Ridge put it: “…”": the cue is "put it", next to a quotation.
        if matches!(lw, "put" | "puts") && next == "it" && i + 2 < u.t1 {
            let after = ctx.lw(i + 2);
            if ctx.tq[i + 2].is_some() || matches!(after, ":" | ",") {
                out.push(Cue::quote_only(i, 2));
            }
            continue;
        }
        // "“…,” reads a Wednesday editorial in …", "“…,” read the
        // statement": a written text speaks, named after the verb.
        if matches!(lw, "read" | "reads")
            && i > u.t0
            && closes_open(ctx, u, i - 1)
            && matches!(
                next,
                "the" | "a" | "an" | "one" | "his" | "her" | "their" | "its"
            )
        {
            out.push(Cue::quote_only(i, 1));
            continue;
        }
        // "“…,” he went on.": the two words close the frame. So do a verb
        // and its particle ("“…,” Bozell points out.", "he cut in.").
        let particle = matches!(next, "out" | "in" | "back" | "up")
            && !ctx.is_cap(i)
            && (lw.ends_with("ed") || lw.ends_with('s') || matches!(lw, "cut" | "shot" | "spoke"));
        if (lw == "went" && next == "on" || particle) && bookism(ctx, u, i, 2) {
            out.push(Cue::quote_only(i, 2));
            continue;
        }
        if anonymity_request(ctx, u, i) || asked_aside(ctx, u, i) {
            continue;
        }
        // "Her campaign blasted out an email …": sending, not speaking.
        if matches!(lw, "blasted" | "blasts") && next == "out" {
            continue;
        }
        let Some(&class) = CUE_MAP.get(lw) else {
            if bookism(ctx, u, i, 1) {
                out.push(Cue::quote_only(i, 1));
            }
            continue;
        };
        // "member states", "swing states": a noun after these words. But a
        // past-tense speech verb after a noun-like one is a verb: "the RNC
        // member said", "many said", "both told reporters".
        let past_speech = class == CueClass::Speech
            && (lw.ends_with("ed") || matches!(lw, "said" | "told" | "wrote" | "says" | "writes"));
        if DET_LIKE.contains(&prev) && (!past_speech || TRUE_DETERMINERS.contains(&prev)) {
            continue;
        }
        // "went on to say", "declined to say": the cue spans the verb chain.
        let mut chain_start = i;
        if prev == "to" {
            if i < u.t0 + 2 || ctx.tq[i - 2].is_some() || ctx.is_punct(i - 2) {
                continue;
            }
            chain_start = i - 2;
            if ctx.lw(chain_start) == "on"
                && chain_start > u.t0 + 1
                && !ctx.is_punct(chain_start - 1)
            {
                chain_start -= 1;
            }
        }
        let next_is_quote = i + 1 < u.t1 && ctx.tq[i + 1].is_some();
        let ok = match class {
            CueClass::Guarded => matches!(next, ":" | "that" | "," | "." | "—") || next_is_quote,
            CueClass::QuoteOnly => near_quote(ctx, u, i),
            CueClass::Thought => {
                !(lw == "expected"
                    && matches!(prev, "is" | "are" | "was" | "were" | "be" | "been" | "as"))
                    && i + 1 < u.t1
                    && !ctx.is_punct(i + 1)
            }
            _ => true,
        };
        if !ok {
            continue;
        }
        if lw == "called" && next == "off" {
            continue;
        }
        if lw == "pointed" && !matches!(next, "out" | "to") {
            continue;
        }
        if matches!(lw, "shot" | "fired") && next != "back" {
            continue;
        }
        let mut t1 = i + 1;
        if (matches!(next, "out" | "for" | "on")
            && matches!(lw, "pointed" | "called" | "calls" | "calling"))
            || next == "back"
        {
            t1 += 1;
        }
        out.push(Cue {
            t0: prefix_start(ctx, u, chain_start),
            t1,
            verb: i,
            class,
            according: false,
        });
    }
    out
}

/// "shared a syllabus for a class called “Perception”", "from a website
/// called Real News": "called" naming what an indefinite noun phrase
/// inside the clause refers to is no cue.
fn naming(ctx: &Ctx, u: &Unit, i: usize) -> bool {
    if i + 1 >= u.t1 || !(ctx.is_cap(i + 1) || ctx.tq[i + 1].is_some()) {
        return false;
    }
    let mut j = i;
    while j > u.t0 + 1 && i - j < 6 {
        j -= 1;
        if ctx.tq[j].is_some() || ctx.is_punct(j) {
            return false;
        }
        let w = ctx.lw(j);
        if matches!(w, "a" | "an") {
            let before = ctx.lw(j - 1);
            return !ctx.is_punct(j - 1)
                && ctx.tq[j - 1].is_none()
                && !matches!(before, "and" | "but" | "while" | "when" | "as" | "then");
        }
        if lexicon::PRONOUNS.contains(&w) || matches!(w, "that" | "the") {
            return false;
        }
    }
    false
}

/// Where a cue whose first word is token `i` starts once the words before
/// it that belong to it are taken ("has also said", "did not say").
fn prefix_start(ctx: &Ctx, u: &Unit, i: usize) -> usize {
    let mut t0 = i;
    while t0 > u.t0 && ctx.tq[t0 - 1].is_none() && lexicon::CUE_PREFIX.contains(&ctx.lw(t0 - 1)) {
        t0 -= 1;
    }
    t0
}

/// A past tense or participle in "-ed" of five letters or more ("agreed",
/// "touted"; not "need", "red").
fn past_form(w: &str) -> bool {
    w.len() > 4 && w.ends_with("ed")
}

/// A plural noun or third-person verb in "-s" of four letters or more
/// ("agents", "touts"; not "was", "press").
fn s_form(w: &str) -> bool {
    w.len() > 3 && w.ends_with('s') && !w.ends_with("ss")
}

/// Token `k` (after the unit's first) is the closing mark of a quotation
/// that ends on a comma, `?` or `!` (`“…,”`): the sentence goes on with
/// the quotation's frame.
fn closes_open(ctx: &Ctx, u: &Unit, k: usize) -> bool {
    k > u.t0
        && ctx.tq[k].is_some()
        && ctx.tq[k - 1] == ctx.tq[k]
        && matches!(ctx.lw(k - 1), "," | "?" | "!")
}

/// "“France will always be France,” an angry Hollande retaliated.",
/// "“…,” exhorted the host.": any past-tense verb that closes a sentence
/// with a short subject right after a quotation ending on a comma, a
/// question or an exclamation mark is its cue.
fn bookism(ctx: &Ctx, u: &Unit, i: usize, n: usize) -> bool {
    let w = ctx.lw(i);
    // "read" is the one past form not in "-ed" taken here ("“…,” the
    // email read.").
    let past = past_form(w) || matches!(w, "read" | "reads");
    if n == 1 && (!past || ctx.is_cap(i)) {
        return false;
    }
    let closes = |k: usize| closes_open(ctx, u, k);
    let words = |a: usize, b: usize| (a..b).all(|k| !ctx.is_punct(k) && ctx.tq[k].is_none());
    let ends =
        |k: usize| (k..u.t1).all(|j| ctx.is_punct(j) && ctx.tq[j].is_none() && ctx.lw(j) == ".");
    // Quotation, subject, verb, full stop.
    let before = (i.saturating_sub(5).max(u.t0 + 1)..i).find(|&j| closes(j - 1) && words(j, i));
    if before.is_some() && ends(i + n) {
        return true;
    }
    // Quotation, verb, subject, full stop.
    if n == 1 && i > u.t0 && closes(i - 1) {
        if let Some(e) = (i + 2..=(i + 6).min(u.t1)).find(|&e| ends(e)) {
            return words(i + 1, e)
                && (ctx.is_cap(i + 1)
                    || matches!(ctx.lw(i + 1), "the" | "a" | "an" | "his" | "her" | "their"));
        }
        // "“This is fantastic!” beamed Donald Hartley of Madison, …": a
        // full name right after the verb, whatever follows it.
        if i + 3 <= u.t1
            && (i + 1..i + 3).all(|k| ctx.is_cap(k) && !ctx.is_punct(k) && ctx.tq[k].is_none())
            && !lexicon::PRONOUNS.contains(&ctx.lw(i + 1))
        {
            return true;
        }
    }
    false
}

/// "Trump, asked about the report, said it was fake news": a passive
/// "asked" opening an aside between commas, with a speech cue after the
/// aside, is no cue of its own (the cue after it is).
fn asked_aside(ctx: &Ctx, u: &Unit, i: usize) -> bool {
    if ctx.lw(i) != "asked" || i <= u.t0 || ctx.lw(i - 1) != "," || i + 1 >= u.t1 {
        return false;
    }
    if !matches!(
        ctx.lw(i + 1),
        "about" | "whether" | "if" | "why" | "how" | "what" | "when" | "for" | "to"
    ) {
        return false;
    }
    let Some(comma) = (i + 2..(i + 16).min(u.t1)).find(|&k| ctx.lw(k) == ",") else {
        return false;
    };
    (comma + 1..(comma + 4).min(u.t1)).any(|k| {
        CUE_MAP
            .get(ctx.lw(k))
            .is_some_and(|c| *c == CueClass::Speech)
    })
}

/// "who asked not to be named": a request for anonymity frames nothing.
fn anonymity_request(ctx: &Ctx, u: &Unit, i: usize) -> bool {
    matches!(ctx.lw(i), "asked" | "requested")
        && i + 2 < u.t1
        && ctx.lw(i + 1) == "not"
        && ctx.lw(i + 2) == "to"
}

/// Source tokens before the cue: the noun phrase it attaches to.
fn source_back(ctx: &Ctx, u: &Unit, cue: &Cue) -> Option<(usize, usize)> {
    apposition(ctx, u, cue.t0)
        .or_else(|| source_back_plain(ctx, u, cue))
        .or_else(|| coordinated_subject(ctx, u, cue))
}

/// "Ms. Sherry smiled and said, …", "Trump paused and added": the cue is
/// the second of two coordinated verbs; the source is the subject of the
/// first (a lower-case past-tense or reporting verb at most three words
/// before "and").
fn coordinated_subject(ctx: &Ctx, u: &Unit, cue: &Cue) -> Option<(usize, usize)> {
    if cue.t0 < u.t0 + 2 || ctx.lw(cue.t0 - 1) != "and" || ctx.tq[cue.t0 - 1].is_some() {
        return None;
    }
    let lo = cue.t0.saturating_sub(12).max(u.t0 + 1);
    for j in (lo..cue.t0 - 1).rev() {
        if ctx.tq[j].is_some() || (ctx.is_punct(j) && ctx.lw(j) != ",") {
            return None;
        }
        let w = ctx.lw(j);
        let near = j + 5 >= cue.t0;
        // "he paid a visit to the border in Laredo, Texas and explained":
        // farther back, an irregular past verb right after a pronoun
        let far_verb = j > u.t0
            && IRREGULAR_PAST.contains(&w)
            && lexicon::SUBJECT_PRONOUNS.contains(&ctx.lw(j - 1));
        if !ctx.is_cap(j) && (near && (w.ends_with("ed") || CUE_MAP.contains_key(w)) || far_verb) {
            let first = Cue {
                t0: j,
                t1: j + 1,
                verb: j,
                class: CueClass::Speech,
                according: false,
            };
            return apposition(ctx, u, j).or_else(|| source_back_plain(ctx, u, &first));
        }
    }
    None
}

/// A possessive apostrophe glued to a word in `s` ("Sanders’ campaign",
/// "the Clintons’ lawyer"): part of a noun phrase, no boundary.
fn possessive_mark(ctx: &Ctx, u: &Unit, j: usize) -> bool {
    matches!(ctx.lw(j), "’" | "'")
        && j > u.t0
        && ctx.toks[j - 1].span.end == ctx.toks[j].span.start
        && ctx.lw(j - 1).ends_with('s')
}

/// "Carla Diaz, the union leader, continued": name, apposition, comma, cue.
fn apposition(ctx: &Ctx, u: &Unit, t0: usize) -> Option<(usize, usize)> {
    if t0 < u.t0 + 4 || ctx.lw(t0 - 1) != "," || ctx.tq[t0 - 1].is_some() {
        return None;
    }
    let end = t0 - 1;
    // Up to 18 words of apposition ("Nelson Diaz, a former aide to Mr. Rubio
    // and now the chairman of the Republican Party in Miami-Dade County,").
    let c = (end.saturating_sub(18).max(u.t0)..end)
        .rev()
        .find(|&j| (ctx.is_punct(j) || ctx.tq[j].is_some()) && !possessive_mark(ctx, u, j))?;
    if end - c > 10 && !matches!(ctx.lw(c + 1), "a" | "an" | "the" | "another" | "who") {
        return None;
    }
    if ctx.lw(c) != "," || c == u.t0 || ctx.is_punct(c - 1) {
        return None;
    }
    if !ctx.is_cap(c - 1) {
        // "the White House spokesman, Josh Earnest, said": a title phrase
        // opening the clause, then the name.
        let mut s = c - 1;
        while s > u.t0 && !ctx.is_punct(s - 1) && ctx.tq[s - 1].is_none() && c - s < 7 {
            s -= 1;
        }
        let opens = s == u.t0 || ctx.is_punct(s - 1) || ctx.tq[s - 1].is_some();
        let name = (c + 1..end).all(|k| ctx.is_cap(k) && !ctx.is_punct(k));
        return (opens && name && matches!(ctx.lw(s), "the" | "a" | "an")).then_some((s, end));
    }
    let mut s = c - 1;
    while s > u.t0
        && ctx.is_cap(s - 1)
        && !ctx.is_punct(s - 1)
        && ctx.tq[s - 1].is_none()
        && c - s < 5
    {
        s -= 1;
    }
    // The name must open the clause (sentence start, after a comma, a
    // quotation or "as": "as Tom Ridge, a former secretary, put it").
    if s != u.t0 && !ctx.is_punct(s - 1) && ctx.tq[s - 1].is_none() && ctx.lw(s - 1) != "as" {
        return None;
    }
    Some((s, end))
}

fn source_back_plain(ctx: &Ctx, u: &Unit, cue: &Cue) -> Option<(usize, usize)> {
    let found = source_back_from(ctx, u, cue.t0)?;
    if let Some(h) = relative_head(ctx, u, found) {
        return Some(h);
    }
    // "Trump at the time said", "The department less than two weeks ago
    // said": a time phrase between the subject and the verb is skipped.
    let (a, b) = found;
    let last = ctx.lw(b - 1);
    if TIME_NOUNS.contains(&last) && a > u.t0 + 1 {
        let before = ctx.lw(a - 1);
        let from = if last == "ago" {
            let mut f = a;
            while f > u.t0
                && matches!(
                    ctx.lw(f - 1),
                    "than" | "less" | "more" | "about" | "just" | "nearly" | "almost" | "only"
                )
            {
                f -= 1;
            }
            Some(f)
        } else if matches!(before, "at" | "in" | "on" | "during" | "over" | "within") {
            Some(a - 1)
        } else {
            None
        };
        if let Some(f) = from {
            if let Some(s) =
                source_back_from(ctx, u, f).filter(|&(x, y)| source_shape_ok(ctx, (x, y)))
            {
                return Some(s);
            }
        }
    }
    Some(found)
}

/// "Current and former officials who spoke with The Huffington Post
/// said", "progressive organizations that have endorsed him say": the
/// walk back from the cue stopped inside a subject relative clause (its
/// pronoun followed by a verb in lower case, not by a name or pronoun:
/// "the plan that Trump said" is an object relative, Trump speaks). The
/// head the clause modifies is the source.
fn relative_head(ctx: &Ctx, u: &Unit, (a, _e): (usize, usize)) -> Option<(usize, usize)> {
    let lo = a.saturating_sub(8).max(u.t0 + 1);
    let r = (lo..a).rev().find(|&j| {
        let w = ctx.lw(j);
        ctx.tq[j].is_none()
            && (w == "who"
                    // "Another source speaking to Fox News said", "A
                    // letter obtained by The Associated Press warns".
                    || (!ctx.is_cap(j) && w.len() > 4 && (w.ends_with("ing") || w.ends_with("ed")))
                    // "The memo sent last week by the director said".
                    || IRREGULAR_PASSIVES.contains(&w))
    })?;
    let participle = ctx.lw(r) != "who";
    // The walk stopped at a preposition of the relative clause ("with",
    // "to"), the only stop word between the pronoun and the source found
    // ("who supported the bill that Gov. Lee said …" stops at "that": Lee
    // speaks).
    let stop = a.checked_sub(1)?;
    // Or at the pronoun itself ("Several people who attended the meeting
    // said").
    let at_pronoun = stop == r && !participle;
    if !at_pronoun
        && (stop <= r
            || !matches!(
                ctx.lw(stop),
                "with" | "to" | "by" | "for" | "at" | "in" | "on" | "from" | "about" | "into"
            )
            || (r..a).any(|k| ctx.is_punct(k) || ctx.tq[k].is_some())
            || (r + 1..stop).any(|k| lexicon::SOURCE_STOP.contains(&ctx.lw(k))))
    {
        return None;
    }
    // A time phrase may sit between a participle and its preposition ("A
    // poll released Monday by Quinnipiac University found").
    let mut next = r + 1;
    while participle && next < stop && TIME_WORDS.contains(&ctx.lw(next)) {
        next += 1;
    }
    let w = ctx.lw(next);
    // The participle takes its preposition at once ("speaking to"); one
    // in "-ed" only as a passive with "by" ("obtained by"), since "The
    // talk ended with Maddow asking …" is a finite verb.
    let passive = ctx.lw(r).ends_with("ed") || IRREGULAR_PASSIVES.contains(&ctx.lw(r));
    if participle && (next != stop || (passive && ctx.lw(stop) != "by")) {
        return None;
    }
    if (!participle && ctx.is_cap(next))
        || ctx.is_punct(next)
        || lexicon::PRONOUNS.contains(&w)
        || TRUE_DETERMINERS.contains(&w)
        || POSSESSIVE_DETS.contains(&w)
    {
        return None;
    }
    // The head: a noun phrase right before the pronoun, no comma between.
    let p = ctx.lw(r - 1);
    if ctx.is_punct(r - 1) || lexicon::SOURCE_STOP.contains(&p) || CUE_MAP.contains_key(p) {
        return None;
    }
    let h0 = antecedent(ctx, u, r)?;
    let head = (h0, r);
    source_shape_ok(ctx, head).then_some(head)
}

/// Irregular past tenses that head a clause before "and <cue>".
const IRREGULAR_PAST: &[&str] = &[
    "paid", "went", "made", "took", "gave", "met", "spoke", "held", "sent", "came", "left", "won",
    "lost", "ran", "led", "brought", "began", "stood", "sat", "kept", "got", "put", "set", "flew",
];

/// Irregular past participles that head a passive phrase before a cue
/// ("a letter sent by", "a report written by", "a memo seen by Reuters").
const IRREGULAR_PASSIVES: &[&str] = &[
    "sent", "written", "given", "taken", "seen", "made", "shown", "held", "led", "brought", "read",
    "told", "found", "won",
];

/// Written messages a participle may describe ("an email to supporters
/// stating …"): the sender speaks.
const MESSAGE_NOUNS: &[&str] = &[
    "email",
    "e-mail",
    "letter",
    "article",
    "note",
    "statement",
    "memo",
    "tweet",
    "post",
    "release",
    "message",
    "op-ed",
    "video",
    "ad",
    "ads",
    "editorial",
    "column",
    "interview",
];

/// Possessive determiners opening a subject ("Her campaign", "His aides").
const POSSESSIVE_DETS: &[&str] = &["his", "her", "their", "its", "our", "my", "your"];

/// Between a frame ("Lee said") and a participle after it: at most six
/// words, no punctuation ("Lee said in a statement Tuesday, noting …",
/// "Ortiz praised the governor, telling …"); up to ten when none of them
/// is a cue word or a pronoun, so that no clause of its own sits there
/// ("Trump said at a campaign rally in San Diego, adding …", not "Byrne
/// wrote the agents knew to brace for it, saying …" or "Carson said he
/// saw no need to change anything about his campaign, telling …").
fn frame_gap(ctx: &Ctx, a: usize, b: usize) -> bool {
    let plain = |k: usize| !ctx.is_punct(k) && ctx.tq[k].is_none();
    let no_clause = |k: usize| {
        let w = ctx.lw(k);
        !CUE_MAP.contains_key(w) && !lexicon::PRONOUNS.contains(&w)
    };
    (b - a <= 6 && (a..b).all(plain)) || (b - a <= 10 && (a..b).all(|k| plain(k) && no_clause(k)))
}

/// "Early in his campaign, Trump attacked Romney, calling him …": the
/// subject of the finite verb closest before the comma at `comma` (a
/// past-tense verb at most ten words back, in the same clause).
fn verb_subject(ctx: &Ctx, u: &Unit, comma: usize) -> Option<(usize, usize)> {
    let lo = comma.saturating_sub(10).max(u.t0 + 1);
    for j in (lo..comma).rev() {
        if ctx.tq[j].is_some() || ctx.is_punct(j) {
            return None;
        }
        let w = ctx.lw(j);
        let past = !ctx.is_cap(j)
            && (past_form(w)
                || matches!(
                    w,
                    "went"
                        | "took"
                        | "made"
                        | "gave"
                        | "told"
                        | "said"
                        | "wrote"
                        | "sent"
                        | "held"
                        | "spoke"
                        | "came"
                        | "hit"
                        | "ran"
                ));
        if !past || TRUE_DETERMINERS.contains(&ctx.lw(j - 1)) {
            continue;
        }
        let t0 = prefix_start(ctx, u, j);
        let cue = Cue {
            t0,
            t1: j + 1,
            verb: j,
            class: CueClass::Speech,
            according: false,
        };
        return apposition(ctx, u, t0)
            .or_else(|| source_back_plain(ctx, u, &cue))
            .filter(|&s| {
                (source_shape_ok(ctx, s) && ctx.is_cap(s.0))
                    || (lexicon::PRONOUNS.contains(&ctx.lw(s.0)) && s.1 - s.0 == 1)
            });
    }
    None
}

/// Nouns that end a time phrase ("at the time", "in the past", "two weeks ago").
const TIME_NOUNS: &[&str] = &[
    "time",
    "past",
    "point",
    "moment",
    "ago",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "hours",
    "minutes",
    "weekend",
    "morning",
    "afternoon",
    "evening",
    "night",
];

fn source_back_from(ctx: &Ctx, u: &Unit, from: usize) -> Option<(usize, usize)> {
    // "Both have promised": when nothing is left once the adverbs are
    // skipped, they are the subject.
    source_back_skip(ctx, u, from, true).or_else(|| source_back_skip(ctx, u, from, false))
}

fn source_back_skip(ctx: &Ctx, u: &Unit, from: usize, adverbs: bool) -> Option<(usize, usize)> {
    let k = skip_time(ctx, u, from, adverbs);
    if k < from {
        if let Some(s) = apposition(ctx, u, k) {
            return Some(s);
        }
    }
    let mut k = k;
    let end = k;
    let mut start = k;
    while k > u.t0 {
        let t = k - 1;
        // "Gov. Mary Fallin (R-OK) said": a short parenthetical right after
        // the name belongs to the source.
        if ctx.lw(t) == ")" && ctx.tq[t].is_none() && t == end - 1 {
            if let Some(o) = (t.saturating_sub(8).max(u.t0 + 1)..t)
                .rev()
                .find(|&j| ctx.lw(j) == "(" && ctx.tq[j].is_none())
            {
                if ctx.is_cap(o - 1) && !ctx.is_punct(o - 1) {
                    start = o;
                    k = o;
                    continue;
                }
            }
        }
        if ctx.tq[t].is_some() || (ctx.is_punct(t) && !possessive_mark(ctx, u, t)) {
            break;
        }
        let lw = ctx.lw(t);
        if lexicon::RELATIVE.contains(&lw) {
            if end - t == 1 {
                // "Barkley, who said …", "voters who said …": the source
                // runs back over the antecedent ("Barkley, who"), which
                // covers both ways of marking it (the name or the pronoun).
                start = antecedent(ctx, u, t).unwrap_or(t);
            }
            break;
        }
        // "people familiar with the talks said", "a source close to the
        // campaign said": the preposition completes an adjective after
        // the head noun, and the walk goes on to the head.
        // A head noun must come before the adjective ("who are close to
        // him said" is a clause).
        let postnominal = matches!(lw, "with" | "to" | "on")
            && t > u.t0 + 1
            && ctx.tq[t - 1].is_none()
            && POSTNOMINAL.contains(&ctx.lw(t - 1))
            && ctx.tq[t - 2].is_none()
            && !ctx.is_punct(t - 2)
            && !lexicon::SOURCE_STOP.contains(&ctx.lw(t - 2))
            && !lexicon::RELATIVE.contains(&ctx.lw(t - 2));
        // "a spokesman for the ministry said": a role noun and "for"
        // name who speaks for whom; the walk goes on to the role.
        let role_for =
            lw == "for" && t > u.t0 && ctx.tq[t - 1].is_none() && ROLE_FOR.contains(&ctx.lw(t - 1));
        // "Officials at the Department of Homeland Security said",
        // "analysts with the bank said": people named by where they work.
        let role_at = matches!(lw, "at" | "with" | "from" | "in")
            && t > u.t0
            && ctx.tq[t - 1].is_none()
            && ROLE_AT.contains(&ctx.lw(t - 1));
        // "Trump and Clinton said": two names joined by `and` speak together.
        let names_joined = lw == "and"
            && t > u.t0
            && t + 1 < end
            && ctx.tq[t - 1].is_none()
            && ctx.is_cap(t - 1)
            && !ctx.is_punct(t - 1)
            && ctx.is_cap(t + 1)
            && start == t + 1;
        if !postnominal
            && !role_for
            && !role_at
            && !names_joined
            && (lexicon::SOURCE_STOP.contains(&lw)
                || CUE_MAP.get(lw).is_some_and(|c| *c == CueClass::Speech))
        {
            break;
        }
        start = t;
        k = t;
        if end - start >= 8 {
            break;
        }
    }
    (start < end).then_some((start, end))
}

/// Roles that speak for someone named after `for` ("a spokesman for the
/// ministry", "a lawyer for the family").
const ROLE_FOR: &[&str] = &[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "spokesmen",
    "spokeswomen",
    "lawyer",
    "lawyers",
    "attorney",
    "attorneys",
    "counsel",
    "aide",
    "aides",
    "adviser",
    "advisers",
    "advisor",
    "advisors",
    "representative",
    "representatives",
    "strategist",
    "pollster",
];

/// People named by where they work ("officials at the agency",
/// "analysts with the bank", "researchers from Yale").
const ROLE_AT: &[&str] = &[
    "official",
    "officials",
    "researcher",
    "researchers",
    "analyst",
    "analysts",
    "economist",
    "economists",
    "expert",
    "experts",
    "scientist",
    "scientists",
    "executive",
    "executives",
    "staffer",
    "staffers",
    "employees",
    "professor",
    "professors",
    "strategists",
];

/// Adjectives and participles that follow the noun they describe and take
/// a preposition ("people familiar with", "a source close to", "officials
/// briefed on").
const POSTNOMINAL: &[&str] = &[
    "familiar",
    "close",
    "closest",
    "knowledgeable",
    "briefed",
    "loyal",
    "allied",
    "sympathetic",
    "connected",
];

/// Back over "on Tuesday", "last week", "this past week", "have long"
/// between a subject and its verb.
fn skip_time(ctx: &Ctx, u: &Unit, mut k: usize, adverbs: bool) -> usize {
    while k > u.t0 && ctx.tq[k - 1].is_none() {
        let w = ctx.lw(k - 1);
        let this_past = w == "past" && k >= u.t0 + 2 && ctx.lw(k - 2) == "this";
        if !(TIME_WORDS.contains(&w) || this_past || adverbs && ADVERB_WORDS.contains(&w)) {
            break;
        }
        k -= 1;
    }
    k
}

/// Start of the noun phrase a relative pronoun at `t` refers to ("Sen.
/// Maria Cantwell of Washington, who" -> "Sen."), at most 8 words back.
fn antecedent(ctx: &Ctx, u: &Unit, t: usize) -> Option<usize> {
    let mut k = t;
    if k > u.t0 && ctx.lw(k - 1) == "," && ctx.tq[k - 1].is_none() {
        k -= 1;
    }
    let end = k;
    while k > u.t0 && end - k < 8 {
        let j = k - 1;
        if ctx.tq[j].is_some() || ctx.is_punct(j) {
            break;
        }
        let w = ctx.lw(j);
        if lexicon::SOURCE_STOP.contains(&w) && w != "of" {
            break;
        }
        k = j;
    }
    (k < end).then_some(k)
}

/// The subject at the start of the clause before `limit`: "Hillary
/// Clinton's right-hand woman rallied supporters, saying ..." -> the NP.
fn clause_subject(ctx: &Ctx, u: &Unit, limit: usize) -> Option<(usize, usize)> {
    let s = clause_start(ctx, u, limit);
    let mut e = s;
    let mut after_poss = 0;
    while e < limit && ctx.tq[e].is_none() && !ctx.is_punct(e) {
        let w = ctx.lw(e);
        if w == "’s" || w == "'s" {
            after_poss = 2;
            e += 1;
            continue;
        }
        if ctx.is_cap(e) && !POSSESSIVE_DETS.contains(&w)
            || matches!(w, "the" | "a" | "an" | "of") && e == s
        {
            e += 1;
        } else if POSSESSIVE_DETS.contains(&w) && e == s {
            // "Her campaign emailed …": a determiner, not the pronoun.
            e += 1;
            while e < limit
                && e - s < 5
                && noun_runs_on(ctx, e)
                && !CUE_MAP.contains_key(ctx.lw(e))
                && !lexicon::CUE_PREFIX.contains(&ctx.lw(e))
                && !(e > s + 1 && ctx.lw(e).ends_with("ly"))
            {
                e += 1;
            }
            break;
        } else if lexicon::PRONOUNS.contains(&w) && e == s {
            e += 1;
            break;
        } else if after_poss > 0 {
            after_poss -= 1;
            e += 1;
        } else {
            break;
        }
    }
    // A lone determiner runs on to its noun ("the other candidate on the
    // stage" -> "the other candidate").
    if e == s + 1 && matches!(ctx.lw(s), "the" | "a" | "an") {
        while e < limit && e - s < 7 && noun_runs_on(ctx, e) {
            e += 1;
        }
    }
    (e > s).then_some((s, e))
}

/// Whether a noun phrase that a determiner opened may run on over token
/// `e`: a word outside quotation marks, not a source stop word and not a
/// past-tense verb.
fn noun_runs_on(ctx: &Ctx, e: usize) -> bool {
    ctx.tq[e].is_none()
        && !ctx.is_punct(e)
        && !lexicon::SOURCE_STOP.contains(&ctx.lw(e))
        && !ctx.lw(e).ends_with("ed")
}

/// Source tokens after the cue ("..., said Caddell").
fn source_fwd(ctx: &Ctx, u: &Unit, from: usize) -> Option<(usize, usize)> {
    // "…, X said of Cruz": what follows the cue is its topic, not a source.
    if from < u.t1 && matches!(ctx.lw(from), "of" | "about" | "to" | "on" | "for") {
        return None;
    }
    let mut k = from;
    while k < u.t1 && k - from < 10 {
        if ctx.tq[k].is_some() || (ctx.is_punct(k)) {
            break;
        }
        let lw = ctx.lw(k);
        // "a Wednesday editorial": a day after a determiner modifies the noun.
        let modifier = k == from + 1 && matches!(ctx.lw(from), "a" | "an" | "the");
        if (lexicon::SOURCE_STOP.contains(&lw) && lw != "of")
            || (TIME_WORDS.contains(&lw) && !modifier)
        {
            break;
        }
        k += 1;
    }
    (k > from).then_some((from, k))
}

/// Whether words taken after a cue end where a source named after its
/// cue ends ("…, said Caddell." / "…, said Caddell, a pollster"), not in
/// the middle of a clause ("…, said nearly every talk he had with donors
/// centers on …": that is the content), and are neither a clause
/// ([`fwd_clause`]) nor the cue's object ([`object_after`]).
fn fwd_source_ends(ctx: &Ctx, u: &Unit, c: &Cue, (s, e): (usize, usize)) -> bool {
    !fwd_clause(ctx, (s, e))
        && !object_after(ctx, u, c, (s, e))
        && (e >= content_end(ctx, u)
            || matches!(ctx.lw(e), "," | ";" | "(" | "—" | "–" | "--" | ")"))
}

/// "“…,” said Jennifer Alvarez, a spokeswoman for the party.": an
/// apposition that runs from the comma after a name found after the cue
/// to the end of the unit belongs to the source, as in PolNeAR ("said
/// Jane Doe, 54, a retired teacher"); not a participle phrase ("…,
/// shaking his head") nor anything with a quotation or a cue in it.
fn with_closing_apposition(ctx: &Ctx, u: &Unit, (s, e): (usize, usize)) -> (usize, usize) {
    let end = content_end(ctx, u);
    if e + 2 > end || ctx.lw(e) != "," || ctx.tq[e].is_some() || !ctx.is_cap(s) {
        return (s, e);
    }
    let first = ctx.lw(e + 1);
    let opens = matches!(first, "a" | "an" | "the") || first.chars().all(|ch| ch.is_ascii_digit());
    let clean = (e + 1..end).all(|k| {
        ctx.tq[k].is_none()
            && !ctx.lw(k).ends_with("ing")
            && !CUE_MAP.contains_key(ctx.lw(k))
            && !matches!(
                ctx.lw(k),
                ";" | ":" | "(" | ")" | "—" | "–" | "who" | "which" | "that"
            )
    });
    if opens && clean && end - e <= 16 {
        (s, end)
    } else {
        (s, e)
    }
}

/// "Her campaign manager, Robby Mook, denied the report.": after a subject
/// that is no quotation, a verb that does not invert with its speaker
/// ("…, said the spokesman") followed by a determiner takes an object.
fn object_after(ctx: &Ctx, u: &Unit, c: &Cue, (s, _): (usize, usize)) -> bool {
    let inverts = matches!(
        ctx.lw(c.verb),
        "said"
            | "says"
            | "say"
            | "added"
            | "adds"
            | "wrote"
            | "writes"
            | "asked"
            | "asks"
            | "explained"
            | "noted"
            | "notes"
            | "continued"
            | "recalled"
            | "insisted"
            | "argued"
            | "warned"
            | "replied"
            | "responded"
            | "quipped"
            | "joked"
            | "remarked"
            | "observed"
            | "agreed"
            | "countered"
            | "declared"
            | "concluded"
            | "tweeted"
            | "reported"
            | "reports"
    );
    !inverts
        && matches!(
            ctx.lw(s),
            "the" | "a" | "an" | "this" | "that" | "his" | "her" | "their"
        )
        && (u.t0..c.t0).all(|k| ctx.tq[k].is_none())
}

/// Whether words after a cue are a clause, never a name: an auxiliary or
/// modal among them ("…, said the talks had stalled."), or a plural noun
/// and a verb in "-ed".
fn fwd_clause(ctx: &Ctx, (s, e): (usize, usize)) -> bool {
    // "…, says agents ignored warnings": a plural noun then a verb in
    // "-ed" is a subject and its verb.
    let subject_verb = (s + 1..e).any(|k| {
        let (w, p) = (ctx.lw(k), ctx.lw(k - 1));
        past_form(w) && !ctx.is_cap(k) && !ctx.is_cap(k - 1) && s_form(p)
    });
    subject_verb
        || (s..e).any(|k| {
            matches!(
                ctx.lw(k),
                "had"
                    | "has"
                    | "have"
                    | "will"
                    | "would"
                    | "could"
                    | "can"
                    | "should"
                    | "may"
                    | "might"
                    | "must"
                    | "did"
                    | "does"
            )
        })
}

/// "Mike Shields, president of the Congressional Leadership Fund, a super
/// PAC allied with House leadership, said …": a subject with appositions
/// too long for [`apposition`], from the clause start to the comma before
/// the cue. The words there hold no quotation and no speech verb.
fn long_subject(ctx: &Ctx, u: &Unit, c: &Cue) -> Option<(usize, usize)> {
    let comma = c.t0.checked_sub(1)?;
    if comma <= u.t0 || ctx.lw(comma) != "," || ctx.tq[comma].is_some() {
        return None;
    }
    // After a quotation ("“…,” Sarah Lee, director of …, said"), the
    // subject starts past it.
    let after_quote = (u.t0..comma).rev().find(|&k| ctx.tq[k].is_some()).map(|k| {
        let mut j = k + 1;
        while j < comma && ctx.is_punct(j) {
            j += 1;
        }
        j
    });
    let s = after_quote.unwrap_or_else(|| clause_start(ctx, u, comma));
    if s >= comma || comma - s > 45 {
        return None;
    }
    // "…, said by …" is a passive: its agent follows.
    if c.t1 < u.t1 && ctx.lw(c.t1) == "by" {
        return None;
    }
    let opens = !ctx.is_punct(s)
        && (ctx.is_cap(s)
            || after_quote.is_some()
            || ctx.toks[s].kind == TokenKind::Number
            || matches!(
                ctx.lw(s),
                "the"
                    | "a"
                    | "an"
                    | "his"
                    | "her"
                    | "their"
                    | "its"
                    | "our"
                    | "some"
                    | "many"
                    | "most"
                    | "all"
                    | "both"
                    | "each"
                    | "several"
                    | "about"
                    | "nearly"
                    | "almost"
                    | "more"
                    | "fewer"
            ));
    let head_clean = (s..comma).all(|k| {
        ctx.tq[k].is_none()
            && !CUE_MAP
                .get(ctx.lw(k))
                .is_some_and(|c| *c == CueClass::Speech)
            && !matches!(ctx.lw(k), "if" | "when" | "but")
            // "because of her distaste for Trump" is a phrase, not a clause.
            && !(ctx.lw(k) == "because" && !(k + 1 < comma && ctx.lw(k + 1) == "of"))
    });
    // The subject's first chunk (up to its first comma) is a noun phrase.
    let first_end = (s..comma).find(|&k| ctx.lw(k) == ",").unwrap_or(comma);
    let np = first_end - s <= 10
        && (s..first_end).all(|k| {
            !matches!(
                ctx.lw(k),
                "is" | "was" | "are" | "were" | "has" | "had" | "have"
            )
        });
    (opens && head_clean && np).then_some((s, comma))
}

/// "Wilcox, whose education was paid for by the military, said he’d like
/// …": the words after the cue run on into a clause (they do not end
/// where a source named after its cue would), and no quotation comes
/// before the cue, so the subject is everything from the clause start to
/// the comma before the cue, however it opens.
fn clause_before_comma(ctx: &Ctx, u: &Unit, c: &Cue) -> Option<(usize, usize)> {
    let comma = c.t0.checked_sub(1)?;
    if comma <= u.t0 || ctx.lw(comma) != "," || ctx.tq[comma].is_some() {
        return None;
    }
    let s = clause_start(ctx, u, comma);
    if s >= comma || comma - s > 45 || (u.t0..comma).any(|k| ctx.tq[k].is_some()) {
        return None;
    }
    // A subordinate clause ("Because the director quit, said …") is no
    // subject.
    if INTRO_WORDS.contains(&ctx.lw(s)) || lexicon::SOURCE_STOP.contains(&ctx.lw(s)) {
        return None;
    }
    // "…, say, …" is an aside, "…, first reported by X," a passive.
    if c.t1 >= u.t1 || ctx.is_punct(c.t1) || ctx.lw(c.t1) == "by" {
        return None;
    }
    // No cue word before the comma: that would be a clause of its own
    // ("She has long maintained that …, claims that …").
    let clean = (s..comma).all(|k| {
        let w = ctx.lw(k);
        !CUE_MAP.contains_key(w) && !lexicon::NESTED_SET.contains(w) || anonymity_request(ctx, u, k)
    });
    clean.then_some((s, comma))
}

/// Where the clause ending before `limit` starts: the unit start past a
/// dateline ("WASHINGTON (AP) —"), a leading conjunction ("But", "And
/// even") and introductory phrases closed by a comma ("In response to X,",
/// "Speaking in his real voice again,", "If he wins,").
fn clause_start(ctx: &Ctx, u: &Unit, limit: usize) -> usize {
    let mut s = u.t0;
    // "Washington (AFP) – Democrat Hillary Clinton ...": a dateline.
    let dateline = s < limit && ctx.is_cap(s) && {
        (s + 1..limit.min(s + 7)).any(|k| {
            matches!(ctx.lw(k), "—" | "–" | "―" | "--" | "-")
                && ctx.lw(k - 1) == ")"
                && (s..k).all(|j| ctx.tq[j].is_none())
        })
    };
    if s < limit
        && (dateline || ctx.word(s).len() > 2 && ctx.word(s).chars().all(|c| !c.is_lowercase()))
    {
        if let Some(d) =
            (s..limit.min(s + 12)).find(|&k| matches!(ctx.lw(k), "—" | "–" | "―" | "--" | "-"))
        {
            s = d + 1;
        }
    }
    let mut after_place_prep = false;
    for _ in 0..5 {
        while s + 1 < limit && LEAD_WORDS.contains(&ctx.lw(s)) && ctx.tq[s].is_none() {
            s += 1;
        }
        if s >= limit || ctx.tq[s].is_some() {
            break;
        }
        let w = ctx.lw(s);
        let comma = (s..limit).find(|&k| ctx.lw(k) == "," && ctx.tq[k].is_none());
        // "The day before,", "But a few days later,", "This year,": a short
        // time phrase; "in Ames, Iowa,": the place an intro phrase names.
        let short = comma.filter(|&c| c - s <= 5 && (s..c).all(|k| ctx.tq[k].is_none()));
        let time_phrase = short.is_some_and(|c| {
            (s..c).any(|k| {
                let w = ctx.lw(k);
                (TIME_NOUNS.contains(&w) && !matches!(w, "past" | "point" | "moment" | "time"))
                    || matches!(w, "later" | "before" | "earlier")
            })
        });
        let place = after_place_prep
            && short
                .is_some_and(|c| c - s <= 3 && (s..c).all(|k| ctx.is_cap(k) || ctx.lw(k) == "."));
        let intro = INTRO_WORDS.contains(&w)
            || time_phrase
            || place
            || (w.len() > 4
                && w.ends_with("ing")
                && s + 1 < limit
                && !ctx.is_punct(s + 1)
                && !ctx.is_cap(s + 1));
        if !intro {
            break;
        }
        after_place_prep = matches!(w, "in" | "at" | "from" | "near" | "outside");
        match comma {
            Some(c) => s = c + 1,
            None => break,
        }
    }
    s
}

/// Words that may open a clause before its subject ("But Trump said").
const LEAD_WORDS: &[&str] = &[
    "but", "and", "so", "yet", "still", "even", "also", "now", "then",
];

/// Words that open an introductory phrase closed by a comma.
const INTRO_WORDS: &[&str] = &[
    "in",
    "on",
    "at",
    "after",
    "before",
    "during",
    "when",
    "while",
    "as",
    "since",
    "with",
    "for",
    "despite",
    "following",
    "back",
    "earlier",
    "later",
    "last",
    "meanwhile",
    "amid",
    "under",
    "by",
    "if",
    "shortly",
    "here",
    "there",
    "alongside",
    "although",
    "though",
    "because",
    "once",
    "until",
    "unlike",
    "like",
    "among",
    "from",
    "throughout",
    "within",
    "without",
    "instead",
    "today",
    "yesterday",
    "upon",
    "asked",
    "given",
    "over",
    "separately",
    "similarly",
    "however",
    "finally",
    "ultimately",
    "previously",
    "recently",
    "initially",
    "likewise",
    "indeed",
    "minutes",
    "hours",
    "days",
    "weeks",
    "months",
    "moments",
    // "Ever since she endorsed X,", "Immediately after the attacks,",
    // "Soon after", "Just before the vote,", "Right after".
    "ever",
    "immediately",
    "soon",
    "just",
    "right",
];

/// A lone lower-case word that is no pronoun is no source ("the", "held").
fn source_shape_ok(ctx: &Ctx, (a, b): (usize, usize)) -> bool {
    b - a > 1 || {
        let w = ctx.lw(a);
        ctx.is_cap(a)
            || lexicon::PRONOUNS.contains(&w)
            || w.ends_with('s')
            || matches!(
                w,
                "everyone" | "both" | "many" | "some" | "several" | "all" | "one" | "another"
            )
    }
}

fn choose_cue(
    ctx: &Ctx,
    u: &Unit,
    cues: &[Cue],
    raw: &[RawQuote],
    uq: &[usize],
) -> Option<(Cue, Option<(usize, usize)>)> {
    type Scored = (i64, Cue, Option<(usize, usize)>);
    let mut best: Option<Scored> = None;
    for c in cues {
        let src = if c.according {
            source_fwd_long(ctx, u, c.t1)
        } else if it_passive(ctx, u, c) {
            source_fwd(ctx, u, c.verb + 2)
        } else {
            let before_punct = (c.t0 == u.t0
                || (ctx.is_punct(c.t0 - 1) && ctx.lw(c.t0 - 1) != ")")
                || ctx.tq[c.t0 - 1].is_some())
                && apposition(ctx, u, c.t0).is_none();
            let b = if before_punct {
                None
            } else {
                source_back(ctx, u, c)
            };
            let participle = ctx.lw(c.verb).ends_with("ing");
            let after_comma = c.t0 > u.t0 && ctx.lw(c.t0 - 1) == ",";
            // "“…?” asked Sen. Lee", "“…,” warned Clinton": right after a
            // quotation, these verbs put their subject after them.
            let inverted = c.t0 > u.t0
                && ctx.tq[c.t0 - 1].is_some()
                && matches!(
                    ctx.lw(c.verb),
                    "asked" | "asks" | "warned" | "warns" | "urged" | "assured" | "reminded"
                );
            let addressee = lexicon::ADDRESSEE_VERBS.contains(&ctx.lw(c.verb)) && !inverted;
            // "Mr. Trump … issued a statement Tuesday saying": the source
            // found going back starts with a verb, so the subject speaks.
            let verb_led = b.is_some_and(|(a, e)| {
                let verb = |k: usize| !ctx.is_cap(k) && ctx.lw(k).ends_with("ed");
                verb(a)
                    || (a..e.saturating_sub(1)).any(|k| {
                        verb(k)
                            && matches!(ctx.lw(k + 1), "a" | "an" | "the" | "his" | "her" | "their")
                    })
            });
            // "The senator emailed supporters saying …", "wrote a letter to
            // Zucker asking …", "shot back in an article stating …": the
            // phrase found going back is the object of a verb, or follows a
            // preposition after a written message, so the subject speaks.
            let obj_led = b.is_some_and(|(a, e)| {
                if e != c.t0 || a <= u.t0 || ctx.tq[a - 1].is_some() || ctx.is_cap(a - 1) {
                    return false;
                }
                let w = ctx.lw(a - 1);
                if w.ends_with("ed") || CUE_MAP.contains_key(w) || matches!(w, "wrote" | "sent") {
                    return true;
                }
                matches!(w, "to" | "in" | "on" | "with")
                    && (a.saturating_sub(8).max(u.t0)..a - 1)
                        .any(|k| MESSAGE_NOUNS.contains(&ctx.lw(k)))
            });
            // "Putin was quoted by Reuters as saying …": the passive
            // frame's subject speaks.
            let quoted_as = c.t0 > u.t0
                && ctx.lw(c.t0 - 1) == "as"
                && (c.t0.saturating_sub(8).max(u.t0)..c.t0 - 1).any(|k| ctx.lw(k) == "quoted");
            if participle && (after_comma || verb_led || obj_led || quoted_as) {
                // "..., saying ...": the main clause's subject speaks.
                let vs = if after_comma {
                    verb_subject(ctx, u, c.t0 - 1)
                } else {
                    None
                };
                vs.or_else(|| clause_subject(ctx, u, c.t0)).or(b)
            } else {
                b.or_else(|| {
                    // "..., said Caddell" (never "..., told Breitbart": the addressee).
                    if before_punct && !addressee && !participle {
                        let fwd = source_fwd(ctx, u, c.t1);
                        match fwd {
                            Some(f) if fwd_source_ends(ctx, u, c, f) => {
                                Some(with_closing_apposition(ctx, u, f))
                            }
                            _ => match and_aside(ctx, u, c) {
                                Some(j) => clause_subject(ctx, u, j),
                                None => long_subject(ctx, u, c)
                                    .or_else(|| clause_before_comma(ctx, u, c))
                                    .or(fwd),
                            },
                        }
                    } else if before_punct && addressee && !participle {
                        // "An intelligence source, who was not authorized
                        // to speak, told Fox News": the addressee follows
                        // the cue, the subject is the long one before it.
                        long_subject(ctx, u, c)
                    } else {
                        None
                    }
                })
            }
        };
        // A lone lower-case word that is no pronoun is no source ("the", "held").
        let src = src
            .map(|s| trim_relative_aside(ctx, s, cues))
            .map(|s| subject_pronoun_last(ctx, s))
            .filter(|&s| source_shape_ok(ctx, s));
        let Some(s) = src else { continue };
        let Some(s) = (match c.class {
            CueClass::Evidence => evidence_source(ctx, s),
            _ => Some(s),
        }) else {
            continue;
        };
        // Prefer cues next to a quotation, then speech verbs, then earlier.
        let dist = uq
            .iter()
            .map(|&q| {
                let cs = ctx.toks[c.t0].span.start;
                let ce = ctx.toks[c.t1 - 1].span.end;
                if raw[q].end <= cs {
                    words_in(ctx, raw[q].end, cs) as i64
                } else if raw[q].start >= ce {
                    words_in(ctx, ce, raw[q].start) as i64
                } else {
                    0
                }
            })
            .min()
            .unwrap_or(0);
        let class_pen = match c.class {
            CueClass::Speech | CueClass::Guarded | CueClass::QuoteOnly => 0,
            CueClass::Thought => 3,
            CueClass::Evidence => 2,
        };
        // "from a website called Real News": a naming "called" is taken
        // only when the unit has no other cue.
        let naming_pen = if ctx.lw(c.verb) == "called" && naming(ctx, u, c.verb) {
            10_000
        } else {
            0
        };
        // "Comey cannot say that “from his perspective,” Lewandowski
        // added.": a frame that ends the sentence right after a quotation
        // closing on a comma holds the sentence before it, earlier cues
        // included (unless the quotation follows a cue directly).
        let first = s.0.min(c.t0);
        let trailing = first > u.t0
            && ctx.tq[first - 1].is_some_and(|q| {
                let qt = ctx.toks.partition_point(|t| t.span.start < raw[q].start);
                raw[q].start > u.start
                    && qt > u.t0
                    && !cues.iter().any(|o| o.t1 == qt)
                    && ctx.doc.text[raw[q].inner_start..raw[q].inner_end]
                        .trim_end()
                        .ends_with([',', '?', '!'])
            })
            && (s.1.max(c.t1)..u.t1).all(|k| ctx.is_punct(k) && ctx.tq[k].is_none());
        // "…, Spicer said, adding, “…”": the participle goes with the frame
        // before it, which is the main one.
        let after_frame = ctx.lw(c.verb).ends_with("ing")
            && c.t0 >= u.t0 + 2
            && ctx.lw(c.t0 - 1) == ","
            && cues.iter().any(|o| {
                o.t1 < c.t0
                    && frame_gap(ctx, o.t1, c.t0 - 1)
                    && o.class == CueClass::Speech
                    && !ctx.lw(o.verb).ends_with("ing")
            });
        let frame_pen = if after_frame { 1_000 } else { 0 };
        // "Trump, who has called the inquiry a witch hunt, said …": a cue
        // in a relative clause set off by commas is the aside, not the
        // sentence's frame, when another cue follows the clause.
        let aside = s.1 >= u.t0 + 2
            && s.1 <= c.t0
            && opens_relative(ctx, s.1 - 2)
            && cues
                .iter()
                .any(|o| o.t0 > c.t1 + 1 && !o.according && ctx.lw(o.t0 - 1) == ",");
        let aside_pen = if aside { 100 } else { 0 };
        let score = if trailing {
            5 - class_pen - frame_pen - aside_pen
        } else {
            -(dist * 10) - class_pen - (c.t0 - u.t0) as i64 / 8 - naming_pen - frame_pen - aside_pen
        };
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, *c, Some(s)));
        }
    }
    best.map(|(_, c, s)| (c, s))
}

/// "It was reported by The Associated Press that …", "It has been
/// reported by …": a passive frame whose subject is an empty `it` names
/// its source after `by`.
fn it_passive(ctx: &Ctx, u: &Unit, c: &Cue) -> bool {
    if c.verb <= u.t0 + 1
        || c.verb + 2 >= u.t1
        || ctx.lw(c.verb + 1) != "by"
        || ctx.tq[c.verb + 1].is_some()
        || !matches!(ctx.lw(c.verb - 1), "was" | "is" | "been" | "were")
    {
        return false;
    }
    let mut k = c.verb - 2;
    if k > u.t0 && matches!(ctx.lw(k), "has" | "had" | "have") {
        k -= 1;
    }
    ctx.lw(k) == "it" && ctx.tq[k].is_none()
}

/// "Tuesday night he claimed …", "Later that day she said …": a source
/// found going back that ends in a subject pronoun after words that are
/// not joined to it (`and`, `or`, a comma: "Trump and I") is the pronoun;
/// the words before it are a time phrase.
fn subject_pronoun_last(ctx: &Ctx, (s0, s1): (usize, usize)) -> (usize, usize) {
    let last = s1 - 1;
    if s1 - s0 >= 2
        && lexicon::SUBJECT_PRONOUNS.contains(&ctx.lw(last))
        && ctx.tq[last].is_none()
        && !matches!(ctx.lw(last - 1), "and" | "or" | "," | "nor")
        && ctx.tq[last - 1].is_none()
    {
        (last, s1)
    } else {
        (s0, s1)
    }
}

/// "They have bombed … and, since then, admitted …": the `and` (token
/// index) before an aside that ends right before the cue; the verb it
/// joins shares the clause's subject.
fn and_aside(ctx: &Ctx, u: &Unit, c: &Cue) -> Option<usize> {
    let before = c.t0.saturating_sub(1);
    (c.t0.saturating_sub(12).max(u.t0 + 1)..before).find(|&j| {
        ctx.lw(j) == "and"
            && ctx.lw(j + 1) == ","
            && ctx.tq[j].is_none()
            && (j + 2..before).all(|k| ctx.tq[k].is_none())
    })
}

/// Token `j` is a comma that opens a relative clause (", who", ", which").
fn opens_relative(ctx: &Ctx, j: usize) -> bool {
    ctx.lw(j) == "," && ctx.tq[j].is_none() && lexicon::RELATIVE.contains(&ctx.lw(j + 1))
}

/// "Trump, who has called the inquiry a witch hunt, said": a source that
/// runs over a relative clause set off by a comma and holding a cue ends
/// before the clause (the clause is an attribution of its own).
fn trim_relative_aside(ctx: &Ctx, (s0, s1): (usize, usize), cues: &[Cue]) -> (usize, usize) {
    let cut = (s0 + 1..s1.saturating_sub(1))
        .find(|&j| opens_relative(ctx, j) && cues.iter().any(|c| c.t0 > j + 1 && c.t1 <= s1));
    match cut {
        Some(j) => (s0, j),
        None => (s0, s1),
    }
}

/// The cue of a relative clause set off by commas inside the main
/// source's span, before the main cue ("Trump, who has called the inquiry
/// a witch hunt, said"): the clause's attribution, content up to the
/// comma before the main cue.
fn in_relative_aside(ctx: &Ctx, c: &Cue, main: &Cue, (ms0, ms1): (usize, usize)) -> bool {
    c.t0 >= ms1 + 2
        && c.t1 < main.t0
        && ms1 > ms0
        && opens_relative(ctx, ms1)
        && ctx.lw(main.t0 - 1) == ","
}

/// "according to a CRS report, “Title,” published March 1, ..." up to a comma.
fn source_fwd_long(ctx: &Ctx, u: &Unit, from: usize) -> Option<(usize, usize)> {
    let mut k = from;
    while k < u.t1 && k - from < 25 {
        if let Some(q) = ctx.tq[k] {
            if !ctx.title[q] {
                break;
            }
            k += 1;
            continue;
        }
        let lw = ctx.lw(k);
        if lw == "," {
            // Past a comma only into a title or "published DATE".
            let n = k + 1;
            let goes_on = n < u.t1
                && (ctx.tq[n].is_some_and(|q| ctx.title[q])
                    || matches!(ctx.lw(n), "published" | "released" | "issued" | "dated")
                    || ctx.toks[n].kind == TokenKind::Number && ctx.lw(n).len() == 4);
            if goes_on {
                k += 1;
                continue;
            }
            break;
        }
        if ctx.is_punct(k) && lw != "-" {
            break;
        }
        k += 1;
    }
    while k > from && ctx.is_punct(k - 1) && ctx.tq[k - 1].is_none() {
        k -= 1;
    }
    (k > from).then_some((from, k))
}

/// Where the content after a cue starts, from token `from`: past what
/// [`skip_after_cue`] skips, but PolNeAR and most readers take "that" as
/// the content's first word ("said that “…”"), so it is kept.
fn content_from(ctx: &Ctx, u: &Unit, cue: &Cue, from: usize, end: usize) -> usize {
    let k = skip_after_cue(ctx, u, cue, from, end);
    if k > from && k < end && ctx.lw(k - 1) == "that" && ctx.tq[k - 1].is_none() {
        k - 1
    } else {
        k
    }
}

fn skip_after_cue(ctx: &Ctx, u: &Unit, cue: &Cue, mut k: usize, end: usize) -> usize {
    let verb = ctx.lw(cue.verb).to_string();
    for _ in 0..4 {
        let start_k = k;
        while k < end && TIME_WORDS.contains(&ctx.lw(k)) && ctx.tq[k].is_none() {
            k += 1;
        }
        // "wrote on Twitter: “…”": `on` is also a time word, so the phrase
        // skip below never sees it; a short phrase after it that ends in a
        // colon before a quotation is the frame, not content.
        if k > start_k && k < end && ctx.lw(k - 1) == "on" {
            if let Some(j) = (k..(k + 6).min(end)).find(|&j| ctx.lw(j) == ":") {
                if (k..j).all(|x| ctx.tq[x].is_none())
                    && ctx.tq.get(j + 1).is_some_and(|q| q.is_some())
                {
                    k = j;
                }
            }
        }
        if k < end
            && matches!(
                ctx.lw(k),
                "in" | "on" | "at" | "during" | "via" | "to" | "with"
            )
        {
            if let Some(j) = (k + 1..(k + 9).min(end))
                .find(|&j| matches!(ctx.lw(j), "," | "that" | ":") || ctx.tq[j].is_some())
            {
                k = j;
            }
        }
        // "called Trump “unhinged”", "accused him of lying": the object is
        // part of what is said, not an addressee.
        let names_object = matches!(
            verb.as_str(),
            "called"
                | "calls"
                | "calling"
                | "accused"
                | "accuses"
                | "accusing"
                | "blamed"
                | "blames"
                | "blame"
        );
        if lexicon::ADDRESSEE_VERBS.contains(&verb.as_str()) && !names_object {
            if let Some(j) = (k..(k + 9).min(end))
                .take_while(|&j| ctx.lw(j) != ",")
                .find(|&j| ctx.lw(j) == "that")
            {
                k = j + 1;
                break;
            } else {
                while k < end
                    && ctx.tq[k].is_none()
                    && (OBJECT_WORDS.contains(&ctx.lw(k)) || (ctx.is_cap(k) && !ctx.is_punct(k)))
                    && k - start_k < 6
                    // "told reporters it would fail": "it" after the
                    // addressee opens the content.
                    && !(k > cue.t1 && ctx.lw(k) == "it")
                {
                    k += 1;
                }
            }
        }
        while k < end && matches!(ctx.lw(k), "," | ":" | "that" | "—" | "-") {
            k += 1;
        }
        if k == start_k {
            break;
        }
    }
    let _ = u;
    k
}

/// `e` moved back over unquoted punctuation, not below `lo`.
fn back_over_punct(ctx: &Ctx, lo: usize, mut e: usize) -> usize {
    while e > lo && ctx.is_punct(e - 1) && ctx.tq[e - 1].is_none() {
        e -= 1;
    }
    e
}

/// Words that open a frame around a quotation rather than more content.
fn frame_start(ctx: &Ctx, k: usize) -> bool {
    let w = ctx.lw(k);
    w.ends_with("ing")
        || matches!(
            w,
            "according"
                | "who"
                | "which"
                | "as"
                | "after"
                | "before"
                | "while"
                | "when"
                | "in"
                | "on"
                | "at"
                | "during"
                | "referring"
                | "a"
                | "an"
                | "the"
                | "his"
                | "her"
                | "their"
                | "its"
                | "whose"
                | "where"
                | "since"
                | "because"
                | "though"
                | "although"
                | "then"
                | "and"
                | "but"
                | "or"
        )
        || ctx.is_cap(k)
}

/// End of the unit without its final full stop (kept inside quotes).
fn content_end(ctx: &Ctx, u: &Unit) -> usize {
    let mut e = u.t1;
    while e > u.t0
        && ctx.tq[e - 1].is_none()
        && (is_terminal(ctx.lw(e - 1)) || matches!(ctx.lw(e - 1), "," | ";" | ":"))
    {
        e -= 1;
    }
    e
}

fn build(
    ctx: &Ctx,
    u: &Unit,
    cue: Cue,
    src: Option<(usize, usize)>,
    raw: &[RawQuote],
    uq: &[usize],
) -> Option<Attribution> {
    let doc = ctx.doc;
    let (s0, s1) = src?;
    let cue_part = ctx.part(cue.t0, cue.t1);
    let phrase_start = s0.min(cue.t0);
    let phrase_end = s1.max(cue.t1);
    let end = content_end(ctx, u);
    // Content regions as token ranges.
    let mut regions: Vec<(usize, usize)> = Vec::new();
    let mut rule = "source_cue_content";
    let mut relay: Option<(usize, usize)> = None;
    let mut source = (s0, s1);
    if cue.according {
        rule = "according_to";
        let intro_only = (u.t0..cue.t0)
            .all(|k| ctx.is_punct(k) || matches!(ctx.lw(k), "but" | "and" | "yet" | "also"));
        if intro_only {
            let mut k = phrase_end;
            while k < end && matches!(ctx.lw(k), "," | ":") {
                k += 1;
            }
            regions.push((k, end));
        } else {
            let ce = back_over_punct(ctx, u.t0, cue.t0);
            // "She said that, according to the police, the man fled": the
            // words up to the complementizer are another frame.
            let after_that = ce > u.t0 && ctx.lw(ce - 1) == "that" && ctx.tq[ce - 1].is_none();
            if !after_that {
                regions.push((u.t0, ce));
            }
            if phrase_end < end && ctx.lw(phrase_end) == "," {
                regions.push((phrase_end + 1, end));
            }
        }
    } else {
        // "Mr. Trump was blunt, claiming ...": a clause's subject found for
        // a participle far after it frames nothing before it.
        let detached = ctx.lw(cue.verb).ends_with("ing") && s1 + 1 < cue.t0;
        let before_comma = !detached
            && phrase_start > u.t0 + 1
            && (ctx.lw(phrase_start - 1) == "," || ctx.tq[phrase_start - 1].is_some());
        // "A few days later, X told ...": an introductory phrase, not content.
        let tail_words = {
            let k = skip_after_cue(ctx, u, &cue, phrase_end, end);
            (k..end)
                .filter(|&j| !ctx.is_punct(j) || ctx.tq[j].is_some())
                .count()
        };
        // The words before the frame, and whether they are only quotation.
        let ce = back_over_punct(ctx, u.t0, phrase_start);
        // "Asked about the plan, Cruz said it would fail.": when all the
        // words before the frame are an introductory phrase, a short
        // clause after the cue is the content.
        let head_is_intro = ce > u.t0
            && (u.t0..ce).all(|j| ctx.tq[j].is_none())
            && clause_start(ctx, u, phrase_start) >= phrase_start;
        let tail_is_clause = phrase_end < end
            && ctx.lw(phrase_end) != ","
            && (tail_words > 3 || head_is_intro && tail_words > 0);
        let head_is_quote = (u.t0..ce).all(|j| ctx.tq[j].is_some() || ctx.is_punct(j));
        // "“A,” he said in an interview": after a quotation, the words that
        // follow the cue are its frame, not more content (unless "that ...").
        let quote_then_frame = before_comma
            && ce > u.t0
            && head_is_quote
            && ctx.lw(phrase_end.min(end.saturating_sub(1))) != "that";
        if before_comma && (!tail_is_clause || quote_then_frame) {
            // "Content, X said." or "Content, X said, more content."
            rule = "content_cue_source";
            // "Rhimes declared the need for …: “Change the world,” she
            // said": the quotation after a colon is what the cue frames.
            let head_start = (u.t0..ce)
                .rev()
                .find(|&j| {
                    ctx.lw(j) == ":" && ctx.tq[j].is_none() && j + 1 < ce && ctx.tq[j + 1].is_some()
                })
                .map_or(u.t0, |j| j + 1);
            regions.push((head_start, ce));
            let mut k = phrase_end;
            let tail_start = k;
            k = skip_after_cue(ctx, u, &cue, k, end);
            // "“A,” he said, “B.”" or "A, he said, B": the tail is content
            // too, unless it is a quotation's frame ("according to ...",
            // "adding that ...", "who ran ...").
            let direct_comma = tail_start < end && ctx.lw(tail_start) == "," && k == tail_start + 1;
            if k < end
                && (ctx.tq[k].is_some() || direct_comma && !head_is_quote && !frame_start(ctx, k))
            {
                // "On the subject of Israel, Trump added, “…”": with no
                // quotation before the frame, the words there are an
                // introduction and the quotation after it is the content.
                let head_has_quote = (head_start..ce).any(|j| ctx.tq[j].is_some());
                if ctx.tq[k].is_some() && direct_comma && !head_has_quote {
                    regions.clear();
                }
                regions.push((k, end));
            }
        } else {
            let k = content_from(ctx, u, &cue, phrase_end, end);
            if k < end {
                regions.push((k, end));
            }
        }
        // "Quoting A, B reported": A said it, B passes it on.
        if let Some(q) = (u.t0..phrase_start)
            .find(|&k| matches!(ctx.lw(k), "quoting" | "citing") && ctx.tq[k].is_none())
        {
            let mut e = q + 1;
            while e < phrase_start && ctx.lw(e) != "," {
                e += 1;
            }
            if e > q + 1 {
                relay = Some(source);
                source = (q + 1, e);
                rule = "quoting";
            }
        }
    }
    regions.retain(|r| r.0 < r.1);
    // Quotations decide direct vs mixed.
    let in_regions = |q: usize| {
        regions.iter().any(|r| {
            ctx.toks[r.0].span.start <= raw[q].start && raw[q].start < ctx.toks[r.1 - 1].span.end
        })
    };
    let frame_words: usize = regions
        .iter()
        .map(|r| {
            (r.0..r.1)
                .filter(|&k| ctx.tq[k].is_none() && !ctx.is_punct(k))
                .count()
        })
        .sum();
    let mut content: Vec<Part> = Vec::new();
    let kind;
    if !uq.is_empty() && frame_words == 0 {
        kind = AttributionKind::Direct;
        for &q in uq {
            content.push(Part::new(doc, raw[q].start, raw[q].end));
        }
    } else {
        if regions.is_empty() {
            return None;
        }
        kind = if uq.iter().any(|&q| in_regions(q)) {
            AttributionKind::Mixed
        } else {
            AttributionKind::Indirect
        };
        for r in &regions {
            content.push(ctx.part(r.0, r.1));
        }
        for &q in uq {
            if !in_regions(q) && words_in(ctx, raw[q].inner_start, raw[q].inner_end) >= 3 {
                content.push(Part::new(doc, raw[q].start, raw[q].end));
            }
        }
        content.sort_by_key(|p| p.span.start);
    }
    // Content must not swallow the source or cue.
    let cs = cue_part.span;
    content.retain(|p| !p.span.overlaps(&cs) && !p.text.trim().is_empty());
    if content.is_empty() {
        return None;
    }
    let words: usize = content
        .iter()
        .map(|p| words_in(ctx, p.span.start, p.span.end))
        .sum();
    if words < 2 && kind != AttributionKind::Direct {
        return None;
    }
    let confidence = match (kind, cue.class) {
        (AttributionKind::Direct, _) => 0.9,
        (_, CueClass::Speech) | (_, CueClass::Guarded) | (_, CueClass::QuoteOnly) => 0.75,
        (_, CueClass::Evidence) => 0.6,
        (_, CueClass::Thought) => 0.5,
    };
    Some(Attribution {
        kind,
        source: Some(ctx.part(source.0, source.1)),
        speaker: None,
        speaker_mention: None,
        relayed_by: relay.map(|r| ctx.part(r.0, r.1)),
        cue: Some(cue_part),
        content,
        work: None,
        rule,
        confidence,
    })
}

/// Attributions besides the main one of a unit: another cue with a source
/// before it ("…, but Republicans say B", "X said Y believes B", "experts
/// who say B"). The content runs from the cue to the end of the unit, or
/// to the main attribution's frame when the cue comes before it.
fn secondary(
    ctx: &Ctx,
    u: &Unit,
    cues: &[Cue],
    (main, main_src): (&Cue, Option<(usize, usize)>),
    main_att: &Attribution,
    raw: &[RawQuote],
    uq: &[usize],
) -> Vec<Attribution> {
    let mut out = Vec::new();
    let (ms0, ms1) = main_src.unwrap_or((main.t0, main.t0));
    let frame0 = ms0.min(main.t0);
    let frame1 = ms1.max(main.t1);
    let unit_end = content_end(ctx, u);
    for c in cues {
        let aside = main_src.is_some_and(|m| in_relative_aside(ctx, c, main, m));
        if c.t0 == main.t0 || (c.t0 < frame1 && c.t1 > frame0 && !aside) {
            continue;
        }
        // "X said Y, according to Z": Z passes on what X said (PolNeAR
        // takes both); the content is the rest of the unit.
        if c.according {
            if main.according {
                continue;
            }
            let src = source_fwd_long(ctx, u, c.t1);
            if let Some(a) = src.and_then(|s| build(ctx, u, *c, Some(s), raw, uq)) {
                out.push(a);
            }
            continue;
        }
        if c.t0 == u.t0 || ctx.tq[c.t0 - 1].is_some() {
            continue;
        }
        // Participles ("…, saying") are left to the main rules, except
        // right after the main frame: "…, Spicer said, adding, “…”".
        let src = if ctx.lw(c.verb).ends_with("ing") {
            let gap_ok =
                c.t0 > frame1 && ctx.lw(c.t0 - 1) == "," && frame_gap(ctx, frame1, c.t0 - 1);
            if gap_ok && main_src.is_some() {
                main_src
            } else {
                continue;
            }
        } else {
            source_back(ctx, u, c).or_else(|| long_subject(ctx, u, c))
        };
        let Some((mut s0, s1)) = src else {
            continue;
        };
        // "“…,” said Weaver, who said …": the relative pronoun after the
        // main frame is the source (its antecedent is the main source).
        if s0 < frame1 && s1 > frame1 && lexicon::RELATIVE.contains(&ctx.lw(s1 - 1)) {
            s0 = s1 - 1;
        }
        if !source_shape_ok(ctx, (s0, s1))
            || (s0 < frame1 && s1 > frame0 && (s0, s1) != (ms0, ms1) && !aside)
        {
            continue;
        }
        if c.class == CueClass::Evidence {
            match evidence_source(ctx, (s0, s1)) {
                Some(s) => s0 = s.0,
                None => continue,
            }
        }
        // Before the main frame, the content stops there ("Trump, who
        // criticized Cruz, said …", "X criticized Y, Z said"), unless the
        // main attribution is itself what this cue reports ("She said she
        // asked …": the main content follows its cue and this cue's words
        // run into the main source without a comma or a relative pronoun).
        let relative = lexicon::RELATIVE.contains(&ctx.lw(s1 - 1));
        let main_follows = main_att.rule == "source_cue_content"
            && main_att
                .content
                .iter()
                .any(|p| p.span.start >= ctx.toks[frame1 - 1].span.end);
        let outer = c.t1 <= frame0 && !relative && main_follows;
        // The main attribution is a frame closing the unit ("He told
        // reporters “…,” the Times reported"): its content holds this one.
        let main_closes = main_att.content.first().is_some_and(|p| {
            p.span.start == ctx.toks[u.t0].span.start
                && main_att
                    .content
                    .last()
                    .is_some_and(|l| l.span.end <= ctx.toks[frame0].span.start)
        });
        let end = if aside {
            back_over_punct(ctx, c.t1, main.t0)
        } else if c.t1 <= frame0 && (main.according || main_closes) {
            back_over_punct(ctx, c.t1, frame0)
        } else if c.t1 <= frame0 && !outer {
            // Nor does it run into the main content ("Rhimes declared the
            // need for drive: “…,” she said").
            let main_start = main_att
                .content
                .first()
                .map_or(usize::MAX, |p| p.span.start);
            let stop = (c.t1..frame0)
                .find(|&j| ctx.toks[j].span.start >= main_start)
                .unwrap_or(frame0);
            back_over_punct(ctx, c.t1, stop)
        } else {
            unit_end
        };
        let k = content_from(ctx, u, c, c.t1, end);
        // "…, CNN reported.": a frame closing the unit after a comma
        // reports all that comes before it.
        // The comma may close a quotation: "Trump said “…,” the Times
        // reported."
        let comma_before = |k: usize| {
            (ctx.lw(k) == "," && ctx.tq[k].is_none())
                || (k > u.t0
                    && ctx.tq[k].is_some()
                    && matches!(ctx.lw(k), "”" | "\"" | "’" | "'" | "»")
                    && ctx.lw(k - 1) == ",")
        };
        if k >= end && c.t1 > frame1 && s0 > u.t0 + 1 && comma_before(s0 - 1) {
            let ce = back_over_punct(ctx, u.t0, s0);
            if words_in(ctx, ctx.toks[u.t0].span.start, ctx.toks[ce - 1].span.end) >= 4 {
                out.push(Attribution {
                    kind: if (u.t0..ce).any(|j| ctx.tq[j].is_some()) {
                        AttributionKind::Mixed
                    } else {
                        AttributionKind::Indirect
                    },
                    source: Some(ctx.part(s0, s1)),
                    speaker: None,
                    speaker_mention: None,
                    relayed_by: None,
                    cue: Some(ctx.part(c.t0, c.t1)),
                    content: vec![ctx.part(u.t0, ce)],
                    work: None,
                    rule: "closing_frame",
                    confidence: 0.5,
                });
            }
            continue;
        }
        if k >= end || words_in(ctx, ctx.toks[k].span.start, ctx.toks[end - 1].span.end) < 2 {
            continue;
        }
        out.push(inner_attribution(
            ctx,
            u,
            (s0, s1),
            (c.t0, c.t1),
            (k, end),
            0,
            "secondary",
            0.5,
        ));
        if out.len() >= 3 {
            break;
        }
    }
    out
}

/// An attribution inside a unit: source tokens `s0..s1`, cue tokens,
/// content tokens `k..end`. A relative word ("which", "that", "what")
/// right before the source that starts at or after byte `floor` opens the
/// content ("a rule change that he said would …": PolNeAR marks it so).
#[allow(clippy::too_many_arguments)]
fn inner_attribution(
    ctx: &Ctx,
    u: &Unit,
    (s0, s1): (usize, usize),
    (c0, c1): (usize, usize),
    (k, end): (usize, usize),
    floor: usize,
    rule: &'static str,
    confidence: f32,
) -> Attribution {
    let mut content = vec![ctx.part(k, end)];
    if s0 > u.t0
        && matches!(ctx.lw(s0 - 1), "which" | "that" | "what")
        && ctx.tq[s0 - 1].is_none()
        && ctx.toks[s0 - 1].span.start >= floor
    {
        content.insert(0, ctx.part(s0 - 1, s0));
    }
    let kind = if (k..end).any(|j| ctx.tq[j].is_some()) {
        AttributionKind::Mixed
    } else {
        AttributionKind::Indirect
    };
    Attribution {
        kind,
        source: Some(ctx.part(s0, s1)),
        speaker: None,
        speaker_mention: None,
        relayed_by: None,
        cue: Some(ctx.part(c0, c1)),
        content,
        work: None,
        rule,
        confidence,
    }
}

/// Attributions whose cue is a word of [`lexicon::NESTED_CUES`] (or a
/// speech or thought verb no rule took) inside the content of an
/// attribution already found: the subject before the word, inside that
/// content, is the source; the rest of the content piece after it the
/// content.
fn nested<'b>(
    ctx: &Ctx,
    u: &Unit,
    containers: impl Iterator<Item = &'b Attribution>,
) -> Vec<Attribution> {
    let containers: Vec<&Attribution> = containers.collect();
    let parts: Vec<(usize, usize)> = containers
        .iter()
        .flat_map(|a| a.content.iter().map(|p| (p.span.start, p.span.end)))
        .collect();
    let used: Vec<(usize, usize)> = containers
        .iter()
        .filter_map(|a| a.cue.as_ref().map(|p| (p.span.start, p.span.end)))
        .collect();
    let mut out = Vec::new();
    if parts.is_empty() {
        return out;
    }
    // Only the tokens inside the containers' contents are looked at.
    let lo = parts.iter().map(|p| p.0).min().unwrap_or(0);
    let hi = parts.iter().map(|p| p.1).max().unwrap_or(0);
    let i0 = ctx
        .toks
        .partition_point(|t| t.span.start < lo)
        .max(u.t0 + 1);
    let i1 = ctx.toks.partition_point(|t| t.span.start < hi).min(u.t1);
    for i in i0..i1 {
        if ctx.tq[i].is_some() || ctx.is_punct(i) {
            continue;
        }
        let w = ctx.lw(i);
        // Speech and thought verbs no rule took as a cue count as well.
        // (Not participles: "emailed supporters saying …" is the
        // senator's.)
        let known = CUE_MAP
            .get(w)
            .is_some_and(|c| matches!(c, CueClass::Speech | CueClass::Thought))
            && !w.ends_with("ing");
        if !(known || lexicon::NESTED_SET.contains(w)) || anonymity_request(ctx, u, i) {
            continue;
        }
        let (ts, te) = (ctx.toks[i].span.start, ctx.toks[i].span.end);
        if used.iter().any(|&(a, b)| a < te && ts < b) {
            continue;
        }
        let prev = ctx.lw(i - 1);
        // "the proposed plan", "Clinton’s proposed tax", "to propose".
        if TRUE_DETERMINERS.contains(&prev) || matches!(prev, "’s" | "'s" | "to" | "’" | "'") {
            continue;
        }
        if i + 1 >= u.t1 || (ctx.is_punct(i + 1) && ctx.tq[i + 1].is_none()) {
            continue;
        }
        // The tightest content piece holding the word.
        let Some(&(p0, p1)) = parts
            .iter()
            .filter(|&&(a, b)| a <= ts && te <= b)
            .min_by_key(|&&(a, b)| b - a)
        else {
            continue;
        };
        let cue = Cue {
            t0: prefix_start(ctx, u, i),
            t1: i + 1,
            verb: i,
            class: CueClass::Speech,
            according: false,
        };
        let Some((s0, s1)) = source_back(ctx, u, &cue) else {
            continue;
        };
        if !source_shape_ok(ctx, (s0, s1)) || ctx.toks[s0].span.start < p0 {
            continue;
        }
        let end = ctx.toks.partition_point(|t| t.span.start < p1).min(u.t1);
        let end = back_over_punct(ctx, cue.t1, end);
        let k = content_from(ctx, u, &cue, cue.t1, end);
        if k >= end
            || ctx.tq[k].is_some()
            || words_in(ctx, ctx.toks[k].span.start, ctx.toks[end - 1].span.end) < 2
        {
            continue;
        }
        // The container's own "that" is its complementizer ("told reporters
        // that the union supported …"), not a relative word: the relative
        // word must start after the container's content does.
        out.push(inner_attribution(
            ctx,
            u,
            (s0, s1),
            (cue.t0, cue.t1),
            (k, end),
            p0 + 1,
            "nested",
            0.4,
        ));
    }
    out
}

/// "X states:" followed by a paragraph: that paragraph is X's.
fn block(
    ctx: &Ctx,
    u: &Unit,
    cues: &[Cue],
    raw: &[RawQuote],
    top: &[usize],
    f: &mut Found,
    skip_para: &mut [bool],
) -> Option<usize> {
    let doc = ctx.doc;
    let paras = &doc.segments.paragraphs;
    let next = u.para + 1;
    let np = paras.get(next)?;
    if doc
        .segments
        .sentences
        .iter()
        .filter(|s| s.paragraph == next)
        .map(|s| s.tokens.len())
        .sum::<usize>()
        < 5
    {
        return None;
    }
    // The colon line's cue: the last one, any class (the colon licenses it).
    let colon_tok = (u.t0..u.t1).rev().find(|&k| ctx.lw(k) == ":")?;
    let (cue, src) = cues
        .iter()
        .rev()
        .filter_map(|c| {
            let s = if c.according {
                source_fwd_long(ctx, u, c.t1)
            } else {
                source_back(ctx, u, c).or_else(|| source_fwd(ctx, u, c.t1))
            };
            s.map(|s| (*c, Some(s)))
        })
        .next()
        .or_else(|| {
            // No verb: a source noun before the colon ("the press release ...:").
            let n = (u.t0..colon_tok).find(|&k| {
                ctx.tq[k].is_none()
                    && super::lexicon::SOURCE_NOUNS
                        .iter()
                        .any(|(w, _)| *w == ctx.lw(k))
            })?;
            let mut s = n;
            while s > u.t0
                && !ctx.is_punct(s - 1)
                && !matches!(ctx.lw(s - 1), "of" | "in" | "from")
                && n - s < 6
            {
                s -= 1;
            }
            Some((Cue::quote_only(colon_tok, 1), Some((s, n + 1))))
        })?;
    let (s0, s1) = src?;
    // Content: the quotation opening the next paragraph (and its
    // continuations), else the whole unquoted paragraph.
    let first_q = top.iter().copied().find(|&q| raw[q].start == np.start);
    let mut content = Vec::new();
    let idx = f.attributions.len();
    let mut quoted = Vec::new();
    if let Some(q) = first_q {
        let mut q = q;
        loop {
            content.push(Part::new(doc, raw[q].start, raw[q].end));
            quoted.push(q);
            if !raw[q].continues {
                break;
            }
            match top.iter().copied().find(|&n| raw[n].start > raw[q].end) {
                Some(n) => q = n,
                None => break,
            }
        }
        // The rest of a paragraph that is all quotation is consumed too.
        let last = *quoted.last().unwrap();
        let lp = doc
            .segments
            .sentence_at(raw[last].start)
            .map(|s| doc.segments.sentences[s].paragraph);
        for (p, sp) in skip_para.iter_mut().enumerate().skip(next) {
            if Some(p) > lp {
                break;
            }
            if raw[last].end >= paras[p].end || p < lp.unwrap_or(0) {
                *sp = true;
            }
        }
    } else {
        let pt = &doc.text[np.range()];
        if pt.trim_end().ends_with('?') {
            return None;
        }
        content.push(Part::new(doc, np.start, np.end));
        f.blocks.push((np.start, np.end, idx));
        skip_para[next] = true;
    }
    for &q in &quoted {
        f.quote_att[q] = Some(idx);
    }
    let relay_at =
        (u.t0..s0).find(|&k| matches!(ctx.lw(k), "quoting" | "citing") && ctx.tq[k].is_none());
    let (source, relayed_by, rule) = match relay_at {
        Some(q) => {
            let mut e = q + 1;
            while e < s0 && ctx.lw(e) != "," {
                e += 1;
            }
            (ctx.part(q + 1, e), Some(ctx.part(s0, s1)), "quoting")
        }
        None => (ctx.part(s0, s1), None, "block"),
    };
    let cue_end = if cue.t1 < u.t1 && ctx.lw(cue.t1) == ":" {
        cue.t1 + 1
    } else {
        cue.t1
    };
    f.attributions.push(Attribution {
        kind: AttributionKind::Direct,
        source: Some(source),
        speaker: None,
        speaker_mention: None,
        relayed_by,
        cue: Some(ctx.part(cue.t0, cue_end)),
        content,
        work: None,
        rule,
        confidence: if first_q.is_some() { 0.85 } else { 0.7 },
    });
    Some(idx)
}

/// "Pat Caddell: Democrat Voters Worried ..." at the start of a paragraph.
fn headline_colon(ctx: &Ctx, u: &Unit) -> Option<Attribution> {
    let p = ctx.doc.segments.paragraphs[u.para];
    if u.start != p.start {
        return None;
    }
    let colon = (u.t0..(u.t0 + 5).min(u.t1)).find(|&k| ctx.lw(k) == ":")?;
    if colon < u.t0 + 1 || colon + 2 >= u.t1 {
        return None;
    }
    if !(u.t0..colon).all(|k| ctx.is_cap(k) && !ctx.is_punct(k))
        || (u.t0..colon).any(|k| {
            matches!(
                ctx.lw(k),
                "photo"
                    | "credit"
                    | "source"
                    | "update"
                    | "note"
                    | "editor"
                    | "image"
                    | "video"
                    | "watch"
                    | "related"
                    | "read"
                    | "sources"
                    | "photos"
                    | "caption"
                    | "warning"
                    | "breaking"
                    | "exclusive"
                    | "analysis"
                    | "opinion"
                    | "correction"
                    | "q"
                    | "a"
            )
        })
    {
        return None;
    }
    let end = content_end(ctx, u);
    let end = if ctx.tq[u.t1 - 1].is_some() {
        u.t1
    } else {
        end
    };
    Some(Attribution {
        kind: AttributionKind::Indirect,
        source: Some(ctx.part(u.t0, colon)),
        speaker: None,
        speaker_mention: None,
        relayed_by: None,
        cue: Some(ctx.part(colon, colon + 1)),
        content: vec![ctx.part(colon + 1, end)],
        work: None,
        rule: "headline_colon",
        confidence: 0.5,
    })
}

/// Labels every quotation: speech, partial, block, scare quotes or a title.
pub fn classify_quotes(doc: &Document, raw: &[RawQuote], f: &Found) -> Vec<Quote> {
    let mut out = Vec::new();
    let top_of = |i: usize| -> Option<usize> {
        (0..i).rev().find(|&j| {
            raw[j].depth == 0 && raw[j].start <= raw[i].start && raw[i].end <= raw[j].end
        })
    };
    for (i, q) in raw.iter().enumerate() {
        let inner = &doc.text[q.inner_start..q.inner_end];
        let att = if q.depth == 0 {
            f.quote_att[i]
        } else {
            top_of(i).and_then(|t| f.quote_att[t])
        };
        let att = att.or_else(|| {
            // A partial quote inside an indirect content.
            f.attributions.iter().position(|a| {
                a.content
                    .iter()
                    .any(|c| c.span.start <= q.start && q.end <= c.span.end)
            })
        });
        let words = inner.split_whitespace().count();
        let has_terminal = inner
            .trim_end_matches(['”', '"', '’', '\''])
            .trim_end()
            .chars()
            .any(|c| matches!(c, '.' | '!' | '?'));
        let (kind, conf) = if f.title[i] {
            (QuoteKind::Title, 0.7)
        } else if let Some(a) = att {
            let a = &f.attributions[a];
            let exact = a
                .content
                .iter()
                .any(|c| c.span.start == q.start && c.span.end == q.end);
            if q.depth > 0 {
                (QuoteKind::Speech, 0.6)
            } else if exact && (a.rule == "block" || a.rule == "quoting") {
                (QuoteKind::Block, 0.85)
            } else if exact {
                (QuoteKind::Speech, 0.9)
            } else {
                (QuoteKind::Partial, 0.8)
            }
        } else if words <= 4 && !has_terminal {
            (QuoteKind::Scare, 0.7)
        } else {
            (QuoteKind::Speech, 0.6)
        };
        let span = doc.span(q.start, q.end);
        out.push(Quote {
            span,
            text: doc.slice(&span).to_string(),
            kind,
            marks: q.marks,
            depth: q.depth,
            closed: q.closed,
            attribution: att,
            confidence: if q.closed { conf } else { conf * 0.7 },
        });
    }
    for &(s, e, a) in &f.blocks {
        let span = doc.span(s, e);
        out.push(Quote {
            span,
            text: doc.slice(&span).to_string(),
            kind: QuoteKind::Block,
            marks: "none",
            depth: 0,
            closed: true,
            attribution: Some(a),
            confidence: 0.7,
        });
    }
    out.sort_by(|a, b| {
        a.span
            .start
            .cmp(&b.span.start)
            .then(b.span.end.cmp(&a.span.end))
    });
    out
}
