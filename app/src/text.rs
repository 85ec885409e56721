//! The page's language and its words.
//!
//! Every UI string lives in `app/locales/id.json` (Indonesian, the default)
//! and `app/locales/en.json`, compiled by leptos_i18n into the `crate::i18n`
//! module (see `build.rs`); a missing or misspelt key fails the build. [`Msg`]
//! names the strings in code. The chosen language is kept in the `suara_lang`
//! cookie for a year, so that the server renders the language the browser
//! will hydrate with, and the device remembers it.

use crate::i18n::{use_i18n, Locale};
use leptos_i18n::context::{CookieOptions, UseLocalesOptions};
use leptos_i18n::{td_string, I18nContext};

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

    pub fn pick<'a>(self, id: &'a str, en: &'a str) -> &'a str {
        match self {
            Self::Id => id,
            Self::En => en,
        }
    }

    fn locale(self) -> Locale {
        match self {
            Self::Id => Locale::id,
            Self::En => Locale::en,
        }
    }

    fn from_locale(locale: Locale) -> Self {
        match locale {
            Locale::id => Self::Id,
            Locale::en => Self::En,
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

/// The page's language: leptos_i18n's context, seen as a [`Lang`].
#[derive(Clone, Copy)]
pub struct LangSignal(I18nContext<Locale>);

impl LangSignal {
    pub fn get(&self) -> Lang {
        Lang::from_locale(self.0.get_locale())
    }

    pub fn get_untracked(&self) -> Lang {
        Lang::from_locale(self.0.get_locale_untracked())
    }

    /// Switches the page and remembers the choice on this device.
    pub fn set(&self, lang: Lang) {
        self.0.set_locale(lang.locale());
    }
}

/// The language of this page (inside `I18nContextProvider`).
pub fn use_lang() -> LangSignal {
    LangSignal(use_i18n())
}

/// How the language cookie is kept: a year, the whole site.
pub fn cookie_options() -> CookieOptions<Locale> {
    CookieOptions::<Locale>::default()
        .max_age(365_i64 * 24 * 60 * 60 * 1000)
        .path("/")
        .same_site(leptos_use::SameSite::Lax)
}

/// Indonesian unless the citizen chose otherwise: the browser's language
/// (`Accept-Language`) is not consulted, as the product specifies.
pub fn no_header_locale() -> UseLocalesOptions {
    UseLocalesOptions::default().ssr_lang_header_getter(|| None)
}

/// Every UI string, by name; the words are in `app/locales/{id,en}.json`.
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
    Interval95,
    Provisional,
    SampleTarget,
    GradeUncertain,
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
        let locale = lang.locale();
        match self {
            Msg::Tagline => td_string!(locale, tagline),
            Msg::SearchLabel => td_string!(locale, search_label),
            Msg::SearchPlaceholder => td_string!(locale, search_placeholder),
            Msg::NoServiceFound => td_string!(locale, no_service_found),
            Msg::Loading => td_string!(locale, loading),
            Msg::LoadFailed => td_string!(locale, load_failed),
            Msg::RateThisService => td_string!(locale, rate_this_service),
            Msg::ServiceNotFound => td_string!(locale, service_not_found),
            Msg::BackToServices => td_string!(locale, back_to_services),
            Msg::Comment => td_string!(locale, comment),
            Msg::CommentHint => td_string!(locale, comment_hint),
            Msg::Submit => td_string!(locale, submit),
            Msg::Sending => td_string!(locale, sending),
            Msg::ChooseAtLeastOne => td_string!(locale, choose_at_least_one),
            Msg::NotSentNetwork => td_string!(locale, not_sent_network),
            Msg::NotAccepted => td_string!(locale, not_accepted),
            Msg::ThankYouTitle => td_string!(locale, thank_you_title),
            Msg::ThankYouBody => td_string!(locale, thank_you_body),
            Msg::RateAnother => td_string!(locale, rate_another),
            Msg::SignIn => td_string!(locale, sign_in),
            Msg::SignOut => td_string!(locale, sign_out),
            Msg::Email => td_string!(locale, email),
            Msg::Password => td_string!(locale, password),
            Msg::SignInFailed => td_string!(locale, sign_in_failed),
            Msg::Dashboard => td_string!(locale, dashboard),
            Msg::Responses => td_string!(locale, responses),
            Msg::Index => td_string!(locale, index),
            Msg::Grade => td_string!(locale, grade),
            Msg::Mean => td_string!(locale, mean),
            Msg::Item => td_string!(locale, item),
            Msg::NoResponsesYet => td_string!(locale, no_responses_yet),
            Msg::Interval95 => td_string!(locale, interval_95),
            Msg::Provisional => td_string!(locale, provisional),
            Msg::SampleTarget => td_string!(locale, sample_target),
            Msg::GradeUncertain => td_string!(locale, grade_uncertain),
            Msg::ExportCsv => td_string!(locale, export_csv),
            Msg::SignedInAs => td_string!(locale, signed_in_as),
            Msg::SwitchLanguage => td_string!(locale, switch_language),
            Msg::SkipToContent => td_string!(locale, skip_to_content),
            Msg::Home => td_string!(locale, home),
            Msg::Scale => td_string!(locale, scale),
            Msg::OptionalLabel => td_string!(locale, optional_label),
            Msg::KioskTooSoon => td_string!(locale, kiosk_too_soon),
            Msg::KioskNext => td_string!(locale, kiosk_next),
            Msg::OutboxChecking => td_string!(locale, outbox_checking),
            Msg::LastSent => td_string!(locale, last_sent),
            Msg::NeverSent => td_string!(locale, never_sent),
            Msg::OutboxUnavailable => td_string!(locale, outbox_unavailable),
            Msg::OutboxTitle => td_string!(locale, outbox_title),
            Msg::OutboxIntro => td_string!(locale, outbox_intro),
            Msg::OutboxEmpty => td_string!(locale, outbox_empty),
            Msg::StateWaiting => td_string!(locale, state_waiting),
            Msg::StateRejected => td_string!(locale, state_rejected),
            Msg::StateConflict => td_string!(locale, state_conflict),
            Msg::Reason => td_string!(locale, reason),
            Msg::Discard => td_string!(locale, discard),
            Msg::ConfirmDiscard => td_string!(locale, confirm_discard),
            Msg::Cancel => td_string!(locale, cancel),
            Msg::DiscardQuestion => td_string!(locale, discard_question),
            Msg::SendNow => td_string!(locale, send_now),
            Msg::SavedAt => td_string!(locale, saved_at),
            Msg::UpdateReady => td_string!(locale, update_ready),
            Msg::Reload => td_string!(locale, reload),
            Msg::PersistRefused => td_string!(locale, persist_refused),
            Msg::ViewOutbox => td_string!(locale, view_outbox),
            Msg::PosterScan => td_string!(locale, poster_scan),
            Msg::PosterSteps => td_string!(locale, poster_steps),
            Msg::PosterAnonymous => td_string!(locale, poster_anonymous),
            Msg::PrintPoster => td_string!(locale, print_poster),
            Msg::PosterFor => td_string!(locale, poster_for),
        }
    }
}

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

/// "2 not sent": refused by the server and kept on the device.
pub fn refused_text(lang: Lang, n: usize) -> String {
    td_string!(lang.locale(), outbox_refused, n = n).to_string()
}
