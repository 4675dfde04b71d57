//! CLI tests of the `quantities` and `claims` layers and the check-worthiness
//! commands, run against the real binary and the shared data.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn train_tsv() -> PathBuf {
    let p = shared().join("data/checkworthy/CT24_checkworthy_english_train.tsv");
    assert!(p.exists(), "missing shared data: {}", p.display());
    p
}

fn parallax() -> Command {
    Command::cargo_bin("parallax").unwrap()
}

fn f1_of(stdout: &str) -> f64 {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("F1 "))
        .unwrap_or_else(|| panic!("no F1 line in {stdout}"));
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Trains on a small subset, then scores that model on its held-out part:
/// keeps the training code honest in CI (seconds in a debug build).
#[test]
fn train_and_eval_on_a_small_subset() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("cw.bin");
    let out = parallax()
        .args([
            "train",
            "checkworthy",
            "--limit",
            "4000",
            "--epochs",
            "4",
            "--bits",
            "16",
        ])
        .arg("--tsv")
        .arg(train_tsv())
        .arg("--out")
        .arg(&model)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("held-out F1"), "{out}");
    assert!(model.exists());

    let out = parallax()
        .args(["eval", "checkworthy", "--split", "heldout"])
        .arg("--tsv")
        .arg(train_tsv())
        .arg("--model")
        .arg(&model)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let f1 = f1_of(&out);
    // A 3,200-sentence model is weaker than the shipped one, yet far above
    // the all-"Yes" baseline (F1 about 0.39 at 24% positives).
    assert!(f1 > 0.5, "F1 {f1}: {out}");

    // Same seed, same data: the same model file, byte for byte.
    let model2 = dir.path().join("cw2.bin");
    parallax()
        .args([
            "train",
            "checkworthy",
            "--limit",
            "4000",
            "--epochs",
            "4",
            "--bits",
            "16",
        ])
        .arg("--tsv")
        .arg(train_tsv())
        .arg("--out")
        .arg(&model2)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&model).unwrap(),
        std::fs::read(&model2).unwrap()
    );
}

/// Runs `eval checkworthy --split heldout` with extra options and returns
/// its stdout.
fn eval_heldout(extra: &[&str]) -> String {
    let out = parallax()
        .args(["eval", "checkworthy", "--split", "heldout"])
        .args(extra)
        .arg("--tsv")
        .arg(train_tsv())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// The shipped models on the held-out part of the split they were trained
/// with: the embedded fine-tuned encoder (the default) and the embedded
/// linear model (`--linear`).
#[test]
fn embedded_models_meet_their_scores_on_heldout() {
    let out = eval_heldout(&[]);
    assert!(out.contains("checkworthy-encoder-v1"), "{out}");
    assert!(!out.contains("note:"), "{out}");
    let f1 = f1_of(&out);
    // The issue's target is 0.70; the encoder scores 0.739 (model card).
    // This floor catches regressions of the model, its int8 loading or the
    // tokenizer.
    assert!(f1 >= 0.72, "F1 {f1}: {out}");
    let out = eval_heldout(&["--linear"]);
    assert!(out.contains("checkworthy-lr-v2"), "{out}");
    let f1 = f1_of(&out);
    // the linear model scores 0.682 (model card)
    assert!(f1 >= 0.67, "F1 {f1}: {out}");
}

/// The options that choose a model refuse what does not fit together.
#[test]
fn model_options_that_do_not_fit_together_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("x.tsv");
    std::fs::write(&tsv, "Sentence_id\tText\tclass_label\n1\tThank you.\tNo\n").unwrap();
    // the embedded encoder is int8 already; --int8 rounds a folder's model
    let err = one_line_error(
        parallax()
            .args(["checkworthy", "--int8", "--tsv"])
            .arg(&tsv),
    );
    assert!(
        err.contains("--int8") && err.contains("--model-dir"),
        "{err}"
    );
    // --linear names a model, so does --model
    parallax()
        .args(["checkworthy", "--linear", "--model", "m.json", "--tsv"])
        .arg(&tsv)
        .assert()
        .failure()
        .stderr(predicates::str::contains("cannot be used with"));
}

