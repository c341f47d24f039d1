//! Plaza's own tokens for product search, the same for both databases and for documents and
//! queries (docs/decisions/0014-chinese-search.md).
//!
//! Text is folded first (full-width letters and digits to ASCII, lower case). Then each run of
//! Chinese (or Japanese) characters becomes its overlapping character pairs followed by its last
//! character alone — `不锈钢保温杯` → `不锈 锈钢 钢保 保温 温杯 杯` — so any word of two or more
//! characters inside it is a phrase of adjacent pairs, and any single character begins some
//! token. Latin letters and digits are words of their own, split where letters meet digits
//! (`iPhone15` → `iphone 15`), so a model number matches however it was spaced.
//!
//! A query becomes terms that must all match. Its Chinese is cut into words first (jieba, with
//! the words it does not know kept whole), because shoppers run words together that a title
//! keeps apart: `华为耳机` is `华为` and `耳机`. A word of two or more characters is the phrase of
//! its pairs (`保温杯` → `"保温 温杯"`), a single character is a prefix, a Latin word of two or
//! more letters is a prefix (`iph` finds iPhone), a number is exact. A wrong cut can only split
//! a word too finely, which loosens the match (never misses a title that contains the words).

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Cjk,
    Letter,
    Digit,
    Other,
}

fn class(c: char) -> Class {
    if c.is_ascii_digit() {
        Class::Digit
    } else if c.is_ascii_alphabetic() || (c.is_alphabetic() && (c as u32) < 0x2E80) {
        Class::Letter
    } else if is_cjk(c) {
        Class::Cjk
    } else {
        Class::Other
    }
}

/// Han ideographs (with the extensions), kana and Hangul: written without spaces.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0x20000..=0x3134F) // extensions B–G
}

/// Full-width ASCII (`ＡＢＣ１２３`) to ASCII, the ideographic space to a space, lower case.
fn fold(c: char) -> impl Iterator<Item = char> {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    c.to_lowercase()
}

/// The runs of one class in `text`, folded: `("iPhone15 手机壳")` → iphone, 15, 手机壳.
fn runs(text: &str) -> Vec<(Class, String)> {
    let mut out: Vec<(Class, String)> = Vec::new();
    let mut current: Option<(Class, String)> = None;
    for c in text.chars().flat_map(fold) {
        let k = class(c);
        match &mut current {
            Some((class, run)) if *class == k => run.push(c),
            _ => {
                if let Some(done) = current.take().filter(|(k, _)| *k != Class::Other) {
                    out.push(done);
                }
                current = Some((k, c.to_string()));
            }
        }
    }
    if let Some(done) = current.filter(|(k, _)| *k != Class::Other) {
        out.push(done);
    }
    out
}

/// The tokens of a document's text, in order (positions matter for phrases).
pub fn document_tokens(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for (class, run) in runs(text) {
        match class {
            Class::Cjk => {
                let chars: Vec<char> = run.chars().collect();
                for pair in chars.windows(2) {
                    tokens.push(pair.iter().collect());
                }
                tokens.push(chars[chars.len() - 1].to_string());
            }
            // Longer runs are not words anyone types; keep the index small.
            _ if run.chars().count() > 32 => {}
            _ => tokens.push(run),
        }
    }
    tokens
}

/// One term of a query: all terms must match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// Tokens that must appear next to each other, in this order.
    Phrase(Vec<String>),
    /// A token that must begin some token.
    Prefix(String),
    /// A token that must appear as it is.
    Exact(String),
}

impl Term {
    /// The text this term was made from, for "did you mean" and the like.
    pub fn text(&self) -> String {
        match self {
            Term::Phrase(pairs) => {
                let mut text: String = pairs.first().cloned().unwrap_or_default();
                for pair in pairs.iter().skip(1) {
                    text.extend(pair.chars().skip(1));
                }
                text
            }
            Term::Prefix(t) | Term::Exact(t) => t.clone(),
        }
    }
}

/// The most terms a query keeps: enough for any real search, and a bound on the work.
pub const MAX_TERMS: usize = 8;

static JIEBA: std::sync::LazyLock<jieba_rs::Jieba> = std::sync::LazyLock::new(jieba_rs::Jieba::new);

/// Single characters that join words and find nothing on their own.
const JOINERS: [&str; 10] = ["的", "和", "与", "及", "或", "跟", "之", "了", "在", "是"];

/// The words of a Chinese run: jieba's cut, with single characters joined to a neighbour —
/// runs of them are words jieba does not know (new brands: `三顿半`), and one after a word is
/// usually its end (`手机` + `壳`: what was typed together stays together) — and joining
/// characters dropped when there are other words.
fn words(run: &str) -> Vec<String> {
    let cut: Vec<&str> = JIEBA.cut(run, true).into_iter().map(|t| t.word).collect();
    let cut: Vec<&str> = if cut.len() > 1 { cut.into_iter().filter(|w| !JOINERS.contains(w)).collect() } else { cut };
    let mut out: Vec<String> = Vec::new();
    let mut pending_single = false;
    for word in cut {
        let single = word.chars().count() == 1;
        match out.last_mut() {
            Some(last) if single || pending_single => last.push_str(word),
            _ => out.push(word.to_string()),
        }
        // A leading single character waits for the word after it.
        pending_single = single && out.last().is_some_and(|w| w.chars().count() == 1);
    }
    out
}

