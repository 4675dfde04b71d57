//! Reading PTC data: `article<ID>.txt` files and label files
//! (`ID<TAB>TECHNIQUE<TAB>START<TAB>END` or `ID<TAB>START<TAB>END`,
//! code-point offsets), and the seeded train/validation split.

use super::linear::Rng;
use super::metric::Fragment;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct DataError {
    pub path: String,
    pub reason: String,
}

fn err(p: &Path, reason: impl ToString) -> DataError {
    DataError {
        path: p.display().to_string(),
        reason: reason.to_string(),
    }
}

/// One PTC article.
#[derive(Clone, Debug)]
pub struct Article {
    pub id: String,
    pub text: String,
    pub path: PathBuf,
}

/// The article id of a path named `article<ID>.txt` (else the file stem).
pub fn article_id(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    stem.strip_prefix("article")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or(stem)
}

/// Reads every `*.txt` in `dir`, sorted by id.
pub fn load_articles(dir: &Path) -> Result<Vec<Article>, DataError> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|e| err(dir, e))? {
        let p = e.map_err(|e| err(dir, e))?.path();
        if p.extension().is_some_and(|x| x == "txt") {
            let text = std::fs::read_to_string(&p).map_err(|e| err(&p, e))?;
            v.push(Article {
                id: article_id(&p),
                text,
                path: p,
            });
        }
    }
    if v.is_empty() {
        return Err(err(dir, "no .txt articles in this folder"));
    }
    v.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(v)
}

/// Parses label lines; 4 fields carry a technique, 3 fields do not.
pub fn parse_labels(
    text: &str,
    path: &Path,
    out: &mut BTreeMap<String, Vec<Fragment>>,
) -> Result<(), DataError> {
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let (id, label, s, e) = match f.len() {
            3 => (f[0], None, f[1], f[2]),
            4 => (f[0], Some(f[1]), f[2], f[3]),
            _ => {
                return Err(err(
                    path,
                    format!("line {}: expected 3 or 4 tab-separated fields", n + 1),
                ))
            }
        };
        let num = |x: &str| {
            x.trim()
                .parse::<usize>()
                .map_err(|_| err(path, format!("line {}: `{x}` is not an offset", n + 1)))
        };
        let (s, e) = (num(s)?, num(e)?);
        if e < s {
            return Err(err(path, format!("line {}: end before start", n + 1)));
        }
        out.entry(id.trim().to_string())
            .or_default()
            .push(Fragment::new(s, e, label));
    }
    Ok(())
}

/// Reads a label file, or every file in a label folder, grouped by article id.
pub fn load_labels(path: &Path) -> Result<BTreeMap<String, Vec<Fragment>>, DataError> {
    let mut out = BTreeMap::new();
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| err(path, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    };
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| err(&f, e))?;
        parse_labels(&text, &f, &mut out)?;
    }
    Ok(out)
}

/// Seeded split of article ids: `(train, validation)`, validation being
/// `valid_share` of the articles (at least one), ids sorted in each part.
pub fn split(ids: &[String], seed: u64, valid_share: f64) -> (Vec<String>, Vec<String>) {
    let mut v: Vec<String> = ids.to_vec();
    v.sort();
    Rng::new(seed).shuffle(&mut v);
    let n_valid = ((v.len() as f64 * valid_share).round() as usize).clamp(1, v.len().max(1));
    let mut valid = v[..n_valid.min(v.len())].to_vec();
    let mut train = v[n_valid.min(v.len())..].to_vec();
    valid.sort();
    train.sort();
    (train, valid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_labels_split() {
        assert_eq!(article_id(Path::new("x/article7.txt")), "7");
        assert_eq!(article_id(Path::new("x/other.txt")), "other");
        let mut m = BTreeMap::new();
        parse_labels("7\tDoubt\t1\t5\n7\t2\t3\n", Path::new("l"), &mut m).unwrap();
        assert_eq!(m["7"].len(), 2);
        assert_eq!(m["7"][0].label.as_deref(), Some("Doubt"));
        assert!(parse_labels("7\tx\n", Path::new("l"), &mut m).is_err());
        let ids: Vec<String> = (0..20).map(|i| i.to_string()).collect();
        let (t, v) = split(&ids, 1, 0.1);
        assert_eq!((t.len(), v.len()), (18, 2));
        assert_eq!(split(&ids, 1, 0.1), (t, v));
    }
}