#[test]
fn checkworthy_writes_id_tab_score() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("x.tsv");
    std::fs::write(
        &tsv,
        "Sentence_id\tText\tclass_label\n1\tThank you very much.\tNo\n2\tWe cut taxes by 40 percent in 1985 and created 3 million jobs.\tYes\n3\tGood evening.\n",
    )
    .unwrap();
    let out = parallax()
        .arg("checkworthy")
        .arg("--tsv")
        .arg(&tsv)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Sentence_id\tscore");
    assert_eq!(lines.len(), 4, "{out}");
    let scores: Vec<f64> = lines[1..]
        .iter()
        .map(|l| {
            let (id, s) = l.split_once('\t').unwrap();
            assert!(["1", "2", "3"].contains(&id));
            let s: f64 = s.parse().unwrap();
            assert!((0.0..=1.0).contains(&s));
            s
        })
        .collect();
    assert!(scores[1] > 0.5 && scores[0] < 0.5, "{out}");
}

/// Runs a command that must fail, and returns its stderr, checked to be one line.
fn one_line_error(cmd: &mut Command) -> String {
    let out = cmd.assert().failure().get_output().stderr.clone();
    let err = String::from_utf8(out).unwrap();
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    err
}

#[test]
fn bad_tsv_is_a_one_line_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("bad.tsv");
    std::fs::write(&tsv, "Sentence_id\tText\tclass_label\n1\tHello\tMaybe\n").unwrap();
    let err = one_line_error(parallax().args(["eval", "checkworthy", "--tsv"]).arg(&tsv));
    assert!(err.contains("bad.tsv") && err.contains("line 2"), "{err}");
    parallax()
        .args(["checkworthy", "--tsv", "/nonexistent/x.tsv"])
        .assert()
        .failure();
}

/// `--model-dir` goes with a model trained with the full encoder, or holds
/// a fine-tuned classifier itself: a plain encoder folder with the embedded
/// model is refused with one line saying why, and a missing folder with one
/// line naming the file it lacks.
#[test]
fn model_dir_with_a_model_that_needs_no_encoder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = dir.path().join("x.tsv");
    std::fs::write(&tsv, "Sentence_id\tText\tclass_label\n1\tThank you.\tNo\n").unwrap();
    // a tiny plain encoder (no classifier head)
    let enc = dir.path().join("enc");
    std::fs::create_dir_all(&enc).unwrap();
    let vocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthank\nyou\n.";
    let config = parallax_compare::full::Config {
        hidden: 8,
        layers: 1,
        heads: 2,
        intermediate: 16,
        max_positions: 16,
        eps: 1e-12,
    };
    let m = parallax_compare::full::FullModel::random(config, vocab, 1).unwrap();
    std::fs::write(enc.join("vocab.txt"), vocab).unwrap();
    std::fs::write(
        enc.join("config.json"),
        r#"{"hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2,
           "intermediate_size": 16, "max_position_embeddings": 16}"#,
    )
    .unwrap();
    std::fs::write(enc.join("model.safetensors"), m.to_safetensors()).unwrap();
    for args in [&["checkworthy"][..], &["eval", "checkworthy"][..]] {
        let err = one_line_error(
            parallax()
                .args(args)
                .arg("--tsv")
                .arg(&tsv)
                .arg("--model-dir")
                .arg(&enc),
        );
        assert!(
            err.contains("--model-dir") && err.contains("no outside encoder"),
            "{err}"
        );
        let err = one_line_error(
            parallax()
                .args(args)
                .arg("--tsv")
                .arg(&tsv)
                .args(["--model-dir", "/nonexistent/minilm"]),
        );
        assert!(
            err.contains("--model-dir /nonexistent/minilm") && err.contains("config.json"),
            "{err}"
        );
    }
}

