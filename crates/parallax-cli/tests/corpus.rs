//! The corpus commands, run as the real binary: ingest, search, stats, serve.

use assert_cmd::Command;
use parallax_store::Store;
use predicates::str::contains;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

fn parallax() -> Command {
    Command::cargo_bin("parallax").unwrap()
}

fn write_articles(dir: &Path) {
    std::fs::write(
        dir.join("a.jsonl"),
        [
            r#"{"id": "a1", "source": "Daily", "published": "2016-03-11", "title": "Taxes rise", "text": "The senator said taxes will rise next year. Critics called it a disaster."}"#,
            r#"{"id": "a2", "source": "Weekly", "published": "2016-04-02", "title": "Bridge", "text": "The bridge will close on Monday, the city said. Drivers were told to plan ahead."}"#,
            r#"{"id": "bad", "source": "Weekly"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    std::fs::write(dir.join("c.txt"), "Zoë 🙂 wrote that the bridge is safe.\n").unwrap();
}

#[test]
fn ingest_is_idempotent_and_searchable() {
    let dir = tempfile::tempdir().unwrap();
    write_articles(dir.path());
    let db = dir.path().join("corpus.db");
    parallax()
        .args(["ingest", "--no-progress", "--db"])
        .arg(&db)
        .arg(dir.path())
        .assert()
        .code(1) // one bad line
        .stderr(contains("a.jsonl:3"))
        .stderr(contains("3 added, 0 skipped (already stored), 1 failed"));
    // Again: nothing new.
    parallax()
        .args(["ingest", "--no-progress", "--db"])
        .arg(&db)
        .arg(dir.path())
        .assert()
        .stderr(contains("0 added, 3 skipped"));
    let store = Store::open_read_only(&db).unwrap();
    assert_eq!(store.count().unwrap(), 3);
    assert_eq!(store.integrity_check().unwrap(), "ok");

    parallax()
        .args(["search", "bridge", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout(contains("Bridge"))
        .stdout(contains("[bridge]"));
    parallax()
        .args([
            "search", "bridge", "--source", "Weekly", "--to", "2016-04", "--format", "json", "--db",
        ])
        .arg(&db)
        .assert()
        .success()
        .stdout(contains("\"doc_id\": \"a2\""))
        .stdout(contains("a1").not());
    parallax()
        .args(["search", "bridge", "--from", "last week", "--db"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(contains("`from` must be a date"));
    parallax()
        .args(["stats", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout(contains("3 articles"))
        .stdout(contains("Daily"))
        .stdout(contains("2016-04"));
    parallax()
        .args(["stats", "--db"])
        .arg(dir.path().join("missing.db"))
        .assert()
        .code(2)
        .stderr(contains("no such corpus"));
}

use predicates::prelude::PredicateBooleanExt;

/// kill -9 in the middle of an ingest, rerun: every article exactly once.
#[test]
fn killed_ingest_resumes_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    let n = 3000;
    let mut f = std::fs::File::create(&input).unwrap();
    for i in 0..n {
        writeln!(
            f,
            r#"{{"id": "d{i}", "source": "S{}", "text": "Article number {i}. The minister said {i} schools will open, officials confirmed on Tuesday."}}"#,
            i % 5
        )
        .unwrap();
    }
    drop(f);
    let db = dir.path().join("c.db");
    let bin = assert_cmd::cargo::cargo_bin("parallax");
    for attempt in 0..3 {
        let mut child = std::process::Command::new(&bin)
            .args(["ingest", "--no-progress", "--batch-size", "50", "--db"])
            .arg(&db)
            .arg(&input)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(150 + 100 * attempt));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    parallax()
        .args(["ingest", "--no-progress", "--db"])
        .arg(&db)
        .arg(&input)
        .assert()
        .success()
        .stderr(contains(format!("holds {n} articles")));
    let store = Store::open_read_only(&db).unwrap();
    assert_eq!(store.count().unwrap(), n);
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let distinct: i64 = store
        .connection()
        .query_row("SELECT count(DISTINCT doc_id) FROM articles", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(distinct, n);
    let fts: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'minister'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(fts, n);
}

fn http(addr: &str, req: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    let body = out
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serve_answers_on_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("parallax"))
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&db)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"));
    let (status, body) = http(
        &addr,
        "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"articles\":0"));
    let json = r#"{"text": "The mayor said the bridge will close."}"#;
    let (status, body) = http(
        &addr,
        &format!("POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}", json.len()),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"schema_version\""));
    let (status, body) = http(
        &addr,
        "GET /api/articles/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 400);
    assert!(body.contains("\"error\""));
    child.kill().unwrap();
    child.wait().unwrap();
}
