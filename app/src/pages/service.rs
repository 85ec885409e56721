//! `/s/{code}`: the rating form of one service.

use super::complaint::FileComplaintPage;
use super::profile::{self, Choices, ProfileFields, Remember};
use super::thanks::ThanksPage;
use super::{localized, ServiceMissing};
use crate::domain::{Channel, ResponseSubmission};
use crate::model::form::ServiceForm;
use crate::pairs::Pairs;
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// How a form is used: a citizen's own phone (or a link), or a shared kiosk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormMode {
    Link,
    Kiosk,
}

/// Set when the citizen chose "submit and file a complaint" after a low
/// score: the low items and the rating's id, for the complaint form.
pub type ComplaintStart = RwSignal<Option<(Vec<String>, String)>>;

mod item;
use item::ItemField;

/// A kiosk form resets itself this long after a submission.
const KIOSK_RESET_MS: u64 = 4_000;
#[component]
pub fn ServicePage(code: String) -> impl IntoView {
    // After a response is kept, the thank-you page replaces the form at
    // once, with no request (the network may be gone or crawling).
    let thanked = RwSignal::new(false);
    // After a low score, "submit and file a complaint": the complaint form,
    // with the low items chosen and the rating linked (items, response id).
    let complain = RwSignal::new(None::<(Vec<String>, String)>);
    let thanks = code.clone();
    let complaint_of = code.clone();
    let form = view! {
        <FormLoader
            code
            mode=FormMode::Link
            interval_ms=0.0
            done=Some(thanked)
            complain
        />
    };
    let complaint_link = format!("/s/{complaint_of}/pengaduan");
    view! {
        <div hidden=move || thanked.get() || complain.with(Option::is_some)>
            {form}
            <p class="complain-link">
                <a href=complaint_link>{tr(Msg::FileComplaintLink)}</a>
            </p>
        </div>
        <Show when=move || thanked.get()>
            <ThanksPage code=thanks.clone()/>
        </Show>
        {move || {
            complain
                .get()
                .map(|(items, response)| {
                    view! {
                        <FileComplaintPage
                            code=complaint_of.clone()
                            error=None
                            items
                            response=Some(response)
                        />
                    }
                })
        }}
    }
}