/// `analyze --format json` of one file, with extra options.
fn analyze_json(path: &Path, extra: &[&str]) -> Value {
    let out = parallax()
        .args(["analyze", "--format", "json", "--no-progress"])
        .args(extra)
        .arg(path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn analyze_sample(name: &str) -> Value {
    analyze_json(&shared().join("samples").join(name), &[])
}

fn find<'a>(items: &'a Value, text: &str) -> &'a Value {
    items
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["text"] == text)
        .unwrap_or_else(|| panic!("{text:?} not found"))
}

fn close(v: &Value, want: f64) -> bool {
    (v.as_f64().unwrap() - want).abs() <= want.abs() * 1e-6 + 1e-3
}

/// Spans are code points into the text, and `text` is their evidence.
fn check_span(doc_text: &str, x: &Value) {
    let chars: Vec<char> = doc_text.chars().collect();
    let (s, e) = (
        x["span"]["start"].as_u64().unwrap() as usize,
        x["span"]["end"].as_u64().unwrap() as usize,
    );
    let got: String = chars[s..e].iter().collect();
    assert_eq!(got, x["text"].as_str().unwrap());
}

#[test]
fn sample_001_amounts_percentages_and_dates() {
    let v = analyze_sample("001_040e6ada96cce161.txt");
    let text = v["document"]["text"].as_str().unwrap();
    let q = &v["layers"]["quantities"]["quantities"];
    for x in q.as_array().unwrap() {
        check_span(text, x);
    }
    let x = find(q, "around $3.8 billion");
    assert!(close(&x["value"], 3.8e9) && x["currency"] == "USD" && x["comparator"] == "~");
    let x = find(q, "up to $3.8 billion annually");
    assert!(x["comparator"] == "<=" && x["per"] == "year");
    let x = find(q, "over 40 percent");
    assert!(close(&x["value"], 40.0) && x["unit"] == "%" && x["comparator"] == ">");
    assert_eq!(x["qualifier"], "over");
    let x = find(q, "over 99%");
    assert!(close(&x["value"], 99.0) && x["comparator"] == ">");
    let x = find(q, "0.11 percent");
    assert!(close(&x["value"], 0.11) && x["kind"] == "percent");
    let x = find(q, "$14.3 billion");
    assert!(close(&x["value"], 14.3e9) && x["currency"] == "USD");
    let x = find(q, "$1.7 trillion");
    assert!(close(&x["value"], 1.7e12));
    let x = find(q, "over 635,000 tons");
    assert!(close(&x["value"], 635000.0) && x["unit"] == "tons");
    assert_eq!(x["counted"]["text"], "bombs");
    let x = find(q, "140 million");
    assert!(close(&x["value"], 1.4e8));
    assert_eq!(x["counted"]["text"], "poor people");

    let d = &v["layers"]["quantities"]["dates"];
    for x in d.as_array().unwrap() {
        check_span(text, x);
    }
    assert_eq!(find(d, "September 2022")["value"], "2022-09");
    assert_eq!(find(d, "November 2")["value"], "--11-02");
    assert_eq!(find(d, "March 1 this year")["value"], "--03-01");
    assert_eq!(find(d, "1970s")["value"], "197X");
    assert_eq!(find(d, "1980s")["granularity"], "decade");
    assert_eq!(find(d, "June 25, 1950")["value"], "1950-06-25");
    assert_eq!(find(d, "August 1948")["value"], "1948-08");
    assert_eq!(find(d, "October 12, 2023")["value"], "2023-10-12");
    // Years are dates, never counts.
    assert!(q.as_array().unwrap().iter().all(|x| x["text"] != "1948"));
}

