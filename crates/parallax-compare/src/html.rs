//! The comparison as one self-contained HTML page (no network, no CDN):
//! the articles side by side in scrollable columns, every finding
//! highlighted in the text, and a findings panel where a click scrolls each
//! article to its part of the finding.

use crate::view::ArticleView;
use crate::{AlignLabel, Comparison};
use parallax_core::Span;
use std::collections::BTreeSet;
use std::fmt::Write;

pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

struct Mark {
    start: usize,
    end: usize,
    class: &'static str,
    id: String,
}

fn label_class(l: AlignLabel) -> &'static str {
    match l {
        AlignLabel::SameClaim => "same",
        AlignLabel::DifferentValues => "values",
        AlignLabel::OppositePolarity => "polarity",
        AlignLabel::Related => "related",
    }
}

fn label_text(l: AlignLabel) -> &'static str {
    match l {
        AlignLabel::SameClaim => "same claim",
        AlignLabel::DifferentValues => "different numbers/dates",
        AlignLabel::OppositePolarity => "opposite polarity",
        AlignLabel::Related => "related (same topic)",
    }
}

/// Renders the article text with its marks as nested-free segments: each
/// stretch between mark boundaries is one `<span>` listing every finding
/// that covers it.
fn render_text(v: &ArticleView, marks: &[Mark]) -> String {
    let text = &v.doc.text;
    let mut bounds: BTreeSet<usize> = BTreeSet::new();
    bounds.insert(0);
    bounds.insert(text.len());
    for m in marks {
        bounds.insert(m.start);
        bounds.insert(m.end);
    }
    let b: Vec<usize> = bounds.into_iter().collect();
    let mut out = String::new();
    for w in b.windows(2) {
        let (s, e) = (w[0], w[1]);
        let seg = &text[s..e];
        let cover: Vec<&Mark> = marks
            .iter()
            .filter(|m| m.start <= s && e <= m.end)
            .collect();
        if cover.is_empty() {
            out.push_str(&esc(seg));
        } else {
            let mut classes: Vec<&str> = cover.iter().map(|m| m.class).collect();
            classes.sort();
            classes.dedup();
            let ids: Vec<&str> = cover.iter().map(|m| m.id.as_str()).collect();
            let _ = write!(
                out,
                "<span class=\"hl {}\" data-f=\" {} \">{}</span>",
                classes.join(" "),
                ids.join(" "),
                esc(seg)
            );
        }
    }
    out
}

fn snippet(s: &str, n: usize) -> String {
    let t: String = s.chars().take(n).collect();
    if t.len() < s.len() {
        format!("{}…", t.trim_end())
    } else {
        t
    }
}

