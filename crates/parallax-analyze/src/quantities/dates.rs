//! Dates, years and decades, normalized to ISO 8601 where possible.
//!
//! | text                     | value        | granularity |
//! |--------------------------|--------------|-------------|
//! | `May 24, 1984`           | `1984-05-24` | day         |
//! | `24 May 1984`            | `1984-05-24` | day         |
//! | `September 2022`         | `2022-09`    | month       |
//! | `November 2` (no year)   | `--11-02`    | day (year unknown), or `2023-11-02` resolved from `published` |
//! | `March 1 this year`      | `--03-01`, or the published year |
//! | `in October`             | `--10`       | month (year unknown) |
//! | `1948`                   | `1948`       | year        |
//! | `the 1970s`, `the '80s`  | `197X`, `198X` | decade (ISO 8601-2 / EDTF notation) |
//! | `2023-10-12`, `10/12/2023` | `2023-10-12` | day      |
//!
//! A date without a year is resolved against the document's published date
//! when there is one: same year, or the year before when the date would
//! otherwise fall after publication ("December 20" in an article of January 5).

use once_cell::sync::Lazy;
use parallax_core::{Document, Span};
use regex::Regex;
use serde::Serialize;

/// One date mention.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct DateMention {
    pub span: Span,
    pub text: String,
    /// ISO 8601 (`1984-05-24`, `2022-09`, `1948`), `--MM-DD` / `--MM` when
    /// the year is unknown, `197X` for a decade.
    pub value: String,
    /// `day`, `month`, `year` or `decade`.
    pub granularity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub day: Option<u32>,
    /// Set when the year was not in the mention: `published` (taken from
    /// the document's published date) or `unresolved`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year_from: Option<&'static str>,
    /// The rule that matched (`month-day-year`, `year`, `decade`, ...).
    pub rule: &'static str,
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

pub fn month_of(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.').to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == w).map(|(_, m)| *m)
}

const MONTH_RE: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)";

struct Rules {
    mdy: Regex,
    dmy: Regex,
    my: Regex,
    md: Regex,
    dm: Regex,
    m_only: Regex,
    iso: Regex,
    us: Regex,
    decade: Regex,
    year: Regex,
}

static RULES: Lazy<Rules> = Lazy::new(|| {
    let m = MONTH_RE;
    let re = |s: String| Regex::new(&s).expect("valid date regex");
    Rules {
        // May 24, 1984 / October 16, 1986, / Oct. 7th 2023
        mdy: re(format!(
            r"\b(?P<m>{m})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>1\d{{3}}|20\d\d)\b"
        )),
        // 24 May 1984
        dmy: re(format!(
            r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{m})\s*,?\s+(?P<y>1\d{{3}}|20\d\d)\b"
        )),
        // September 2022 / August of 1948
        my: re(format!(
            r"\b(?P<m>{m})\s+(?:of\s+)?(?P<y>1\d{{3}}|20\d\d)\b"
        )),
        // November 2 / March 1 this year / October 7th
        md: re(format!(
            r"\b(?P<m>{m})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?P<rel>\s+(?:this|last|next)\s+year)?"
        )),
        // 2 November
        dm: re(format!(
            r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{m})"
        )),
        // in October / since March (a preposition keeps "May I" out)
        m_only: re(format!(
            r"\b(?:in|since|by|until|till|during|last|next|this|early|late|mid-|from|through)\s+(?P<m>{m})\b(?P<rel>\s+(?:this|last|next)\s+year)?"
        )),
        iso: re(r"\b(?P<y>1\d{3}|20\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b".into()),
        us: re(
            r"\b(?P<m>0?[1-9]|1[0-2])/(?P<d>0?[1-9]|[12]\d|3[01])/(?P<y>1\d{3}|20\d\d)\b".into(),
        ),
        // the 1970s / mid-1980s / the '80s
        decade: re(r"(?:\b(?P<c>1[5-9]|20)(?P<d>\d)0|['’](?P<s>\d)0)s\b".into()),
        year: re(r"\b(?P<y>1[5-9]\d\d|20\d\d)\b".into()),
    }
});

fn valid_day(m: u32, d: u32) -> bool {
    let max = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (1..=12).contains(&m) && d >= 1 && d <= max[(m - 1) as usize]
}

