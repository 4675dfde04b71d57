//! CLI tests of `parallax compare`, `parallax cluster` and `parallax eval cluster`.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/samples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|x| x == "txt"));
    v.sort();
    v
}

/// Two stories of two short articles each.
const TWO_STORIES: [&str; 4] = [
    "The central bank raised interest rates by half a point on Tuesday, citing inflation. Governor Lagarde said more hikes may follow.",
    "Interest rates went up half a point as the central bank fights inflation, Lagarde told reporters on Tuesday.",
    "The football club won the cup final 3-1 after extra time in Madrid. Striker Benzema scored twice.",
    "Benzema scored two goals as the club beat its rivals 3-1 in the cup final in Madrid.",
];

/// Stdout of `parallax ARGS PATHS`, which must succeed.
fn stdout_of(args: &[&str], paths: &[PathBuf]) -> Vec<u8> {
    let out = Command::cargo_bin("parallax")
        .unwrap()
        .args(args)
        .args(paths)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn json(args: &[&str], paths: &[PathBuf]) -> serde_json::Value {
    serde_json::from_slice(&stdout_of(args, paths)).unwrap()
}

#[test]
fn compare_samples_shows_kim_quotes_shared_claim_and_naming() {
    let s = samples();
    if s.len() < 2 {
        eprintln!("skipped: ../shared/samples not found");
        return;
    }
    let c = json(&["compare"], &s);
    assert_eq!(c["schema"], "compare/1.1");
    // Kim Il Sung is quoted in both articles, side by side
    let kim = c["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["speaker"] == "Kim Il Sung")
        .expect("Kim Il Sung quotes");
    for side in kim["by_article"].as_array().unwrap() {
        assert!(!side.as_array().unwrap().is_empty(), "{kim}");
    }
    // the passages on North Korea's support of Palestinian groups in the
    // 1970s/1980s align side by side; at their pair score most labelled
    // pairs are two facts on one topic, so they are shown as related, with
    // that probability, and never as a contradiction
    let aligned = c["aligned"].as_array().unwrap();
    let shared = aligned.iter().find(|a| {
        a["sides"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["text"].as_str().unwrap().contains("1970s and 1980s"))
    });
    let shared = shared.expect("aligned claim about the 1970s and 1980s");
    assert_eq!(shared["label"], "related", "{shared}");
    let p = shared["confidence"].as_f64().unwrap();
    assert!(p > 0.0 && p < 0.5, "{shared}");
    // a section heading is no claim, and two different interviews (1986,
    // 1971) are not one claim with two dates
    for a in aligned {
        for side in a["sides"].as_array().unwrap() {
            assert_ne!(side["text"], "Pro-North Korea, pro-Hamas", "{a}");
        }
        assert_ne!(a["label"], "different_values", "{a}");
    }
    // naming: Israel and North Korea named in both, Hamas in one
    let naming = c["naming"].as_array().unwrap();
    for e in ["Israel", "North Korea"] {
        let n = naming
            .iter()
            .find(|n| n["entity"] == e)
            .unwrap_or_else(|| panic!("no naming for {e}"));
        for side in n["by_article"].as_array().unwrap() {
            assert!(!side.as_array().unwrap().is_empty(), "{e}: {n}");
        }
    }
    assert!(naming.iter().any(|n| n["entity"] == "Hamas"));
    // the second article's own spelling `north Korea` is one of its names
    // for North Korea, beside the first article's `North Korea`
    let nk = naming
        .iter()
        .find(|n| n["entity"] == "North Korea")
        .unwrap();
    let forms = |k: usize| -> Vec<&str> {
        nk["by_article"][k]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["text"].as_str().unwrap())
            .collect()
    };
    assert!(forms(0).contains(&"North Korea"), "{nk}");
    assert!(forms(1).contains(&"north Korea"), "{nk}");
    // spans are code points into each text
    let texts: Vec<String> = s
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    for a in aligned {
        for side in a["sides"].as_array().unwrap() {
            let t = &texts[side["article"].as_u64().unwrap() as usize];
            let (st, en) = (
                side["span"]["start"].as_u64().unwrap() as usize,
                side["span"]["end"].as_u64().unwrap() as usize,
            );
            let got: String = t.chars().skip(st).take(en - st).collect();
            assert_eq!(got, side["text"].as_str().unwrap());
        }
    }
}

/// Two articles written to `a.txt` and `b.txt` in a fresh folder.
fn two_articles(ta: &str, tb: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, ta).unwrap();
    std::fs::write(&b, tb).unwrap();
    (dir, a, b)
}

