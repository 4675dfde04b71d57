//! Amounts, percentages, fractions, counts and measures.
//!
//! A small tokenizer (words, numbers, symbols, punctuation, each with its
//! byte range and whether whitespace precedes it) feeds a left-to-right
//! scanner: `[qualifier] [currency] number [scale] [unit | percent |
//! currency word] [per-period] [of] [counted noun phrase]`. Numbers are
//! digits (`635,000`, `3.8`) or number words (`two million`, `a dozen`,
//! `five hundred billion`); fractions are `one-third`, `two-thirds`,
//! `a quarter`, `half of`.

use parallax_core::{Document, Span};
use serde::Serialize;

/// One quantity.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Quantity {
    /// Qualifier (if any) through unit: `over 40 percent`, `$3.8 billion`.
    pub span: Span,
    pub text: String,
    /// `money`, `percent`, `fraction`, `measure` or `count`.
    pub kind: &'static str,
    /// The number, scaled: `$3.8 billion` -> 3.8e9, `one-third` -> 0.333..,
    /// `40 percent` -> 40.
    pub value: f64,
    /// `%`, `percentage points`, or a measure unit (`tons`, `years`, `miles`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// ISO 4217 code for money (`$` is read as USD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<&'static str>,
    /// The qualifier as written: `over`, `more than`, `almost`, `about`, `up to`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<String>,
    /// The qualifier as a relation to `value`: `>`, `>=`, `<`, `<=`, `~`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparator: Option<&'static str>,
    /// Period for rates: `$500 million annually` -> `year`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per: Option<&'static str>,
    /// What is counted, when the text says it: `bombs` in
    /// `635,000 tons of bombs`, `men, women, and children`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counted: Option<Counted>,
    /// How the number was written: `digits`, `words`, `digits+scale`.
    pub cue: &'static str,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Counted {
    pub span: Span,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum K {
    Word,
    Num,
    Sym,
    Punct,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    s: usize,
    e: usize,
    k: K,
    /// Whitespace before this token.
    gap: bool,
}

fn tokenize(text: &str) -> Vec<Tok> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut gap = true;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap();
        let cl = c.len_utf8();
        if c.is_whitespace() {
            gap = true;
            i += cl;
            continue;
        }
        let st = i;
        let k = if c.is_ascii_digit() {
            // 635,000 / 3.8 / 1,000,000.50
            i += 1;
            while i < b.len() {
                if b[i].is_ascii_digit()
                    || ((b[i] == b',' || b[i] == b'.')
                        && i + 1 < b.len()
                        && b[i + 1].is_ascii_digit())
                {
                    i += 1;
                } else {
                    break;
                }
            }
            K::Num
        } else if c.is_alphabetic() {
            i += cl;
            while i < text.len() {
                let d = text[i..].chars().next().unwrap();
                if d.is_alphabetic()
                    || ((d == '\'' || d == '’')
                        && text[i + d.len_utf8()..]
                            .chars()
                            .next()
                            .is_some_and(|x| x.is_alphabetic()))
                {
                    i += d.len_utf8();
                } else {
                    break;
                }
            }
            K::Word
        } else if matches!(c, '$' | '€' | '£' | '¥' | '₪' | '%' | '₩') {
            i += cl;
            K::Sym
        } else {
            i += cl;
            K::Punct
        };
        out.push(Tok {
            s: st,
            e: i,
            k,
            gap,
        });
        gap = false;
    }
    out
}

fn small(w: &str) -> Option<f64> {
    let v = match w {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        _ => return None,
    };
    Some(v as f64)
}

fn tens(w: &str) -> Option<f64> {
    let v = match w {
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    };
    Some(v as f64)
}

fn scale(w: &str) -> Option<f64> {
    match w {
        "thousand" => Some(1e3),
        "million" | "mn" => Some(1e6),
        "billion" | "bn" => Some(1e9),
        "trillion" | "tn" => Some(1e12),
        _ => None,
    }
}

