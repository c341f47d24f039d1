//! Product descriptions: the shop writes text or HTML (often pasted from elsewhere); what is
//! stored and shown is HTML through an allow-list (ammonia): paragraphs, emphasis, headings,
//! lists, quotes and images — and only images stored here (`/media/products/…`). Scripts, styles,
//! event attributes, links and other sites' images are gone before anything is saved.

use super::input::refused;
use plaza_types::dto::ShopProblem;
use std::collections::HashSet;

/// The longest description accepted, as typed.
pub const MAX_CHARS: usize = 20_000;

/// Where images in a description must come from.
pub const IMAGE_PREFIX: &str = "/media/products/";

/// The HTML to store. Text without tags becomes paragraphs, one per line.
pub fn sanitise(input: &str) -> crate::Result<String> {
    let input = input.trim();
    if input.chars().count() > MAX_CHARS {
        return Err(refused(ShopProblem::Description));
    }
    if input.is_empty() {
        return Ok(String::new());
    }
    if !input.contains('<') {
        return Ok(input
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| format!("<p>{}</p>", escape(l)))
            .collect());
    }
    let tags: HashSet<&str> =
        ["p", "br", "strong", "b", "em", "i", "u", "s", "h3", "h4", "ul", "ol", "li", "blockquote", "img", "hr"]
            .into_iter()
            .collect();
    let clean = ammonia::Builder::default()
        .tags(tags)
        .generic_attributes(HashSet::new())
        .tag_attributes([("img", ["src", "alt", "width", "height"].into_iter().collect())].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src") => value
                .starts_with(IMAGE_PREFIX)
                .then_some(value)
                .filter(|v| !v.contains("..") && !v.contains('?'))
                .map(Into::into),
            ("img", "width" | "height") => value.parse::<u16>().ok().map(|n| n.to_string().into()),
            _ => Some(value.into()),
        })
        .link_rel(None)
        .clean(input)
        .to_string();
    // An image whose source was refused has no `src` left: drop it rather than show a hole.
    Ok(clean.replace("<img>", ""))
}

/// Text as HTML text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_events_and_other_sites_are_removed() {
        let html = sanitise(
            r#"<p onclick="steal()">好杯子<script>alert(1)</script></p><style>p{}</style>
               <img src="https://evil.example/x.png" onerror="alert(2)"><img src="/media/products/p/1/a.jpg" alt="杯">
               <a href="javascript:alert(3)">点我</a><iframe src="/x"></iframe><h3 style="color:red">参数</h3>"#,
        )
        .unwrap();
        for gone in ["script", "alert", "onclick", "onerror", "evil", "style", "iframe", "href", "<a"] {
            assert!(!html.contains(gone), "{gone} in {html}");
        }
        assert!(html.contains(r#"<img src="/media/products/p/1/a.jpg" alt="杯">"#), "{html}");
        assert!(html.contains("<h3>参数</h3>") && html.contains("点我") && html.contains("<p>好杯子</p>"), "{html}");
    }

    #[test]
    fn plain_text_becomes_paragraphs_and_stays_text() {
        assert_eq!(sanitise("第一行\n\n第二行 & 更多").unwrap(), "<p>第一行</p><p>第二行 &amp; 更多</p>");
        assert_eq!(sanitise("  ").unwrap(), "");
        assert!(sanitise(&"字".repeat(MAX_CHARS + 1)).is_err());
        let sneaky =
            sanitise(r#"<img src="/media/products/../receipts/a.jpg"><img src="/media/products/p/1/a.jpg?x">"#)
                .unwrap();
        assert!(!sneaky.contains("receipts") && !sneaky.contains("?x"), "{sneaky}");
    }
}
