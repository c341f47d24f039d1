use crate::Lang;
use serde::{Deserialize, Serialize};

/// A name kept in both interface languages (tenant names, level names, categories).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    pub zh: String,
    pub en: String,
}

impl Localized {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Localized {
        Localized { zh: zh.into(), en: en.into() }
    }

    /// The name in `lang`, falling back to Chinese when no English name was entered.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En if !self.en.is_empty() => &self.en,
            _ => &self.zh,
        }
    }
}
