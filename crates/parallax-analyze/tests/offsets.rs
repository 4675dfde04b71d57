//! Invariant 2, checked on the real JSON output: every `start`/`end` pair
//! anywhere in an analysis is a code-point range inside the text, and every
//! finding that carries a `text` copy of its evidence equals the text at
//! those offsets. The walk is generic, so it covers every layer, present
//! and future, without changes here.

use parallax_analyze::output::{render, Format};
use parallax_analyze::Pipeline;
use parallax_core::Document;
use proptest::prelude::*;
use serde_json::Value;

/// Checks one object: `{start, end, text?}` or `{span: {start, end}, text?}`.
fn check(v: &Value, chars: &[char], path: &str, seen: &mut usize) -> Result<(), String> {
    match v {
        Value::Object(m) => {
            let range = match (m.get("start"), m.get("end")) {
                (Some(Value::Number(s)), Some(Value::Number(e))) => {
                    Some((s.as_u64().unwrap() as usize, e.as_u64().unwrap() as usize))
                }
                _ => match m.get("span") {
                    Some(Value::Object(sp)) => match (sp.get("start"), sp.get("end")) {
                        (Some(Value::Number(s)), Some(Value::Number(e))) => {
                            Some((s.as_u64().unwrap() as usize, e.as_u64().unwrap() as usize))
                        }
                        _ => None,
                    },
                    _ => None,
                },
            };
            if let Some((s, e)) = range {
                *seen += 1;
                if s > e || e > chars.len() {
                    return Err(format!(
                        "{path}: span {s}..{e} outside text of {} chars",
                        chars.len()
                    ));
                }
                if let Some(Value::String(t)) = m.get("text") {
                    let want: String = chars[s..e].iter().collect();
                    if *t != want {
                        return Err(format!("{path}: text {t:?} != text at {s}..{e} {want:?}"));
                    }
                }
            }
            for (k, x) in m {
                if path.is_empty() && k == "document" {
                    continue; // the document itself holds the text, not a span
                }
                check(x, chars, &format!("{path}.{k}"), seen)?;
            }
            Ok(())
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                check(x, chars, &format!("{path}[{i}]"), seen)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn check_text(text: &str) -> Result<usize, String> {
    let doc = Document::from_text("prop", text);
    let a = Pipeline::default().analyze(doc);
    let v: Value = serde_json::from_str(&render(&a, Format::Jsonl)).unwrap();
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(
        v["document"]["char_length"].as_u64().unwrap() as usize,
        chars.len()
    );
    let mut seen = 0;
    check(&v, &chars, "", &mut seen)?;
    Ok(seen)
}

/// Text pieces that stress offsets: multi-byte letters, emoji (4-byte and
/// ZWJ sequences), combining marks, quotes of every kind, numbers, abbreviations.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("The".to_string()),
        Just("Mr. Kim".to_string()),
        Just("said".to_string()),
        Just("Israel".to_string()),
        Just("North Korea".to_string()),
        Just("“quoted words,”".to_string()),
        Just("\"Hello.\"".to_string()),
        Just("«Bonjour»".to_string()),
        Just("$3.8 billion".to_string()),
        Just("over 40 percent".to_string()),
        Just("U.S.".to_string()),
        Just("According to a report,".to_string()),
        Just("😀".to_string()),
        Just("👩‍👩‍👧".to_string()),
        Just("e\u{301}".to_string()),
        Just("naïve café".to_string()),
        Just("日本語".to_string()),
        Just(".".to_string()),
        Just("!".to_string()),
        Just("…".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just(":".to_string()),
        "\\PC{1,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn every_output_span_matches_its_text(parts in proptest::collection::vec(piece(), 1..60)) {
        let text = parts.join(" ");
        if let Err(e) = check_text(&text) {
            prop_assert!(false, "{}", e);
        }
    }
}

#[test]
fn samples_spans_match() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/samples");
    let mut total = 0;
    for e in std::fs::read_dir(&dir).expect("../shared/samples beside the repository") {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            let text = std::fs::read_to_string(&p).unwrap();
            total += check_text(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        }
    }
    assert!(total > 50, "expected many spans, saw {total}");
}

#[test]
fn checker_catches_a_wrong_span() {
    let chars: Vec<char> = "a😀bc".chars().collect();
    let good: Value =
        serde_json::json!({"layers": {"x": [{"span": {"start": 1, "end": 3}, "text": "😀b"}]}});
    let bad_text: Value =
        serde_json::json!({"layers": {"x": [{"start": 1, "end": 3, "text": "😀"}]}});
    let out_of_range: Value = serde_json::json!({"layers": {"x": [{"start": 2, "end": 9}]}});
    let mut n = 0;
    assert!(check(&good, &chars, "", &mut n).is_ok());
    assert!(check(&bad_text, &chars, "", &mut n).is_err());
    assert!(check(&out_of_range, &chars, "", &mut n).is_err());
}