#[test]
fn sample_000_counts_fractions_and_dates() {
    let v = analyze_sample("000_827a4d4c4b0bcbf4.txt");
    let text = v["document"]["text"].as_str().unwrap();
    let q = &v["layers"]["quantities"]["quantities"];
    for x in q.as_array().unwrap() {
        check_span(text, x);
    }
    let x = find(q, "Around 120,000");
    assert!(close(&x["value"], 120000.0) && x["comparator"] == "~");
    assert_eq!(x["counted"]["text"], "men, women, and children");
    let x = find(q, "one-third");
    assert!(close(&x["value"], 0.333) && x["kind"] == "fraction");
    let x = find(q, "100,000");
    assert_eq!(x["counted"]["text"], "workers");
    let d = &v["layers"]["quantities"]["dates"];
    assert_eq!(find(d, "May 24, 1984")["value"], "1984-05-24");
    assert_eq!(find(d, "October 16, 1986")["value"], "1986-10-16");
    assert_eq!(find(d, "October 1973")["value"], "1973-10");
    assert_eq!(find(d, "October 7")["value"], "--10-07");
}

#[test]
fn claims_layer_scores_every_sentence_of_a_sample() {
    let v = analyze_sample("001_040e6ada96cce161.txt");
    let text = v["document"]["text"].as_str().unwrap();
    let c = &v["layers"]["claims"];
    let sents = c["sentences"].as_array().unwrap();
    assert_eq!(
        sents.len(),
        v["segments"]["sentences"].as_array().unwrap().len()
    );
    let mut yes = 0;
    for s in sents {
        check_span(text, s);
        let score = s["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score));
        assert_eq!(s["label"] == "check-worthy", score >= 0.5);
        yes += (score >= 0.5) as usize;
    }
    assert_eq!(c["check_worthy"].as_u64().unwrap() as usize, yes);
    // The sentence with "$14.3 billion" reads as a checkable claim.
    let s = sents
        .iter()
        .find(|s| s["text"].as_str().unwrap().contains("$14.3 billion"))
        .unwrap();
    assert_eq!(s["label"], "check-worthy", "{s}");
}

#[test]
fn text_summary_lists_quantities_and_claims() {
    let p = shared().join("samples/001_040e6ada96cce161.txt");
    let out = parallax()
        .args(["analyze", "--format", "text", "--no-progress"])
        .arg(&p)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("\"over 40 percent\" = > 40 %"), "{out}");
    assert!(out.contains("\"$14.3 billion\" = 14300000000 USD"), "{out}");
    assert!(out.contains("check-worthy sentences:"), "{out}");
}

/// `eval claims` runs `analyze` on each labelled article and scores its
/// claims layer against the labelled sentences; a span the layer does not
/// cut is counted apart, and a malformed labels file is named with its line.
#[test]
fn eval_claims_scores_the_layer_on_labelled_sentences() {
    let dir = tempfile::tempdir().unwrap();
    let text = "The Senate passed the highway bill on Tuesday by a vote of 83 to 16. \
                Thank you all so much for coming tonight.";
    std::fs::write(dir.path().join("a.txt"), text).unwrap();
    let cut = text.find(" Thank").unwrap();
    let labels = dir.path().join("labels.tsv");
    std::fs::write(
        &labels,
        format!(
            "split\tarticle\tstart\tend\tlabel\ntest\ta\t0\t{cut}\tY\ntest\ta\t{}\t{}\tN\ntune\ta\t0\t5\tY\n",
            cut + 1,
            text.chars().count()
        ),
    )
    .unwrap();
    let eval_with = |split: &str, extra: &[&str]| {
        let out = parallax()
            .args(["eval", "claims", "--split", split])
            .args(extra)
            .arg("--labels")
            .arg(&labels)
            .arg("--texts")
            .arg(dir.path())
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let eval = |split: &str| eval_with(split, &[]);
    let out = eval("test");
    for want in [
        "2 labelled news sentences (1 Y, 1 N) of 1 articles, split test",
        "AUC (Y against N) 1.0000 on 2 sentences (0 spans not found)",
        "layer     0.50: labelled check-worthy    1 of 2 (gold 1)  F1 1.0000",
        "layer F1 95% interval over articles 1.0000-1.0000 (1,000 bootstrap resamples of the 1 articles",
    ] {
        assert!(out.contains(want), "{want}\n{out}");
    }
    // the tune line's span is no sentence of the layer
    assert!(eval("all").contains("(1 spans not found)"));
    // the same sentences scored by the embedded fine-tuned encoder
    let out = eval_with("test", &["--encoder"]);
    for want in [
        "scores from the embedded fine-tuned encoder checkworthy-encoder-v1",
        "AUC (Y against N) 1.0000 on 2 sentences (0 spans not found)",
    ] {
        assert!(out.contains(want), "{want}\n{out}");
    }
    std::fs::write(&labels, "test\ta\t0\t10\tmaybe\n").unwrap();
    parallax()
        .args(["eval", "claims", "--labels"])
        .arg(&labels)
        .arg("--texts")
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicates::str::contains("labels.tsv: line 1"));
}

