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
/// Strings only the staff pages use exist in the server build alone, so
/// they add nothing to what a citizen's phone downloads.
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
    #[cfg(feature = "ssr")]
    SignIn,
    #[cfg(feature = "ssr")]
    SignOut,
    #[cfg(feature = "ssr")]
    Email,
    #[cfg(feature = "ssr")]
    Password,
    #[cfg(feature = "ssr")]
    SignInFailed,
    Dashboard,
    #[cfg(feature = "ssr")]
    Responses,
    #[cfg(feature = "ssr")]
    Index,
    #[cfg(feature = "ssr")]
    Grade,
    #[cfg(feature = "ssr")]
    Mean,
    #[cfg(feature = "ssr")]
    Item,
    #[cfg(feature = "ssr")]
    NoResponsesYet,
    #[cfg(feature = "ssr")]
    Interval95,
    #[cfg(feature = "ssr")]
    Provisional,
    #[cfg(feature = "ssr")]
    SampleTarget,
    #[cfg(feature = "ssr")]
    GradeUncertain,
    #[cfg(feature = "ssr")]
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
    #[cfg(feature = "ssr")]
    PosterScan,
    #[cfg(feature = "ssr")]
    PosterSteps,
    #[cfg(feature = "ssr")]
    PosterAnonymous,
    #[cfg(feature = "ssr")]
    PrintPoster,
    #[cfg(feature = "ssr")]
    PosterFor,
    NeedsConnection,
    ProfileTitle,
    ProfileOptional,
    ProfileHint,
    RememberProfile,
    RememberHint,
    ForgetProfile,
    ProfileForgotten,
    #[cfg(feature = "ssr")]
    ScopeLabel,
    #[cfg(feature = "ssr")]
    AllMine,
    #[cfg(feature = "ssr")]
    PeriodLabel,
    #[cfg(feature = "ssr")]
    Weekly,
    #[cfg(feature = "ssr")]
    Monthly,
    #[cfg(feature = "ssr")]
    Quarterly,
    #[cfg(feature = "ssr")]
    Show,
    #[cfg(feature = "ssr")]
    TabItems,
    #[cfg(feature = "ssr")]
    TabTrend,
    #[cfg(feature = "ssr")]
    TabEquity,
    #[cfg(feature = "ssr")]
    Change,
    #[cfg(feature = "ssr")]
    Versus,
    #[cfg(feature = "ssr")]
    ChangeReal,
    #[cfg(feature = "ssr")]
    ChangeNoise,
    #[cfg(feature = "ssr")]
    Weakest,
    #[cfg(feature = "ssr")]
    Alerts,
    #[cfg(feature = "ssr")]
    NoAlerts,
    #[cfg(feature = "ssr")]
    AlertItemFell,
    #[cfg(feature = "ssr")]
    AlertGrade,
    #[cfg(feature = "ssr")]
    Distribution,
    #[cfg(feature = "ssr")]
    TrendTitle,
    #[cfg(feature = "ssr")]
    GroupBy,
    AttrSex,
    AttrAge,
    AttrEducation,
    AttrOccupation,
    AttrDisability,
    #[cfg(feature = "ssr")]
    GroupCol,
    #[cfg(feature = "ssr")]
    Suppressed,
    #[cfg(feature = "ssr")]
    Reference,
    #[cfg(feature = "ssr")]
    GapIndex,
    #[cfg(feature = "ssr")]
    CannotShow,
    #[cfg(feature = "ssr")]
    NoPeriods,
    #[cfg(feature = "ssr")]
    DashboardSections,
    #[cfg(feature = "ssr")]
    Services,
    #[cfg(feature = "ssr")]
    LiveUpdated,
    #[cfg(feature = "ssr")]
    NotYours,
    #[cfg(feature = "ssr")]
    UnknownScope,
    #[cfg(feature = "ssr")]
    TabComments,
    #[cfg(feature = "ssr")]
    FromDay,
    #[cfg(feature = "ssr")]
    ToDay,
    #[cfg(feature = "ssr")]
    OlderComments,
    #[cfg(feature = "ssr")]
    NoComments,
    #[cfg(feature = "ssr")]
    AnyItem,
    #[cfg(feature = "ssr")]
    AnyScore,
    #[cfg(feature = "ssr")]
    ScoreLabel,
    #[cfg(feature = "ssr")]
    SignInThrottled,
    #[cfg(feature = "ssr")]
    AccountTitle,
    #[cfg(feature = "ssr")]
    ChangePassword,
    #[cfg(feature = "ssr")]
    CurrentPassword,
    #[cfg(feature = "ssr")]
    NewPassword,
    #[cfg(feature = "ssr")]
    RepeatPassword,
    #[cfg(feature = "ssr")]
    PasswordChanged,
    #[cfg(feature = "ssr")]
    PasswordWrong,
    #[cfg(feature = "ssr")]
    PasswordWeak,
    #[cfg(feature = "ssr")]
    PasswordMismatch,
    #[cfg(feature = "ssr")]
    AdminTitle,
    #[cfg(feature = "ssr")]
    AdminOnly,
    #[cfg(feature = "ssr")]
    AdminSaved,
    #[cfg(feature = "ssr")]
    AdminBadCode,
    #[cfg(feature = "ssr")]
    AdminEmptyName,
    #[cfg(feature = "ssr")]
    AdminCodeTaken,
    #[cfg(feature = "ssr")]
    AdminUnknown,
    #[cfg(feature = "ssr")]
    AdminBadVolume,
    #[cfg(feature = "ssr")]
    AdminOwnAccount,
    #[cfg(feature = "ssr")]
    AdminEmailTaken,
    #[cfg(feature = "ssr")]
    AdminBadEmail,
    #[cfg(feature = "ssr")]
    AdminNoUnit,
    #[cfg(feature = "ssr")]
    Catalogue,
    #[cfg(feature = "ssr")]
    AddAgency,
    #[cfg(feature = "ssr")]
    AddUnit,
    #[cfg(feature = "ssr")]
    AddService,
    #[cfg(feature = "ssr")]
    RenameService,
    #[cfg(feature = "ssr")]
    Code,
    #[cfg(feature = "ssr")]
    Name,
    #[cfg(feature = "ssr")]
    Agency,
    #[cfg(feature = "ssr")]
    Unit,
    #[cfg(feature = "ssr")]
    YearlyVolume,
    #[cfg(feature = "ssr")]
    Questionnaire,
    #[cfg(feature = "ssr")]
    Accounts,
    #[cfg(feature = "ssr")]
    Role,
    #[cfg(feature = "ssr")]
    State,
    #[cfg(feature = "ssr")]
    Enable,
    #[cfg(feature = "ssr")]
    Disable,
    #[cfg(feature = "ssr")]
    Disabled,
    #[cfg(feature = "ssr")]
    Active,
    #[cfg(feature = "ssr")]
    AddAccount,
    #[cfg(feature = "ssr")]
    UnitsOfHead,
    #[cfg(feature = "ssr")]
    AuditLog,
    #[cfg(feature = "ssr")]
    When,
    #[cfg(feature = "ssr")]
    Who,
    #[cfg(feature = "ssr")]
    What,
    #[cfg(feature = "ssr")]
    Before,
    #[cfg(feature = "ssr")]
    After,
    #[cfg(feature = "ssr")]
    Questionnaires,
    #[cfg(feature = "ssr")]
    QuestionnaireHelp,
    #[cfg(feature = "ssr")]
    Definition,
    #[cfg(feature = "ssr")]
    SaveNewVersion,
    #[cfg(feature = "ssr")]
    CountN,
    #[cfg(feature = "ssr")]
    AssignUnits,
    #[cfg(feature = "ssr")]
    FairMean,
    #[cfg(feature = "ssr")]
    NonDiscriminatoryMean,
    #[cfg(feature = "ssr")]
    AdminBadQuestionnaire,
    #[cfg(feature = "ssr")]
    ExportTitle,
    #[cfg(feature = "ssr")]
    ExportIntro,
    #[cfg(feature = "ssr")]
    ExportFormat,
    #[cfg(feature = "ssr")]
    FormatCsv,
    #[cfg(feature = "ssr")]
    FormatJsonl,
    #[cfg(feature = "ssr")]
    FormatXlsx,
    #[cfg(feature = "ssr")]
    FormatDataPackage,
    #[cfg(feature = "ssr")]
    ExportUnit,
    #[cfg(feature = "ssr")]
    AllUnitsInScope,
    #[cfg(feature = "ssr")]
    Download,
    #[cfg(feature = "ssr")]
    DownloadManifest,
    #[cfg(feature = "ssr")]
    ExportPinned,
    #[cfg(feature = "ssr")]
    ChainHashNow,
    #[cfg(feature = "ssr")]
    VerifyHow,
    #[cfg(feature = "ssr")]
    AuditDownload,
    #[cfg(feature = "ssr")]
    DataAndProof,
    #[cfg(feature = "ssr")]
    SkmReportTitle,
    #[cfg(feature = "ssr")]
    ReportPeriod,
    #[cfg(feature = "ssr")]
    ShowReport,
    #[cfg(feature = "ssr")]
    PrintHint,
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
            #[cfg(feature = "ssr")]
            Msg::SignIn => td_string!(locale, sign_in),
            #[cfg(feature = "ssr")]
            Msg::SignOut => td_string!(locale, sign_out),
            #[cfg(feature = "ssr")]
            Msg::Email => td_string!(locale, email),
            #[cfg(feature = "ssr")]
            Msg::Password => td_string!(locale, password),
            #[cfg(feature = "ssr")]
            Msg::SignInFailed => td_string!(locale, sign_in_failed),
            Msg::Dashboard => td_string!(locale, dashboard),
            #[cfg(feature = "ssr")]
            Msg::Responses => td_string!(locale, responses),
            #[cfg(feature = "ssr")]
            Msg::Index => td_string!(locale, index),
            #[cfg(feature = "ssr")]
            Msg::Grade => td_string!(locale, grade),
            #[cfg(feature = "ssr")]
            Msg::Mean => td_string!(locale, mean),
            #[cfg(feature = "ssr")]
            Msg::Item => td_string!(locale, item),
            #[cfg(feature = "ssr")]
            Msg::NoResponsesYet => td_string!(locale, no_responses_yet),
            #[cfg(feature = "ssr")]
            Msg::Interval95 => td_string!(locale, interval_95),
            #[cfg(feature = "ssr")]
            Msg::Provisional => td_string!(locale, provisional),
            #[cfg(feature = "ssr")]
            Msg::SampleTarget => td_string!(locale, sample_target),
            #[cfg(feature = "ssr")]
            Msg::GradeUncertain => td_string!(locale, grade_uncertain),
            #[cfg(feature = "ssr")]
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
            #[cfg(feature = "ssr")]
            Msg::PosterScan => td_string!(locale, poster_scan),
            #[cfg(feature = "ssr")]
            Msg::PosterSteps => td_string!(locale, poster_steps),
            #[cfg(feature = "ssr")]
            Msg::PosterAnonymous => td_string!(locale, poster_anonymous),
            #[cfg(feature = "ssr")]
            Msg::PrintPoster => td_string!(locale, print_poster),
            #[cfg(feature = "ssr")]
            Msg::PosterFor => td_string!(locale, poster_for),
            Msg::NeedsConnection => td_string!(locale, needs_connection),
            Msg::ProfileTitle => td_string!(locale, profile_title),
            Msg::ProfileOptional => td_string!(locale, profile_optional),
            Msg::ProfileHint => td_string!(locale, profile_hint),
            Msg::RememberProfile => td_string!(locale, remember_profile),
            Msg::RememberHint => td_string!(locale, remember_hint),
            Msg::ForgetProfile => td_string!(locale, forget_profile),
            Msg::ProfileForgotten => td_string!(locale, profile_forgotten),
            #[cfg(feature = "ssr")]
            Msg::ScopeLabel => td_string!(locale, scope_label),
            #[cfg(feature = "ssr")]
            Msg::AllMine => td_string!(locale, all_mine),
            #[cfg(feature = "ssr")]
            Msg::PeriodLabel => td_string!(locale, period_label),
            #[cfg(feature = "ssr")]
            Msg::Weekly => td_string!(locale, weekly),
            #[cfg(feature = "ssr")]
            Msg::Monthly => td_string!(locale, monthly),
            #[cfg(feature = "ssr")]
            Msg::Quarterly => td_string!(locale, quarterly),
            #[cfg(feature = "ssr")]
            Msg::Show => td_string!(locale, show),
            #[cfg(feature = "ssr")]
            Msg::TabItems => td_string!(locale, tab_items),
            #[cfg(feature = "ssr")]
            Msg::TabTrend => td_string!(locale, tab_trend),
            #[cfg(feature = "ssr")]
            Msg::TabEquity => td_string!(locale, tab_equity),
            #[cfg(feature = "ssr")]
            Msg::Change => td_string!(locale, change),
            #[cfg(feature = "ssr")]
            Msg::Versus => td_string!(locale, versus),
            #[cfg(feature = "ssr")]
            Msg::ChangeReal => td_string!(locale, change_real),
            #[cfg(feature = "ssr")]
            Msg::ChangeNoise => td_string!(locale, change_noise),
            #[cfg(feature = "ssr")]
            Msg::Weakest => td_string!(locale, weakest),
            #[cfg(feature = "ssr")]
            Msg::Alerts => td_string!(locale, alerts),
            #[cfg(feature = "ssr")]
            Msg::NoAlerts => td_string!(locale, no_alerts),
            #[cfg(feature = "ssr")]
            Msg::AlertItemFell => td_string!(locale, alert_item_fell),
            #[cfg(feature = "ssr")]
            Msg::AlertGrade => td_string!(locale, alert_grade),
            #[cfg(feature = "ssr")]
            Msg::Distribution => td_string!(locale, distribution),
            #[cfg(feature = "ssr")]
            Msg::TrendTitle => td_string!(locale, trend_title),
            #[cfg(feature = "ssr")]
            Msg::GroupBy => td_string!(locale, group_by),
            Msg::AttrSex => td_string!(locale, attr_sex),
            Msg::AttrAge => td_string!(locale, attr_age),
            Msg::AttrEducation => td_string!(locale, attr_education),
            Msg::AttrOccupation => td_string!(locale, attr_occupation),
            Msg::AttrDisability => td_string!(locale, attr_disability),
            #[cfg(feature = "ssr")]
            Msg::GroupCol => td_string!(locale, group_col),
            #[cfg(feature = "ssr")]
            Msg::Suppressed => td_string!(locale, suppressed),
            #[cfg(feature = "ssr")]
            Msg::Reference => td_string!(locale, reference),
            #[cfg(feature = "ssr")]
            Msg::GapIndex => td_string!(locale, gap_index),
            #[cfg(feature = "ssr")]
            Msg::CannotShow => td_string!(locale, cannot_show),
            #[cfg(feature = "ssr")]
            Msg::NoPeriods => td_string!(locale, no_periods),
            #[cfg(feature = "ssr")]
            Msg::DashboardSections => td_string!(locale, dashboard_sections),
            #[cfg(feature = "ssr")]
            Msg::Services => td_string!(locale, services),
            #[cfg(feature = "ssr")]
            Msg::LiveUpdated => td_string!(locale, live_updated),
            #[cfg(feature = "ssr")]
            Msg::NotYours => td_string!(locale, not_yours),
            #[cfg(feature = "ssr")]
            Msg::UnknownScope => td_string!(locale, unknown_scope),
            #[cfg(feature = "ssr")]
            Msg::TabComments => td_string!(locale, tab_comments),
            #[cfg(feature = "ssr")]
            Msg::FromDay => td_string!(locale, from_day),
            #[cfg(feature = "ssr")]
            Msg::ToDay => td_string!(locale, to_day),
            #[cfg(feature = "ssr")]
            Msg::OlderComments => td_string!(locale, older_comments),
            #[cfg(feature = "ssr")]
            Msg::NoComments => td_string!(locale, no_comments),
            #[cfg(feature = "ssr")]
            Msg::AnyItem => td_string!(locale, any_item),
            #[cfg(feature = "ssr")]
            Msg::AnyScore => td_string!(locale, any_score),
            #[cfg(feature = "ssr")]
            Msg::ScoreLabel => td_string!(locale, score_label),
            #[cfg(feature = "ssr")]
            Msg::SignInThrottled => td_string!(locale, sign_in_throttled),
            #[cfg(feature = "ssr")]
            Msg::AccountTitle => td_string!(locale, account_title),
            #[cfg(feature = "ssr")]
            Msg::ChangePassword => td_string!(locale, change_password),
            #[cfg(feature = "ssr")]
            Msg::CurrentPassword => td_string!(locale, current_password),
            #[cfg(feature = "ssr")]
            Msg::NewPassword => td_string!(locale, new_password),
            #[cfg(feature = "ssr")]
            Msg::RepeatPassword => td_string!(locale, repeat_password),
            #[cfg(feature = "ssr")]
            Msg::PasswordChanged => td_string!(locale, password_changed),
            #[cfg(feature = "ssr")]
            Msg::PasswordWrong => td_string!(locale, password_wrong),
            #[cfg(feature = "ssr")]
            Msg::PasswordWeak => td_string!(locale, password_weak),
            #[cfg(feature = "ssr")]
            Msg::PasswordMismatch => td_string!(locale, password_mismatch),
            #[cfg(feature = "ssr")]
            Msg::AdminTitle => td_string!(locale, admin_title),
            #[cfg(feature = "ssr")]
            Msg::AdminOnly => td_string!(locale, admin_only),
            #[cfg(feature = "ssr")]
            Msg::AdminSaved => td_string!(locale, admin_saved),
            #[cfg(feature = "ssr")]
            Msg::AdminBadCode => td_string!(locale, admin_bad_code),
            #[cfg(feature = "ssr")]
            Msg::AdminEmptyName => td_string!(locale, admin_empty_name),
            #[cfg(feature = "ssr")]
            Msg::AdminCodeTaken => td_string!(locale, admin_code_taken),
            #[cfg(feature = "ssr")]
            Msg::AdminUnknown => td_string!(locale, admin_unknown),
            #[cfg(feature = "ssr")]
            Msg::AdminBadVolume => td_string!(locale, admin_bad_volume),
            #[cfg(feature = "ssr")]
            Msg::AdminOwnAccount => td_string!(locale, admin_own_account),
            #[cfg(feature = "ssr")]
            Msg::AdminEmailTaken => td_string!(locale, admin_email_taken),
            #[cfg(feature = "ssr")]
            Msg::AdminBadEmail => td_string!(locale, admin_bad_email),
            #[cfg(feature = "ssr")]
            Msg::AdminNoUnit => td_string!(locale, admin_no_unit),
            #[cfg(feature = "ssr")]
            Msg::Catalogue => td_string!(locale, catalogue),
            #[cfg(feature = "ssr")]
            Msg::AddAgency => td_string!(locale, add_agency),
            #[cfg(feature = "ssr")]
            Msg::AddUnit => td_string!(locale, add_unit),
            #[cfg(feature = "ssr")]
            Msg::AddService => td_string!(locale, add_service),
            #[cfg(feature = "ssr")]
            Msg::RenameService => td_string!(locale, rename_service),
            #[cfg(feature = "ssr")]
            Msg::Code => td_string!(locale, code),
            #[cfg(feature = "ssr")]
            Msg::Name => td_string!(locale, name),
            #[cfg(feature = "ssr")]
            Msg::Agency => td_string!(locale, agency),
            #[cfg(feature = "ssr")]
            Msg::Unit => td_string!(locale, unit),
            #[cfg(feature = "ssr")]
            Msg::YearlyVolume => td_string!(locale, yearly_volume),
            #[cfg(feature = "ssr")]
            Msg::Questionnaire => td_string!(locale, questionnaire),
            #[cfg(feature = "ssr")]
            Msg::Accounts => td_string!(locale, accounts),
            #[cfg(feature = "ssr")]
            Msg::Role => td_string!(locale, role),
            #[cfg(feature = "ssr")]
            Msg::State => td_string!(locale, state),
            #[cfg(feature = "ssr")]
            Msg::Enable => td_string!(locale, enable),
            #[cfg(feature = "ssr")]
            Msg::Disable => td_string!(locale, disable),
            #[cfg(feature = "ssr")]
            Msg::Disabled => td_string!(locale, disabled),
            #[cfg(feature = "ssr")]
            Msg::Active => td_string!(locale, active),
            #[cfg(feature = "ssr")]
            Msg::AddAccount => td_string!(locale, add_account),
            #[cfg(feature = "ssr")]
            Msg::UnitsOfHead => td_string!(locale, units_of_head),
            #[cfg(feature = "ssr")]
            Msg::AuditLog => td_string!(locale, audit_log),
            #[cfg(feature = "ssr")]
            Msg::When => td_string!(locale, when),
            #[cfg(feature = "ssr")]
            Msg::Who => td_string!(locale, who),
            #[cfg(feature = "ssr")]
            Msg::What => td_string!(locale, what),
            #[cfg(feature = "ssr")]
            Msg::Before => td_string!(locale, before),
            #[cfg(feature = "ssr")]
            Msg::After => td_string!(locale, after),
            #[cfg(feature = "ssr")]
            Msg::Questionnaires => td_string!(locale, questionnaires),
            #[cfg(feature = "ssr")]
            Msg::QuestionnaireHelp => td_string!(locale, questionnaire_help),
            #[cfg(feature = "ssr")]
            Msg::Definition => td_string!(locale, definition),
            #[cfg(feature = "ssr")]
            Msg::SaveNewVersion => td_string!(locale, save_new_version),
            #[cfg(feature = "ssr")]
            Msg::CountN => td_string!(locale, count_n),
            #[cfg(feature = "ssr")]
            Msg::AssignUnits => td_string!(locale, assign_units),
            #[cfg(feature = "ssr")]
            Msg::FairMean => td_string!(locale, fair_mean),
            #[cfg(feature = "ssr")]
            Msg::NonDiscriminatoryMean => td_string!(locale, non_discriminatory_mean),
            #[cfg(feature = "ssr")]
            Msg::AdminBadQuestionnaire => td_string!(locale, admin_bad_questionnaire),
            #[cfg(feature = "ssr")]
            Msg::ExportTitle => td_string!(locale, export_title),
            #[cfg(feature = "ssr")]
            Msg::ExportIntro => td_string!(locale, export_intro),
            #[cfg(feature = "ssr")]
            Msg::ExportFormat => td_string!(locale, export_format),
            #[cfg(feature = "ssr")]
            Msg::FormatCsv => td_string!(locale, format_csv),
            #[cfg(feature = "ssr")]
            Msg::FormatJsonl => td_string!(locale, format_jsonl),
            #[cfg(feature = "ssr")]
            Msg::FormatXlsx => td_string!(locale, format_xlsx),
            #[cfg(feature = "ssr")]
            Msg::FormatDataPackage => td_string!(locale, format_datapackage),
            #[cfg(feature = "ssr")]
            Msg::ExportUnit => td_string!(locale, export_unit),
            #[cfg(feature = "ssr")]
            Msg::AllUnitsInScope => td_string!(locale, all_units_in_scope),
            #[cfg(feature = "ssr")]
            Msg::Download => td_string!(locale, download),
            #[cfg(feature = "ssr")]
            Msg::DownloadManifest => td_string!(locale, download_manifest),
            #[cfg(feature = "ssr")]
            Msg::ExportPinned => td_string!(locale, export_pinned),
            #[cfg(feature = "ssr")]
            Msg::ChainHashNow => td_string!(locale, chain_hash_now),
            #[cfg(feature = "ssr")]
            Msg::VerifyHow => td_string!(locale, verify_how),
            #[cfg(feature = "ssr")]
            Msg::AuditDownload => td_string!(locale, audit_download),
            #[cfg(feature = "ssr")]
            Msg::DataAndProof => td_string!(locale, data_and_proof),
            #[cfg(feature = "ssr")]
            Msg::SkmReportTitle => td_string!(locale, skm_report_title),
            #[cfg(feature = "ssr")]
            Msg::ReportPeriod => td_string!(locale, report_period),
            #[cfg(feature = "ssr")]
            Msg::ShowReport => td_string!(locale, show_report),
            #[cfg(feature = "ssr")]
            Msg::PrintHint => td_string!(locale, print_hint),
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