#[test]
fn compare_html_is_self_contained() {
    let (dir, a, b) = two_articles(
        "The House voted to give Israel $14.3 billion in military aid on November 2. Kim Il Sung said: “Israel is an outpost of aggression in the Middle East.”",
        "The House voted to give Israel $12 billion in military aid on November 2. The weather was mild.",
    );
    let html = dir.path().join("r.html");
    Command::cargo_bin("parallax")
        .unwrap()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .arg("--html")
        .arg(&html)
        .assert()
        .success()
        .stdout(predicate::str::contains("different_values"));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("data-target=\"al0\""));
    assert!(!page.contains("src=\"http") && !page.contains("href=\"http"));
}

#[test]
fn compare_bad_input_is_named_and_needs_two() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    std::fs::write(&a, "One article only.").unwrap();
    Command::cargo_bin("parallax")
        .unwrap()
        .arg("compare")
        .arg(&a)
        .arg(dir.path().join("missing.txt"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("missing.txt"))
        .stderr(predicate::str::contains("at least two"));
}

#[test]
fn cluster_groups_stories() {
    let dir = tempfile::tempdir().unwrap();
    for (i, t) in TWO_STORIES.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{i}.txt")), t).unwrap();
    }
    let v = json(
        &["cluster", "--threshold", "0.3", "--no-progress"],
        &[dir.path().to_path_buf()],
    );
    assert_eq!(v["articles"], 4);
    assert_eq!(v["schema"], "cluster/1.1");
    let stories = v["stories"].as_array().unwrap();
    assert_eq!(stories.len(), 2, "{v}");
    assert_eq!(stories[0]["size"], 2);
    // what each story's articles share, in words
    let shared: Vec<Vec<&str>> = stories
        .iter()
        .map(|s| {
            s["shared_names"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap())
                .collect()
        })
        .collect();
    assert!(shared.iter().any(|n| n.contains(&"Lagarde")), "{v}");
    assert!(
        shared
            .iter()
            .any(|n| n.contains(&"Benzema") && n.contains(&"Madrid")),
        "{v}"
    );
}

#[test]
fn eval_cluster_prints_bcubed() {
    let dir = tempfile::tempdir().unwrap();
    let body = |topic: &str| {
        (0..9)
            .map(|i| format!("Sentence {i} about {topic} and its {topic} details here."))
            .collect::<Vec<_>>()
            .join(" ")
    };
    std::fs::write(dir.path().join("a.txt"), body("rockets")).unwrap();
    std::fs::write(dir.path().join("b.txt"), body("elections")).unwrap();
    Command::cargo_bin("parallax")
        .unwrap()
        .args(["eval", "cluster"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("B-cubed precision"))
        .stdout(predicate::str::contains(
            "B-cubed F1 95% interval over stories",
        ))
        .stdout(predicate::str::contains("resamples of the 2 stories"));
}

#[test]
fn eval_cluster_scores_labelled_stories_with_splits_and_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let alone = "A volcano erupted on the island overnight, forcing hundreds of villagers to flee their homes.";
    for (i, t) in TWO_STORIES.iter().chain([&alone]).enumerate() {
        std::fs::write(dir.path().join(format!("article{i}.txt")), t).unwrap();
    }
    let labels = dir.path().join("groups.tsv");
    // ids with or without the `article` prefix; `-`: a story of its own
    std::fs::write(
        &labels,
        "0\trates\ttune\narticle1\trates\ttune\n2\tcup\ttest\n3\tcup\ttest\n4\t-\ttest\n",
    )
    .unwrap();
    // `parallax eval cluster FLAGS DIR --gold GOLD`
    let eval_gold = |flags: &[&str], gold: &Path| {
        let mut c = Command::cargo_bin("parallax").unwrap();
        c.args(["eval", "cluster"])
            .args(flags)
            .arg(dir.path())
            .arg("--gold")
            .arg(gold);
        c
    };
    let run = |split: &str| {
        let out = eval_gold(&["--threshold", "0.3", "--split", split], &labels)
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let all = run("all");
    assert!(
        all.contains("on 5 items (whole articles) of 5 articles"),
        "{all}"
    );
    assert!(
        all.contains("2 stories of 2 or more articles, holding 4 items"),
        "{all}"
    );
    assert!(
        all.contains("B-cubed precision 1.0000  recall 1.0000  F1 1.0000"),
        "{all}"
    );
    // every article alone: full precision, half the recall of a pair
    assert!(
        all.contains("  stories of 2 or more articles: B-cubed precision 1.0000  recall 0.5000"),
        "{all}"
    );
    let test = run("test");
    assert!(test.contains("of 3 articles"), "{test}");
    // --parts with --gold: each part joins its article's story
    let out = eval_gold(&["--parts", "2"], &labels).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("items (2 parts per article)"), "{text}");
    // a malformed labels line and an empty split are errors naming the file
    let bad = dir.path().join("bad.tsv");
    std::fs::write(&bad, "0\trates\n1 rates\n").unwrap();
    eval_gold(&[], &bad)
        .assert()
        .failure()
        .stderr(predicate::str::contains("bad.tsv:2"))
        .stderr(predicate::str::contains("expected `article_id<TAB>story"));
    eval_gold(&["--split", "dev"], &labels)
        .assert()
        .failure()
        .stderr(predicate::str::contains("no article in split dev"));
    // a folder article without a label is an error naming the labels file
    std::fs::write(dir.path().join("article5.txt"), "An unlabelled story.").unwrap();
    eval_gold(&[], &labels)
        .assert()
        .failure()
        .stderr(predicate::str::contains("groups.tsv"))
        .stderr(predicate::str::contains("no label for 1 article(s)"))
        .stderr(predicate::str::contains("article5"));
}