/// Denominator of a fraction word: third(s) -> 3, quarter(s) -> 4, half -> 2.
fn denominator(w: &str) -> Option<f64> {
    let v = match w {
        "half" | "halves" => 2,
        "third" | "thirds" => 3,
        "quarter" | "quarters" | "fourth" | "fourths" => 4,
        "fifth" | "fifths" => 5,
        "sixth" | "sixths" => 6,
        "seventh" | "sevenths" => 7,
        "eighth" | "eighths" => 8,
        "ninth" | "ninths" => 9,
        "tenth" | "tenths" => 10,
        _ => return None,
    };
    Some(v as f64)
}

/// Qualifiers before a number: (words, comparator).
const QUALIFIERS: &[(&[&str], &str)] = &[
    (&["more", "than"], ">"),
    (&["greater", "than"], ">"),
    (&["well", "over"], ">"),
    (&["just", "over"], ">"),
    (&["upwards", "of"], ">"),
    (&["in", "excess", "of"], ">"),
    (&["over"], ">"),
    (&["above"], ">"),
    (&["exceeding"], ">"),
    (&["at", "least"], ">="),
    (&["no", "fewer", "than"], ">="),
    (&["no", "less", "than"], ">="),
    (&["less", "than"], "<"),
    (&["fewer", "than"], "<"),
    (&["just", "under"], "<"),
    (&["under"], "<"),
    (&["below"], "<"),
    (&["almost"], "<"),
    (&["nearly"], "<"),
    (&["up", "to"], "<="),
    (&["at", "most"], "<="),
    (&["no", "more", "than"], "<="),
    (&["as", "many", "as"], "<="),
    (&["as", "much", "as"], "<="),
    (&["about"], "~"),
    (&["around"], "~"),
    (&["approximately"], "~"),
    (&["roughly"], "~"),
    (&["some"], "~"),
    (&["close", "to"], "~"),
    (&["an", "estimated"], "~"),
    (&["estimated"], "~"),
    (&["nearly"], "<"),
    (&["exactly"], "="),
    (&["only"], "="),
];

const CURRENCY_WORDS: &[(&str, &str)] = &[
    ("dollars", "USD"),
    ("dollar", "USD"),
    ("euros", "EUR"),
    ("euro", "EUR"),
    ("pounds", "GBP"),
    ("sterling", "GBP"),
    ("yen", "JPY"),
    ("yuan", "CNY"),
    ("shekels", "ILS"),
    ("rubles", "RUB"),
    ("roubles", "RUB"),
    ("won", "KRW"),
    ("rupees", "INR"),
];

const UNITS: &[&str] = &[
    "ton",
    "tons",
    "tonnes",
    "tonne",
    "kilograms",
    "kilogram",
    "kg",
    "grams",
    "gram",
    "kilometers",
    "kilometres",
    "kilometer",
    "kilometre",
    "km",
    "miles",
    "mile",
    "meters",
    "metres",
    "meter",
    "metre",
    "feet",
    "foot",
    "inches",
    "acres",
    "hectares",
    "barrels",
    "gallons",
    "liters",
    "litres",
    "years",
    "year",
    "months",
    "month",
    "weeks",
    "week",
    "days",
    "day",
    "hours",
    "hour",
    "minutes",
    "minute",
    "seconds",
    "decades",
    "decade",
    "centuries",
    "century",
    "degrees",
    "megawatts",
    "gigawatts",
    "times",
];

/// Words that end a counted noun phrase.
const STOP: &[&str] = &[
    "the", "a", "an", "to", "in", "on", "at", "for", "from", "by", "with", "of", "and", "or",
    "but", "were", "was", "are", "is", "be", "been", "being", "have", "has", "had", "will",
    "would", "could", "should", "can", "may", "might", "must", "who", "whom", "whose", "that",
    "which", "this", "these", "those", "than", "as", "into", "per", "each", "every", "while",
    "since", "until", "after", "before", "during", "because", "if", "when", "where", "it", "its",
    "their", "they", "them", "he", "she", "his", "her", "we", "our", "you", "your", "i", "my",
    "not", "no", "so", "also", "more", "less", "over", "under", "about", "around", "annually",
    "yearly", "alone", "ago", "later", "earlier", "did", "do", "does", "all", "both", "out", "up",
    "down", "now", "then", "there", "here", "say", "says", "said",
    // Common verbs right after a counted noun ("3,000 people died").
    "fled", "came", "went", "live", "lost", "left", "fell", "rose", "got", "make", "made", "need",
    "face", "remain", "receive", "go", "come", "get", "take", "took", "see", "saw", "flee", "die",
    "work", "stay", "still", "already", "just",
];

