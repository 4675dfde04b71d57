//! The CLEF CheckThat! 2024 Task 1 TSV format and the seeded split.
//!
//! Format: a header line, then `Sentence_id<TAB>Text<TAB>class_label` with
//! `Yes`/`No` labels. Test files without gold may have only two columns.
//!
//! Split: each row goes to a part by `fnv1a("{seed}:{Sentence_id}") % 100`:
//! buckets 0-9 are **held out** (never seen in training or tuning), 10-19
//! are the **dev** part (threshold tuning), 20-99 the **train** part. The
//! split depends only on the id and the seed, not on the file order.

use super::model::{fnv1a, Ctx};
use std::collections::HashMap;

/// One TSV row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: String,
    pub text: String,
    /// `None` when the file has no label column.
    pub label: Option<bool>,
}

/// Which part of the seeded split a row belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Train,
    Dev,
    Heldout,
}

/// The part of the split a sentence id falls in.
pub fn part_of(id: &str, seed: u64) -> Part {
    let b = fnv1a(format!("{seed}:{id}").as_bytes()) % 100;
    match b {
        0..=9 => Part::Heldout,
        10..=19 => Part::Dev,
        _ => Part::Train,
    }
}

fn label(s: &str) -> Result<bool, String> {
    match s.trim() {
        "Yes" | "yes" | "YES" | "1" => Ok(true),
        "No" | "no" | "NO" | "0" => Ok(false),
        other => Err(format!("class_label {other:?} is neither Yes nor No")),
    }
}

/// Parses a CheckThat! TSV. Errors name the line and the reason.
///
/// One known defect of the 2024 English train file is repaired: line 16877
/// holds two rows glued together (`...grow.\tNo29286\tYou can't...\tNo`); a
/// label immediately followed by digits and more fields is split into two rows.
pub fn parse_tsv(text: &str) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if n == 0 && fields[0].trim().eq_ignore_ascii_case("sentence_id") {
            continue;
        }
        let lineno = n + 1;
        match fields.len() {
            2 => rows.push(Row {
                id: fields[0].trim().to_string(),
                text: fields[1].to_string(),
                label: None,
            }),
            3 => rows.push(Row {
                id: fields[0].trim().to_string(),
                text: fields[1].to_string(),
                label: Some(label(fields[2]).map_err(|e| format!("line {lineno}: {e}"))?),
            }),
            5 => {
                // Two rows glued: id, text, "<label><id>", text, label.
                let mid = fields[2].trim();
                let cut = mid
                    .find(|c: char| c.is_ascii_digit())
                    .ok_or_else(|| format!("line {lineno}: 5 fields and no glued id"))?;
                let (l1, id2) = mid.split_at(cut);
                rows.push(Row {
                    id: fields[0].trim().to_string(),
                    text: fields[1].to_string(),
                    label: Some(label(l1).map_err(|e| format!("line {lineno}: {e}"))?),
                });
                rows.push(Row {
                    id: id2.to_string(),
                    text: fields[3].to_string(),
                    label: Some(label(fields[4]).map_err(|e| format!("line {lineno}: {e}"))?),
                });
            }
            k => {
                return Err(format!(
                    "line {lineno}: {k} tab-separated fields, expected Sentence_id, Text[, class_label]"
                ))
            }
        }
    }
    Ok(rows)
}

/// Each row with its neighbors: CheckThat! ids number the sentences of a
/// debate in order, so the rows with ids `id - 1` and `id + 1` (when they are
/// in the same file) are the sentences before and after. Texts only: the
/// neighbors' labels are never used.
pub fn contexts(rows: &[Row]) -> Vec<Ctx<'_>> {
    contexts_with(rows, None)
}

/// [`contexts`] with each row's outside-encoder vector (`vecs[i]` for
/// `rows[i]`; an empty vector for a row not encoded), for models with
/// [`super::model::FEAT_ENCODER`].
pub fn contexts_with<'a>(rows: &'a [Row], vecs: Option<&'a [Vec<f32>]>) -> Vec<Ctx<'a>> {
    let by_id: HashMap<u64, &str> = rows
        .iter()
        .filter_map(|r| Some((r.id.parse::<u64>().ok()?, r.text.as_str())))
        .collect();
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let id = r.id.parse::<u64>().ok();
            Ctx {
                prev: id
                    .and_then(|i| i.checked_sub(1))
                    .and_then(|i| by_id.get(&i).copied()),
                text: &r.text,
                next: id.and_then(|i| by_id.get(&(i + 1)).copied()),
                vec: vecs.map(|v| &v[i][..]),
            }
        })
        .collect()
}

/// Rows with a label, split into (train, dev, held-out) by [`part_of`].
pub fn split(rows: &[Row], seed: u64) -> [Vec<(Ctx<'_>, bool)>; 3] {
    split_with(rows, seed, None)
}

/// [`split`] with the rows' outside-encoder vectors (see [`contexts_with`]).
pub fn split_with<'a>(
    rows: &'a [Row],
    seed: u64,
    vecs: Option<&'a [Vec<f32>]>,
) -> [Vec<(Ctx<'a>, bool)>; 3] {
    let mut parts: [Vec<(Ctx, bool)>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for (r, c) in rows.iter().zip(contexts_with(rows, vecs)) {
        let Some(y) = r.label else { continue };
        let k = match part_of(&r.id, seed) {
            Part::Train => 0,
            Part::Dev => 1,
            Part::Heldout => 2,
        };
        parts[k].push((c, y));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_header_rows_and_glued_line() {
        let t = "Sentence_id\tText\tclass_label\n1\tHello.\tNo\n2\tTaxes rose.\tYes\n3\tA.\tNo44\tB.\tYes\n";
        let r = parse_tsv(t).unwrap();
        assert_eq!(r.len(), 4);
        assert_eq!(r[1].label, Some(true));
        assert_eq!(r[2].id, "3");
        assert_eq!(r[3].id, "44");
        assert_eq!(r[3].text, "B.");
        assert_eq!(r[3].label, Some(true));
    }

    #[test]
    fn unlabeled_and_bad_rows() {
        let r = parse_tsv("Sentence_id\tText\n9\tSome text\n").unwrap();
        assert_eq!(r[0].label, None);
        let e = parse_tsv("1\tx\tMaybe\n").unwrap_err();
        assert!(e.contains("line 1") && e.contains("Maybe"), "{e}");
        assert!(parse_tsv("only-one-field\n")
            .unwrap_err()
            .contains("1 tab-separated"));
    }

    #[test]
    fn split_is_stable_and_about_ten_percent() {
        assert_eq!(part_of("16871", 42), part_of("16871", 42));
        let held = (0..10_000)
            .filter(|i| part_of(&i.to_string(), 42) == Part::Heldout)
            .count();
        assert!((800..1200).contains(&held), "{held}");
    }
}
