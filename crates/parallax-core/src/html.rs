//! HTML main-text extraction.
//!
//! rs-trafilatura finds the article body and its metadata (it scored best of
//! the Rust extractors on a public benchmark of news pages). We then walk its
//! cleaned body HTML ourselves to build the document text, so that every
//! hyperlink keeps the exact span of its anchor text: links are cited sources.

use dom_query::{Document as Dom, NodeRef};

/// The main text of an HTML page, its links and its metadata.
#[derive(Debug, Default, Clone)]
pub struct Extracted {
    pub text: String,
    /// Byte range of the anchor text in `text`, and the href.
    pub links: Vec<(usize, usize, String)>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub published: Option<String>,
    pub site_name: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
}

const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "head", "button", "select",
];
const BLOCK: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "tr",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "hr",
    "main",
    "aside",
    "nav",
    "form",
    "address",
    "details",
    "summary",
    "caption",
    "body",
    "html",
];

struct Builder {
    out: String,
    pending_space: bool,
    links: Vec<(usize, usize, String)>,
}

impl Builder {
    fn block_break(&mut self) {
        self.pending_space = false;
        let trimmed = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(trimmed);
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            if self.out.ends_with('\n') {
                self.out.push('\n');
            } else {
                self.out.push_str("\n\n");
            }
        }
    }
    fn line_break(&mut self) {
        self.pending_space = false;
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
    }
    fn text(&mut self, t: &str) {
        for c in t.chars() {
            if c.is_whitespace() {
                self.pending_space = true;
            } else {
                if self.pending_space && !self.out.is_empty() && !self.out.ends_with('\n') {
                    self.out.push(' ');
                }
                self.pending_space = false;
                self.out.push(c);
            }
        }
    }
    fn walk(&mut self, node: &NodeRef) {
        if node.is_text() {
            self.text(&node.text());
            return;
        }
        if !node.is_element() && !node.is_document() && !node.is_fragment() {
            return;
        }
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if SKIP.contains(&name.as_str()) {
            return;
        }
        if name == "br" {
            self.line_break();
            return;
        }
        let block = BLOCK.contains(&name.as_str());
        if block {
            self.block_break();
        }
        let link_start = self.out.len();
        for child in node.children() {
            self.walk(&child);
        }
        if name == "a" {
            if let Some(href) = node.attr("href") {
                let href = href.trim();
                if !href.is_empty()
                    && !href.starts_with('#')
                    && !href.to_ascii_lowercase().starts_with("javascript:")
                {
                    let seg = &self.out[link_start..];
                    let lead = seg.len() - seg.trim_start().len();
                    let end = self.out.trim_end().len();
                    if link_start + lead < end {
                        self.links.push((link_start + lead, end, href.to_string()));
                    }
                }
            }
        }
        if block {
            self.block_break();
        }
    }
}

/// Builds text and link spans from an HTML fragment.
pub fn html_to_text(html: &str) -> (String, Vec<(usize, usize, String)>) {
    let dom = Dom::from(html);
    let mut b = Builder {
        out: String::new(),
        pending_space: false,
        links: Vec::new(),
    };
    b.walk(&dom.root());
    let mut text = b.out;
    let end = text.trim_end().len();
    text.truncate(end);
    let links = b.links.into_iter().filter(|l| l.1 <= text.len()).collect();
    (text, links)
}

/// Extracts the main article text, links and metadata from a whole page.
/// Errors when no article text can be found.
pub fn extract(html: &str) -> Result<Extracted, String> {
    let opts = rs_trafilatura::Options {
        include_links: true,
        include_tables: true,
        ..Default::default()
    };
    let res = rs_trafilatura::extract_with_options(html, &opts)
        .map_err(|e| format!("HTML extraction failed: {e}"))?;
    let (mut text, mut links) = match res.content_html.as_deref() {
        Some(h) if !h.trim().is_empty() => html_to_text(h),
        _ => (res.content_text.clone(), Vec::new()),
    };
    if text.trim().is_empty() && !res.content_text.trim().is_empty() {
        text = res.content_text.clone();
        links.clear();
    }
    if text.trim().is_empty() {
        return Err(
            "no article text found in the HTML (is it a page with an article body?)".into(),
        );
    }
    let m = res.metadata;
    let nonempty = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(Extracted {
        text,
        links,
        title: nonempty(m.title),
        author: nonempty(m.author),
        published: m.date.map(|d| d.format("%Y-%m-%d").to_string()),
        site_name: nonempty(m.sitename).or(nonempty(m.hostname)),
        url: nonempty(m.url),
        language: nonempty(m.language),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_anchor_spans() {
        let (t, links) = html_to_text(
            "<p>See <a href='https://x.org/r'>the CRS report</a> now.</p><p>Next  para.</p>",
        );
        assert_eq!(t, "See the CRS report now.\n\nNext para.");
        assert_eq!(links.len(), 1);
        let (s, e, h) = &links[0];
        assert_eq!(&t[*s..*e], "the CRS report");
        assert_eq!(h, "https://x.org/r");
    }

    #[test]
    fn extracts_article() {
        let page = r#"<html><head><title>Aid debate heats up - Daily Bugle</title>
<meta property="og:site_name" content="Daily Bugle"><meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2023-11-02T10:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Aid debate heats up</h1>
<p>The House voted on November 2 to give Israel an additional $14.3 billion in military aid, according to <a href="https://congress.gov/x">the official record</a>.</p>
<p>Critics said the package was rushed. Supporters said it was overdue and that the region needed stability after weeks of fighting.</p>
<p>The Senate is expected to take up the measure next week, though its leaders have signalled that changes are likely.</p>
</article><footer>Copyright 2023 Daily Bugle. All rights reserved.</footer></body></html>"#;
        let x = extract(page).unwrap();
        assert!(x.text.contains("additional $14.3 billion"), "{}", x.text);
        assert!(!x.text.contains("All rights reserved"), "{}", x.text);
        let l = x
            .links
            .iter()
            .find(|l| l.2.contains("congress.gov"))
            .expect("link kept");
        assert_eq!(&x.text[l.0..l.1], "the official record");
    }
}
