//! The techniques commands, run through the real binary: train + eval on a
//! tiny PTC subset (seconds), `--format ptc`, `techniques classify`.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// `shared/` next to the checkout (CI: beside the clone; here: an ancestor).
fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared"))
        .find(|p| p.join("data").is_dir())
        .expect("shared/data next to the checkout")
}

fn ptc() -> PathBuf {
    shared().join("data/ptc")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn train_small(out_dir: &Path) -> std::process::Output {
    Command::cargo_bin("parallax")
        .unwrap()
        .args(["train", "techniques", "--limit", "12", "--si-epochs", "2"])
        .args(["--tc-epochs", "3", "--si-bits", "16", "--tc-bits", "14"])
        .arg("--data")
        .arg(ptc())
        .arg("--out")
        .arg(out_dir)
        .output()
        .unwrap()
}

#[test]
fn train_then_eval_on_a_small_subset() {
    let dir = tempfile::tempdir().unwrap();
    let out = train_small(dir.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = stdout(&out);
    assert!(s.contains("validation SI"), "{s}");
    let model = dir.path().join("model.bin");
    assert!(model.exists());
    let ids = std::fs::read_to_string(dir.path().join("validation-ids.txt")).unwrap();
    assert_eq!(ids.lines().count(), 1, "10% of 12 articles, at least one");
    for task in ["si", "tc", "full"] {
        let out = Command::cargo_bin("parallax")
            .unwrap()
            .args(["eval", "techniques", "--task", task, "--held-out"])
            .arg("--articles")
            .arg(ptc().join("train-articles"))
            .arg("--labels")
            .arg(ptc().join("train-labels-TC"))
            .arg("--model")
            .arg(&model)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let s = stdout(&out);
        assert!(s.contains("on 1 articles") && s.contains("F1 "), "{s}");
        // one article: every resample is that article, so the interval is a point
        let f1: &str = s
            .lines()
            .find(|l| l.starts_with("precision "))
            .and_then(|l| l.split_whitespace().nth(5))
            .unwrap_or_else(|| panic!("{s}"));
        assert!(
            s.contains(&format!("F1 95% interval over articles {f1}-{f1} (1,000 bootstrap resamples of the 1 articles")),
            "{s}"
        );
        if task == "si" {
            // one recall row per technique after the header
            let rows = s
                .lines()
                .skip_while(|l| !l.starts_with("technique "))
                .skip(1)
                .count();
            assert!(s.contains("recall per technique") && rows == 14, "{s}");
        }
        // The held-out article was not trained on: no warning.
        assert!(!String::from_utf8_lossy(&out.stderr).contains("not held-out"));
    }
    // Same seed, same bytes.
    let dir2 = tempfile::tempdir().unwrap();
    assert!(train_small(dir2.path()).status.success());
    assert_eq!(
        std::fs::read(&model).unwrap(),
        std::fs::read(dir2.path().join("model.bin")).unwrap(),
        "training is reproducible"
    );
}

#[test]
fn eval_warns_when_scoring_training_articles() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        ptc().join("train-articles/article111111111.txt"),
        dir.path().join("article111111111.txt"),
    )
    .unwrap();
    let out = Command::cargo_bin("parallax")
        .unwrap()
        .args(["eval", "techniques", "--task", "tc"])
        .arg("--articles")
        .arg(dir.path())
        .arg("--labels")
        .arg(ptc().join("train-labels-TC/article111111111.task2-TC.labels"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not held-out"), "{err}");
    // TC also prints one row per technique; the gold column and the
    // predicted column each add up to the gold spans (one label each).
    let s = stdout(&out);
    let gold: usize = s
        .split(", ")
        .nth(1)
        .and_then(|x| x.split(' ').next())
        .and_then(|x| x.parse().ok())
        .expect("gold count in the header");
    let rows: Vec<Vec<&str>> = s
        .lines()
        .skip_while(|l| !l.starts_with("technique "))
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 14, "{s}");
    let col = |i: usize| -> usize { rows.iter().map(|r| r[i].parse::<usize>().unwrap()).sum() };
    assert_eq!(col(1), gold, "{s}");
    assert_eq!(col(2), gold, "{s}");
}

#[test]
fn analyze_format_ptc_uses_article_ids_and_code_points() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(ptc().join("train-articles/article111111111.txt")).unwrap();
    std::fs::write(dir.path().join("article42.txt"), &text).unwrap();
    let out = Command::cargo_bin("parallax")
        .unwrap()
        .args(["analyze", "--format", "ptc"])
        .arg(dir.path().join("article42.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let s = stdout(&out);
    let n = text.chars().count();
    assert!(!s.is_empty());
    for line in s.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 4, "{line}");
        assert_eq!(f[0], "42");
        assert!(parallax_analyze::techniques::Technique::from_ptc(f[1]).is_some());
        let (a, b): (usize, usize) = (f[2].parse().unwrap(), f[3].parse().unwrap());
        assert!(a < b && b <= n);
    }
}