pub fn render(c: &Comparison, views: &[ArticleView]) -> String {
    let n = views.len();
    let mut marks: Vec<Vec<Mark>> = (0..n).map(|_| Vec::new()).collect();
    let bytes = |i: usize, s: &Span| (s.start, s.end, i);
    for a in &c.aligned {
        for sd in &a.sides {
            let (s, e, i) = bytes(sd.article, &sd.span);
            marks[i].push(Mark {
                start: s,
                end: e,
                class: label_class(a.label),
                id: a.id.clone(),
            });
        }
    }
    for q in &c.quotes {
        for (i, qs) in q.by_article.iter().enumerate() {
            for x in qs {
                marks[i].push(Mark {
                    start: x.span.start,
                    end: x.span.end,
                    class: "quote",
                    id: q.id.clone(),
                });
                if let Some(sp) = &x.speaker_span {
                    marks[i].push(Mark {
                        start: sp.start,
                        end: sp.end,
                        class: "speaker",
                        id: q.id.clone(),
                    });
                }
            }
        }
    }
    for o in &c.only_in_one {
        marks[o.article].push(Mark {
            start: o.span.start,
            end: o.span.end,
            class: "only",
            id: o.id.clone(),
        });
    }
    for nm in &c.naming {
        for (i, forms) in nm.by_article.iter().enumerate() {
            for f in forms {
                for s in &f.spans {
                    marks[i].push(Mark {
                        start: s.start,
                        end: s.end,
                        class: "name",
                        id: nm.id.clone(),
                    });
                }
            }
        }
    }
    let title = |i: usize| {
        let v = &views[i];
        v.doc
            .meta
            .title
            .clone()
            .unwrap_or_else(|| v.doc.meta.id.clone())
    };

    let mut f = String::new();
    // aligned
    let related = c.related_count();
    let _ = write!(
        f,
        "<section id=\"sec-aligned\"><h2>Aligned claims <small>({}: {} likely the same fact, {} related)</small></h2><ol class=\"findings\">",
        c.aligned.len(),
        c.aligned.len() - related,
        related
    );
    for a in &c.aligned {
        let _ = write!(
            f,
            "<li class=\"finding {cls}\" data-target=\"{id}\" tabindex=\"0\"><span class=\"badge {cls}\">{lab}</span>{attr} <span class=\"sim\" title=\"pair score, and the probability that the two state one fact (calibrated on hand-labelled pairs)\">sim {sim:.2} · same fact {p:.0}%</span>",
            cls = label_class(a.label),
            id = a.id,
            lab = label_text(a.label),
            attr = if a.attribution_differs { " <span class=\"badge attr\">attribution differs</span>" } else { "" },
            sim = a.similarity,
            p = 100.0 * a.confidence
        );
        for sd in &a.sides {
            let _ = write!(
                f,
                "<div class=\"side\"><b>[{}]</b> {}</div>",
                sd.article + 1,
                esc(&sd.text)
            );
        }
        if let Some([x, y]) = &a.differing_values {
            let _ = write!(
                f,
                "<div class=\"vals\">values: <b>{}</b> vs <b>{}</b></div>",
                esc(&x.join(", ")),
                esc(&y.join(", "))
            );
        }
        if !a.evidence.is_empty() {
            let _ = write!(
                f,
                "<div class=\"why\">{}</div>",
                esc(&a.evidence.join("; "))
            );
        }
        f.push_str("</li>");
    }
    f.push_str("</ol></section>");
    // quotes
    let _ = write!(
        f,
        "<section id=\"sec-quotes\"><h2>Quotes by speaker</h2><ol class=\"findings\">"
    );
    for q in &c.quotes {
        let _ = write!(
            f,
            "<li class=\"finding quote\" data-target=\"{}\" tabindex=\"0\"><b>{}</b>",
            q.id,
            esc(&q.speaker)
        );
        f.push_str("<div class=\"cols\">");
        for (i, qs) in q.by_article.iter().enumerate() {
            let _ = write!(f, "<div class=\"qcol\"><i>[{}]</i> ", i + 1);
            if qs.is_empty() {
                f.push_str("<span class=\"none\">not quoted</span>");
            }
            for x in qs {
                let _ = write!(
                    f,
                    "<div class=\"q\">“{}”</div>",
                    esc(&snippet(&x.text, 200))
                );
            }
            f.push_str("</div>");
        }
        f.push_str("</div></li>");
    }
    f.push_str("</ol></section>");
    // naming
    let _ = write!(
        f,
        "<section id=\"sec-naming\"><h2>Naming</h2><ol class=\"findings\">"
    );
    for nm in &c.naming {
        let _ = write!(
            f,
            "<li class=\"finding naming\" data-target=\"{}\" tabindex=\"0\"><b>{}</b> <span class=\"sim\">match {:.2} ({})</span><div class=\"cols\">",
            nm.id,
            esc(&nm.entity),
            nm.match_confidence,
            esc(&nm.matched_by)
        );
        for (i, forms) in nm.by_article.iter().enumerate() {
            let _ = write!(f, "<div class=\"qcol\"><i>[{}]</i> ", i + 1);
            if forms.is_empty() {
                f.push_str("<span class=\"none\">never named</span>");
            }
            let parts: Vec<String> = forms
                .iter()
                .map(|x| {
                    format!(
                        "<span class=\"form {}\">{}</span>×{}",
                        esc(&x.kind),
                        esc(&x.text),
                        x.count
                    )
                })
                .collect();
            f.push_str(&parts.join(", "));
            f.push_str("</div>");
        }
        f.push_str("</div></li>");
    }
    f.push_str("</ol></section>");
    // only in one
    let _ = write!(
        f,
        "<section id=\"sec-only\"><h2>Only in one <small>({})</small></h2><ol class=\"findings\">",
        c.only_in_one.len()
    );
    for o in &c.only_in_one {
        let _ = write!(
            f,
            "<li class=\"finding only\" data-target=\"{}\" tabindex=\"0\"><span class=\"badge only\">{}</span> <b>[{}]</b> {}</li>",
            o.id,
            o.kind,
            o.article + 1,
            esc(&snippet(&o.text, 140))
        );
    }
    f.push_str("</ol></section>");
    // profiles
    f.push_str("<section id=\"sec-profiles\"><h2>Profiles</h2><table class=\"prof\"><tr><th></th>");
    for i in 0..n {
        let _ = write!(f, "<th>[{}]</th>", i + 1);
    }
    f.push_str("</tr>");
    let row = |f: &mut String, name: &str, cell: &dyn Fn(&crate::Profile) -> String| {
        let _ = write!(f, "<tr><th>{name}</th>");
        for p in &c.profiles {
            let _ = write!(f, "<td>{}</td>", cell(p));
        }
        f.push_str("</tr>");
    };
    let list = |v: &[crate::Count]| {
        v.iter()
            .take(8)
            .map(|x| format!("{} ({})", esc(&x.name), x.count))
            .collect::<Vec<_>>()
            .join("<br>")
    };
    row(&mut f, "claims", &|p| p.claims.to_string());
    row(&mut f, "citing nothing", &|p| {
        format!(
            "{} ({:.0}%)",
            p.claims_citing_nothing,
            p.share_citing_nothing * 100.0
        )
    });
    row(&mut f, "quotes", &|p| p.quotes.to_string());
    row(&mut f, "who is quoted", &|p| list(&p.quoted));
    row(&mut f, "sources cited", &|p| list(&p.sources));
    row(&mut f, "techniques", &|p| match &p.techniques {
        Some(t) if !t.is_empty() => list(t),
        Some(_) => "none found".into(),
        None => "<span class=\"none\">layer not run</span>".into(),
    });
    f.push_str("</table></section>");

    let mut cols = String::new();
    for (i, v) in views.iter().enumerate() {
        let _ = write!(
            cols,
            "<article class=\"col\" id=\"art{i}\" data-article=\"{i}\"><h3>[{}] {}</h3><div class=\"text\">{}</div></article>",
            i + 1,
            esc(&title(i)),
            render_text(v, &marks[i])
        );
    }
    let json = serde_json::to_string(c)
        .unwrap_or_default()
        .replace("</", "<\\/");
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parallax comparison</title>
<style>{CSS}</style></head>
<body>
<header><h1>Parallax comparison</h1><p class="legend">
<span class="hl same">same claim</span> <span class="hl values">different numbers/dates</span>
<span class="hl polarity">opposite polarity</span> <span class="hl related">related (same topic)</span> <span class="hl quote">quote</span>
<span class="hl only">only in one article</span> <span class="hl name">entity name</span>
 — labels describe the text; they do not say who is right. Click a finding: each article scrolls to it.</p></header>
<main style="--cols:{n}"><aside id="findings">{f}</aside><div id="articles">{cols}</div></main>
<script type="application/json" id="comparison">{json}</script>
<script>{JS}</script>
</body></html>
"#
    )
}

