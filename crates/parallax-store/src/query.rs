//! User search text -> a safe FTS5 query.
//!
//! Users type words, "quoted phrases", `OR`, and `word*` prefixes. Every
//! term is quoted before it reaches FTS5, so punctuation in a query (a
//! hyphen, a colon, a stray quote) can never be read as FTS5 syntax.

use crate::{Result, StoreError};

/// `None` for a blank query (no text condition).
pub fn fts_query(text: &str) -> Result<Option<String>> {
    let mut terms: Vec<String> = Vec::new();
    let mut chars = text.chars().peekable();
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '"' {
            chars.next();
            let phrase: String = chars.by_ref().take_while(|&c| c != '"').collect();
            if !phrase.trim().is_empty() {
                terms.push(quote(phrase.trim()));
            }
            continue;
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '"' {
                break;
            }
            word.push(c);
            chars.next();
        }
        if word == "OR" {
            if !terms.is_empty() && terms.last().map(String::as_str) != Some("OR") {
                terms.push("OR".into());
            }
            continue;
        }
        let (base, prefix) = match word.strip_suffix('*') {
            Some(b) => (b.to_string(), true),
            None => (word.clone(), false),
        };
        // Only words with a letter or digit can match anything.
        if !base.chars().any(char::is_alphanumeric) {
            continue;
        }
        terms.push(if prefix {
            format!("{}*", quote(&base))
        } else {
            quote(&base)
        });
    }
    while terms.last().map(String::as_str) == Some("OR") {
        terms.pop();
    }
    if terms.is_empty() {
        if text.trim().is_empty() {
            return Ok(None);
        }
        return Err(StoreError::Invalid(format!(
            "search query `{text}` has no word to search for"
        )));
    }
    Ok(Some(terms.join(" ")))
}