/// `analyze --claims-encoder` scores the claims layer with the embedded
/// fine-tuned encoder, names it, and says so in each sentence's cue.
#[test]
fn analyze_claims_encoder_scores_with_the_embedded_encoder() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/article.txt");
    let v = analyze_json(&sample, &["--claims-encoder"]);
    let text = v["document"]["text"].as_str().unwrap();
    let c = &v["layers"]["claims"];
    assert_eq!(c["model"], "checkworthy-encoder-v1");
    let sents = c["sentences"].as_array().unwrap();
    assert!(!sents.is_empty());
    let mut yes = 0;
    for s in sents {
        check_span(text, s);
        assert_eq!(s["cues"][0]["feature"], "m:fine-tuned-encoder", "{s}");
        let p = s["score"].as_f64().unwrap();
        assert_eq!(s["label"] == "check-worthy", p >= 0.5, "{s}");
        yes += (p >= 0.5) as usize;
    }
    assert_eq!(c["check_worthy"].as_u64().unwrap() as usize, yes);
    // the default stays the linear model; the two options exclude each other
    let v = analyze_json(&sample, &[]);
    assert_eq!(v["layers"]["claims"]["model"], "checkworthy-lr-v2");
    parallax()
        .args(["analyze", "--claims-encoder", "--claims-model-dir", "/tmp"])
        .arg(&sample)
        .assert()
        .failure()
        .stderr(predicates::str::contains("cannot be used with"));
}

/// `analyze --claims-explain` scores with the embedded encoder and gives
/// each check-worthy sentence the words whose removal lowers its score
/// most: words of the sentence, by decreasing drop; other sentences keep
/// the one encoder cue.
#[test]
fn claims_explain_gives_the_words_that_raised_the_score() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/article.txt");
    let v = analyze_json(&sample, &["--claims-explain"]);
    let c = &v["layers"]["claims"];
    assert_eq!(c["model"], "checkworthy-encoder-v1");
    let mut explained = 0;
    for s in c["sentences"].as_array().unwrap() {
        let cues = s["cues"].as_array().unwrap();
        assert_eq!(cues[0]["feature"], "m:fine-tuned-encoder", "{s}");
        if s["label"] != "check-worthy" {
            assert_eq!(cues.len(), 1, "{s}");
            continue;
        }
        let text = s["text"].as_str().unwrap().to_lowercase();
        let mut last = f64::INFINITY;
        for cue in &cues[1..] {
            let w = cue["feature"].as_str().unwrap().strip_prefix("w:").unwrap();
            assert!(text.contains(w), "{w} not in {text}");
            let d = cue["weight"].as_f64().unwrap();
            assert!(d > 0.1 && d <= last, "{s}");
            last = d;
            explained += 1;
        }
    }
    assert!(explained > 0, "no word cues: {c}");
    // the headline's amount is one of the reasons it reads as a claim
    let head = &c["sentences"][0];
    assert!(
        head["cues"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["feature"] == "w:48.5"),
        "{head}"
    );
}