const CSS: &str = r#"
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;color:#222;background:#fafafa}
header{padding:6px 14px;border-bottom:1px solid #ddd;background:#fff}h1{font-size:18px;margin:4px 0}
.legend{margin:2px 0;font-size:12px;color:#555}
main{display:grid;grid-template-columns:minmax(320px,30%) 1fr;height:calc(100vh - 70px)}
aside{overflow:auto;padding:6px 10px;border-right:1px solid #ddd;background:#fff}
aside h2{font-size:15px;margin:12px 0 4px}ol.findings{padding-left:18px;margin:0}
.finding{margin:4px 0;padding:4px 6px;border-radius:4px;cursor:pointer;border:1px solid transparent}
.finding:hover,.finding:focus{border-color:#888;background:#f3f3f3}.finding.active{border-color:#000;background:#fff7d6}
.side{font-size:12px;margin-top:2px}.why,.vals{font-size:11px;color:#555}.sim{font-size:11px;color:#777}
.badge{font-size:11px;padding:0 4px;border-radius:3px}.cols{display:flex;gap:8px}.qcol{flex:1;font-size:12px}.q{margin:2px 0;font-style:italic}
.none{color:#999}.form.descriptive{text-decoration:underline dotted}
#articles{display:grid;grid-template-columns:repeat(var(--cols),1fr);gap:0;overflow:hidden}
.col{overflow:auto;padding:8px 14px;border-right:1px solid #ddd;height:100%}.col h3{font-size:14px;margin:4px 0 8px}
.text{white-space:pre-wrap}
.hl.same,.badge.same{background:#d5f5d5}.hl.values,.badge.values{background:#ffe2b8}.hl.polarity,.badge.polarity{background:#ffc9c9}.hl.related,.badge.related{background:#e4ecf7}
.hl.quote{background:#e3e7ff}.hl.speaker{font-weight:600}.hl.only,.badge.only{background:#eee;box-shadow:inset 0 -2px #aaa}
.hl.name{box-shadow:inset 0 -2px #7a5af8}.badge.attr{background:#e7d7ff}
.hl.flash{box-shadow:inset 0 -3px #000!important;background:#fff27a!important}
table.prof{border-collapse:collapse;font-size:12px}table.prof th,table.prof td{border:1px solid #ddd;padding:2px 4px;vertical-align:top;text-align:left}
"#;

const JS: &str = r#"
(function(){
  function go(id, li){
    document.querySelectorAll('.finding.active').forEach(function(x){x.classList.remove('active')});
    document.querySelectorAll('.hl.flash').forEach(function(x){x.classList.remove('flash')});
    if(li) li.classList.add('active');
    document.querySelectorAll('.col').forEach(function(col){
      var hits = col.querySelectorAll('.hl[data-f~="'+id+'"]');
      if(!hits.length) return;
      hits.forEach(function(h){h.classList.add('flash')});
      var h = hits[0];
      col.scrollTop += h.getBoundingClientRect().top - col.getBoundingClientRect().top - 60;
    });
    location.hash = id;
  }
  document.querySelectorAll('.finding').forEach(function(li){
    li.addEventListener('click', function(){ go(li.dataset.target, li); });
    li.addEventListener('keydown', function(e){ if(e.key==='Enter') go(li.dataset.target, li); });
  });
  document.querySelectorAll('.hl').forEach(function(h){
    h.addEventListener('click', function(){
      var id = h.dataset.f.trim().split(' ')[0];
      var li = document.querySelector('.finding[data-target="'+id+'"]');
      if(li){ li.scrollIntoView({block:'center'}); go(id, li); }
    });
  });
  window.parallaxGo = go;
})();
"#;