fn lower(text: &str, t: &Tok) -> String {
    text[t.s..t.e].to_lowercase()
}

struct Num {
    value: f64,
    /// Index one past the last token of the number.
    end: usize,
    words: bool,
}

/// Number words starting at token `i`: "two million", "a dozen",
/// "five hundred billion", "twenty-two", "one hundred and twenty".
fn number_words(text: &str, toks: &[Tok], i: usize) -> Option<Num> {
    let w = |j: usize| -> Option<String> {
        toks.get(j)
            .filter(|t| t.k == K::Word)
            .map(|t| lower(text, t))
    };
    let mut j = i;
    let mut total = 0f64;
    let mut cur = 0f64;
    let mut any = false;
    let mut last_end = i;
    // "a"/"an" stands for one only before hundred/thousand/million/dozen.
    if matches!(w(j).as_deref(), Some("a" | "an")) {
        match w(j + 1).as_deref() {
            Some("hundred" | "thousand" | "million" | "billion" | "trillion" | "dozen") => {
                cur = 1.0;
                j += 1;
            }
            _ => return None,
        }
    }
    while let Some(x) = w(j) {
        if let Some(v) = small(&x) {
            if any && cur % 100.0 != 0.0 {
                break;
            }
            cur += v;
        } else if let Some(v) = tens(&x) {
            if any && cur % 100.0 != 0.0 {
                break;
            }
            cur += v;
            // twenty-two
            if toks
                .get(j + 1)
                .is_some_and(|t| &text[t.s..t.e] == "-" && !t.gap)
            {
                if let Some(u) = w(j + 2).as_deref().and_then(small).filter(|u| *u < 10.0) {
                    if !toks[j + 2].gap {
                        cur += u;
                        j += 2;
                    }
                }
            }
        } else if x == "hundred" {
            cur = cur.max(1.0) * 100.0;
        } else if x == "dozen" {
            cur = cur.max(1.0) * 12.0;
        } else if let Some(s) = scale(&x).filter(|_| x != "mn" && x != "bn" && x != "tn") {
            total += cur.max(1.0) * s;
            cur = 0.0;
        } else if x == "and"
            && any
            && cur >= 100.0
            && w(j + 1)
                .as_deref()
                .is_some_and(|y| small(y).is_some() || tens(y).is_some())
        {
            // "one hundred and twenty"
        } else {
            break;
        }
        any = true;
        j += 1;
        last_end = j;
    }
    if !any {
        return None;
    }
    let value = total + cur;
    // A lone "one" is an article more often than a count.
    if last_end == i + 1 && value == 1.0 {
        return None;
    }
    Some(Num {
        value,
        end: last_end,
        words: true,
    })
}

fn parse_digits(s: &str) -> Option<f64> {
    s.replace(',', "").parse().ok()
}

