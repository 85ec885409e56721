//! `/s/{code}`: the rating form of one service.

use super::{localized, ServiceMissing};
use crate::backend::ServiceForm;
use crate::domain::{Channel, Item, ResponseSubmission};
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use std::collections::BTreeMap;

/// How a form is used: a citizen's own phone (or a link), or a shared kiosk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormMode {
    Link,
    Kiosk,
}

/// A kiosk form resets itself this long after a submission.
const KIOSK_RESET_MS: u64 = 4_000;
/// Default shortest time between two kiosk responses, as HappyOrNot terminals use.
pub const KIOSK_DEFAULT_INTERVAL_S: f64 = 5.0;

#[component]
pub fn ServicePage() -> impl IntoView {
    view! { <FormLoader mode=FormMode::Link/> }
}

/// Loads service `:code` and shows its form, or says it does not exist.
#[component]
pub fn FormLoader(mode: FormMode) -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let form = Resource::new(code, crate::data::service_form);
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(Some(f)) => view! { <RatingForm form=f mode/> }.into_any(),
                    Ok(None) => view! { <ServiceMissing/> }.into_any(),
                    Err(_) => view! { <p role="alert">{tr(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// When the citizen answered, as RFC 3339.
fn now_rfc3339() -> String {
    #[cfg(feature = "hydrate")]
    {
        String::from(js_sys::Date::new_0().to_iso_string())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        crate::domain::response::rfc3339_millis(time::OffsetDateTime::now_utc())
    }
}

/// Milliseconds since the epoch, by the device's clock.
fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as f64
    }
}

/// The kiosk's shortest interval between responses: `?interval=` seconds.
fn kiosk_interval_ms() -> f64 {
    let query = leptos_router::hooks::use_query_map();
    let seconds = query
        .read_untracked()
        .get("interval")
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .unwrap_or(KIOSK_DEFAULT_INTERVAL_S);
    seconds * 1000.0
}

#[component]
fn RatingForm(form: ServiceForm, mode: FormMode) -> impl IntoView {
    let lang = use_lang();
    let answers = RwSignal::new(BTreeMap::<String, u8>::new());
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
    // Kiosk only: the thank-you panel is showing.
    let thanked = RwSignal::new(false);
    let last_kept_ms = StoredValue::new(None::<f64>);
    let interval_ms = kiosk_interval_ms();
    let navigate = use_navigate();
    // Effects run only in the browser, once hydrated: tests and styles can
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
            scores: scores.into_iter().map(|(k, v)| (k, v.into())).collect(),
            comment: Some(comment.get_untracked()).filter(|c| !c.trim().is_empty()),
            respondent: None,
            app_version: Some(crate::APP_VERSION.to_owned()),
        };
        let service_name = service.name.clone();
        let thanks = format!("/s/{}/terima-kasih", service.code);
        let navigate = navigate.clone();
        sending.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match crate::offline::keep(submission, service_name).await {
                Ok(()) => match mode {
                    FormMode::Link => navigate(&thanks, Default::default()),
                    FormMode::Kiosk => {
                        last_kept_ms.set_value(Some(now_ms()));
                        // Nothing of this citizen stays on screen for the next.
                        comment.set(String::new());
                        answers.set(BTreeMap::new());
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
    view! {
        <p class="crumbs">{form.agency_name.clone()} " · " {form.unit_name.clone()}</p>
        <h1>{form.service.name.clone()}</h1>
        <Show when=move || thanked.get()>
            <div class="kiosk-thanks" role="status">
                <p class="big">{tr(Msg::ThankYouTitle)}</p>
                <p>{tr(Msg::KioskNext)}</p>
            </div>
        </Show>
        <form
            class="rating"
            class:kiosk=kiosk
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
            <button type="submit" class="primary" aria-disabled=move || sending.get().to_string()>
                {move || if sending.get() { tr(Msg::Sending)() } else { tr(Msg::Submit)() }}
            </button>
        </form>
    }
}

/// Faces shown beside the answer words on a kiosk, worst to best.
const FACES: [&str; 4] = ["😞", "🙁", "🙂", "😄"];

#[component]
fn ItemField(item: Item, answers: RwSignal<BTreeMap<String, u8>>, kiosk: bool) -> impl IntoView {
    let code = item.code.to_string();
    let question_id = format!("q-{code}");
    let described_by = question_id.clone();
    let options = item
        .options
        .iter()
        .cloned()
        .zip(1u8..=4)
        .map(|(wording, value)| {
            let code = code.clone();
            let checked_code = code.clone();
            let input_id = format!("{code}-{value}");
            let name = format!("item-{code}");
            view! {
                <div class="option">
                    <input
                        type="radio"
                        id=input_id.clone()
                        name=name
                        value=value.to_string()
                        prop:checked=move || {
                            answers.with(|a| a.get(&checked_code) == Some(&value))
                        }
                        on:change=move |_| {
                            answers.update(|a| {
                                a.insert(code.clone(), value);
                            })
                        }
                    />
                    <label for=input_id>
                        {kiosk
                            .then(|| {
                                view! {
                                    <span class="face" aria-hidden="true">
                                        {FACES[usize::from(value - 1)]}
                                    </span>
                                }
                            })}
                        <span class="num" aria-hidden="true">{value}</span>
                        {localized(wording)}
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="item" aria-describedby=described_by>
            <legend>{localized(item.label.clone())}</legend>
            <p id=question_id class="question">{localized(item.question.clone())}</p>
            <div class="options">{options}</div>
        </fieldset>
    }
}
