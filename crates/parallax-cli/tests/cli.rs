//! The real `parallax` binary over good and bad inputs: exit codes, the
//! one-line errors, the summary, and the JSON schema.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
fn samples() -> PathBuf {
    root().join("../shared/samples")
}
fn parallax() -> Command {
    let mut c = Command::cargo_bin("parallax").unwrap();
    c.current_dir(root());
    c
}

fn check_schema(v: &Value) {
    assert_eq!(v["schema_version"], parallax_schema_version());
    let d = &v["document"];
    for k in [
        "id",
        "origin",
        "format",
        "content_hash",
        "text",
        "char_length",
    ] {
        assert!(!d[k].is_null(), "document.{k} missing in {d}");
    }
    let n = d["char_length"].as_u64().unwrap();
    assert_eq!(n as usize, d["text"].as_str().unwrap().chars().count());
    assert!(v["segments"]["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["end"].as_u64().unwrap() <= n));
    assert!(v["layers"].is_object());
}

fn parallax_schema_version() -> &'static str {
    "1.0"
}

#[test]
fn analyze_one_sample_writes_pretty_json() {
    let out = parallax()
        .arg("analyze")
        .arg(samples().join("000_827a4d4c4b0bcbf4.txt"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.starts_with("{\n"), "pretty JSON expected");
    let v: Value = serde_json::from_str(&s).unwrap();
    check_schema(&v);
    assert_eq!(v["document"]["language"], "eng");
    // The text is kept exactly as on disk.
    let on_disk = std::fs::read_to_string(samples().join("000_827a4d4c4b0bcbf4.txt")).unwrap();
    assert_eq!(v["document"]["text"].as_str().unwrap(), on_disk);
    // A headline line without final punctuation is its own sentence.
    let text: Vec<char> = on_disk.chars().collect();
    let sents: Vec<String> = v["segments"]["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            text[s["start"].as_u64().unwrap() as usize..s["end"].as_u64().unwrap() as usize]
                .iter()
                .collect()
        })
        .collect();
    assert!(
        sents.iter().any(|s| s == "Pro-North Korea, pro-Hamas"),
        "{sents:?}"
    );
}

#[test]
fn analyze_many_streams_jsonl_and_summarizes() {
    let out = parallax()
        .args(["analyze"])
        .arg(samples().join("000_827a4d4c4b0bcbf4.txt"))
        .arg(samples().join("001_040e6ada96cce161.txt"))
        .arg("examples/article.html")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    for l in &lines {
        check_schema(&serde_json::from_str(l).unwrap());
    }
    let html: Value = serde_json::from_str(lines[2]).unwrap();
    assert_eq!(html["document"]["source"], "The Riverton Ledger");
    assert_eq!(html["document"]["published"], "2024-06-04");
    assert_eq!(
        html["links"][0]["text"],
        "a 2023 report by the Regional Planning Office"
    );
    assert!(!html["document"]["text"]
        .as_str()
        .unwrap()
        .contains("All rights reserved"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 ok, 0 failed"));
}

#[test]
fn bad_inputs_are_reported_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    std::fs::write(p("good.txt"), "A fine article. It has two sentences.").unwrap();
    std::fs::write(p("empty.txt"), "").unwrap();
    std::fs::write(p("blank.txt"), "  \n\n ").unwrap();
    std::fs::write(p("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    std::fs::write(p("latin1.txt"), b"Caf\xe9 cr\xe8me is served. It is good.").unwrap();
    std::fs::write(p("big.txt"), "word ".repeat(400)).unwrap();
    std::fs::write(
        p("broken.html"),
        "<html><body><div><p>Unclosed <b>tags <i>everywhere",
    )
    .unwrap();
    std::fs::write(
        p("corpus.jsonl"),
        "{\"id\":\"a\",\"text\":\"First article here.\"}\n{not json\n{\"id\":\"a\",\"text\":\"Same id again.\"}\n{\"id\":\"b\"}\n{\"id\":\"c\",\"html\":\"<p>From <a href='http://x.org'>HTML</a> in JSONL.</p>\"}\n",
    )
    .unwrap();
    let out = parallax()
        .args(["analyze", "--format", "jsonl", "--max-bytes", "1000"])
        .arg(dir.path())
        .arg(p("missing.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "non-zero when any input failed");
    let err = String::from_utf8(out.stderr).unwrap();
    let has = |needle: &str| assert!(err.contains(needle), "stderr lacks {needle:?}:\n{err}");
    has("empty.txt: empty file");
    has("blank.txt: no text");
    has("binary.txt: binary file");
    has("big.txt: file is 2.0 KB, over the 1.0 KB limit");
    has("latin1.txt: not valid UTF-8; decoded as windows-1252");
    has("corpus.jsonl:2: malformed JSON");
    has("corpus.jsonl:3: duplicate id `a`");
    has("corpus.jsonl:4: no `text` or `html` field");
    has("missing.txt: no such file or directory");
    let ids: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["document"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    for want in ["a", "c", "good", "latin1", "broken"] {
        assert!(ids.iter().any(|i| i == want), "{want} missing from {ids:?}");
    }
    // Every error is one line naming the input; the summary counts them.
    has("ok, ");
    let failed: usize = err
        .lines()
        .filter(|l| l.starts_with("parallax: error: "))
        .count();
    assert!(
        err.contains(&format!("{} ok, {failed} failed", ids.len())),
        "{err}"
    );
}

#[test]
fn empty_directory_and_no_articles() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.csv"), "a,b").unwrap();
    parallax()
        .arg("analyze")
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("directory holds no article files"));
}

#[test]
fn stdin_and_text_format() {
    parallax()
        .args(["analyze", "--format", "text", "-"])
        .write_stdin("Dr. Smith arrived in the U.S. on Jan. 5. He spoke at length.")
        .assert()
        .success()
        .stdout(predicate::str::contains("2 sentences"));
}

#[test]
fn extract_prints_main_text() {
    parallax()
        .args(["extract", "examples/article.html"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "City council approves $48.5 million transit plan after heated debate\n\nRIVERTON",
        ))
        .stdout(predicate::str::contains("Most read").not())
        .stderr(predicate::str::contains("DEBUG").not());
    let out = parallax()
        .args(["extract", "--format", "json", "examples/article.html"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["author"], "Sam Okafor");
    let text: Vec<char> = v["text"].as_str().unwrap().chars().collect();
    let l = &v["links"][0];
    let (s, e) = (
        l["span"]["start"].as_u64().unwrap() as usize,
        l["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        text[s..e].iter().collect::<String>(),
        l["text"].as_str().unwrap()
    );
}

#[test]
fn eval_sentences_prints_f1() {
    let ptc = root().join("../shared/data/ptc/train-articles");
    let out = parallax()
        .args(["eval", "sentences", "--ptc"])
        .arg(ptc)
        .output()
        .unwrap();
    assert!(out.status.success());
    let s = String::from_utf8(out.stdout).unwrap();
    let f1: f64 = s.split("F1 ").nth(1).unwrap().trim().parse().unwrap();
    assert!(f1 > 0.9, "{s}");
}

#[test]
fn jsonl_size_limit_applies_per_line_not_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.jsonl");
    let mut s = String::new();
    for i in 0..30 {
        s.push_str(&format!(
            "{{\"id\":\"d{i}\",\"text\":\"Article number {i} says little. It ends here.\"}}\n"
        ));
    }
    s.push_str(&format!(
        "{{\"id\":\"huge\",\"text\":\"{}\"}}\n",
        "x ".repeat(800)
    ));
    std::fs::write(&p, s).unwrap();
    let out = parallax()
        .args(["analyze", "--max-bytes", "1000", "--format", "jsonl"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 30);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("big.jsonl:31: line is over the 1000 byte limit"),
        "{err}"
    );
    assert!(err.contains("30 ok, 1 failed"), "{err}");
}

/// `parallax … | head`: when the reader closes the pipe early, the command
/// ends quietly (killed by SIGPIPE, as `cat` is), with no panic and no
/// error message.
#[cfg(unix)]
#[test]
fn closed_stdout_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("many.tsv");
    // far more output than a pipe holds
    let rows: String = (0..30_000)
        .map(|i| format!("{i}\tThe budget rose by {i} percent last year.\n"))
        .collect();
    std::fs::write(&tsv, rows).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("parallax"))
        .args(["checkworthy", "--tsv"])
        .arg(&tsv)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("Sentence_id"), "{first}");
    // the reader is gone now
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked") && !err.contains("error"), "{err}");
    // 13: SIGPIPE on Linux and the BSDs
    assert_eq!(out.status.signal(), Some(13), "{:?}", out.status);
}
