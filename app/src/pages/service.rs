//! `/s/{code}`: the rating form of one service.

use super::localized;
use crate::backend::ServiceForm;
use crate::domain::{Channel, Item, ResponseSubmission};
use crate::i18n::{tr, use_lang, Msg};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use std::collections::BTreeMap;

#[server(prefix = "/rpc", endpoint = "service_form")]
pub async fn get_service_form(code: String) -> Result<Option<ServiceForm>, ServerFnError> {
    let form = crate::backend::ssr::backend()
        .service_form(&code)
        .await
        .map_err(super::internal)?;
    if form.is_none() {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    Ok(form)
}

#[component]
pub fn ServicePage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let form = Resource::new(code, get_service_form);
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(Some(f)) => view! { <RatingForm form=f/> }.into_any(),
                    Ok(None) => {
                        view! {
                            <h1>{tr(Msg::ServiceNotFound)}</h1>
                            <p>
                                <A href="/">{tr(Msg::BackToServices)}</A>
                            </p>
                        }
                            .into_any()
                    }
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

#[component]
fn RatingForm(form: ServiceForm) -> impl IntoView {
    let lang = use_lang();
    let answers = RwSignal::new(BTreeMap::<String, u8>::new());
    let comment = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let sending = RwSignal::new(false);
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
        let scores = answers.get_untracked();
        if scores.is_empty() {
            error.set(Some(
                Msg::ChooseAtLeastOne.text(lang.get_untracked()).to_owned(),
            ));
            return;
        }
        let submission = ResponseSubmission {
            id: uuid::Uuid::new_v4(),
            service_id: service.id,
            questionnaire_id: service.questionnaire_id.clone(),
            questionnaire_version: service.questionnaire_version,
            answered_at: now_rfc3339(),
            channel: Channel::Link,
            scores: scores.into_iter().map(|(k, v)| (k, v.into())).collect(),
            comment: Some(comment.get_untracked()).filter(|c| !c.trim().is_empty()),
            respondent: None,
            app_version: Some(crate::APP_VERSION.to_owned()),
        };
        let thanks = format!("/s/{}/terima-kasih", service.code);
        let navigate = navigate.clone();
        sending.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let l = lang.get_untracked();
            match crate::sync::send_batch(vec![submission]).await {
                Ok(out) => match out.results.first() {
                    Some(r) if r.status.is_delivered() => navigate(&thanks, Default::default()),
                    Some(r) => error.set(Some(format!(
                        "{} {}",
                        Msg::NotAccepted.text(l),
                        r.reason.clone().unwrap_or_default()
                    ))),
                    None => error.set(Some(Msg::NotSentNetwork.text(l).to_owned())),
                },
                Err(_) => error.set(Some(Msg::NotSentNetwork.text(l).to_owned())),
            }
            sending.set(false);
        });
    };

    let q = form.questionnaire.clone();
    view! {
        <p class="crumbs">{form.agency_name.clone()} " · " {form.unit_name.clone()}</p>
        <h1>{form.service.name.clone()}</h1>
        <p class="muted">{localized(q.name.clone())} " · " {tr(Msg::Scale)}</p>
        <form class="rating" on:submit=on_submit novalidate data-ready=move || ready.get().to_string()>
            {q
                .items
                .into_iter()
                .map(|item| view! { <ItemField item answers/> })
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

#[component]
fn ItemField(item: Item, answers: RwSignal<BTreeMap<String, u8>>) -> impl IntoView {
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
            let input_id = format!("{code}-{value}");
            let name = format!("item-{code}");
            view! {
                <div class="option">
                    <input
                        type="radio"
                        id=input_id.clone()
                        name=name
                        value=value.to_string()
                        on:change=move |_| {
                            answers.update(|a| {
                                a.insert(code.clone(), value);
                            })
                        }
                    />
                    <label for=input_id>
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
