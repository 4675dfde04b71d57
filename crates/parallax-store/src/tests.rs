use super::*;
use serde_json::json;

fn analysis(
    id: &str,
    text: &str,
    source: &str,
    published: &str,
    layers: serde_json::Value,
) -> String {
    json!({
        "schema_version": "1.0",
        "document": {
            "id": id, "source": source, "published": published, "title": format!("Title {id}"),
            "origin": format!("{id}.txt"), "format": "text",
            "content_hash": format!("hash-of-{text}"), "char_length": text.chars().count(), "text": text
        },
        "links": [],
        "segments": {"paragraphs": [], "sentences": [], "token_count": 100},
        "layers": layers
    })
    .to_string()
}

fn corpus() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let a = analysis(
        "a1",
        "The senator said taxes will rise. A disaster!",
        "Daily",
        "2016-03-11",
        json!({
            "techniques": [
                {"span": {"start": 34, "end": 45}, "text": "A disaster!", "label": "Loaded_Language", "confidence": 0.8, "cue": "disaster"}
            ],
            "attributions": {"attributions": [
                {"kind": "indirect", "speaker": "Senator Smith", "rule": "source_cue_content", "confidence": 0.9,
                 "source": {"span": {"start": 0, "end": 11}, "text": "The senator"},
                 "cue": {"span": {"start": 12, "end": 16}, "text": "said"},
                 "content": [{"span": {"start": 17, "end": 32}, "text": "taxes will rise"}]}
            ]}
        }),
    );
    let b = analysis(
        "b1",
        "Taxes fell, the report shows.",
        "Weekly",
        "2016-04-02T10:00:00Z",
        json!({"attributions": {"sources": [{"span": {"start": 12, "end": 22}, "text": "the report", "kind": "report", "publisher": "City Hall", "cue": "report"}]}}),
    );
    let batch = vec![
        NewArticle::from_analysis_json(&a).unwrap(),
        NewArticle::from_analysis_json(&b).unwrap(),
    ];
    assert_eq!(
        s.insert_batch(&batch).unwrap(),
        BatchResult {
            added: 2,
            skipped: 0
        }
    );
    s
}

#[test]
fn findings_are_read_generically() {
    let a = NewArticle::from_analysis_json(&analysis(
        "x",
        "abc",
        "S",
        "",
        json!({"quotes": {"items": [{"span": {"start": 0, "end": 3}, "text": "abc", "type": "direct",
               "speaker": {"span": {"start": 0, "end": 1}, "text": "a"}}]}}),
    ))
    .unwrap();
    assert_eq!(a.findings.len(), 2);
    assert_eq!(a.findings[0].path, "items[]");
    assert_eq!(a.findings[0].label.as_deref(), Some("direct"));
    assert_eq!(a.findings[0].who.as_deref(), Some("a"));
    assert_eq!(a.findings[1].path, "items[].speaker");
    assert_eq!((a.findings[1].start, a.findings[1].end), (0, 1));
}

