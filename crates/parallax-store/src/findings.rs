//! Reads findings out of any analysis layer, generically.
//!
//! A finding is any JSON object inside `layers` that carries a span: either
//! a `span: {start, end}` member or `start`/`end` members of its own (code
//! points, end exclusive). Its label is the first string among `label`,
//! `technique`, `type`, `kind`, `category`; `who` is the speaker or source it
//! names (`speaker`, `source`, `who`, as a string or an object with
//! `text`/`name`). Nested findings (a quote's speaker span) are findings too,
//! each with its `path` inside the layer. The web app walks layers the same
//! way, so a new layer is stored, counted and highlighted with no change.
//!
//! Roles, for corpus statistics:
//! - `cited`: a finding in a `sources` collection (or a `sources`/`citations`
//!   layer); `who` is its `publisher`, else `author`, else `title`, else text.
//! - `speaker`: a finding of the `attributions` or `quotes` layer that names
//!   who speaks: its own `speaker`/`who`, or, for the `source` part of an
//!   attribution, the attribution's resolved `speaker` (a bare pronoun
//!   source with no resolved speaker names no one).

use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Finding {
    pub layer: String,
    /// Where in the layer, e.g. `quotes[].speaker`.
    pub path: String,
    pub label: Option<String>,
    pub start: usize,
    pub end: usize,
    pub text: Option<String>,
    pub confidence: Option<f64>,
    pub who: Option<String>,
    /// `speaker` (who is quoted), `cited` (a source the text leans on), or none.
    pub role: Option<&'static str>,
}

const LABEL_KEYS: &[&str] = &["label", "technique", "type", "kind", "category"];
const WHO_KEYS: &[&str] = &["speaker", "source", "who"];

/// Every finding in a `layers` object.
pub fn extract_findings(layers: &Value) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(obj) = layers.as_object() {
        for (name, v) in obj {
            walk(name, String::new(), v, &mut out);
        }
    }
    out
}

fn span_of(obj: &Map<String, Value>) -> Option<(usize, usize, bool)> {
    let se = |o: &Map<String, Value>| {
        Some((
            o.get("start")?.as_u64()? as usize,
            o.get("end")?.as_u64()? as usize,
        ))
    };
    if let Some(s) = obj.get("span").and_then(|s| s.as_object()).and_then(se) {
        return Some((s.0, s.1, true));
    }
    se(obj).map(|(s, e)| (s, e, false))
}

fn name_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => ["name", "canonical", "text"]
            .iter()
            .find_map(|k| o.get(*k).and_then(|x| x.as_str()).map(str::to_string)),
        _ => None,
    }
}

const SPEAKER_LAYERS: &[&str] = &["attributions", "quotes"];
const SOURCE_LAYERS: &[&str] = &["sources", "citations", "cited_sources"];

/// The enclosing object and the key this value sits under.
struct Holder<'a> {
    obj: &'a Map<String, Value>,
    key: &'a str,
}

fn role_and_who(
    layer: &str,
    path: &str,
    obj: &Map<String, Value>,
    holder: Option<&Holder>,
) -> (Option<&'static str>, Option<String>) {
    let last = path.rsplit('.').next().unwrap_or("").trim_end_matches("[]");
    let str_of = |k: &str| obj.get(k).and_then(name_of).filter(|s| !s.is_empty());
    if last == "sources" || (SOURCE_LAYERS.contains(&layer) && !path.contains('.')) {
        let who = str_of("publisher")
            .or_else(|| str_of("author"))
            .or_else(|| str_of("title"))
            .or_else(|| str_of("text"));
        return (Some("cited"), who);
    }
    let own = ["speaker", "who"].iter().find_map(|k| str_of(k));
    if SPEAKER_LAYERS.contains(&layer) {
        let who = own.or_else(|| {
            let h = holder?;
            (h.key == "source")
                .then(|| h.obj.get("speaker").and_then(name_of))
                .flatten()
        });
        if let Some(w) = who {
            return (Some("speaker"), Some(w));
        }
        return (None, None);
    }
    (None, WHO_KEYS.iter().find_map(|k| str_of(k)))
}

fn walk(layer: &str, path: String, v: &Value, out: &mut Vec<Finding>) {
    walk_in(layer, path, v, None, out)
}

fn walk_in(layer: &str, path: String, v: &Value, holder: Option<&Holder>, out: &mut Vec<Finding>) {
    match v {
        Value::Array(a) => {
            let p = format!("{path}[]");
            for x in a {
                walk_in(layer, p.clone(), x, holder, out);
            }
        }
        Value::Object(obj) => {
            let span = span_of(obj);
            if let Some((start, end, nested)) = span {
                if start <= end {
                    let (role, who) = role_and_who(layer, &path, obj, holder);
                    out.push(Finding {
                        layer: layer.to_string(),
                        path: path.clone(),
                        label: LABEL_KEYS
                            .iter()
                            .find_map(|k| obj.get(*k).and_then(|x| x.as_str()))
                            .map(str::to_string),
                        start,
                        end,
                        text: obj.get("text").and_then(|x| x.as_str()).map(str::to_string),
                        confidence: obj
                            .get("confidence")
                            .or_else(|| obj.get("score"))
                            .and_then(|x| x.as_f64()),
                        who,
                        role,
                    });
                }
                for (k, x) in obj {
                    if (nested && k == "span") || (!nested && (k == "start" || k == "end")) {
                        continue;
                    }
                    let h = Holder { obj, key: k };
                    walk_in(layer, join(&path, k), x, Some(&h), out);
                }
            } else {
                for (k, x) in obj {
                    let h = Holder { obj, key: k };
                    walk_in(layer, join(&path, k), x, Some(&h), out);
                }
            }
        }
        _ => {}
    }
}

fn join(path: &str, k: &str) -> String {
    if path.is_empty() {
        k.to_string()
    } else {
        format!("{path}.{k}")
    }
}