/// The terms of what a shopper typed, duplicates dropped. Empty when there is nothing to search.
pub fn query_terms(query: &str) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    for (class, run) in runs(query) {
        let pieces: Vec<Term> = match class {
            Class::Cjk => {
                let run: String = run.chars().take(24).collect();
                words(&run)
                    .into_iter()
                    .map(|word| {
                        let chars: Vec<char> = word.chars().collect();
                        if chars.len() == 1 {
                            Term::Prefix(word)
                        } else {
                            Term::Phrase(chars.windows(2).map(|p| p.iter().collect()).collect())
                        }
                    })
                    .collect()
            }
            Class::Letter if run.len() >= 2 && run.len() <= 32 => vec![Term::Prefix(run)],
            Class::Letter | Class::Digit if run.len() <= 32 => vec![Term::Exact(run)],
            _ => continue,
        };
        for term in pieces {
            if !terms.contains(&term) && terms.len() < MAX_TERMS {
                terms.push(term);
            }
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(tokens: Vec<String>) -> String {
        tokens.join(" ")
    }

    #[test]
    fn chinese_runs_become_pairs_and_their_last_character() {
        assert_eq!(words(document_tokens("不锈钢保温杯")), "不锈 锈钢 钢保 保温 温杯 杯");
        assert_eq!(words(document_tokens("杯")), "杯");
        assert_eq!(words(document_tokens("挂耳咖啡，10包")), "挂耳 耳咖 咖啡 啡 10 包");
    }

    #[test]
    fn latin_words_and_numbers_split_and_fold() {
        assert_eq!(words(document_tokens("Apple iPhone15 Pro 手机壳")), "apple iphone 15 pro 手机 机壳 壳");
        assert_eq!(words(document_tokens("ＡＢＣ１２３　WH-1000XM5")), "abc 123 wh 1000 xm 5");
        assert_eq!(words(document_tokens("Café crème")), "café crème");
    }

    #[test]
    fn queries_are_phrases_prefixes_and_numbers() {
        assert_eq!(query_terms("保温杯"), vec![Term::Phrase(vec!["保温".into(), "温杯".into()])]);
        assert_eq!(
            query_terms("iPhone 15 手机壳"),
            vec![
                Term::Prefix("iphone".into()),
                Term::Exact("15".into()),
                Term::Phrase(vec!["手机".into(), "机壳".into()])
            ]
        );
        assert_eq!(query_terms("杯 x"), vec![Term::Prefix("杯".into()), Term::Exact("x".into())]);
        assert_eq!(query_terms("  ，。!! "), vec![]);
        assert_eq!(query_terms("咖啡 咖啡"), vec![Term::Phrase(vec!["咖啡".into()])]);
        assert_eq!(query_terms("a b c d e f g h i j k").len(), MAX_TERMS);
    }

    fn texts(query: &str) -> Vec<String> {
        query_terms(query).iter().map(Term::text).collect()
    }

    #[test]
    fn words_run_together_are_cut_apart() {
        assert_eq!(texts("华为耳机"), ["华为", "耳机"]);
        assert_eq!(texts("小米充电宝"), ["小米", "充电宝"], "宝 stays with 充电");
        assert_eq!(texts("手机壳"), ["手机壳"]);
        assert_eq!(texts("保温杯"), ["保温杯"]);
        // Unknown to the dictionary: kept whole rather than cut into characters.
        assert_eq!(texts("三顿半"), ["三顿半"]);
        assert_eq!(texts("好看的杯子"), ["好看", "杯子"]);
        assert_eq!(texts("杯"), ["杯"]);
    }

    #[test]
    fn a_phrase_gives_back_its_text() {
        assert!(query_terms("北欧风陶瓷")[0].text().chars().count() >= 2);
        assert_eq!(query_terms("挂耳咖啡").iter().map(Term::text).collect::<String>(), "挂耳咖啡");
        assert_eq!(query_terms("iph")[0].text(), "iph");
    }

    #[test]
    fn every_word_in_a_title_is_found_by_its_own_query() {
        // The property search rests on: a query's phrase is always a run of adjacent tokens in
        // the document when its text is inside the document's text.
        let title = "德国进口不锈钢真空保温杯大容量男女学生水杯";
        let doc = document_tokens(title);
        let chars: Vec<char> = title.chars().collect();
        for start in 0..chars.len() {
            for end in start + 1..=chars.len() {
                let query: String = chars[start..end].iter().collect();
                for term in query_terms(&query) {
                    let found = match &term {
                        Term::Phrase(pairs) => doc.windows(pairs.len()).any(|w| w == pairs.as_slice()),
                        Term::Prefix(p) => doc.iter().any(|t| t.starts_with(p.as_str())),
                        Term::Exact(x) => doc.contains(x),
                    };
                    assert!(found, "{term:?} of {query} in {title}");
                }
            }
        }
    }
}
