//! Interface language: Simplified Chinese first, English by a switch remembered per device.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The name of the cookie that remembers the choice on this device.
    pub const COOKIE: &'static str = "plaza_lang";

    /// The value for `<html lang>` and for the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Reads a cookie value or a language tag; anything unknown falls back to Chinese.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// Finds the language cookie in a `Cookie` header.
    pub fn from_cookie_header(header: &str) -> Option<Lang> {
        header.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == Lang::COOKIE).then(|| Lang::from_tag(value))
        })
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_cookie() {
        assert_eq!(Lang::from_cookie_header("a=1; plaza_lang=en; b=2"), Some(Lang::En));
        assert_eq!(Lang::from_cookie_header("plaza_lang=zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_cookie_header("other=en"), None);
    }
}
