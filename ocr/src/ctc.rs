//! Greedy CTC decoding of the recogniser's per-step class probabilities.

/// The recogniser's alphabet: class 0 is the CTC blank, then the dictionary, then a space.
pub struct Alphabet {
    symbols: Vec<String>,
}

impl Alphabet {
    /// From the dictionary file's text: one symbol a line (as exported by scripts/ocr-models.py).
    pub fn from_dictionary(text: &str) -> Alphabet {
        let mut symbols = vec![String::new()];
        symbols.extend(text.strip_suffix('\n').unwrap_or(text).split('\n').map(str::to_string));
        symbols.push(" ".to_string());
        Alphabet { symbols }
    }

    /// Classes the model must output: blank + dictionary + space.
    pub fn classes(&self) -> usize {
        self.symbols.len()
    }

    /// Best class at each step; repeats merged, blanks dropped. Returns the text and the mean
    /// probability of the kept symbols (0 when nothing was read).
    pub fn decode(&self, probs: &[f32], steps: usize) -> (String, f32) {
        let classes = self.classes();
        let mut text = String::new();
        let (mut sum, mut kept) = (0.0f32, 0usize);
        let mut previous = 0usize;
        for step in probs.chunks_exact(classes).take(steps) {
            let (best, p) =
                step.iter().enumerate().fold((0usize, f32::MIN), |acc, (i, &p)| if p > acc.1 { (i, p) } else { acc });
            if best != 0 && best != previous {
                text.push_str(&self.symbols[best]);
                sum += p;
                kept += 1;
            }
            previous = best;
        }
        (text, if kept == 0 { 0.0 } else { sum / kept as f32 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_hot(classes: usize, path: &[usize]) -> Vec<f32> {
        path.iter()
            .flat_map(|&c| {
                let mut v = vec![0.01; classes];
                v[c] = 0.9;
                v
            })
            .collect()
    }

    #[test]
    fn merges_repeats_and_drops_blanks() {
        let alphabet = Alphabet::from_dictionary("合\n计\n1\n");
        assert_eq!(alphabet.classes(), 5);
        // 合 合 _ 计 _ 1 _ 1 space
        let probs = one_hot(5, &[1, 1, 0, 2, 0, 3, 0, 3, 4]);
        let (text, confidence) = alphabet.decode(&probs, 9);
        assert_eq!(text, "合计11 ");
        assert!((confidence - 0.9).abs() < 1e-6);
    }

    #[test]
    fn nothing_read_has_no_confidence() {
        let alphabet = Alphabet::from_dictionary("a\n");
        assert_eq!(alphabet.decode(&one_hot(3, &[0, 0]), 2), (String::new(), 0.0));
    }
}
