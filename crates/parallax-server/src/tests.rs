use super::*;
use axum::body::Body;
use axum::http::{Method, Request};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use tower::ServiceExt;

fn state(config: ServerConfig) -> Shared {
    AppState::new(parallax_store::Store::open_in_memory().unwrap(), config)
}

async fn call(
    app: &Router,
    method: Method,
    uri: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> (StatusCode, Value) {
    let mut b = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let req = b
        .body(
            body.map(|s| Body::from(s.to_string()))
                .unwrap_or_else(Body::empty),
        )
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    let v = serde_json::from_slice(&bytes)
        .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, v)
}

#[test]
fn openapi_lists_exactly_the_api_routes() {
    let doc = openapi_document();
    let mut in_doc = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            in_doc.insert((method.clone(), path.clone()));
        }
    }
    let in_router: BTreeSet<(String, String)> = routes()
        .into_iter()
        .filter(|(_, p, _)| p.starts_with("/api/") || *p == "/openapi.json")
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(in_doc, in_router);
    // Every documented path parameter is in its path.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for op in item.as_object().unwrap().values() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["in"] == "path" {
                    assert!(path.contains(&format!("{{{}}}", p["name"].as_str().unwrap())));
                }
            }
        }
    }
}

#[tokio::test]
async fn every_route_answers() {
    let app = app(state(ServerConfig::default()));
    for (method, path, _) in routes() {
        let uri = path.replace("{id}", "1");
        let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let body =
            (m == Method::POST).then_some(r#"{"text": "The mayor said the bridge will close."}"#);
        let (status, v) = call(&app, m, &uri, body, &[]).await;
        assert!(
            status != StatusCode::METHOD_NOT_ALLOWED
                && (status != StatusCode::NOT_FOUND
                    || v["error"].as_str().unwrap().contains("no article")),
            "{method} {path}: {status} {v}"
        );
    }
}

#[tokio::test]
async fn analyze_returns_the_analysis() {
    let app = app(state(ServerConfig::default()));
    let text = "Zoë said: “the plan fails.” Officials disagreed.";
    let body = json!({"text": text, "title": "T"}).to_string();
    let (status, v) = call(&app, Method::POST, "/api/analyze", Some(&body), &[]).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["document"]["text"], text);
    assert_eq!(v["document"]["title"], "T");
    assert_eq!(v["document"]["char_length"], text.chars().count());
    let html = json!({"html": "<html><body><article><p>A long enough paragraph of article text about the city council vote on Tuesday.</p></article></body></html>"}).to_string();
    let (status, v) = call(&app, Method::POST, "/api/analyze", Some(&html), &[]).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(v["document"]["text"]
        .as_str()
        .unwrap()
        .contains("city council"));
}

