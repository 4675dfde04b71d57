//! Quotation pairing: a small state machine over quotation marks.
//!
//! Handles curly, straight and single quotes, guillemets, nesting, quotes
//! that run over several sentences, and the English convention for quotes
//! over several paragraphs (each paragraph opens a mark, only the last one
//! closes). Apostrophes (`don’t`, `voters’`) are told from closing single
//! quotes by the letters around them. Unlike tools that give up on a text
//! with an odd number of marks, a quote left open at the end of a paragraph
//! is closed there, with lower confidence.

/// A pairing of quotation marks, in byte offsets.
#[derive(Clone, Debug, PartialEq)]
pub struct RawQuote {
    /// Start of the opening mark (or of the paragraph when none opened it).
    pub start: usize,
    /// End of the closing mark (or of the paragraph when none closed it).
    pub end: usize,
    /// The text between the marks.
    pub inner_start: usize,
    pub inner_end: usize,
    /// 0 for a quotation in running text, 1+ when nested in another.
    pub depth: usize,
    /// Both marks were found.
    pub closed: bool,
    /// The paragraph ends inside this quote and the next paragraph opens
    /// another mark: the quotation goes on there.
    pub continues: bool,
    /// `"double"`, `"single"` or `"guillemet"`.
    pub marks: &'static str,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Double,
    Single,
    Guillemet,
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Double => "double",
        Kind::Single => "single",
        Kind::Guillemet => "guillemet",
    }
}

fn opens_context(p: Option<char>) -> bool {
    match p {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '(' | '[' | '{' | '—' | '–' | '-' | '/' | '“' | '‘' | '"' | '\'' | '«' | ':'
                )
        }
    }
}

/// Finds the quotations in the paragraphs `paras` (byte ranges) of `text`.
/// Output is sorted by start, outer quotes before the quotes inside them.
pub fn find(text: &str, paras: &[(usize, usize)]) -> Vec<RawQuote> {
    let mut out = Vec::new();
    let mut prev_open_at_end = false;
    for (pi, &(ps, pe)) in paras.iter().enumerate() {
        let para = &text[ps..pe];
        let mut stack: Vec<(Kind, usize, usize)> = Vec::new(); // kind, mark start, inner start
        let mut seen_double = false;
        let chars: Vec<(usize, char)> = para.char_indices().collect();
        let mut skip_next = false;
        for (ci, &(bi, c)) in chars.iter().enumerate() {
            if std::mem::take(&mut skip_next) || !super::lexicon::is_quote_char(c) {
                continue;
            }
            let p = if ci > 0 { Some(chars[ci - 1].1) } else { None };
            let mut n = chars.get(ci + 1).map(|x| x.1);
            let at = ps + bi;
            let mut after = at + c.len_utf8();
            // Two apostrophes stand for a double mark (''like this'', the
            // convention of some wire and newspaper archives).
            let mut c = c;
            if c == '\'' && n == Some('\'') {
                skip_next = true;
                after += 1;
                n = chars.get(ci + 2).map(|x| x.1);
                c = '"';
            }
            let close =
                |stack: &mut Vec<(Kind, usize, usize)>, k: Kind, out: &mut Vec<RawQuote>| {
                    if let Some(pos) = stack.iter().rposition(|x| x.0 == k) {
                        // Marks of other kinds left open inside are dropped.
                        stack.truncate(pos + 1);
                        let (_, s, is) = stack.pop().unwrap();
                        out.push(RawQuote {
                            start: s,
                            end: after,
                            inner_start: is,
                            inner_end: at,
                            depth: stack.len(),
                            closed: true,
                            continues: false,
                            marks: kind_name(k),
                        });
                        true
                    } else {
                        false
                    }
                };
            match c {
                // “It's unusual,“ said Noble: an opening mark typed for the
                // closing one (after final punctuation, before a space,
                // with a double quotation open) closes it.
                '“' if matches!(p, Some(',' | '.' | '?' | '!'))
                    && n.is_none_or(char::is_whitespace)
                    && stack.iter().any(|x| x.0 == Kind::Double) =>
                {
                    close(&mut stack, Kind::Double, &mut out);
                }
                '“' | '„' | '‟' => {
                    seen_double = true;
                    stack.push((Kind::Double, at, after));
                }
                '«' | '‹' => stack.push((Kind::Guillemet, at, after)),
                '»' | '›' => {
                    close(&mut stack, Kind::Guillemet, &mut out);
                }
                '”' => {
                    let first = !seen_double;
                    seen_double = true;
                    if !close(&mut stack, Kind::Double, &mut out) && first && prev_open_at_end {
                        // The quote went on from the previous paragraph
                        // without a new opening mark.
                        out.push(RawQuote {
                            start: ps,
                            end: after,
                            inner_start: ps,
                            inner_end: at,
                            depth: 0,
                            closed: false,
                            continues: false,
                            marks: "double",
                        });
                    }
                }
                '"' => {
                    seen_double = true;
                    let opening = opens_context(p) && n.is_some_and(|n| !n.is_whitespace());
                    let has_open = stack.iter().any(|x| x.0 == Kind::Double);
                    // Opens a quote, or (when it closes none) opens one anyway.
                    let plain_open =
                        opening && !(has_open && n.is_none_or(|n| !n.is_alphanumeric()));
                    if plain_open || (!close(&mut stack, Kind::Double, &mut out) && opening) {
                        stack.push((Kind::Double, at, after));
                    }
                }
                '‘' => stack.push((Kind::Single, at, after)),
                '’' | '\'' => {
                    let pl = p.is_some_and(|p| p.is_alphanumeric());
                    let nl = n.is_some_and(|n| n.is_alphanumeric());
                    if pl && nl {
                        continue; // don’t, it's
                    }
                    let has_single = stack.last().is_some_and(|x| x.0 == Kind::Single);
                    if has_single && !nl {
                        close(&mut stack, Kind::Single, &mut out);
                    } else if c == '\'' && opens_context(p) && nl {
                        stack.push((Kind::Single, at, after));
                    }
                }
                _ => {}
            }
        }
        // Close what is left open at the paragraph end: doubles only.
        let next_opens = paras.get(pi + 1).is_some_and(|&(ns, ne)| {
            text[ns..ne]
                .chars()
                .next()
                .is_some_and(|c| matches!(c, '“' | '"' | '«' | '„'))
        });
        prev_open_at_end = false;
        let open_doubles: Vec<_> = stack
            .iter()
            .enumerate()
            .filter(|(_, x)| x.0 != Kind::Single)
            .map(|(d, x)| (d, *x))
            .collect();
        if let Some(&(d, (k, s, is))) = open_doubles.first() {
            let inner_end = trim_end(text, is, pe);
            if inner_end > is {
                out.push(RawQuote {
                    start: s,
                    end: pe,
                    inner_start: is,
                    inner_end,
                    depth: d,
                    closed: false,
                    continues: next_opens,
                    marks: kind_name(k),
                });
                prev_open_at_end = true;
            }
        }
    }
    out.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    // Recompute depths after sorting (a quote inside another is nested).
    let mut open_ends: Vec<usize> = Vec::new();
    for q in out.iter_mut() {
        while open_ends.last().is_some_and(|&e| e <= q.start) {
            open_ends.pop();
        }
        q.depth = open_ends.len();
        open_ends.push(q.end);
    }
    out
}