/// Finds the quantities of a document. `skip` holds byte ranges (dates)
/// whose numbers are not quantities.
pub fn find(doc: &Document, skip: &[(usize, usize)]) -> Vec<Quantity> {
    let text = &doc.text;
    let toks = tokenize(text);
    let in_skip = |t: &Tok| skip.iter().any(|&(s, e)| t.s < e && s < t.e);
    let tx = |t: &Tok| &text[t.s..t.e];
    let lw = |j: usize| -> String { toks.get(j).map(|t| lower(text, t)).unwrap_or_default() };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        if in_skip(&t) {
            i += 1;
            continue;
        }
        // Start of the number proper (after an optional currency symbol).
        let mut start = i;
        let mut currency: Option<&'static str> = None;
        let mut j = i;
        if t.k == K::Sym
            || (t.k == K::Word
                && tx(&t) == "US"
                && toks.get(i + 1).is_some_and(|n| tx(n) == "$" && !n.gap))
        {
            if tx(&t) == "US" {
                j += 1;
            }
            let sym = tx(&toks[j]);
            currency = match sym {
                "$" => Some("USD"),
                "€" => Some("EUR"),
                "£" => Some("GBP"),
                "¥" => Some("JPY"),
                "₪" => Some("ILS"),
                "₩" => Some("KRW"),
                _ => None,
            };
            if currency.is_none() || toks.get(j + 1).is_none_or(|n| n.k != K::Num || n.gap) {
                i += 1;
                continue;
            }
            j += 1;
        }
        let mut cue = "digits";
        let mut kind = "count";
        let mut unit: Option<String> = None;
        // The number.
        let num = if toks[j].k == K::Num {
            let nt = toks[j];
            // Glued to a word or a hyphen after a word: F-16, COVID-19, G7, 38th.
            let prev = j.checked_sub(1).map(|p| toks[p]);
            let glued_before = !nt.gap
                && prev.is_some_and(|p| {
                    p.k == K::Word
                        || (tx(&p) == "-" && !p.gap && j >= 2 && toks[j - 2].k == K::Word)
                });
            let glued_after = toks.get(j + 1).is_some_and(|n| {
                !n.gap
                    && n.k == K::Word
                    && scale(&lower(text, n)).is_none()
                    && !matches!(lower(text, n).as_str(), "m" | "k")
            });
            if (glued_before && currency.is_none()) || glued_after {
                i = j + 1;
                continue;
            }
            let Some(v) = parse_digits(tx(&nt)) else {
                i = j + 1;
                continue;
            };
            let mut n = Num {
                value: v,
                end: j + 1,
                words: false,
            };
            // Scale: "3.8 billion", "$5bn", "$5m", "$5k".
            if let Some(s) = toks.get(n.end).filter(|x| x.k == K::Word).and_then(|x| {
                let w = lower(text, x);
                match (w.as_str(), x.gap) {
                    (_, true)
                        if matches!(
                            w.as_str(),
                            "thousand" | "million" | "billion" | "trillion"
                        ) =>
                    {
                        scale(&w)
                    }
                    ("bn" | "mn" | "tn", _) => scale(&w),
                    ("m", false) if currency.is_some() => Some(1e6),
                    ("k", false) if currency.is_some() => Some(1e3),
                    _ => None,
                }
            }) {
                n.value *= s;
                n.end += 1;
                cue = "digits+scale";
            }
            n
        } else if toks[j].k == K::Word {
            // Fractions: one-third, two-thirds, a quarter (of), half of.
            let w0 = lower(text, &toks[j]);
            let frac = fraction(text, &toks, j);
            if let Some((v, end)) = frac {
                let q = qualifier(text, &toks, j);
                let s0 = q.as_ref().map_or(toks[j].s, |q| q.0);
                let e0 = toks[end - 1].e;
                out.push(Quantity {
                    span: doc.span(s0, e0),
                    text: text[s0..e0].to_string(),
                    kind: "fraction",
                    value: v,
                    unit: None,
                    currency: None,
                    qualifier: q.as_ref().map(|q| q.1.clone()),
                    comparator: q.map(|q| q.2),
                    per: None,
                    counted: None,
                    cue: "words",
                });
                i = end;
                continue;
            }
            let _ = w0;
            match number_words(text, &toks, j) {
                Some(n) => {
                    cue = "words";
                    n
                }
                None => {
                    i += 1;
                    continue;
                }
            }
        } else {
            i += 1;
            continue;
        };
        if num.words && currency.is_some() {
            i += 1;
            continue;
        }
        let mut k = num.end;
        let mut value = num.value;
        // A number word glued to a hyphen and a word: "one-sided", "two-state".
        if num.words
            && toks.get(k).is_some_and(|x| tx(x) == "-" && !x.gap)
            && !toks
                .get(k + 1)
                .is_some_and(|x| UNITS.contains(&lower(text, x).as_str()))
        {
            i = k;
            continue;
        }
        // Percent / currency words / units.
        let nx = lw(k);
        if toks.get(k).is_some_and(|x| tx(x) == "%") || nx == "percent" || nx == "pct" {
            kind = "percent";
            unit = Some("%".into());
            k += 1;
        } else if nx == "per" && lw(k + 1) == "cent" {
            kind = "percent";
            unit = Some("%".into());
            k += 2;
        } else if nx == "percentage" && lw(k + 1) == "points" {
            kind = "percent";
            unit = Some("percentage points".into());
            k += 2;
        } else if currency.is_none() {
            if let Some((_, code)) = CURRENCY_WORDS.iter().find(|(w, _)| *w == nx) {
                // "five hundred billion dollars", "3 billion euros"
                if !(nx == "won" && !num.words && currency.is_none() && lw(k + 1) != "in") {
                    currency = Some(code);
                    k += 1;
                }
            } else if toks.get(k).is_some_and(|x| tx(x) == "-" && !x.gap)
                && UNITS.contains(&lw(k + 1).as_str())
                && toks.get(k + 1).is_some_and(|x| !x.gap)
            {
                // A number word and a unit both capitalized name something
                // ("the Six-Day War"): no quantity.
                let capital = |j: usize| {
                    toks.get(j)
                        .is_some_and(|x| text[x.s..x.e].starts_with(char::is_uppercase))
                };
                if num.words && capital(i) && capital(k + 1) {
                    i = k;
                    continue;
                }
                // 10-year, one-month
                kind = "measure";
                unit = Some(plural_unit(&lw(k + 1)));
                k += 2;
            } else if UNITS.contains(&nx.as_str()) {
                kind = "measure";
                unit = Some(plural_unit(&nx));
                k += 1;
            }
        }
        if currency.is_some() {
            kind = "money";
        }
        // Rate: annually, a year, per year, each year.
        let mut per = None;
        let period = |w: &str| match w {
            "year" => Some("year"),
            "month" => Some("month"),
            "week" => Some("week"),
            "day" => Some("day"),
            _ => None,
        };
        if matches!(kind, "money" | "count" | "measure") {
            let a = lw(k);
            if matches!(a.as_str(), "annually" | "yearly") {
                per = Some("year");
                k += 1;
            } else if matches!(a.as_str(), "monthly") {
                per = Some("month");
                k += 1;
            } else if matches!(a.as_str(), "a" | "per" | "each" | "every")
                && period(&lw(k + 1)).is_some()
            {
                per = period(&lw(k + 1));
                k += 2;
            }
        }
        // Qualifier before the (currency and) number.
        let q = qualifier(text, &toks, start);
        if let Some(q) = &q {
            start = toks.partition_point(|x| x.s < q.0);
        }
        // Value of a bare number with no unit after "of" scale: "two million" done.
        let end_byte = toks[k - 1].e;
        // Counted noun phrase for counts and measures.
        let counted = if matches!(kind, "count" | "measure") {
            let from = if kind == "measure" {
                (lw(k) == "of").then_some(k + 1)
            } else if lw(k) == "of" && num.words {
                // "two million of them" -> none; keep counts direct.
                None
            } else {
                Some(k)
            };
            from.and_then(|f| counted_np(text, &toks, f))
                .map(|(s, e)| Counted {
                    span: doc.span(s, e),
                    text: text[s..e].to_string(),
                })
        } else {
            None
        };
        // A bare word number with nothing counted ("two of them", "one") is noise.
        if num.words && kind == "count" && counted.is_none() && value < 1000.0 {
            i = num.end;
            continue;
        }
        if kind == "percent" && value.is_nan() {
            value = 0.0;
        }
        let s0 = toks[start].s;
        out.push(Quantity {
            span: doc.span(s0, end_byte),
            text: text[s0..end_byte].to_string(),
            kind,
            value,
            unit,
            currency,
            qualifier: q.as_ref().map(|q| q.1.clone()),
            comparator: q.map(|q| q.2),
            per,
            counted,
            cue,
        });
        i = k;
    }
    out
}