/// `claims` picks the scorer of the claims layer: the linear model by
/// default, the embedded encoder, or the encoder with occlusion word cues;
/// anything else is a 400 naming the choices.
#[tokio::test]
async fn analyze_scores_claims_with_the_scorer_asked_for() {
    let app = app(state(ServerConfig::default()));
    let text = "Unemployment fell from 10 percent to 4.7 percent in eight years. Thank you all for coming.";
    let layer = |v: &Value| v["layers"]["claims"].clone();
    // (claims, layer model, cue features of the first sentence: all from
    // the linear model / only the encoder's / the encoder's then words)
    for (claims, model, cues) in [
        (None, "checkworthy-lr-v2", "linear"),
        (Some("linear"), "checkworthy-lr-v2", "linear"),
        (Some("encoder"), "checkworthy-encoder-v1", "encoder"),
        (Some("explain"), "checkworthy-encoder-v1", "words"),
    ] {
        let mut req = json!({ "text": text });
        if let Some(c) = claims {
            req["claims"] = json!(c);
        }
        let (status, v) = call(
            &app,
            Method::POST,
            "/api/analyze",
            Some(&req.to_string()),
            &[],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let c = layer(&v);
        assert_eq!(c["model"], model, "{claims:?}");
        let first = &c["sentences"][0];
        assert_eq!(first["label"], "check-worthy", "{claims:?} {first}");
        let f: Vec<&str> = first["cues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["feature"].as_str().unwrap())
            .collect();
        let enc = "m:fine-tuned-encoder";
        match cues {
            "linear" => assert!(!f.is_empty() && !f.contains(&enc), "{f:?}"),
            "encoder" => assert_eq!(f, [enc]),
            _ => assert!(
                f[0] == enc && f.len() > 1 && f[1..].iter().all(|x| x.starts_with("w:")),
                "{f:?}"
            ),
        }
    }
    let req = json!({"text": text, "claims": "bert"}).to_string();
    let (status, v) = call(&app, Method::POST, "/api/analyze", Some(&req), &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["error"].as_str().unwrap().contains("encoder"), "{v}");
}

/// `techniques` picks the span tagger of the techniques layer: the linear
/// one by default, or the embedded encoder mixed into it, whose spans say
/// so first in their evidence.
#[tokio::test]
async fn analyze_tags_techniques_with_the_tagger_asked_for() {
    let app = app(state(ServerConfig::default()));
    let text =
        "These treasonous traitors and their corrupt cronies want to destroy our great nation. \
                Wake up, patriots! The meeting is on Tuesday.";
    let mut models = Vec::new();
    for tagger in [None, Some("linear"), Some("encoder")] {
        let mut req = json!({ "text": text });
        if let Some(t) = tagger {
            req["techniques"] = json!(t);
        }
        let (status, v) = call(
            &app,
            Method::POST,
            "/api/analyze",
            Some(&req.to_string()),
            &[],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let t = &v["layers"]["techniques"];
        let spans = t["spans"].as_array().unwrap();
        assert!(!spans.is_empty(), "{tagger:?} {t}");
        let first_evidence: Vec<&str> = spans
            .iter()
            .map(|s| s["evidence"][0]["kind"].as_str().unwrap_or(""))
            .collect();
        let by_encoder = first_evidence.iter().all(|&k| k == "encoder");
        assert_eq!(by_encoder, tagger == Some("encoder"), "{first_evidence:?}");
        models.push(t["model"].as_str().unwrap().to_string());
    }
    assert_eq!(models[0], models[1]);
    assert!(models[2].ends_with("+techniques-encoder-v1"), "{models:?}");
    let req = json!({"text": text, "techniques": "bert"}).to_string();
    let (status, v) = call(&app, Method::POST, "/api/analyze", Some(&req), &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["error"].as_str().unwrap().contains("encoder"), "{v}");
}

#[tokio::test]
async fn bad_requests_get_json_errors() {
    let app = app(state(ServerConfig {
        max_body_bytes: 1000,
        ..Default::default()
    }));
    let cases: Vec<(Method, &str, Option<String>, StatusCode, &str)> = vec![
        (
            Method::POST,
            "/api/analyze",
            Some("{not json".into()),
            StatusCode::BAD_REQUEST,
            "not the expected JSON",
        ),
        (
            Method::POST,
            "/api/analyze",
            Some(r#"{"txt": "a"}"#.into()),
            StatusCode::BAD_REQUEST,
            "unknown field `txt`",
        ),
        (
            Method::POST,
            "/api/analyze",
            Some(r#"{"text": "  "}"#.into()),
            StatusCode::BAD_REQUEST,
            "`text` or `html`",
        ),
        (
            Method::POST,
            "/api/analyze",
            None,
            StatusCode::BAD_REQUEST,
            "empty",
        ),
        (
            Method::POST,
            "/api/analyze",
            Some(json!({"text": "x".repeat(2000)}).to_string()),
            StatusCode::PAYLOAD_TOO_LARGE,
            "1000 byte limit",
        ),
        (
            Method::GET,
            "/api/nope",
            None,
            StatusCode::NOT_FOUND,
            "no such route",
        ),
        (
            Method::DELETE,
            "/api/analyze",
            None,
            StatusCode::METHOD_NOT_ALLOWED,
            "not allowed",
        ),
        (
            Method::GET,
            "/api/articles/abc",
            None,
            StatusCode::BAD_REQUEST,
            "integer",
        ),
        (
            Method::GET,
            "/api/articles/99",
            None,
            StatusCode::NOT_FOUND,
            "no article with id 99",
        ),
        (
            Method::GET,
            "/api/search?q=x&limit=0",
            None,
            StatusCode::BAD_REQUEST,
            "limit",
        ),
        (
            Method::GET,
            "/api/search?q=x&from=yesterday",
            None,
            StatusCode::BAD_REQUEST,
            "`from`",
        ),
        (
            Method::GET,
            "/api/search?q=x&bogus=1",
            None,
            StatusCode::BAD_REQUEST,
            "bogus",
        ),
        (
            Method::GET,
            "/api/stats?top=x",
            None,
            StatusCode::BAD_REQUEST,
            "query string",
        ),
    ];
    for (m, uri, body, want, says) in cases {
        let (status, v) = call(&app, m.clone(), uri, body.as_deref(), &[]).await;
        assert_eq!(status, want, "{m} {uri}: {v}");
        assert_eq!(v["status"], want.as_u16(), "{m} {uri}: {v}");
        let msg = v["error"].as_str().unwrap_or_default();
        assert!(msg.contains(says), "{m} {uri}: `{msg}` should say `{says}`");
    }
}

#[tokio::test]
async fn writes_need_the_token() {
    let app = app(state(ServerConfig {
        token: Some("s3cret".into()),
        ..Default::default()
    }));
    let body = json!({"text": "The council voted 5 to 2 on Monday.", "source": "Gazette", "published": "2016-05-01"}).to_string();
    let post = |h: &'static [(&'static str, &'static str)]| {
        let app = app.clone();
        let body = body.clone();
        async move { call(&app, Method::POST, "/api/articles", Some(&body), h).await }
    };
    assert_eq!(post(&[]).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        post(&[("authorization", "Bearer nope")]).await.0,
        StatusCode::FORBIDDEN
    );
    let (s, v) = post(&[("authorization", "Bearer s3cret")]).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["added"], true);
    let id = v["id"].as_i64().unwrap();
    let (s, v) = post(&[("x-parallax-token", "s3cret")]).await;
    assert_eq!(
        (s, v["added"].clone(), v["id"].as_i64()),
        (StatusCode::OK, json!(false), Some(id))
    );
    let (s, v) = call(&app, Method::GET, &format!("/api/articles/{id}"), None, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["analysis"]["document"]["source"], "Gazette");
    let (_, v) = call(
        &app,
        Method::GET,
        "/api/search?q=council&source=Gazette&from=2016-05",
        None,
        &[],
    )
    .await;
    assert_eq!(v["hits"][0]["id"], id);
    let (_, v) = call(
        &app,
        Method::GET,
        "/api/search?q=council&source=Other",
        None,
        &[],
    )
    .await;
    assert_eq!(v["hits"], json!([]));
    let (_, v) = call(&app, Method::GET, "/api/stats", None, &[]).await;
    assert_eq!(v["articles"], 1);
    assert_eq!(v["per_source"][0]["key"], "Gazette");
}

#[tokio::test]
async fn exposed_server_without_token_refuses_writes() {
    let app = app(state(ServerConfig {
        addr: "0.0.0.0:0".parse().unwrap(),
        ..Default::default()
    }));
    let (s, v) = call(
        &app,
        Method::POST,
        "/api/articles",
        Some(r#"{"text":"x y z"}"#),
        &[],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    // Reads and analysis still work.
    let (s, _) = call(
        &app,
        Method::POST,
        "/api/analyze",
        Some(r#"{"text":"x y z"}"#),
        &[],
    )
    .await;
    assert_eq!(s, StatusCode::OK);
}

#[tokio::test]
async fn pages_are_self_contained() {
    let app = app(state(ServerConfig::default()));
    for (path, needle) in [
        ("/", "app.js"),
        ("/app.js", "codePoints"),
        ("/app.css", "mark"),
    ] {
        let (s, v) = call(&app, Method::GET, path, None, &[]).await;
        assert_eq!(s, StatusCode::OK);
        let body = v.as_str().unwrap();
        assert!(body.contains(needle), "{path}");
        assert!(
            !body.contains("https://"),
            "{path} must not load anything from the network"
        );
    }
}
