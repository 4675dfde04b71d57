//! The entities layer and the NER commands through the real binary: the two
//! sample articles, a tiny train + eval round trip on CoNLL-2003, `ner
//! --conll-in`, and bad inputs.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}
/// `../shared` next to the repository (as in CI); `PARALLAX_SHARED`
/// overrides it (e.g. when working from a git worktree elsewhere).
fn shared() -> PathBuf {
    std::env::var_os("PARALLAX_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared"))
}
fn parallax() -> Command {
    let mut c = Command::cargo_bin("parallax").unwrap();
    c.current_dir(root());
    c
}

fn analyze(sample: &str) -> Value {
    let out = parallax()
        .args(["analyze", "--format", "json"])
        .arg(shared().join("samples").join(sample))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn entity<'a>(layer: &'a Value, name: &str) -> Option<&'a Value> {
    layer["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
}

/// Every span's text is the document text at its code-point offsets.
fn check_spans(v: &Value) {
    let text: Vec<char> = v["document"]["text"].as_str().unwrap().chars().collect();
    let l = &v["layers"]["entities"];
    for x in l["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .chain(l["naming"].as_array().unwrap())
    {
        let s = x["span"]["start"].as_u64().unwrap() as usize;
        let e = x["span"]["end"].as_u64().unwrap() as usize;
        let slice: String = text[s..e].iter().collect();
        assert_eq!(slice, x["text"].as_str().unwrap());
    }
}

#[test]
fn sample_000_names_israel_north_korea_hamas_and_two_kims() {
    let v = analyze("000_827a4d4c4b0bcbf4.txt");
    check_spans(&v);
    let l = &v["layers"]["entities"];
    for name in [
        "Israel",
        "North Korea",
        "Hamas",
        "Kim Il Sung",
        "Kim Jong Un",
    ] {
        assert!(entity(l, name).is_some(), "no entity {name}");
    }
    let kis = entity(l, "Kim Il Sung").unwrap();
    let kju = entity(l, "Kim Jong Un").unwrap();
    assert_eq!(kis["label"], "PER");
    assert_ne!(kis["id"], kju["id"]);
    // Short forms "Kim" are kept as surface forms of the person they follow.
    assert!(kis["forms"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["text"] == "Kim"));
    // "the Kim regime" is a naming variant that stands for North Korea.
    let nk = entity(l, "North Korea").unwrap()["id"].clone();
    let regime = l["naming"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["text"] == "the Kim regime")
        .expect("the Kim regime");
    assert_eq!(regime["refers_to"], "North Korea");
    assert_eq!(regime["entity"], nk);
    assert!(regime["confidence"].as_f64().unwrap() > 0.5);
    assert!(regime["cue"].as_str().unwrap().contains("Kim"));
    let lackeys = l["naming"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["text"] == "Tehran’s lackeys")
        .expect("Tehran’s lackeys");
    assert_eq!(lackeys["relation"], "clients-of");
}

#[test]
fn sample_001_names_israel_as_the_zionist_colonial_regime() {
    let v = analyze("001_040e6ada96cce161.txt");
    check_spans(&v);
    let l = &v["layers"]["entities"];
    for name in ["Israel", "Kim Il Sung"] {
        assert!(entity(l, name).is_some(), "no entity {name}");
    }
    let israel = entity(l, "Israel").unwrap()["id"].clone();
    let naming = l["naming"].as_array().unwrap();
    for phrase in ["the Zionist colonial regime", "The Israeli state"] {
        let n = naming.iter().find(|n| n["text"] == phrase).expect(phrase);
        assert_eq!(n["refers_to"], "Israel");
        assert_eq!(n["entity"], israel);
    }
}

#[test]
fn skip_entities_removes_the_layer() {
    let out = parallax()
        .args(["analyze", "--format", "json", "--skip", "entities"])
        .arg(shared().join("samples/000_827a4d4c4b0bcbf4.txt"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["layers"].get("entities").is_none());
}

#[test]
fn text_summary_lists_entities() {
    parallax()
        .args(["analyze", "--format", "text"])
        .arg(shared().join("samples/000_827a4d4c4b0bcbf4.txt"))
        .assert()
        .success()
        .stdout(predicate::str::contains("Kim Il Sung"))
        .stdout(predicate::str::contains("the Kim regime"));
}

/// The first `n` documents of a CoNLL file, written to `path`.
fn head_docs(src: &Path, n: usize, path: &Path) {
    let text = std::fs::read_to_string(src).unwrap();
    let mut out = String::new();
    let mut docs = 0;
    for line in text.lines() {
        if line.starts_with("-DOCSTART-") {
            docs += 1;
            if docs > n {
                break;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

#[test]
fn train_eval_and_tag_on_a_small_subset() {
    let dir = tempfile::tempdir().unwrap();
    let conll = shared().join("data/conll2003");
    let dev = dir.path().join("dev.txt");
    head_docs(&conll.join("valid.txt"), 15, &dev);
    let model_dir = dir.path().join("model");
    parallax()
        .args([
            "train",
            "ner",
            "--max-docs",
            "60",
            "--epochs",
            "3",
            "--clusters",
            "16,32",
        ])
        .arg("--train")
        .arg(conll.join("train.txt"))
        .arg("--out")
        .arg(&model_dir)
        .assert()
        .success()
        .stderr(predicate::str::contains("epoch  3"));
    let model = model_dir.join("ner.bin");
    // Same seed, same data: the same bytes.
    let first = std::fs::read(&model).unwrap();
    parallax()
        .args([
            "train",
            "ner",
            "--max-docs",
            "60",
            "--epochs",
            "3",
            "--clusters",
            "16,32",
        ])
        .arg("--train")
        .arg(conll.join("train.txt"))
        .arg("--out")
        .arg(&model_dir)
        .assert()
        .success();
    assert_eq!(
        first,
        std::fs::read(&model).unwrap(),
        "training is reproducible"
    );

    let out = parallax()
        .args(["eval", "ner", "--conll"])
        .arg(&dev)
        .arg("--model")
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success());
    let s = String::from_utf8(out.stdout).unwrap();
    for t in ["PER:", "ORG:", "LOC:", "MISC:"] {
        assert!(s.contains(t), "{s}");
    }
    let f1: f64 = s
        .split("F1")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // 60 training documents, 3 epochs: well above chance, well below the shipped model.
    assert!(f1 > 40.0, "F1 {f1} too low:\n{s}");

    let out = parallax()
        .args(["ner", "--conll-in"])
        .arg(&dev)
        .arg("--model")
        .arg(&model)
        .output()
        .unwrap();
    assert!(out.status.success());
    let tagged = String::from_utf8(out.stdout).unwrap();
    let src = std::fs::read_to_string(&dev).unwrap();
    let src_tokens: Vec<&str> = src.lines().filter(|l| !l.trim().is_empty()).collect();
    let out_tokens: Vec<&str> = tagged.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(src_tokens.len(), out_tokens.len());
    for (a, b) in src_tokens.iter().zip(&out_tokens) {
        assert!(b.starts_with(a), "{b:?} does not extend {a:?}");
        let tag = b.rsplit(' ').next().unwrap();
        assert!(
            tag == "O" || tag.starts_with("B-") || tag.starts_with("I-"),
            "{b}"
        );
    }
}

#[test]
fn shipped_model_scores_on_held_out_documents() {
    let dir = tempfile::tempdir().unwrap();
    let dev = dir.path().join("dev.txt");
    head_docs(&shared().join("data/conll2003/valid.txt"), 10, &dev);
    parallax()
        .args(["eval", "ner", "--conll"])
        .arg(&dev)
        .assert()
        .success()
        .stdout(predicate::str::contains("precision"));
}

#[test]
fn bad_conll_input_is_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "EU NNP B-NP B-ORG\nrejects VBZ B-VP Z\n").unwrap();
    parallax()
        .args(["eval", "ner", "--conll"])
        .arg(&bad)
        .assert()
        .failure()
        .stderr(predicate::str::contains("bad.txt: line 2"));
    parallax()
        .args(["ner", "--conll-in", "no/such/file.conll"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no/such/file.conll"));
}