#[test]
fn reinserting_changes_nothing() {
    let mut s = corpus();
    let before = s.stats(10).unwrap();
    let again = NewArticle::from_analysis_json(&analysis(
        "a1-again",
        "Taxes fell, the report shows.",
        "X",
        "",
        json!({}),
    ))
    .unwrap();
    assert_eq!(
        s.insert_batch(&[again]).unwrap(),
        BatchResult {
            added: 0,
            skipped: 1
        }
    );
    assert_eq!(s.count().unwrap(), 2);
    assert_eq!(s.stats(10).unwrap(), before);
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

#[test]
fn search_ranks_and_filters() {
    let s = corpus();
    let q = |text: &str| SearchQuery {
        text: text.into(),
        limit: 10,
        ..Default::default()
    };
    let hits = s.search(&q("taxes")).unwrap();
    assert_eq!(hits.len(), 2);
    assert!(hits[0].snippet.as_deref().unwrap().contains("\u{1}"));
    assert_eq!(s.search(&q("senator")).unwrap()[0].doc_id, "a1");
    assert!(s.search(&q("nothing-here")).unwrap().is_empty());
    let only = |mut sq: SearchQuery| {
        s.search({
            sq.limit = 10;
            &sq.clone()
        })
        .unwrap()
        .into_iter()
        .map(|h| h.doc_id)
        .collect::<Vec<_>>()
    };
    assert_eq!(
        only(SearchQuery {
            text: "taxes".into(),
            source: Some("Weekly".into()),
            ..Default::default()
        }),
        ["b1"]
    );
    assert_eq!(
        only(SearchQuery {
            text: "taxes".into(),
            from: Some("2016-04".into()),
            ..Default::default()
        }),
        ["b1"]
    );
    assert_eq!(
        only(SearchQuery {
            text: "taxes".into(),
            to: Some("2016-03".into()),
            ..Default::default()
        }),
        ["a1"]
    );
    assert_eq!(
        only(SearchQuery {
            text: "".into(),
            technique: Some("Loaded_Language".into()),
            ..Default::default()
        }),
        ["a1"]
    );
    assert!(s
        .search(&SearchQuery {
            from: Some("March".into()),
            limit: 1,
            ..Default::default()
        })
        .is_err());
    // Punctuation never reaches FTS5 as syntax.
    assert!(s.search(&q("taxes: \"will rise")).is_ok());
}

#[test]
fn stats_count_findings() {
    let s = corpus();
    let st = s.stats(10).unwrap();
    assert_eq!(st.articles, 2);
    assert_eq!(st.per_source.len(), 2);
    let daily = &st.per_source[0];
    assert_eq!((daily.key.as_str(), daily.techniques), ("Daily", 1));
    assert!((daily.density - 10.0).abs() < 1e-9);
    assert_eq!(daily.by_label, vec![("Loaded_Language".to_string(), 1)]);
    assert_eq!(
        st.per_month
            .iter()
            .map(|m| m.key.as_str())
            .collect::<Vec<_>>(),
        ["2016-03", "2016-04"]
    );
    assert_eq!(st.speakers.len(), 1, "{:?}", st.speakers);
    assert_eq!(st.speakers[0].name, "Senator Smith");
    assert_eq!(st.cited_sources[0].name, "City Hall");
    assert!(st
        .layers
        .iter()
        .any(|l| l.layer == "attributions" && l.label == "attributions[].cue"));
}

#[test]
fn fts_queries_are_quoted() {
    assert_eq!(fts_query("").unwrap(), None);
    assert_eq!(fts_query("tax cuts").unwrap().unwrap(), "\"tax\" \"cuts\"");
    assert_eq!(
        fts_query("\"tax cuts\" OR gov*").unwrap().unwrap(),
        "\"tax cuts\" OR \"gov\"*"
    );
    assert_eq!(fts_query("a\"b").unwrap().unwrap(), "\"a\" \"b\"");
    assert!(fts_query("- :").is_err());
}

#[test]
fn dates() {
    assert_eq!(
        date_parts(Some("2016-03-11")),
        (Some("2016-03-11".into()), Some("2016-03".into()))
    );
    assert_eq!(date_parts(Some("2016-03")), (None, Some("2016-03".into())));
    assert_eq!(date_parts(Some("March 2016")), (None, None));
}

#[test]
fn file_database_reopens() {
    let dir = std::env::temp_dir().join(format!("parallax-store-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("c.db");
    let _ = std::fs::remove_file(&p);
    {
        let mut s = Store::open(&p).unwrap();
        let a = NewArticle::from_analysis_json(&analysis("z", "zeta text", "S", "", json!({})))
            .unwrap();
        s.insert_batch(&[a]).unwrap();
    }
    let r = Store::open_read_only(&p).unwrap();
    assert_eq!(r.count().unwrap(), 1);
    assert_eq!(r.integrity_check().unwrap(), "ok");
    assert!(Store::open_read_only(&dir.join("missing.db")).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}
