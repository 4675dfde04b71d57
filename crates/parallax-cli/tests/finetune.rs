//! CLI tests of `parallax train checkworthy-encoder` (the encoder fine-tuned
//! in Rust) and of scoring with the model folder it writes, on a tiny
//! random encoder so that they run in seconds (the real run starts from
//! all-MiniLM-L6-v2 and takes minutes an epoch; models/checkworthy/README.md).

use assert_cmd::Command;
use parallax_compare::full::{Config, FullModel};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn train_tsv() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/checkworthy/CT24_checkworthy_english_train.tsv");
    assert!(p.exists(), "missing shared data: {}", p.display());
    p
}

fn parallax() -> Command {
    Command::cargo_bin("parallax").unwrap()
}

/// Runs `parallax ARGS...` (paths as they are), expects success, returns stdout.
fn stdout_of(args: &[&std::ffi::OsStr]) -> String {
    let out = parallax()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// A random 2-layer, 32-wide encoder whose vocabulary is the 400 most
/// frequent words of the first rows of the TSV, written as a model folder.
fn tiny_encoder(dir: &Path, rows: usize) {
    let text = std::fs::read_to_string(train_tsv()).unwrap();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for line in text.lines().skip(1).take(rows) {
        let t = line.split('\t').nth(1).unwrap_or("");
        for w in t
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
        {
            *counts.entry(w.to_lowercase()).or_default() += 1;
        }
    }
    let mut words: Vec<_> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut vocab = String::from("[PAD]\n[UNK]\n[CLS]\n[SEP]\n");
    for (w, _) in words.iter().take(400) {
        vocab.push_str(w);
        vocab.push('\n');
    }
    let config = Config {
        hidden: 32,
        layers: 2,
        heads: 4,
        intermediate: 64,
        max_positions: 128,
        eps: 1e-12,
    };
    let m = FullModel::random(config, &vocab, 11).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("vocab.txt"), vocab).unwrap();
    std::fs::write(
        dir.join("config.json"),
        r#"{"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
           "intermediate_size": 64, "max_position_embeddings": 128, "layer_norm_eps": 1e-12}"#,
    )
    .unwrap();
    std::fs::write(dir.join("model.safetensors"), m.to_safetensors()).unwrap();
}