fn plural_unit(w: &str) -> String {
    match w {
        "ton" => "tons".into(),
        "tonne" => "tonnes".into(),
        "year" | "month" | "week" | "day" | "hour" | "minute" | "decade" | "mile" | "meter"
        | "metre" | "kilometer" | "kilometre" | "gram" | "kilogram" => format!("{w}s"),
        "century" => "centuries".into(),
        "foot" => "feet".into(),
        _ => w.to_string(),
    }
}

/// A qualifier ending right before token `i`: (byte start, text, comparator).
fn qualifier(text: &str, toks: &[Tok], i: usize) -> Option<(usize, String, &'static str)> {
    for (words, cmp) in QUALIFIERS {
        let n = words.len();
        if i < n {
            continue;
        }
        let ok = words
            .iter()
            .enumerate()
            .all(|(k, w)| toks[i - n + k].k == K::Word && lower(text, &toks[i - n + k]) == *w);
        if ok {
            let s = toks[i - n].s;
            let e = toks[i - 1].e;
            return Some((s, text[s..e].to_string(), cmp));
        }
    }
    None
}

/// Fraction at token `i`: (value, end token).
fn fraction(text: &str, toks: &[Tok], i: usize) -> Option<(f64, usize)> {
    let w = |j: usize| {
        toks.get(j)
            .filter(|t| t.k == K::Word)
            .map(|t| lower(text, t))
    };
    let first = w(i)?;
    // one-third, two-thirds, one third, a third of, a quarter of
    let num = match first.as_str() {
        "a" | "an" => Some(1.0),
        x => small(x).filter(|v| *v >= 1.0 && *v <= 10.0),
    };
    if let Some(n) = num {
        let mut j = i + 1;
        let hy = toks
            .get(j)
            .is_some_and(|t| &text[t.s..t.e] == "-" && !t.gap);
        if hy {
            j += 1;
        }
        if let Some(d) = w(j).as_deref().and_then(denominator) {
            // "a third" / "a quarter" need "of" after them, else "a third term".
            let plural_ok =
                n > 1.0 || !w(j).unwrap().ends_with('s') || w(j).as_deref() == Some("halves");
            let needs_of = first == "a" || first == "an" || (!hy && n == 1.0);
            if plural_ok && (!needs_of || w(j + 1).as_deref() == Some("of")) {
                // "one fifth" ok, but "one tenth" fine too; "the third" never starts here.
                return Some((n / d, j + 1));
            }
        }
    }
    // "half of", "half the"
    if first == "half" && matches!(w(i + 1).as_deref(), Some("of" | "the")) {
        let prev_is_and = i > 0 && lower(text, &toks[i - 1]) == "and";
        if !prev_is_and {
            return Some((0.5, i + 1));
        }
    }
    None
}

