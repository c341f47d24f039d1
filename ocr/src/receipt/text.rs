//! Text as OCR gives it, made comparable: full-width forms folded to ASCII, and look-alike
//! characters folded for keys and unit numbers.

/// Full-width ASCII (Ａ, １, ：, （) to half-width, ￥ to ¥, ideographic space to a space.
pub fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '￥' => '¥',
            '—' | '–' => '-',
            other => other,
        })
        .collect()
}

/// Folds characters that OCR confuses with high confidence (S/5, B/8, O/0/D, I/1/l, Z/2, G/6)
/// and drops everything but letters, digits and dashes, upper-cased: `S2611-05` and
/// `52611-O5` give the same key. For duplicate keys and unit numbers, never for display.
pub fn fold_lookalikes(text: &str) -> String {
    normalise(text)
        .chars()
        .filter_map(|c| match c {
            // A capital L starts unit numbers (L1-08): only the small one looks like a 1.
            'l' | '|' => Some('1'),
            _ => match c.to_ascii_uppercase() {
                'S' => Some('5'),
                'B' => Some('8'),
                'O' | 'D' | 'Q' => Some('0'),
                'I' => Some('1'),
                'Z' => Some('2'),
                'G' => Some('6'),
                c @ ('0'..='9' | 'A'..='Z' | '-') => Some(c),
                _ => None,
            },
        })
        .collect()
}

/// The text without spaces, for label and name matching (OCR spaces are unreliable).
pub fn squeeze(text: &str) -> String {
    normalise(text).chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_becomes_ascii() {
        assert_eq!(normalise("合计：￥４６.００（含税）"), "合计:¥46.00(含税)");
    }

    #[test]
    fn look_alikes_fold_to_one_key() {
        assert_eq!(fold_lookalikes("S2611050042"), fold_lookalikes("52611O50042"));
        assert_eq!(fold_lookalikes("B1-16"), fold_lookalikes("81-16"));
        assert_eq!(fold_lookalikes("YS-2026 1106-0107"), "Y5-20261106-0107");
        assert_eq!(fold_lookalikes("Zl-IG"), "21-16");
    }

    #[test]
    fn a_capital_l_stays_a_letter_but_a_small_one_is_a_one() {
        // Unit numbers start with L (floor): L1-08 must not become 11-08.
        assert_eq!(fold_lookalikes("L1-08"), "L1-08");
        assert_eq!(fold_lookalikes("l1-08"), "11-08");
    }
}