fn value_after(out: &str, prefix: &str) -> f64 {
    let line = out
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?} in {out}"));
    line[prefix.len()..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Fine-tunes a tiny random encoder on the first 1,500 rows (`--lr
/// 0.001`, plus `extra` options) into `dir/tuned`; returns what the
/// trainer printed and the folder.
fn train_tiny(dir: &Path, extra: &[&str]) -> (String, PathBuf) {
    let base = dir.join("base");
    let out_dir = dir.join("tuned");
    tiny_encoder(&base, 1500);
    let tsv = train_tsv();
    let mut args: Vec<&std::ffi::OsStr> = [
        "train",
        "checkworthy-encoder",
        "--limit",
        "1500",
        "--lr",
        "0.001",
    ]
    .iter()
    .chain(extra)
    .map(|a| a.as_ref())
    .collect();
    args.extend([
        "--tsv".as_ref(),
        tsv.as_os_str(),
        "--model-dir".as_ref(),
        base.as_os_str(),
        "--out".as_ref(),
        out_dir.as_os_str(),
    ]);
    (stdout_of(&args), out_dir)
}

/// The first 1,500 rows of the training file (those `train_tiny` read) as
/// `dir/small.tsv`.
fn first_rows(dir: &Path) -> PathBuf {
    let rows: String = std::fs::read_to_string(train_tsv())
        .unwrap()
        .lines()
        .take(1501)
        .map(|l| format!("{l}\n"))
        .collect();
    let small = dir.join("small.tsv");
    std::fs::write(&small, rows).unwrap();
    small
}

/// Fine-tunes on a small subset, writes the model folder, and scores it
/// again through `eval checkworthy` and `checkworthy`: the held-out F1
/// printed by training is the one the saved model gives (threshold folded
/// into the bias, weights round-tripped through safetensors).
#[test]
fn finetune_a_tiny_encoder_and_score_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (out, out_dir) = train_tiny(dir.path(), &["--epochs", "2"]);
    assert!(out.contains("epoch 2: dev F1"), "{out}");
    assert!(out.contains("chosen on dev: epoch"), "{out}");
    let trained_f1 = value_after(&out, "held-out F1 ");
    // the tiny encoder learns something: it calls some sentences
    // check-worthy and gets some of them right
    assert!(trained_f1 > 0.2, "{out}");
    for f in ["config.json", "vocab.txt", "model.safetensors"] {
        assert!(out_dir.join(f).exists(), "{f} not written");
    }
    let cfg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("config.json")).unwrap()).unwrap();
    assert_eq!(cfg["parallax_classifier"]["seed"], 42);
    assert_eq!(cfg["parallax_classifier"]["lr"], 0.001);

    let small = first_rows(dir.path());
    let score = |cmd: &[&str]| {
        let mut args: Vec<&std::ffi::OsStr> = cmd.iter().map(|a| a.as_ref()).collect();
        args.extend([
            "--tsv".as_ref(),
            small.as_os_str(),
            "--model-dir".as_ref(),
            out_dir.as_os_str(),
        ]);
        stdout_of(&args)
    };
    let out = score(&["eval", "checkworthy", "--split", "heldout"]);
    assert!(out.contains("fine-tuned encoder"), "{out}");
    let eval_f1 = value_after(&out, "F1 ");
    assert!(
        (eval_f1 - trained_f1).abs() < 1e-4,
        "train said {trained_f1}, eval says {eval_f1}"
    );

    // the news sentences of `eval claims`, scored by the folder's encoder
    let texts = train_tsv().parent().unwrap().join("../polnear/dev/text");
    let labels = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/claims_news/labels.tsv");
    let out = stdout_of(&[
        "eval".as_ref(),
        "claims".as_ref(),
        "--split".as_ref(),
        "test".as_ref(),
        "--texts".as_ref(),
        texts.as_ref(),
        "--labels".as_ref(),
        labels.as_ref(),
        "--model-dir".as_ref(),
        out_dir.as_ref(),
    ]);
    assert!(out.contains("scores from the fine-tuned encoder"), "{out}");
    assert!(out.contains("layer     0.50:"), "{out}");

    // analyze: the claims layer scored by the folder's encoder
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/article.txt");
    let out = stdout_of(&[
        "analyze".as_ref(),
        sample.as_ref(),
        "--claims-model-dir".as_ref(),
        out_dir.as_ref(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let claims = &v["layers"]["claims"];
    assert_eq!(claims["model"], "checkworthy-finetuned-encoder");
    let sents = claims["sentences"].as_array().unwrap();
    assert!(!sents.is_empty());
    for s in sents {
        assert_eq!(s["cues"][0]["feature"], "m:fine-tuned-encoder", "{s}");
        let p = s["score"].as_f64().unwrap();
        assert_eq!(s["label"] == "check-worthy", p >= 0.5, "{s}");
    }

    let out = score(&["checkworthy", "--split", "dev"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Sentence_id\tscore");
    assert!(lines.len() > 50, "{} dev rows", lines.len() - 1);
    for l in &lines[1..] {
        let s: f32 = l.split('\t').nth(1).unwrap().parse().unwrap();
        assert!((0.0..=1.0).contains(&s), "{l}");
    }
}

#[test]
fn missing_base_model_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    parallax()
        .args(["train", "checkworthy-encoder", "--limit", "100"])
        .arg("--tsv")
        .arg(train_tsv())
        .arg("--model-dir")
        .arg(dir.path().join("nope"))
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("config.json"));
}

/// `--int8` writes the weight matrices in 8 bits (I8 tensors with their
/// row scales) and prints the held-out F1 of what it wrote: scoring the
/// folder again gives the same figure.
#[test]
fn finetune_with_int8_writes_what_it_scored() {
    let dir = tempfile::tempdir().unwrap();
    let (out, out_dir) = train_tiny(dir.path(), &["--int8", "--epochs", "1"]);
    assert!(out.contains("weights rounded to int8"), "{out}");
    let trained_f1 = value_after(&out, "held-out F1 ");
    let cfg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("config.json")).unwrap()).unwrap();
    assert_eq!(cfg["parallax_classifier"]["int8"], true);
    let file = std::fs::read(out_dir.join("model.safetensors")).unwrap();
    let n = u64::from_le_bytes(file[..8].try_into().unwrap()) as usize;
    let header = String::from_utf8_lossy(&file[8..8 + n]);
    assert!(
        header.contains(r#""dtype":"I8""#) && header.contains(".row_scale"),
        "{header}"
    );
    // the held-out rows among the 1,500 trained from
    let small = first_rows(dir.path());
    let out = stdout_of(&[
        "eval".as_ref(),
        "checkworthy".as_ref(),
        "--split".as_ref(),
        "heldout".as_ref(),
        "--tsv".as_ref(),
        small.as_ref(),
        "--model-dir".as_ref(),
        out_dir.as_ref(),
    ]);
    let eval_f1 = value_after(&out, "F1 ");
    assert!(
        (eval_f1 - trained_f1).abs() < 1e-4,
        "train said {trained_f1}, eval says {eval_f1}"
    );
}

fn ptc_dir() -> PathBuf {
    train_tsv().parent().unwrap().join("../ptc")
}

/// `train techniques-encoder` on the first 24 PTC articles with a tiny
/// encoder (one epoch, int8, plus `extra`) into `dir/tuned`; returns what
/// it printed, the folder, and the base encoder's folder.
fn train_techniques(dir: &Path, extra: &[&str]) -> (String, PathBuf, PathBuf) {
    let base = dir.join("base");
    let out_dir = dir.join("tuned");
    tiny_encoder(&base, 1500);
    let ptc = ptc_dir();
    let mut args: Vec<&std::ffi::OsStr> = [
        "train",
        "techniques-encoder",
        "--limit",
        "24",
        "--epochs",
        "1",
        "--lr",
        "0.001",
        "--int8",
    ]
    .iter()
    .chain(extra)
    .map(|a| a.as_ref())
    .collect();
    args.extend([
        "--data".as_ref(),
        ptc.as_os_str(),
        "--model-dir".as_ref(),
        base.as_os_str(),
        "--out".as_ref(),
        out_dir.as_os_str(),
    ]);
    (stdout_of(&args), out_dir, base)
}

/// The first 24 PTC articles (those `train_techniques` read) in `dir/articles`.
fn first_articles(dir: &Path) -> PathBuf {
    let arts = dir.join("articles");
    std::fs::create_dir_all(&arts).unwrap();
    let mut names: Vec<PathBuf> = std::fs::read_dir(ptc_dir().join("train-articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in names.iter().take(24) {
        std::fs::copy(p, arts.join(p.file_name().unwrap())).unwrap();
    }
    arts
}

/// The rest of the first line of `text` that starts with `prefix`.
fn line_after(text: &str, prefix: &str) -> String {
    let l = text
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?} in {text}"));
    l[prefix.len()..].to_string()
}

/// `eval techniques --task si --held-out` of `arts` with the tagger in
/// `enc`: its "precision P  recall R  F1 F" line.
fn eval_si_with(arts: &Path, enc: &Path) -> String {
    let labels = ptc_dir().join("train-labels-TC");
    let args: Vec<&std::ffi::OsStr> = ["eval", "techniques", "--task", "si", "--held-out"]
        .iter()
        .map(|a| a.as_ref())
        .chain([
            "--articles".as_ref(),
            arts.as_os_str(),
            "--labels".as_ref(),
            labels.as_os_str(),
            "--encoder-dir".as_ref(),
            enc.as_os_str(),
        ])
        .collect();
    format!("precision {}", line_after(&stdout_of(&args), "precision "))
}

/// `train techniques-encoder` writes a folder whose mix and decoding
/// `eval techniques --encoder-dir` reads back: the held-out SI figures the
/// trainer printed are the ones eval gives on the same articles (int8
/// weights included), and the encoder counts.
#[test]
fn finetune_a_tiny_techniques_tagger_and_score_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (out, out_dir, base) = train_techniques(dir.path(), &[]);
    assert!(out.contains("epoch 1: dev word-piece F1"), "{out}");
    assert!(
        out.contains("dev SI F1") && out.contains("at mix 1.0"),
        "{out}"
    );
    let trained = line_after(&out, "held-out SI, encoder mixed in: ");
    let cfg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("config.json")).unwrap()).unwrap();
    let c = &cfg["parallax_techniques_encoder"];
    assert_eq!((&c["seed"], &c["refit"]), (&42.into(), &false.into()));
    assert!(c["mix"].as_f64().is_some_and(|m| (0.0..=1.0).contains(&m)));
    let arts = first_articles(dir.path());
    assert_eq!(eval_si_with(&arts, &out_dir), trained, "{out}");
    // with the mix set to 0 (the linear tagger alone) or 1 (the encoder
    // alone) eval gives other spans
    let with_mix = |mix: f64| {
        let mut c = cfg.clone();
        c["parallax_techniques_encoder"]["mix"] = mix.into();
        std::fs::write(out_dir.join("config.json"), c.to_string()).unwrap();
        eval_si_with(&arts, &out_dir)
    };
    assert_ne!(with_mix(0.0), with_mix(1.0));
    // a folder without a techniques tagger is a clear error
    parallax()
        .args(["eval", "techniques", "--task", "si", "--held-out"])
        .arg("--articles")
        .arg(&arts)
        .arg("--labels")
        .arg(ptc_dir().join("train-labels-TC"))
        .arg("--encoder-dir")
        .arg(&base)
        .assert()
        .failure()
        .stderr(predicates::str::contains("no techniques tagger in it"));
}

/// `--refit` trains a fresh encoder on train and dev after the choices on
/// dev, and the folder holds that one (what the trainer scored).
#[test]
fn refit_keeps_the_encoder_trained_on_train_and_dev() {
    let dir = tempfile::tempdir().unwrap();
    let (out, out_dir, _) = train_techniques(dir.path(), &["--refit"]);
    assert!(
        out.contains("refit: a fresh encoder on train and dev"),
        "{out}"
    );
    let cfg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("config.json")).unwrap()).unwrap();
    assert_eq!(cfg["parallax_techniques_encoder"]["refit"], true);
    let trained = line_after(&out, "held-out SI, encoder mixed in: ");
    let arts = first_articles(dir.path());
    assert_eq!(eval_si_with(&arts, &out_dir), trained, "{out}");
}