#[test]
fn classify_fills_in_techniques_and_reports_bad_spans() {
    let dir = tempfile::tempdir().unwrap();
    let spans = dir.path().join("spans.txt");
    std::fs::write(
        &spans,
        "111111111\t?\t265\t323\n111111111\t149\t157\n111111111\t149\t157\n111111111\t5\t999999\n",
    )
    .unwrap();
    let out = Command::cargo_bin("parallax")
        .unwrap()
        .args(["techniques", "classify", "--articles"])
        .arg(ptc().join("train-articles"))
        .arg("--spans")
        .arg(&spans)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "one bad span");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("outside the article"), "{err}");
    let s = stdout(&out);
    let lines: Vec<Vec<&str>> = s.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0][2..], ["265", "323"]);
    // The same span given twice gets two different techniques.
    assert_ne!(lines[1][1], lines[2][1]);
}

/// `analyze --techniques-encoder --format ptc` on a held-out PTC article
/// scores, against its gold labels, exactly what `eval techniques --task si
/// --encoder` prints for it: the two commands use the same embedded model.
/// The spans differ from the linear model's, and the encoder options
/// exclude each other.
#[test]
fn analyze_and_eval_with_the_embedded_technique_encoder_agree() {
    use parallax_analyze::techniques::metric::{Fragment, Score, Task};
    use parallax_analyze::techniques::{ptc as ptcio, DEFAULT_MODEL};
    let labels = ptc().join("train-labels-TC");
    let mut all_gold = ptcio::load_labels(&labels).unwrap();
    let id = DEFAULT_MODEL
        .meta
        .validation_ids
        .iter()
        .find(|i| all_gold.get(*i).is_some_and(|g| !g.is_empty()))
        .unwrap()
        .clone();
    let dir = tempfile::tempdir().unwrap();
    let name = format!("article{id}.txt");
    std::fs::copy(
        ptc().join("train-articles").join(&name),
        dir.path().join(&name),
    )
    .unwrap();
    let ptc_lines = |extra: &[&str]| {
        let out = Command::cargo_bin("parallax")
            .unwrap()
            .args(["analyze", "--format", "ptc"])
            .args(extra)
            .arg(dir.path().join(&name))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout(&out)
    };
    let enc = ptc_lines(&["--techniques-encoder"]);
    assert_ne!(enc, ptc_lines(&[]), "the encoder changes the spans");
    let pred: Vec<Fragment> = enc
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f[0], id);
            Fragment::new(f[2].parse().unwrap(), f[3].parse().unwrap(), None)
        })
        .collect();
    let gold = all_gold.remove(&id).unwrap();
    let mut sc = Score::default();
    sc.add_article(&pred, &gold, Task::Si);
    let out = Command::cargo_bin("parallax")
        .unwrap()
        .args([
            "eval",
            "techniques",
            "--task",
            "si",
            "--held-out",
            "--encoder",
        ])
        .arg("--articles")
        .arg(dir.path())
        .arg("--labels")
        .arg(&labels)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = stdout(&out);
    assert!(s.contains(&sc.summary()), "{} not in\n{s}", sc.summary());
    Command::cargo_bin("parallax")
        .unwrap()
        .args([
            "analyze",
            "--techniques-encoder",
            "--techniques-model-dir",
            "/tmp",
        ])
        .arg(dir.path().join(&name))
        .assert()
        .failure()
        .stderr(predicates::str::contains("cannot be used with"));
}