/// Year, month, day of a published date such as `2023-11-10`, `2023-11`,
/// `2023`, or an RFC 3339 timestamp.
pub fn parse_published(p: &str) -> Option<(i32, u32, u32)> {
    let p = p.trim();
    let y: i32 = p.get(0..4)?.parse().ok()?;
    let m: u32 = p.get(5..7).and_then(|s| s.parse().ok()).unwrap_or(12);
    let d: u32 = p.get(8..10).and_then(|s| s.parse().ok()).unwrap_or(31);
    Some((y, m, d))
}

struct Found {
    s: usize,
    e: usize,
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    decade: bool,
    rule: &'static str,
}

/// Finds the dates of a document, in text order, without overlaps.
pub fn find(doc: &Document) -> Vec<DateMention> {
    find_in(doc, doc.meta.published.as_deref())
}

fn find_in(doc: &Document, published: Option<&str>) -> Vec<DateMention> {
    let text = &doc.text;
    let r = &*RULES;
    let mut found: Vec<Found> = Vec::new();
    let taken = |found: &Vec<Found>, s: usize, e: usize| found.iter().any(|f| s < f.e && f.s < e);
    let num = |c: &regex::Captures, k: &str| -> Option<u32> { c.name(k)?.as_str().parse().ok() };

    // Most specific first; later rules skip text already taken.
    let full: [(&Regex, &'static str); 4] = [
        (&r.iso, "iso"),
        (&r.us, "m/d/y"),
        (&r.mdy, "month-day-year"),
        (&r.dmy, "day-month-year"),
    ];
    for (re, rule) in full {
        for c in re.captures_iter(text) {
            let all = c.get(0).unwrap();
            let m = c
                .name("m")
                .and_then(|m| month_of(m.as_str()).or_else(|| m.as_str().parse().ok()));
            let (Some(m), Some(d)) = (m, num(&c, "d")) else {
                continue;
            };
            if !valid_day(m, d) || taken(&found, all.start(), all.end()) {
                continue;
            }
            found.push(Found {
                s: all.start(),
                e: all.end(),
                year: num(&c, "y").map(|y| y as i32),
                month: Some(m),
                day: Some(d),
                decade: false,
                rule,
            });
        }
    }
    for c in r.my.captures_iter(text) {
        let all = c.get(0).unwrap();
        if taken(&found, all.start(), all.end()) {
            continue;
        }
        found.push(Found {
            s: all.start(),
            e: all.end(),
            year: num(&c, "y").map(|y| y as i32),
            month: month_of(&c["m"]),
            day: None,
            decade: false,
            rule: "month-year",
        });
    }
    for (re, rule) in [(&r.md, "month-day"), (&r.dm, "day-month")] {
        for c in re.captures_iter(text) {
            let all = c.get(0).unwrap();
            let (Some(m), Some(d)) = (month_of(&c["m"]), num(&c, "d")) else {
                continue;
            };
            // "May 5" is a date; "may 5" (lowercase modal) is not.
            if !c["m"].starts_with(|ch: char| ch.is_uppercase()) || !valid_day(m, d) {
                continue;
            }
            // "October 7" followed by more digits ("October 7, 2023" is taken above;
            // "May 24 1984" is handled by mdy). Skip "March 1,000".
            let rest = &text[all.end()..];
            if rest.starts_with(',') && rest[1..].starts_with(|ch: char| ch.is_ascii_digit()) {
                continue;
            }
            if taken(&found, all.start(), all.end()) {
                continue;
            }
            found.push(Found {
                s: all.start(),
                e: all.end(),
                year: None,
                month: Some(m),
                day: Some(d),
                decade: false,
                rule,
            });
        }
    }
    for c in r.m_only.captures_iter(text) {
        let mm = c.name("m").unwrap();
        let end = c.name("rel").map_or(mm.end(), |x| x.end());
        if taken(&found, mm.start(), end) {
            continue;
        }
        found.push(Found {
            s: mm.start(),
            e: end,
            year: None,
            month: month_of(mm.as_str()),
            day: None,
            decade: false,
            rule: "month",
        });
    }
    for c in r.decade.captures_iter(text) {
        let all = c.get(0).unwrap();
        if taken(&found, all.start(), all.end()) {
            continue;
        }
        let year = match (c.name("c"), c.name("d"), c.name("s")) {
            (Some(cc), Some(d), _) => format!("{}{}0", cc.as_str(), d.as_str()).parse().ok(),
            // '80s: the twentieth century unless it reads as the 2000s/2010s.
            (_, _, Some(s)) => {
                let d: i32 = s.as_str().parse().unwrap_or(0);
                Some(if d <= 1 { 2000 + d * 10 } else { 1900 + d * 10 })
            }
            _ => None,
        };
        // A digit right before ("21970s") is not a decade.
        if text[..all.start()].ends_with(|ch: char| ch.is_ascii_digit()) {
            continue;
        }
        found.push(Found {
            s: all.start(),
            e: all.end(),
            year,
            month: None,
            day: None,
            decade: true,
            rule: "decade",
        });
    }
    for c in r.year.captures_iter(text) {
        let all = c.get(0).unwrap();
        if taken(&found, all.start(), all.end()) || !looks_like_year(text, all.start(), all.end()) {
            continue;
        }
        found.push(Found {
            s: all.start(),
            e: all.end(),
            year: c["y"].parse().ok(),
            month: None,
            day: None,
            decade: false,
            rule: "year",
        });
    }
    found.sort_by_key(|f| f.s);

    let pubd = published.and_then(parse_published);
    found
        .into_iter()
        .map(|f| {
            let mut year = f.year;
            let mut year_from = None;
            if year.is_none() && !f.decade {
                if let Some((py, pm, pd)) = pubd {
                    let (m, d) = (f.month.unwrap_or(1), f.day.unwrap_or(1));
                    let rel = &text[f.s..f.e];
                    let mut y = py;
                    if rel.contains("last year") {
                        y -= 1;
                    } else if rel.contains("next year") {
                        y += 1;
                    } else if !rel.contains("this year") && (m, d) > (pm, pd) {
                        y -= 1;
                    }
                    year = Some(y);
                    year_from = Some("published");
                } else {
                    year_from = Some("unresolved");
                }
            }
            let (value, granularity) = if f.decade {
                let y = year.unwrap_or(0);
                (format!("{:03}X", y / 10), "decade")
            } else {
                match (year, f.month, f.day) {
                    (Some(y), Some(m), Some(d)) => (format!("{y:04}-{m:02}-{d:02}"), "day"),
                    (Some(y), Some(m), None) => (format!("{y:04}-{m:02}"), "month"),
                    (Some(y), None, _) => (format!("{y:04}"), "year"),
                    (None, Some(m), Some(d)) => (format!("--{m:02}-{d:02}"), "day"),
                    (None, Some(m), None) => (format!("--{m:02}"), "month"),
                    (None, None, _) => (String::new(), "year"),
                }
            };
            DateMention {
                span: doc.span(f.s, f.e),
                text: text[f.s..f.e].to_string(),
                value,
                granularity,
                year: if f.decade { None } else { year },
                month: f.month,
                day: f.day,
                year_from,
                rule: f.rule,
            }
        })
        .filter(|d| !d.value.is_empty())
        .collect()
}

/// A bare four-digit number reads as a year unless money, a percentage, a
/// unit, a decimal or a longer number sits right next to it.
fn looks_like_year(text: &str, s: usize, e: usize) -> bool {
    let before = &text[..s];
    let after = &text[e..];
    if before.ends_with(['$', '€', '£', '.', ',', '-', '/', '#'])
        || before.ends_with(|c: char| c.is_alphanumeric())
    {
        // "COVID-19", "$2000", "3,2000", "No.2000", but keep "mid-1980" and "pre-1948".
        let keep = before.ends_with('-')
            && before[..before.len() - 1]
                .rsplit(|c: char| !c.is_alphabetic())
                .next()
                .is_some_and(|w| matches!(w.to_lowercase().as_str(), "mid" | "pre" | "post"));
        if !keep {
            return false;
        }
    }
    if after.starts_with(|c: char| c.is_alphanumeric() || c == '%')
        || (after.starts_with([',', '.']) && after[1..].starts_with(|c: char| c.is_ascii_digit()))
    {
        return false;
    }
    let next: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    !matches!(
        next.as_str(),
        "percent"
            | "people"
            | "persons"
            | "dollars"
            | "euros"
            | "tons"
            | "tonnes"
            | "troops"
            | "soldiers"
            | "men"
            | "women"
            | "children"
            | "students"
            | "workers"
            | "miles"
            | "kilometers"
            | "km"
            | "meters"
            | "feet"
            | "units"
            | "cases"
            | "deaths"
            | "votes"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use parallax_core::DocMeta;

    fn dates(text: &str, published: Option<&str>) -> Vec<(String, String, &'static str)> {
        let meta = DocMeta {
            id: "t".into(),
            published: published.map(str::to_string),
            ..Default::default()
        };
        let doc = Document::new(meta, text.to_string(), Vec::new());
        find(&doc)
            .into_iter()
            .map(|d| {
                assert_eq!(doc.slice(&d.span), d.text);
                (d.text, d.value, d.granularity)
            })
            .collect()
    }

    #[test]
    fn table_of_cases() {
        // (text, published, [(mention, value)])
        let cases: &[(&str, Option<&str>, &[(&str, &str)])] = &[
            (
                "On November 2, the House voted.",
                None,
                &[("November 2", "--11-02")],
            ),
            (
                "On November 2, the House voted.",
                Some("2023-11-10"),
                &[("November 2", "2023-11-02")],
            ),
            (
                "On December 20 it began.",
                Some("2024-01-05"),
                &[("December 20", "2023-12-20")],
            ),
            (
                "in September 2022 included",
                None,
                &[("September 2022", "2022-09")],
            ),
            ("originated in 1948, but", None, &[("1948", "1948")]),
            (
                "published March 1 this year, the",
                None,
                &[("March 1 this year", "--03-01")],
            ),
            (
                "published March 1 this year, the",
                Some("2023-11-20"),
                &[("March 1 this year", "2023-03-01")],
            ),
            (
                "a May 24, 1984 declassified memo",
                None,
                &[("May 24, 1984", "1984-05-24")],
            ),
            (
                "an October 16, 1986, interview",
                None,
                &[("October 16, 1986", "1986-10-16")],
            ),
            (
                "in the 1970s and 1980s.",
                None,
                &[("1970s", "197X"), ("1980s", "198X")],
            ),
            ("back in the '80s it was", None, &[("'80s", "198X")]),
            (
                "in October 1973, our airmen",
                None,
                &[("October 1973", "1973-10")],
            ),
            (
                "on June 25, 1950, they",
                None,
                &[("June 25, 1950", "1950-06-25")],
            ),
            (
                "the October 12, 2023 rally.",
                None,
                &[("October 12, 2023", "2023-10-12")],
            ),
            (
                "The October 7 savage attack",
                None,
                &[("October 7", "--10-07")],
            ),
            ("(Iskra Books, 2022).", None, &[("2022", "2022")]),
            ("on 24 May 1984 and", None, &[("24 May 1984", "1984-05-24")]),
            (
                "filed 2023-10-12 at noon",
                None,
                &[("2023-10-12", "2023-10-12")],
            ),
            (
                "filed 10/12/2023 at noon",
                None,
                &[("10/12/2023", "2023-10-12")],
            ),
            (
                "elections in August of 1948.",
                None,
                &[("August of 1948", "1948-08")],
            ),
            ("since March the price rose", None, &[("March", "--03")]),
            ("during the mid-1980s", None, &[("1980s", "198X")]),
            ("in his 2018 book", None, &[("2018", "2018")]),
        ];
        for (text, published, want) in cases {
            let got = dates(text, *published);
            let got: Vec<(&str, &str)> = got
                .iter()
                .map(|(t, v, _)| (t.as_str(), v.as_str()))
                .collect();
            assert_eq!(&got, want, "in {text:?}");
        }
    }

    #[test]
    fn not_dates() {
        for text in [
            "COVID-19 spread.",
            "It cost $2000 in all.",
            "We saw 1,948 cases.",
            "Up 2000% since launch.",
            "There were 1500 soldiers.",
            "You may 5 times ask.",
            "May I ask a question?",
            "It is 3.2020 meters.",
            "The 38th parallel.",
        ] {
            assert!(
                dates(text, None).is_empty(),
                "{text}: {:?}",
                dates(text, None)
            );
        }
    }

    #[test]
    fn granularity_and_fields() {
        let meta = DocMeta {
            id: "t".into(),
            ..Default::default()
        };
        let doc = Document::new(meta, "On May 24, 1984 and November 2.".into(), Vec::new());
        let d = find(&doc);
        assert_eq!(d[0].granularity, "day");
        assert_eq!(
            (d[0].year, d[0].month, d[0].day),
            (Some(1984), Some(5), Some(24))
        );
        assert_eq!(d[0].year_from, None);
        assert_eq!(d[1].year_from, Some("unresolved"));
        assert_eq!(d[1].year, None);
    }

    #[test]
    fn published_parsing() {
        assert_eq!(
            parse_published("2023-11-10T08:00:00Z"),
            Some((2023, 11, 10))
        );
        assert_eq!(parse_published("2023"), Some((2023, 12, 31)));
        assert_eq!(parse_published("Nov 2023"), None);
    }
}
