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
    KioskTooSoon,
    KioskNext,
    OutboxChecking,
    LastSent,
    NeverSent,
    OutboxUnavailable,
    OutboxTitle,
    OutboxIntro,
    OutboxEmpty,
    StateWaiting,
    StateRejected,
    StateConflict,
    Reason,
    Discard,
    ConfirmDiscard,
    Cancel,
    DiscardQuestion,
    SendNow,
    SavedAt,
    UpdateReady,
    Reload,
    PersistRefused,
    ViewOutbox,
    PosterScan,
    PosterSteps,
    PosterAnonymous,
    PrintPoster,
    PosterFor,
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
                "Penilaian Anda tersimpan dan dikirim otomatis ke kepala unit layanan, juga bila saat ini tidak ada sinyal.",
                "Your rating is saved and sent automatically to the head of the service unit, even if there is no signal right now.",
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
            Msg::KioskTooSoon => (
                "Mohon tunggu beberapa detik sebelum penilaian berikutnya.",
                "Please wait a few seconds before the next rating.",
            ),
            Msg::KioskNext => (
                "Layar siap untuk pengunjung berikutnya dalam beberapa detik.",
                "The screen will be ready for the next visitor in a few seconds.",
            ),
            Msg::OutboxChecking => (
                "Memeriksa tanggapan di perangkat ini…",
                "Checking responses on this device…",
            ),
            Msg::LastSent => ("Terakhir terkirim", "Last sent"),
            Msg::NeverSent => ("belum pernah", "never"),
            Msg::OutboxUnavailable => (
                "Perangkat ini tidak dapat menyimpan tanggapan; penilaian dikirim langsung.",
                "This device cannot store responses; ratings are sent at once.",
            ),
            Msg::OutboxTitle => ("Tanggapan di perangkat ini", "Responses on this device"),
            Msg::OutboxIntro => (
                "Tanggapan disimpan di perangkat ini sampai server menerimanya. Yang ditolak server tetap di sini, dengan alasannya, sampai Anda membuangnya.",
                "Responses stay on this device until the server holds them. Those the server refused stay here, with the reason, until you discard them.",
            ),
            Msg::OutboxEmpty => (
                "Tidak ada tanggapan yang tertinggal di perangkat ini.",
                "No responses are left on this device.",
            ),
            Msg::StateWaiting => ("Menunggu dikirim", "Waiting to be sent"),
            Msg::StateRejected => ("Ditolak server", "Refused by the server"),
            Msg::StateConflict => (
                "Berbeda dengan data di server",
                "Differs from the server's copy",
            ),
            Msg::Reason => ("Alasan", "Reason"),
            Msg::Discard => ("Buang", "Discard"),
            Msg::ConfirmDiscard => ("Ya, buang", "Yes, discard"),
            Msg::Cancel => ("Batal", "Cancel"),
            Msg::DiscardQuestion => (
                "Tanggapan ini dihapus dari perangkat dan tidak akan dikirim. Lanjutkan?",
                "This response will be deleted from the device and never sent. Go on?",
            ),
            Msg::SendNow => ("Kirim sekarang", "Send now"),
            Msg::SavedAt => ("Disimpan", "Saved"),
            Msg::UpdateReady => (
                "Versi baru Suara sudah siap.",
                "A new version of Suara is ready.",
            ),
            Msg::Reload => ("Muat ulang", "Reload"),
            Msg::PersistRefused => (
                "Peramban ini tidak menjamin penyimpanan permanen: jika data situs dihapus, tanggapan yang belum terkirim ikut hilang. Sambungkan ke internet agar segera terkirim.",
                "This browser does not guarantee lasting storage: if site data is cleared, responses not yet sent are lost with it. Connect to the internet so that they are sent soon.",
            ),
            Msg::ViewOutbox => ("Lihat", "View"),
            Msg::PosterScan => (
                "Pindai kode QR dengan kamera ponsel",
                "Scan the QR code with your phone's camera",
            ),
            Msg::PosterSteps => (
                "Jawab beberapa pertanyaan singkat tentang layanan yang Anda terima. Bisa tanpa sinyal: penilaian terkirim otomatis nanti.",
                "Answer a few short questions about the service you received. Works without signal: your rating is sent automatically later.",
            ),
            Msg::PosterAnonymous => (
                "Tanpa nama. Tanpa akun. ±30 detik.",
                "No name. No account. About 30 seconds.",
            ),
            Msg::PrintPoster => ("Cetak poster", "Print poster"),
            Msg::PosterFor => ("Poster untuk", "Poster for"),
        };
        lang.pick(id, en)
    }
}

/// The text of `msg` in the page's current language, as a reactive closure.
pub fn tr(msg: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || msg.text(lang.get())
}

/// "3 responses waiting to be sent", with the number first so that screen
/// readers announce it first.
pub fn waiting_text(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::Id, n) => format!("{n} tanggapan menunggu dikirim"),
        (Lang::En, 1) => "1 response waiting to be sent".to_owned(),
        (Lang::En, n) => format!("{n} responses waiting to be sent"),
    }
}

/// "2 not sent" — refused by the server and kept on the device.
pub fn refused_text(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Id => format!("{n} tidak terkirim"),
        Lang::En => format!("{n} not sent"),
    }
}