/// Loads service `code` and shows its form, or says it does not exist.
/// `interval_ms`: the kiosk's shortest time between responses.
#[component]
pub fn FormLoader(
    code: String,
    mode: FormMode,
    interval_ms: f64,
    /// Set once a response is kept (link mode).
    done: Option<RwSignal<bool>>,
    /// Set instead when the citizen chose to file a complaint after a low score.
    #[prop(optional)]
    complain: Option<ComplaintStart>,
) -> impl IntoView {
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                match crate::data::service_form(code).await {
                    Ok(Some(f)) => {
                        let data = embedded(&f);
                        view! {
                            {data}
                            <RatingForm form=f mode interval_ms done complain/>
                        }
                            .into_any()
                    }
                    Ok(None) => view! { <ServiceMissing/> }.into_any(),
                    Err(_) => view! { <p role="alert">{tr(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The form's data in the server's page, for the browser app to start from
/// (see [`crate::data::EMBEDDED_ID`]); the app itself needs no copy.
pub(crate) fn embedded(form: &ServiceForm) -> Option<impl IntoView> {
    #[cfg(feature = "ssr")]
    {
        let json = crate::data::embedded_json(form);
        Some(view! {
            <script type="application/json" id=crate::data::EMBEDDED_ID inner_html=json></script>
        })
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = form;
        None::<()>
    }
}

/// When the citizen answered, as RFC 3339.
pub(crate) fn now_rfc3339() -> String {
    #[cfg(feature = "csr")]
    {
        String::from(js_sys::Date::new_0().to_iso_string())
    }
    #[cfg(not(feature = "csr"))]
    {
        crate::domain::response::rfc3339_millis(time::OffsetDateTime::now_utc())
    }
}

/// Milliseconds since the epoch, by the device's clock.
fn now_ms() -> f64 {
    #[cfg(feature = "csr")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "csr"))]
    {
        (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as f64
    }
}

/// Shows the thank-you page under its own address, which a reload (served
/// by the server or, offline, by the worker's shell) shows again; the back
/// button leads where the citizen came from, not to a used form.
pub(crate) fn show_thanks(path: &str) {
    #[cfg(feature = "csr")]
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
    }
    #[cfg(not(feature = "csr"))]
    let _ = path;
}

#[component]
fn RatingForm(
    form: ServiceForm,
    mode: FormMode,
    interval_ms: f64,
    done: Option<RwSignal<bool>>,
    complain: Option<ComplaintStart>,
) -> impl IntoView {
    let lang = use_lang();
    // "Submit and file a complaint" was the button pressed.
    let then_complain = RwSignal::new(false);
    // What the citizen did on the server's form before the app was ready.
    let early = crate::early::take_values();
    let answers = RwSignal::new(
        form.questionnaire
            .items
            .iter()
            .filter_map(|item| {
                let v: u8 = early.get(&format!("item-{}", item.code))?.parse().ok()?;
                (1..=4).contains(&v).then(|| (item.code.to_string(), v))
            })
            .collect::<Pairs<u8>>(),
    );
    let comment = RwSignal::new(early.get("comment").cloned().unwrap_or_default());
    let choices = RwSignal::new(
        crate::domain::scoring::Attribute::ALL
            .into_iter()
            .filter_map(|a| {
                let v = early.get(&profile::field_name(a))?;
                Some((a.as_str().to_owned(), v.clone()))
            })
            .collect::<Choices>(),
    );
    // A kiosk never remembers who answered.
    let remember = (mode == FormMode::Link).then(|| Remember {
        wanted: RwSignal::new(early.contains_key("remember-profile")),
        stored: RwSignal::new(false),
    });
    if let Some(r) = remember {
        // In the browser only (effects never run on the server).
        Effect::new(move |_| {
            leptos::task::spawn_local(async move {
                if let Some(p) = crate::offline::remembered_profile().await {
                    r.stored.set(true);
                    r.wanted.set(true);
                    // What the citizen chose already stays chosen.
                    choices.update(|c| {
                        for (k, v) in profile::choices_of(&p) {
                            if !c.contains_key(&k) {
                                c.insert(k, v);
                            }
                        }
                    });
                }
            });
        });
    }
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    // Kiosk only: the thank-you panel is showing.
    let thanked = RwSignal::new(false);
    let last_kept_ms = StoredValue::new(None::<f64>);
    // Effects run only in the browser: tests and styles can
    // tell an interactive form from server-rendered markup.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));

    let service = form.service.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let l = lang.get_untracked();
        let scores = answers.get_untracked();
        let low_items: Vec<String> = scores
            .iter()
            .filter(|(_, v)| **v <= 2)
            .map(|(item, _)| item.clone())
            .collect();
        if scores.is_empty() {
            error.set(Some(Msg::ChooseAtLeastOne.text(l).to_owned()));
            return;
        }
        if mode == FormMode::Kiosk {
            if let Some(last) = last_kept_ms.get_value() {
                if now_ms() - last < interval_ms {
                    error.set(Some(Msg::KioskTooSoon.text(l).to_owned()));
                    return;
                }
            }
        }
        let submission = ResponseSubmission {
            id: uuid::Uuid::new_v4(),
            service_id: service.id,
            questionnaire_id: service.questionnaire_id.clone(),
            questionnaire_version: service.questionnaire_version,
            answered_at: now_rfc3339(),
            channel: match mode {
                FormMode::Link => Channel::Link,
                FormMode::Kiosk => Channel::Kiosk,
            },
            scores: {
                // Inserted one by one: collecting would sort (more code on the phone).
                let mut all = BTreeMap::new();
                for (item, score) in scores {
                    all.insert(item, score.into());
                }
                all
            },
            comment: Some(comment.get_untracked()).filter(|c| !c.trim().is_empty()),
            respondent: profile::respondent(&choices.get_untracked()),
            app_version: Some(crate::APP_VERSION.to_owned()),
            // Filled in from the device's outbox when the response is kept.
            device_id: None,
        };
        let service_name = service.name.clone();
        let thanks = format!("/s/{}/terima-kasih", service.code);
        let low: Vec<String> = low_items.clone();
        let complaint_page = format!(
            "/s/{}/pengaduan?items={}&response={}",
            service.code,
            low.join(","),
            submission.id
        );
        let response_id = submission.id.to_string();
        sending.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let respondent = submission.respondent.clone();
            match crate::offline::keep(submission, service_name).await {
                Ok(()) => match mode {
                    FormMode::Link => {
                        if let Some(r) = remember {
                            let keep = r.wanted.get_untracked().then_some(respondent).flatten();
                            if keep.is_some() || r.stored.get_untracked() {
                                let stored = keep.is_some();
                                if crate::offline::remember_profile(keep).await.is_ok() {
                                    r.stored.set(stored);
                                }
                            }
                        }
                        match complain.filter(|_| then_complain.get_untracked()) {
                            Some(complain) => {
                                show_thanks(&complaint_page);
                                complain.set(Some((low, response_id)));
                            }
                            None => {
                                show_thanks(&thanks);
                                if let Some(done) = done {
                                    done.set(true);
                                }
                            }
                        }
                    }
                    FormMode::Kiosk => {
                        last_kept_ms.set_value(Some(now_ms()));
                        // Nothing of this citizen stays on screen for the next.
                        comment.set(String::new());
                        answers.set(Pairs::new());
                        choices.set(Choices::new());
                        thanked.set(true);
                        set_timeout(
                            move || thanked.set(false),
                            std::time::Duration::from_millis(KIOSK_RESET_MS),
                        );
                    }
                },
                Err(e) => error.set(Some(e.message(lang.get_untracked()))),
            }
            sending.set(false);
        });
    };

    let q = form.questionnaire.clone();
    let kiosk = mode == FormMode::Kiosk;
    // What the unit published, for a citizen's own phone (not a kiosk's).
    let public = (!kiosk && !form.unit_code.is_empty()).then(|| {
        let href = format!("/publik/{}", form.unit_code);
        view! {
            <p class="public-link">
                <a href=href>{tr(Msg::PublicLink)}</a>
            </p>
        }
    });
    view! {
        <p class="crumbs">{form.agency_name.clone()} " · " {form.unit_name.clone()}</p>
        <h1>{form.service.name.clone()}</h1>
        {public}
        <Show when=move || thanked.get()>
            <div class="kiosk-thanks" role="status">
                <p class="big">{tr(Msg::ThankYouTitle)}</p>
                <p>{tr(Msg::KioskNext)}</p>
            </div>
        </Show>
        <form
            class="rating"
            class:kiosk=kiosk
            data-hold=""
            hidden=move || thanked.get()
            on:submit=on_submit
            novalidate
            data-ready=move || ready.get().to_string()
        >
            <p class="muted">{localized(q.name.clone())} " · " {tr(Msg::Scale)}</p>
            {q
                .items
                .into_iter()
                .map(|item| view! { <ItemField item answers kiosk/> })
                .collect_view()}
            <ProfileFields choices remember/>
            <div class="field">
                <label for="comment">
                    {tr(Msg::Comment)} " " <span class="muted">{tr(Msg::OptionalLabel)}</span>
                </label>
                <p id="comment-hint" class="muted">{tr(Msg::CommentHint)}</p>
                <textarea
                    id="comment"
                    name="comment"
                    rows="4"
                    maxlength="2000"
                    aria-describedby="comment-hint"
                    bind:value=comment
                ></textarea>
            </div>
            <p role="alert" class="error">{move || error.get()}</p>
            <Show when=move || complain.is_some() && answers.with(|a| a.iter().any(|(_, v)| *v <= 2))>
                <div class="notice low-score">
                    <p>{tr(Msg::LowScoreNotice)}</p>
                    <button
                        type="submit"
                        class="secondary"
                        on:click=move |_| then_complain.set(true)
                    >
                        {tr(Msg::SendAndComplain)}
                    </button>
                </div>
            </Show>
            <button
                type="submit"
                class="primary"
                aria-disabled=move || sending.get().to_string()
                on:click=move |_| then_complain.set(false)
            >
                {move || if sending.get() { tr(Msg::Sending)() } else { tr(Msg::Submit)() }}
            </button>
        </form>
    }
}