fn trim_end(text: &str, s: usize, e: usize) -> usize {
    s + text[s..e].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(t: &str) -> Vec<String> {
        let paras = parallax_core::segment::paragraphs(t);
        find(t, &paras)
            .iter()
            .map(|q| format!("{}:{}", q.depth, &t[q.inner_start..q.inner_end]))
            .collect()
    }

    #[test]
    fn curly_straight_single_guillemets() {
        assert_eq!(quotes("He said “yes” and \"no\"."), vec!["0:yes", "0:no"]);
        assert_eq!(quotes("She said ‘maybe’ then."), vec!["0:maybe"]);
        assert_eq!(quotes("Il a dit «non» hier."), vec!["0:non"]);
        assert_eq!(
            quotes("''It works,'' he said, ''and it's 'fine' now.''"),
            vec!["0:It works,", "0:and it's 'fine' now.", "1:fine"]
        );
    }

    #[test]
    fn apostrophes_are_not_quotes() {
        assert_eq!(
            quotes("He didn’t say the voters’ names."),
            Vec::<String>::new()
        );
        assert_eq!(quotes("It's the '90s."), Vec::<String>::new());
    }

    #[test]
    fn nested_quotes() {
        assert_eq!(
            quotes("He said: “She told me ‘never again’ twice.”"),
            vec!["0:She told me ‘never again’ twice.", "1:never again"]
        );
        assert_eq!(
            quotes("\"Read it: “As you know, yes.” Done.\""),
            vec![
                "0:Read it: “As you know, yes.” Done.",
                "1:As you know, yes."
            ]
        );
    }

    #[test]
    fn multi_paragraph_quote() {
        let t = "“First part goes on.\n\n“Second part ends,” he said.";
        let qs = find(t, &parallax_core::segment::paragraphs(t));
        assert_eq!(qs.len(), 2);
        assert!(qs[0].continues && !qs[0].closed);
        assert!(qs[1].closed);
    }

    #[test]
    fn odd_marks_do_not_swallow_the_article() {
        let t = "He said “unfinished thought.\n\nNext paragraph “fine” here.";
        let q = quotes(t);
        assert_eq!(q, vec!["0:unfinished thought.", "0:fine"]);
    }
}