#[test]
fn full_model_dir_without_files_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, "The council voted on Monday.").unwrap();
    std::fs::write(&b, "On Monday the council voted.").unwrap();
    Command::cargo_bin("parallax")
        .unwrap()
        .args(["compare", "--model-dir"])
        .arg(dir.path())
        .arg(&a)
        .arg(&b)
        .assert()
        .failure()
        .stderr(predicate::str::contains("--model-dir"))
        .stderr(predicate::str::contains("config.json"));
    Command::cargo_bin("parallax")
        .unwrap()
        .args(["eval", "embeddings", "--model-dir"])
        .arg(dir.path())
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("config.json"));
}

#[test]
fn text_summary_counts_what_each_article_alone_has() {
    let (_dir, a, b) = two_articles(
        "The House voted to give Israel $14.3 billion in military aid on November 2, 2023. Senator Jane Roe of Ohio said the vote was a mistake.",
        "The House voted to give Israel $14.3 billion in military aid on November 2, 2023. The weather was mild.",
    );
    let out = Command::cargo_bin("parallax")
        .unwrap()
        .args(["compare", "--format", "text"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("[1]") && l.contains("that the other lacks"))
        .unwrap_or_else(|| panic!("{text}"));
    // article 1 alone names Jane Roe and Ohio
    assert!(!line.contains(" 0 entities"), "{line}");
    assert!(text.contains("[2] 0 claims"), "{text}");
}

/// `eval align` runs the comparer on the labelled article pairs and counts
/// its aligned pairs by label; a malformed pairs file is named with its line.
#[test]
fn eval_align_counts_labelled_pairs() {
    let (dir, _, _) = two_articles(
        "The Senate passed the highway bill on Tuesday by a vote of 83 to 16. The weather was mild.",
        "On Tuesday the Senate passed the highway bill, 83 to 16. Markets closed higher on Friday.",
    );
    // code points of the first sentence of each article
    let pairs = dir.path().join("pairs.tsv");
    std::fs::write(
        &pairs,
        "split\ta\tstart_a\tend_a\tb\tstart_b\tend_b\tlabel\ntest\ta\t0\t68\tb\t0\t56\tS\ntest\ta\t69\t90\tb\t57\t89\tU\n",
    )
    .unwrap();
    Command::cargo_bin("parallax")
        .unwrap()
        .args(["eval", "align", "--split", "test", "--pairs"])
        .arg(&pairs)
        .arg("--texts")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2 labelled pairs (1 S, 0 R, 1 U) of 1 article pairs",
        ))
        .stdout(predicate::str::contains(
            "AUC (S against R+U) 1.0000 on 2 pairs (0 units not found)",
        ))
        .stdout(predicate::str::contains(
            "default   0.47: aligned S 1 R 0 U 0 unlabelled 0  precision 1.0000  recall 1.0000",
        ))
        .stdout(predicate::str::contains(
            "resamples of the 1 pairs, seed 7): aligned at the default 1.0000-1.0000",
        ));
    std::fs::write(&pairs, "test\ta\t0\t68\tb\t0\tS\n").unwrap();
    Command::cargo_bin("parallax")
        .unwrap()
        .args(["eval", "align", "--pairs"])
        .arg(&pairs)
        .arg("--texts")
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicate::str::contains("pairs.tsv: line 1"));
}
