//! CLI tests of the attributions layer: the real binary on the shared
//! sample articles and on PolNeAR files.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `shared/` next to the clone (`PARALLAX_SHARED` overrides; a git
/// worktree one level deeper also finds it).
fn shared() -> PathBuf {
    if let Some(p) = std::env::var_os("PARALLAX_SHARED") {
        return PathBuf::from(p);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let near = root.join("../../../shared");
    if near.exists() {
        near
    } else {
        root.join("../../../../shared")
    }
}

fn analyze(path: &Path) -> Value {
    let out = Command::cargo_bin("parallax")
        .unwrap()
        .args(["analyze", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn layer(v: &Value) -> &Value {
    &v["layers"]["attributions"]
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or("")
}

#[test]
fn kim_il_sung_quotations_are_attributed_with_their_works() {
    let v = analyze(&shared().join("samples/000_827a4d4c4b0bcbf4.txt"));
    let l = layer(&v);
    let atts = l["attributions"].as_array().unwrap();
    let sources = l["sources"].as_array().unwrap();
    let kim: Vec<&Value> = atts
        .iter()
        .filter(|a| s(a, "speaker") == "Kim Il Sung")
        .collect();
    // Three block quotations and the sentence with two partial quotes.
    assert_eq!(kim.len(), 4, "{kim:#?}");
    for needle in [
        "Israel is a Middle Eastern outpost",
        "The Middle East crisis is the result",
        "Israeli aggression",
        "Whenever the imperialists and the Zionists",
    ] {
        assert!(
            kim.iter().any(|a| a["content"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| s(c, "text").contains(needle))),
            "no Kim Il Sung attribution holds {needle}"
        );
    }
    // The works they come from, where the text names them.
    let work_title = |a: &Value| -> String {
        a["work"]
            .as_u64()
            .map(|w| {
                let src = &sources[w as usize];
                format!("{} {}", s(src, "kind"), s(&src["title"], "text"))
            })
            .unwrap_or_default()
    };
    let titles: Vec<String> = kim.iter().map(|a| work_title(a)).collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("work Under the Banner of Marxist-Leninist")),
        "{titles:?}"
    );
    assert!(
        titles
            .iter()
            .any(|t| t == "work Answers to the Questions Raised by Foreign Journalists"),
        "{titles:?}"
    );
    let interview = sources
        .iter()
        .find(|x| s(x, "kind") == "interview")
        .expect("interview");
    assert_eq!(s(&interview["date"], "text"), "October 16, 1986");
    assert_eq!(s(interview, "publisher"), "Al Massa");
    // The book and the declassified document, with their dates.
    let book = sources
        .iter()
        .find(|x| s(x, "kind") == "book")
        .expect("book");
    assert_eq!(s(&book["date"], "text"), "2018");
    assert_eq!(s(book, "author"), "Dr. Bruce Bechtol");
    assert_eq!(
        s(&book["title"], "text"),
        "North Korea’s Military Proliferation in the Middle East and Africa"
    );
    let doc = sources
        .iter()
        .find(|x| s(x, "kind") == "document")
        .expect("document");
    assert_eq!(s(&doc["date"], "text"), "May 24, 1984");
    assert_eq!(s(doc, "publisher"), "CIA");
    // "Quoting A, B reported": A's words, relayed by B.
    let relayed = atts
        .iter()
        .find(|a| s(a, "rule") == "quoting")
        .expect("quoting");
    assert_eq!(
        s(relayed, "speaker"),
        "South Korea’s National Intelligence Service"
    );
    assert_eq!(
        s(&relayed["relayed_by"], "text"),
        "the Korea Broadcasting System"
    );
    // Scare quotes are marked as such.
    let quotes = l["quotes"].as_array().unwrap();
    let scare = quotes
        .iter()
        .find(|q| s(q, "text") == "“pacifist”")
        .unwrap();
    assert_eq!(s(scare, "kind"), "scare");
}

#[test]
fn second_sample_report_and_kim_il_sung_block_quote() {
    let v = analyze(&shared().join("samples/001_040e6ada96cce161.txt"));
    let l = layer(&v);
    let sources = l["sources"].as_array().unwrap();
    let report = sources
        .iter()
        .find(|x| s(x, "kind") == "report")
        .expect("report");
    assert_eq!(s(&report["title"], "text"), "Foreign Aid to Israel");
    assert_eq!(s(&report["date"], "text"), "March 1");
    assert_eq!(s(report, "publisher"), "Congressional Research Service");
    assert!(!report["sentences"].as_array().unwrap().is_empty());
    let atts = l["attributions"].as_array().unwrap();
    let kim = atts
        .iter()
        .find(|a| s(a, "speaker") == "Kim Il Sung")
        .expect("Kim Il Sung");
    assert_eq!(s(kim, "rule"), "block");
    assert!(s(&kim["content"][0], "text").starts_with("The Korean people will continue"));
    // Unsourced statements are listed.
    assert!(!l["unsourced"].as_array().unwrap().is_empty());
}

#[test]
fn brat_output_offsets_point_at_their_text() {
    let path = shared().join("samples/000_827a4d4c4b0bcbf4.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let out = Command::cargo_bin("parallax")
        .unwrap()
        .args(["analyze", "--format", "brat"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let ann = String::from_utf8(out.stdout).unwrap();
    let mut t_lines = 0;
    let mut e_lines = 0;
    for line in ann.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            cols.len(),
            if line.starts_with('E') { 2 } else { 3 },
            "{line}"
        );
        if line.starts_with('T') {
            t_lines += 1;
            let (_, ranges) = cols[1].split_once(' ').unwrap();
            let pieces: Vec<String> = ranges
                .split(';')
                .map(|r| {
                    let (a, b) = r.split_once(' ').unwrap();
                    chars[a.parse::<usize>().unwrap()..b.parse::<usize>().unwrap()]
                        .iter()
                        .collect()
                })
                .collect();
            assert_eq!(pieces.join(" "), cols[2]);
        } else {
            e_lines += 1;
            assert!(cols[1].starts_with("Attribution"), "{line}");
            assert!(cols[1].contains(" Content:T"), "{line}");
            if cols[1].starts_with("Attribution:") {
                assert!(
                    cols[1].contains(" Cue:T") && cols[1].contains(" Source:T"),
                    "{line}"
                );
            }
        }
    }
    assert!(t_lines > 10 && e_lines >= 5, "{ann}");
}

#[test]
fn eval_attribution_prints_scores() {
    let dir = shared().join("data/polnear/dev");
    let out = Command::cargo_bin("parallax")
        .unwrap()
        .args(["eval", "attribution", "--limit", "3", "--polnear"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let o = String::from_utf8(out.stdout).unwrap();
    assert!(
        o.contains("all attributions") && o.contains("direct quotations"),
        "{o}"
    );
    assert!(o.contains("source accuracy"), "{o}");
    // an interval over the 3 articles brackets each figure
    let fig = |line: &str, key: &str| -> f64 {
        let rest = &line[line.find(key).unwrap() + key.len()..];
        rest.split_whitespace().next().unwrap().parse().unwrap()
    };
    let all = o
        .lines()
        .find(|l| l.starts_with("all attributions   content"))
        .unwrap();
    let iv = o
        .lines()
        .find(|l| l.starts_with("all attributions   95% interval over articles"))
        .unwrap_or_else(|| panic!("{o}"));
    let range = |key: &str| -> (f64, f64) {
        let r = &iv[iv.find(key).unwrap() + key.len()..];
        let r = r.split_whitespace().next().unwrap();
        let (a, b) = r.split_once('-').unwrap();
        (a.parse().unwrap(), b.parse().unwrap())
    };
    let (lo, hi) = range("content F1 ");
    assert!(lo <= fig(all, "F1 ") && fig(all, "F1 ") <= hi, "{o}");
    let (lo, hi) = range("source accuracy ");
    assert!(
        lo <= fig(all, "source accuracy ") && fig(all, "source accuracy ") <= hi,
        "{o}"
    );
}

#[test]
fn eval_attribution_names_a_bad_folder() {
    Command::cargo_bin("parallax")
        .unwrap()
        .args(["eval", "attribution", "--polnear", "/nonexistent/polnear"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("/nonexistent/polnear"));
}

#[test]
fn ptc_article_that_once_panicked_is_analyzed() {
    // An inverted byte range in a cited-source title once panicked here.
    let path = shared().join("data/ptc/train-articles/article770156851.txt");
    Command::cargo_bin("parallax")
        .unwrap()
        .args(["analyze", "--format", "brat"])
        .arg(&path)
        .assert()
        .success();
}