/// The counted noun phrase starting at token `i`, as a byte range:
/// up to four content words, or a list of them ("men, women, and children").
fn counted_np(text: &str, toks: &[Tok], i: usize) -> Option<(usize, usize)> {
    let content = |j: usize| -> bool {
        toks.get(j).is_some_and(|t| {
            let w = lower(text, t);
            t.k == K::Word
                && !STOP.contains(&w.as_str())
                && small(&w).is_none()
                && tens(&w).is_none()
                && super::dates::month_of(&w).is_none()
        })
    };
    // A past-tense verb ends the phrase unless it opens it ("armed men").
    let verb_ed = |j: usize| -> bool {
        toks.get(j).is_some_and(|t| {
            let w = lower(text, t);
            w.len() >= 4 && w.ends_with("ed") && !w.ends_with("eed")
        })
    };
    // One element: 1-4 content words joined by spaces or hyphens.
    let element = |mut j: usize| -> Option<usize> {
        let mut n = 0;
        while content(j) && n < 4 && !(n > 0 && verb_ed(j)) {
            j += 1;
            n += 1;
            // Iran-based
            while toks
                .get(j)
                .is_some_and(|t| &text[t.s..t.e] == "-" && !t.gap)
                && content(j + 1)
            {
                j += 2;
            }
        }
        (n > 0).then_some(j)
    };
    let mut end = element(i)?;
    // Lists: ", X" / ", and X" / "and X" when the list ends in and/or.
    let mut j = end;
    loop {
        let comma = toks.get(j).is_some_and(|t| &text[t.s..t.e] == ",");
        let mut k = if comma { j + 1 } else { j };
        let conj = toks
            .get(k)
            .is_some_and(|t| matches!(lower(text, t).as_str(), "and" | "or"));
        if conj {
            k += 1;
        }
        if !comma && !conj {
            break;
        }
        match element(k) {
            // A single-word element keeps the list tight ("men, women").
            Some(e) if e == k + 1 => {
                j = e;
                if conj {
                    end = e;
                    break;
                }
            }
            _ => break,
        }
    }
    Some((toks[i].s, toks[end - 1].e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Vec<Quantity> {
        let doc = Document::from_text("t", text);
        let dates: Vec<(usize, usize)> = super::super::dates::find(&doc)
            .iter()
            .map(|d| (d.span.start, d.span.end))
            .collect();
        let out = find(&doc, &dates);
        for x in &out {
            assert_eq!(doc.slice(&x.span), x.text);
            if let Some(c) = &x.counted {
                assert_eq!(doc.slice(&c.span), c.text);
            }
        }
        out
    }

    /// (text, mention, kind, value, unit, currency, comparator, counted)
    type Case = (
        &'static str,
        &'static str,
        &'static str,
        f64,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );

    #[test]
    fn table_of_cases() {
        let cases: &[Case] = &[
            (
                "or around $3.8 billion. The",
                "around $3.8 billion",
                "money",
                3.8e9,
                None,
                Some("USD"),
                Some("~"),
                None,
            ),
            (
                "to over 40 percent of",
                "over 40 percent",
                "percent",
                40.0,
                Some("%"),
                None,
                Some(">"),
                None,
            ),
            (
                "majority—over 99% to be",
                "over 99%",
                "percent",
                99.0,
                Some("%"),
                None,
                Some(">"),
                None,
            ),
            (
                "to 40 countries, one-third of",
                "40",
                "count",
                40.0,
                None,
                None,
                None,
                Some("countries"),
            ),
            (
                "dropping over 635,000 tons of bombs on",
                "over 635,000 tons",
                "measure",
                635000.0,
                Some("tons"),
                None,
                Some(">"),
                Some("bombs"),
            ),
            (
                "gulags. Around 120,000 men, women, and children are",
                "Around 120,000",
                "count",
                120000.0,
                None,
                None,
                Some("~"),
                Some("men, women, and children"),
            ),
            (
                "has 0.11 percent of the world",
                "0.11 percent",
                "percent",
                0.11,
                Some("%"),
                None,
                None,
                None,
            ),
            (
                "an additional $14.3 billion in aid",
                "$14.3 billion",
                "money",
                14.3e9,
                None,
                Some("USD"),
                None,
                None,
            ),
            (
                "there are two million people",
                "two million",
                "count",
                2e6,
                None,
                None,
                None,
                Some("people"),
            ),
            (
                "a dozen soldiers were",
                "a dozen",
                "count",
                12.0,
                None,
                None,
                None,
                Some("soldiers"),
            ),
            (
                "almost 3,000 people died",
                "almost 3,000",
                "count",
                3000.0,
                None,
                None,
                Some("<"),
                Some("people"),
            ),
            (
                "more than 500 students came",
                "more than 500",
                "count",
                500.0,
                None,
                None,
                Some(">"),
                Some("students"),
            ),
            (
                "up to $3.8 billion annually.",
                "up to $3.8 billion annually",
                "money",
                3.8e9,
                None,
                Some("USD"),
                Some("<="),
                None,
            ),
            (
                "about 12 percent",
                "about 12 percent",
                "percent",
                12.0,
                Some("%"),
                None,
                Some("~"),
                None,
            ),
            (
                "the $1.7 trillion budget",
                "$1.7 trillion",
                "money",
                1.7e12,
                None,
                Some("USD"),
                None,
                None,
            ),
            (
                "five hundred billion dollars.",
                "five hundred billion dollars",
                "money",
                5e11,
                None,
                Some("USD"),
                None,
                None,
            ),
            (
                "The new 10-year security",
                "10-year",
                "measure",
                10.0,
                Some("years"),
                None,
                None,
                None,
            ),
            (
                "Six-day operations began.",
                "Six-day",
                "measure",
                6.0,
                Some("days"),
                None,
                None,
                None,
            ),
            (
                "32,557 tons of napalm",
                "32,557 tons",
                "measure",
                32557.0,
                Some("tons"),
                None,
                None,
                Some("napalm"),
            ),
            (
                "rose 3 percentage points",
                "3 percentage points",
                "percent",
                3.0,
                Some("percentage points"),
                None,
                None,
                None,
            ),
            (
                "some €20 million to",
                "some €20 million",
                "money",
                2e7,
                None,
                Some("EUR"),
                Some("~"),
                None,
            ),
            (
                "twenty-two years ago",
                "twenty-two years",
                "measure",
                22.0,
                Some("years"),
                None,
                None,
                None,
            ),
            (
                "a 5 per cent rise",
                "5 per cent",
                "percent",
                5.0,
                Some("%"),
                None,
                None,
                None,
            ),
            (
                "140 million poor people in",
                "140 million",
                "count",
                1.4e8,
                None,
                None,
                None,
                Some("poor people"),
            ),
            (
                "over 1,000 Iran-based North Korean troops",
                "over 1,000",
                "count",
                1000.0,
                None,
                None,
                Some(">"),
                Some("Iran-based North Korean troops"),
            ),
            (
                "two-thirds of voters",
                "two-thirds",
                "fraction",
                2.0 / 3.0,
                None,
                None,
                None,
                None,
            ),
            (
                "half of the money",
                "half",
                "fraction",
                0.5,
                None,
                None,
                None,
                None,
            ),
            (
                "a quarter of them",
                "a quarter",
                "fraction",
                0.25,
                None,
                None,
                None,
                None,
            ),
            (
                "one hundred and twenty soldiers",
                "one hundred and twenty",
                "count",
                120.0,
                None,
                None,
                None,
                Some("soldiers"),
            ),
        ];
        for (text, mention, kind, value, unit, currency, cmp, counted) in cases {
            let got = q(text);
            let x = got
                .iter()
                .find(|x| x.text == *mention)
                .unwrap_or_else(|| panic!("{mention:?} not found in {text:?}: {got:#?}"));
            assert_eq!(x.kind, *kind, "{text}");
            assert!(
                (x.value - value).abs() <= value.abs() * 1e-9,
                "{text}: {}",
                x.value
            );
            assert_eq!(x.unit.as_deref(), *unit, "{text}");
            assert_eq!(x.currency, *currency, "{text}");
            assert_eq!(x.comparator, *cmp, "{text}");
            assert_eq!(
                x.counted.as_ref().map(|c| c.text.as_str()),
                *counted,
                "{text}"
            );
        }
    }

    #[test]
    fn one_third_is_a_fraction() {
        let got =
            q("Pre-COVID, 100,000 workers were dispatched to 40 countries, one-third of them");
        let texts: Vec<&str> = got.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(texts, ["100,000", "40", "one-third"]);
        assert!((got[2].value - 0.333).abs() < 0.001);
        assert_eq!(got[0].counted.as_ref().unwrap().text, "workers");
        assert_eq!(got[0].qualifier, None);
    }

    #[test]
    fn per_period() {
        let got = q("also guarantees $500 million annually and 20 tons a year");
        assert_eq!(got[0].per, Some("year"));
        assert_eq!(got[1].per, Some("year"));
        assert_eq!(got[0].value, 5e8);
    }

    #[test]
    fn not_quantities() {
        for text in [
            "COVID-19 is over.",
            "The F-16 flew.",
            "the 38th parallel",
            "one of them said",
            "a one-sided story",
            "On October 7, 2023 they came.",
            "in 1948 the state",
            "the G7 summit",
            "Someone said no.",
            "a third term",
            "during the Six-Day War against Israel",
        ] {
            let got = q(text);
            assert!(got.is_empty(), "{text}: {got:#?}");
        }
    }
}
