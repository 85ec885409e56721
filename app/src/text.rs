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
    NeedsConnection,
    ScopeLabel,
    AllMine,
    PeriodLabel,
    Weekly,
    Monthly,
    Quarterly,
    Show,
    TabItems,
    TabTrend,
    TabEquity,
    Change,
    Versus,
    ChangeReal,
    ChangeNoise,
    Weakest,
    Alerts,
    NoAlerts,
    AlertItemFell,
    AlertGrade,
    Distribution,
    TrendTitle,
    GroupBy,
    AttrSex,
    AttrAge,
    AttrEducation,
    AttrOccupation,
    AttrDisability,
    GroupCol,
    Suppressed,
    Reference,
    GapIndex,
    CannotShow,
    NoPeriods,
    DashboardSections,
    Services,
    LiveUpdated,
    NotYours,
    UnknownScope,
    TabComments,
    FromDay,
    ToDay,
    OlderComments,
    NoComments,
    AnyItem,
    AnyScore,
    ScoreLabel,
    SignInThrottled,
    AccountTitle,
    ChangePassword,
    CurrentPassword,
    NewPassword,
    RepeatPassword,
    PasswordChanged,
    PasswordWrong,
    PasswordWeak,
    PasswordMismatch,
    AdminTitle,
    AdminOnly,
    AdminSaved,
    AdminBadCode,
    AdminEmptyName,
    AdminCodeTaken,
    AdminUnknown,
    AdminBadVolume,
    AdminOwnAccount,
    AdminEmailTaken,
    AdminBadEmail,
    AdminNoUnit,
    Catalogue,
    AddAgency,
    AddUnit,
    AddService,
    RenameService,
    Code,
    Name,
    Agency,
    Unit,
    YearlyVolume,
    Questionnaire,
    Accounts,
    Role,
    State,
    Enable,
    Disable,
    Disabled,
    Active,
    AddAccount,
    UnitsOfHead,
    AuditLog,
    When,
    Who,
    What,
    Before,
    After,
    Questionnaires,
    QuestionnaireHelp,
    Definition,
    SaveNewVersion,
    CountN,
    AssignUnits,
    AdminBadQuestionnaire,
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
            Msg::NeedsConnection => td_string!(locale, needs_connection),
            Msg::ScopeLabel => td_string!(locale, scope_label),
            Msg::AllMine => td_string!(locale, all_mine),
            Msg::PeriodLabel => td_string!(locale, period_label),
            Msg::Weekly => td_string!(locale, weekly),
            Msg::Monthly => td_string!(locale, monthly),
            Msg::Quarterly => td_string!(locale, quarterly),
            Msg::Show => td_string!(locale, show),
            Msg::TabItems => td_string!(locale, tab_items),
            Msg::TabTrend => td_string!(locale, tab_trend),
            Msg::TabEquity => td_string!(locale, tab_equity),
            Msg::Change => td_string!(locale, change),
            Msg::Versus => td_string!(locale, versus),
            Msg::ChangeReal => td_string!(locale, change_real),
            Msg::ChangeNoise => td_string!(locale, change_noise),
            Msg::Weakest => td_string!(locale, weakest),
            Msg::Alerts => td_string!(locale, alerts),
            Msg::NoAlerts => td_string!(locale, no_alerts),
            Msg::AlertItemFell => td_string!(locale, alert_item_fell),
            Msg::AlertGrade => td_string!(locale, alert_grade),
            Msg::Distribution => td_string!(locale, distribution),
            Msg::TrendTitle => td_string!(locale, trend_title),
            Msg::GroupBy => td_string!(locale, group_by),
            Msg::AttrSex => td_string!(locale, attr_sex),
            Msg::AttrAge => td_string!(locale, attr_age),
            Msg::AttrEducation => td_string!(locale, attr_education),
            Msg::AttrOccupation => td_string!(locale, attr_occupation),
            Msg::AttrDisability => td_string!(locale, attr_disability),
            Msg::GroupCol => td_string!(locale, group_col),
            Msg::Suppressed => td_string!(locale, suppressed),
            Msg::Reference => td_string!(locale, reference),
            Msg::GapIndex => td_string!(locale, gap_index),
            Msg::CannotShow => td_string!(locale, cannot_show),
            Msg::NoPeriods => td_string!(locale, no_periods),
            Msg::DashboardSections => td_string!(locale, dashboard_sections),
            Msg::Services => td_string!(locale, services),
            Msg::LiveUpdated => td_string!(locale, live_updated),
            Msg::NotYours => td_string!(locale, not_yours),
            Msg::UnknownScope => td_string!(locale, unknown_scope),
            Msg::TabComments => td_string!(locale, tab_comments),
            Msg::FromDay => td_string!(locale, from_day),
            Msg::ToDay => td_string!(locale, to_day),
            Msg::OlderComments => td_string!(locale, older_comments),
            Msg::NoComments => td_string!(locale, no_comments),
            Msg::AnyItem => td_string!(locale, any_item),
            Msg::AnyScore => td_string!(locale, any_score),
            Msg::ScoreLabel => td_string!(locale, score_label),
            Msg::SignInThrottled => td_string!(locale, sign_in_throttled),
            Msg::AccountTitle => td_string!(locale, account_title),
            Msg::ChangePassword => td_string!(locale, change_password),
            Msg::CurrentPassword => td_string!(locale, current_password),
            Msg::NewPassword => td_string!(locale, new_password),
            Msg::RepeatPassword => td_string!(locale, repeat_password),
            Msg::PasswordChanged => td_string!(locale, password_changed),
            Msg::PasswordWrong => td_string!(locale, password_wrong),
            Msg::PasswordWeak => td_string!(locale, password_weak),
            Msg::PasswordMismatch => td_string!(locale, password_mismatch),
            Msg::AdminTitle => td_string!(locale, admin_title),
            Msg::AdminOnly => td_string!(locale, admin_only),
            Msg::AdminSaved => td_string!(locale, admin_saved),
            Msg::AdminBadCode => td_string!(locale, admin_bad_code),
            Msg::AdminEmptyName => td_string!(locale, admin_empty_name),
            Msg::AdminCodeTaken => td_string!(locale, admin_code_taken),
            Msg::AdminUnknown => td_string!(locale, admin_unknown),
            Msg::AdminBadVolume => td_string!(locale, admin_bad_volume),
            Msg::AdminOwnAccount => td_string!(locale, admin_own_account),
            Msg::AdminEmailTaken => td_string!(locale, admin_email_taken),
            Msg::AdminBadEmail => td_string!(locale, admin_bad_email),
            Msg::AdminNoUnit => td_string!(locale, admin_no_unit),
            Msg::Catalogue => td_string!(locale, catalogue),
            Msg::AddAgency => td_string!(locale, add_agency),
            Msg::AddUnit => td_string!(locale, add_unit),
            Msg::AddService => td_string!(locale, add_service),
            Msg::RenameService => td_string!(locale, rename_service),
            Msg::Code => td_string!(locale, code),
            Msg::Name => td_string!(locale, name),
            Msg::Agency => td_string!(locale, agency),
            Msg::Unit => td_string!(locale, unit),
            Msg::YearlyVolume => td_string!(locale, yearly_volume),
            Msg::Questionnaire => td_string!(locale, questionnaire),
            Msg::Accounts => td_string!(locale, accounts),
            Msg::Role => td_string!(locale, role),
            Msg::State => td_string!(locale, state),
            Msg::Enable => td_string!(locale, enable),
            Msg::Disable => td_string!(locale, disable),
            Msg::Disabled => td_string!(locale, disabled),
            Msg::Active => td_string!(locale, active),
            Msg::AddAccount => td_string!(locale, add_account),
            Msg::UnitsOfHead => td_string!(locale, units_of_head),
            Msg::AuditLog => td_string!(locale, audit_log),
            Msg::When => td_string!(locale, when),
            Msg::Who => td_string!(locale, who),
            Msg::What => td_string!(locale, what),
            Msg::Before => td_string!(locale, before),
            Msg::After => td_string!(locale, after),
            Msg::Questionnaires => td_string!(locale, questionnaires),
            Msg::QuestionnaireHelp => td_string!(locale, questionnaire_help),
            Msg::Definition => td_string!(locale, definition),
            Msg::SaveNewVersion => td_string!(locale, save_new_version),
            Msg::CountN => td_string!(locale, count_n),
            Msg::AssignUnits => td_string!(locale, assign_units),
            Msg::AdminBadQuestionnaire => td_string!(locale, admin_bad_questionnaire),
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
