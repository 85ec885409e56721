//! The page's language and its words.
//!
//! Every UI string lives in `app/locales/id.json` (Indonesian, the default)
//! and `app/locales/en.json`, compiled by leptos_i18n into the `crate::i18n`
//! module (see `build.rs`) and looked up with its `td_string!`; a missing or
//! misspelt key fails the build. [`Msg`] names the strings in code.
//!
//! The chosen language is a signal of ours ([`LangSignal`]) and the
//! `suara_lang` cookie, kept for a year: the server renders the language of
//! the cookie, the browser starts from it and writes it on a switch. (The
//! i18n crate's own context would do the same through leptos-use's cookie
//! jar, which brings the `time` crate's date parser into the wasm: some
//! 25 KB of a cheap phone's first download.)

use crate::i18n::Locale;
use leptos::prelude::*;
use leptos_i18n::td_string;

pub const LANG_COOKIE: &str = "suara_lang";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "id" => Some(Self::Id),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    pub fn pick<'a>(self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Id => id,
            Self::En => en,
        }
    }

    pub(crate) fn locale(self) -> Locale {
        match self {
            Self::Id => Locale::id,
            Self::En => Locale::en,
        }
    }

    /// The language a `Cookie` header (or `document.cookie`) chose;
    /// Indonesian without a choice: the browser's language is not consulted,
    /// as the product specifies.
    pub fn from_cookies(header: &str) -> Self {
        cookie_value(header, LANG_COOKIE)
            .and_then(Self::from_code)
            .unwrap_or_default()
    }
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// The page's language.
#[derive(Clone, Copy)]
pub struct LangSignal(RwSignal<Lang>);

impl LangSignal {
    /// Provides the page's language, starting at `initial`.
    pub fn provide(initial: Lang) -> Self {
        let signal = Self(RwSignal::new(initial));
        provide_context(signal);
        signal
    }

    pub fn get(&self) -> Lang {
        self.0.get()
    }

    pub fn get_untracked(&self) -> Lang {
        self.0.get_untracked()
    }

    /// Switches the page and remembers the choice on this device.
    pub fn set(&self, lang: Lang) {
        self.0.set(lang);
        remember(lang);
    }
}

/// Keeps `lang` in the cookie for a year and on `<html lang>`.
fn remember(lang: Lang) {
    #[cfg(feature = "csr")]
    {
        use wasm_bindgen::JsCast;
        let doc = document();
        if let Some(root) = doc.document_element() {
            let _ = root.set_attribute("lang", lang.code());
        }
        let _ = doc
            .unchecked_into::<web_sys::HtmlDocument>()
            .set_cookie(&format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.code()
            ));
    }
    #[cfg(not(feature = "csr"))]
    let _ = lang;
}

/// The language this device chose, as the browser app starts.
#[cfg(feature = "csr")]
pub fn device_lang() -> Lang {
    use wasm_bindgen::JsCast;
    document()
        .unchecked_into::<web_sys::HtmlDocument>()
        .cookie()
        .map(|c| Lang::from_cookies(&c))
        .unwrap_or_default()
}

/// The language of this page.
pub fn use_lang() -> LangSignal {
    expect_context::<LangSignal>()
}

// `Msg`: every plain string of the locale files, by name (see build.rs).
include!(concat!(env!("OUT_DIR"), "/msg.rs"));

/// The text of `msg` in the page's current language, as a reactive closure.
pub fn tr(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || msg.text(lang.get())
}

/// "3 responses waiting to be sent", the number first so that screen readers
/// announce it first.
pub fn waiting_text(lang: Lang, n: usize) -> String {
    let locale = lang.locale();
    if n == 1 {
        td_string!(locale, outbox_waiting_one).to_string()
    } else {
        td_string!(locale, outbox_waiting, n = n).to_string()
    }
}

/// "2 complaints waiting to be sent".
pub fn complaints_waiting_text(lang: Lang, n: usize) -> String {
    let locale = lang.locale();
    if n == 1 {
        td_string!(locale, complaints_waiting_one).to_string()
    } else {
        td_string!(locale, complaints_waiting, n = n).to_string()
    }
}

/// "2 not sent": refused by the server and kept on the device.
pub fn refused_text(lang: Lang, n: usize) -> String {
    td_string!(lang.locale(), outbox_refused, n = n).to_string()
}
