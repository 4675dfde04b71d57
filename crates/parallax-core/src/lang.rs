//! Language identification (whatlang): an ISO 639-3 code when reliable.

/// Detects the language of `text`, returning an ISO 639-3 code such as `eng`.
/// Looks at the first 1 KB only: enough for a reliable call, and bounded cost.
pub fn detect(text: &str) -> Option<String> {
    let mut end = text.len().min(1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    if sample.split_whitespace().count() < 3 {
        return None;
    }
    let info = whatlang::detect(sample)?;
    // Short texts are rarely "reliable" by whatlang's bar; keep a confident guess.
    if info.is_reliable() || info.confidence() > 0.5 {
        Some(info.lang().code().to_string())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn english_and_french() {
        assert_eq!(
            super::detect(
                "The president said on Tuesday that the economy was growing faster than expected."
            )
            .as_deref(),
            Some("eng")
        );
        assert_eq!(
            super::detect(
                "Le président a déclaré mardi que l'économie progressait plus vite que prévu."
            )
            .as_deref(),
            Some("fra")
        );
        assert_eq!(super::detect("ok"), None);
    }
}
