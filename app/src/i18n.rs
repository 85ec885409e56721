//! Indonesian (the default) and English.
//!
//! The chosen language lives in the `suara_lang` cookie so that the server
//! renders the same language the browser will hydrate with.

use leptos::prelude::*;

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

    pub fn from_code(code: &str) -> Self {
        if code.eq_ignore_ascii_case("en") {
            Self::En
        } else {
            Self::Id
        }
    }

    /// Picks the language named in a `Cookie` header value.
    pub fn from_cookie_header(header: &str) -> Self {
        cookie_value(header, LANG_COOKIE)
            .map(Self::from_code)
            .unwrap_or_default()
    }

    pub fn pick<'a>(self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Id => id,
            Self::En => en,
        }
    }
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// The reactive language of this page.
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<RwSignal<Lang>>()
}

/// Reads the language the request (server) or the document (browser) carries
/// and provides it as context.
pub fn provide_lang() -> RwSignal<Lang> {
    let lang = RwSignal::new(initial_lang());
    provide_context(lang);
    lang
}

fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| {
                p.headers
                    .get(http::header::COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use wasm_bindgen::JsCast;
        document()
            .dyn_into::<web_sys::HtmlDocument>()
            .ok()
            .and_then(|d| d.cookie().ok())
            .map(|c| Lang::from_cookie_header(&c))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Lang::default()
    }
}

/// Remembers the language on this device for a year.
pub fn remember(lang: Lang) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        if let Ok(d) = document().dyn_into::<web_sys::HtmlDocument>() {
            let _ = d.set_cookie(&format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                lang.code()
            ));
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = lang;
}

/// Every UI string, in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    Tagline,
    SearchLabel,
    SearchPlaceholder,
    NoServiceFound,
    Loading,
    LoadFailed,
    RateThisService,
    ServiceNotFound,
    BackToServices,
    Comment,
    CommentHint,
    Submit,
    Sending,
    ChooseAtLeastOne,
    NotSentNetwork,
    NotAccepted,
    ThankYouTitle,
    ThankYouBody,
    RateAnother,
    SignIn,
    SignOut,
    Email,
    Password,
    SignInFailed,
    Dashboard,
    Responses,
    Index,
    Grade,
    Mean,
    Item,
    NoResponsesYet,
    ExportCsv,
    SignedInAs,
    SwitchLanguage,
    SkipToContent,
    Home,
    Scale,
    OptionalLabel,
}

impl Msg {
    pub fn text(self, lang: Lang) -> &'static str {
        let (id, en) = match self {
            Msg::Tagline => (
                "Nilai layanan publik yang Anda terima. Tanpa nama, dalam 30 detik.",
                "Rate the public service you received. Anonymous, in 30 seconds.",
            ),
            Msg::SearchLabel => ("Cari layanan", "Search services"),
            Msg::SearchPlaceholder => (
                "mis. paspor, KTP, puskesmas",
                "e.g. passport, ID card, clinic",
            ),
            Msg::NoServiceFound => ("Tidak ada layanan yang cocok.", "No service matches."),
            Msg::Loading => ("Memuat…", "Loading…"),
            Msg::LoadFailed => (
                "Gagal memuat. Coba lagi.",
                "Could not load. Please try again.",
            ),
            Msg::RateThisService => ("Beri penilaian", "Rate this service"),
            Msg::ServiceNotFound => ("Layanan tidak ditemukan.", "Service not found."),
            Msg::BackToServices => ("Kembali ke daftar layanan", "Back to all services"),
            Msg::Comment => ("Komentar atau pengaduan", "Comment or complaint"),
            Msg::CommentHint => (
                "Jangan tulis nama atau nomor telepon Anda.",
                "Do not write your name or phone number.",
            ),
            Msg::Submit => ("Kirim", "Submit"),
            Msg::Sending => ("Mengirim…", "Sending…"),
            Msg::ChooseAtLeastOne => (
                "Pilih jawaban untuk setidaknya satu pertanyaan.",
                "Choose an answer for at least one question.",
            ),
            Msg::NotSentNetwork => (
                "Penilaian belum terkirim: tidak ada koneksi ke server. Coba lagi.",
                "Your rating was not sent: the server cannot be reached. Please try again.",
            ),
            Msg::NotAccepted => (
                "Penilaian ditolak server:",
                "The server did not accept the rating:",
            ),
            Msg::ThankYouTitle => ("Terima kasih!", "Thank you!"),
            Msg::ThankYouBody => (
                "Penilaian Anda sudah kami terima dan akan dibaca oleh kepala unit layanan.",
                "We received your rating; the head of the service unit will read it.",
            ),
            Msg::RateAnother => ("Nilai layanan lain", "Rate another service"),
            Msg::SignIn => ("Masuk", "Sign in"),
            Msg::SignOut => ("Keluar", "Sign out"),
            Msg::Email => ("Email", "Email"),
            Msg::Password => ("Kata sandi", "Password"),
            Msg::SignInFailed => ("Email atau kata sandi salah.", "Wrong email or password."),
            Msg::Dashboard => ("Dasbor", "Dashboard"),
            Msg::Responses => ("Jumlah responden", "Responses"),
            Msg::Index => ("Indeks (IKM)", "Index (IKM)"),
            Msg::Grade => ("Mutu", "Grade"),
            Msg::Mean => ("Rata-rata (NRR)", "Mean (NRR)"),
            Msg::Item => ("Unsur", "Item"),
            Msg::NoResponsesYet => ("Belum ada penilaian.", "No ratings yet."),
            Msg::ExportCsv => ("Unduh data (CSV)", "Download data (CSV)"),
            Msg::SignedInAs => ("Masuk sebagai", "Signed in as"),
            Msg::SwitchLanguage => ("English", "Bahasa Indonesia"),
            Msg::SkipToContent => ("Langsung ke isi", "Skip to content"),
            Msg::Home => ("Beranda", "Home"),
            Msg::Scale => ("Skala 1–4", "Scale 1–4"),
            Msg::OptionalLabel => ("(tidak wajib)", "(optional)"),
        };
        lang.pick(id, en)
    }
}

/// The text of `msg` in the page's current language, as a reactive closure.
pub fn tr(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || msg.text(lang.get())
}
