//! Which language console messages are written in.
//!
//! Staff usually run a Chinese locale; CI and developers often do not. The
//! choice is made once, at the edge (the CLI), and passed down as a value.

/// The language of console messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 简体中文, for a `zh_*` locale.
    Zh,
    /// English, for every other locale.
    #[default]
    En,
}

impl Lang {
    /// Reads `LC_ALL`, `LC_MESSAGES` and `LANG` in POSIX precedence order.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var) {
                if !v.is_empty() {
                    return Lang::from_locale(&v);
                }
            }
        }
        Lang::En
    }

    /// `zh_CN.UTF-8`, `zh-Hans`, `zh` → Chinese; anything else → English.
    pub fn from_locale(locale: &str) -> Lang {
        let l = locale.to_ascii_lowercase();
        if l == "zh" || l.starts_with("zh_") || l.starts_with("zh-") || l.starts_with("zh.") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// A message in both languages; the renderer picks one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Msg {
    pub zh: String,
    pub en: String,
}

impl Msg {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Msg {
        Msg { zh: zh.into(), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// `msg!("中文 {x}", "English {x}")` builds a [`Msg`] with `format!` on both.
#[macro_export]
macro_rules! msg {
    ($zh:expr, $en:expr $(,)?) => {
        $crate::lang::Msg::new(format!($zh), format!($en))
    };
    ($zh:expr, $en:expr, $($arg:expr),+ $(,)?) => {
        $crate::lang::Msg::new(format!($zh, $($arg),+), format!($en, $($arg),+))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales() {
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::Zh);
        assert_eq!(Lang::from_locale("zh_TW"), Lang::Zh);
        assert_eq!(Lang::from_locale("zh"), Lang::Zh);
        assert_eq!(Lang::from_locale("C.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("zu_ZA"), Lang::En);
    }
}
