//! `/s/{code}/pengaduan`: filing a complaint about a service.
//!
//! In the browser app the complaint is checked on the device (so it is
//! not refused later as incomplete), kept in IndexedDB with its photos and
//! its tracking code made on the device, and the receipt shows at once,
//! with or without signal; the sync client sends it. The server's markup
//! is the same form as plain HTML: without the app, the server takes it
//! (without photos) and makes the code.

use super::receipt::{tracking_link, Receipt};
use super::{privacy_hint, privacy_name, today};
use crate::domain::complaint::submission::{MAX_TEXT_CHARS, MIN_TEXT_CHARS};
use crate::domain::complaint::{ComplaintSubmission, Privacy};
use crate::domain::Channel;
use crate::model::form::ServiceForm;
use crate::offline::complaints::MAX_PHOTOS;
use crate::pages::ServiceMissing;
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

#[component]
pub fn FileComplaintPage(
    code: String,
    error: Option<String>,
    items: Vec<String>,
    response: Option<String>,
) -> impl IntoView {
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {
                let (code, error, items, response) = (
                    code.clone(),
                    error.clone(),
                    items.clone(),
                    response.clone(),
                );
                Suspend::new(async move {
                    match crate::data::service_form(code).await {
                        Ok(Some(form)) => {
                            let data = crate::pages::service::embedded(&form);
                            view! {
                                {data}
                                <Filing form error items response/>
                            }
                                .into_any()
                        }
                        Ok(None) => view! { <ServiceMissing/> }.into_any(),
                        Err(_) => view! { <p role="alert">{tr(Msg::LoadFailed)}</p> }.into_any(),
                    }
                })
            }
        </Suspense>
    }
}

/// The form, then (once kept) the receipt in its place.
#[component]
fn Filing(
    form: ServiceForm,
    error: Option<String>,
    items: Vec<String>,
    response: Option<String>,
) -> impl IntoView {
    // The complaint kept on this device: (id, code).
    let filed = RwSignal::new(None::<(String, String)>);
    view! {
        <div hidden=move || filed.with(Option::is_some)>
            <ComplaintForm form error items response filed/>
        </div>
        {move || {
            filed
                .get()
                .map(|(id, code)| {
                    let link = tracking_link(&code, None);
                    let qr = crate::qr::svg(&link);
                    view! {
                        <h1>{tr(Msg::FileComplaint)}</h1>
                        <Receipt code link qr id/>
                        <p>
                            <a href="/pengaduan">{tr(Msg::MyComplaints)}</a>
                        </p>
                        <p>
                            <a href="/">{tr(Msg::BackToServices)}</a>
                        </p>
                    }
                })
        }}
    }
}

/// A picked photo: its id and a URL to show it.
type Picked = (String, String);

#[component]
fn ComplaintForm(
    form: ServiceForm,
    error: Option<String>,
    items: Vec<String>,
    response: Option<String>,
    filed: RwSignal<Option<(String, String)>>,
) -> impl IntoView {
    let lang = use_lang();
    let action = format!("/s/{}/pengaduan", form.service.code);
    // What the citizen did on the server's form before the app was ready.
    let early = crate::early::take_values();
    let text = RwSignal::new(early.get("text").cloned().unwrap_or_default());
    let happened_on = RwSignal::new(early.get("happened_on").cloned().unwrap_or_default());
    let chosen: Vec<String> = early
        .get("items")
        .map(|v| v.split(',').map(str::to_owned).collect())
        .unwrap_or(items);
    let chosen = RwSignal::new(chosen);
    let privacy = RwSignal::new(
        early
            .get("privacy")
            .and_then(|p| Privacy::parse(p))
            .unwrap_or_default(),
    );
    let photos = RwSignal::new(Vec::<Picked>::new());
    let problem = RwSignal::new(error.map(|e| (Msg::FileComplaintRefused, e)));
    let sending = RwSignal::new(false);
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let max_day = today();

    let item_boxes = form
        .questionnaire
        .items
        .iter()
        .map(|item| {
            let label = item.label.clone();
            let name = move || lang.get().pick(&label.id, &label.en).to_owned();
            let code = item.code.to_string();
            let (checked, toggled) = (code.clone(), code.clone());
            view! {
                <label class="choice">
                    <input
                        type="checkbox"
                        name="items"
                        value=code
                        checked=chosen.with_untracked(|c| c.contains(&checked))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| {
                                c.retain(|x| x != &toggled);
                                if on {
                                    c.push(toggled.clone());
                                }
                            });
                        }
                    />
                    " " {name}
                </label>
            }
        })
        .collect_view();
    let privacies = Privacy::ALL
        .into_iter()
        .map(|p| {
            let id = format!("privacy-{}", p.as_str());
            let hint = format!("{id}-hint");
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        id=id.clone()
                        name="privacy"
                        value=p.as_str()
                        checked=privacy.get_untracked() == p
                        on:change=move |_| privacy.set(p)
                        aria-describedby=hint.clone()
                    />
                    " " <label for=id><strong>{tr(privacy_name(p))}</strong></label>
                    <p id=hint class="muted">{tr(privacy_hint(p))}</p>
                </div>
            }
        })
        .collect_view();

    let on_pick = move |ev: leptos::ev::Event| {
        #[cfg(feature = "csr")]
        {
            use wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let files: Vec<web_sys::File> = input
                .files()
                .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
                .unwrap_or_default();
            // The same photo may be picked again after its removal.
            input.set_value("");
            let room = MAX_PHOTOS.saturating_sub(photos.with_untracked(Vec::len));
            if files.len() > room {
                problem.set(Some((Msg::PhotoTooMany, String::new())));
            }
            for file in files.into_iter().take(room) {
                leptos::task::spawn_local(async move {
                    match crate::offline::photo::pick(file).await {
                        Ok(p) => photos.update(|all| all.push(p)),
                        Err(_) => problem.set(Some((Msg::PhotoUnreadable, String::new()))),
                    }
                });
            }
        }
        #[cfg(not(feature = "csr"))]
        let _ = ev;
    };

    let service = form.service.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let body = text.get_untracked().trim().to_owned();
        let n = body.chars().count();
        if !(MIN_TEXT_CHARS..=MAX_TEXT_CHARS).contains(&n) {
            problem.set(Some((Msg::ComplaintTextShort, String::new())));
            focus("text");
            return;
        }
        let day = Some(happened_on.get_untracked()).filter(|d| !d.is_empty());
        if let (Some(d), Some(max)) = (&day, today()) {
            if d > &max {
                problem.set(Some((Msg::ComplaintFutureDay, String::new())));
                focus("happened_on");
                return;
            }
        }
        let code = crate::offline::new_code().to_string();
        let submission = ComplaintSubmission {
            id: uuid::Uuid::new_v4(),
            code: code.clone(),
            service_id: service.id,
            response_id: response.as_deref().and_then(|r| r.parse().ok()),
            items: chosen.get_untracked(),
            text: body,
            happened_on: day,
            privacy: privacy.get_untracked(),
            channel: Channel::Link,
            submitted_at: crate::pages::service::now_rfc3339(),
            app_version: Some(crate::APP_VERSION.to_owned()),
            key: Some(crate::domain::complaint::key::new_key()),
        };
        let id = submission.id.to_string();
        let picked: Vec<String> =
            photos.with_untracked(|p| p.iter().map(|(id, _)| id.clone()).collect());
        let service_name = service.name.clone();
        sending.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            match crate::offline::keep_complaint(submission, service_name, picked).await {
                Ok(()) => {
                    crate::pages::service::show_thanks("/pengaduan");
                    filed.set(Some((id, code)));
                    focus("receipt-title");
                }
                Err(crate::offline::KeepError::NotAccepted(why)) => {
                    problem.set(Some((Msg::ComplaintNotKept, why)));
                }
                Err(crate::offline::KeepError::Unreachable) => {
                    problem.set(Some((
                        Msg::ComplaintNotKept,
                        Msg::NotSentNetwork.text(lang.get_untracked()).to_owned(),
                    )));
                }
            }
            sending.set(false);
        });
    };

    let remove = move |id: String| {
        #[cfg(feature = "csr")]
        crate::offline::photo::forget(&id);
        photos.update(|all| all.retain(|(i, _)| i != &id));
    };
    let photo_field = move || {
        ready.get().then(|| {
            let list = move || {
                photos
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(n, (id, url))| {
                        let label = move || format!("{} {}", Msg::PhotoRemove.text(lang.get()), n + 1);
                        view! {
                            <li>
                                <img src=url alt="" width="96" height="96"/>
                                <button type="button" on:click=move |_| remove(id.clone())>{label}</button>
                            </li>
                        }
                    })
                    .collect_view()
            };
            view! {
                <div class="field">
                    <label for="photos">{tr(Msg::ComplaintPhotos)}</label>
                    <p id="photos-hint" class="muted">{tr(Msg::ComplaintPhotosHint)}</p>
                    <input
                        id="photos"
                        type="file"
                        accept="image/jpeg,image/png,image/webp"
                        multiple
                        aria-describedby="photos-hint"
                        disabled=move || photos.with(|p| p.len() >= MAX_PHOTOS)
                        on:change=on_pick
                    />
                    <ul class="photos" data-figure="photos">{list}</ul>
                </div>
            }
        })
    };
    let problem_text = move || {
        problem.get().map(|(m, detail)| {
            let l = lang.get();
            if detail.is_empty() {
                m.text(l).to_owned()
            } else {
                format!("{} {detail}", m.text(l))
            }
        })
    };
    view! {
        <h1>{tr(Msg::FileComplaint)}</h1>
        <p class="muted">{form.service.name.clone()} " · " {form.unit_name.clone()}</p>
        <p id="guide">{tr(Msg::FileComplaintGuide)}</p>
        <form
            method="post"
            action=action
            class="card complaint"
            data-form="complaint"
            data-hold=""
            // The app checks it itself (and a press held while it loaded is
            // sent by the app before its effects run); the server's plain
            // form lets the browser check it.
            novalidate=cfg!(feature = "csr")
            on:submit=on_submit
            data-ready=move || ready.get().to_string()
        >
            <div class="field">
                <label for="text">{tr(Msg::FileComplaintText)}</label>
                <textarea
                    id="text"
                    name="text"
                    rows="6"
                    required
                    minlength=MIN_TEXT_CHARS.to_string()
                    maxlength=MAX_TEXT_CHARS.to_string()
                    aria-describedby="guide"
                    bind:value=text
                ></textarea>
            </div>
            <fieldset>
                <legend>{tr(Msg::FileComplaintItems)}</legend>
                {item_boxes}
            </fieldset>
            <div class="field">
                <label for="happened_on">{tr(Msg::FileComplaintWhen)}</label>
                <input id="happened_on" name="happened_on" type="date" max=max_day bind:value=happened_on/>
            </div>
            {photo_field}
            <fieldset>
                <legend>{tr(Msg::FileComplaintPrivacy)}</legend>
                {privacies}
            </fieldset>
            <p role="alert" class="error">{problem_text}</p>
            <button type="submit" class="primary" aria-disabled=move || sending.get().to_string()>
                {tr(Msg::FileComplaintSend)}
            </button>
        </form>
    }
}

/// Moves focus to the element `id` (the browser only).
fn focus(id: &str) {
    #[cfg(feature = "csr")]
    {
        use wasm_bindgen::JsCast;
        if let Some(el) = document().get_element_by_id(id) {
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    }
    #[cfg(not(feature = "csr"))]
    let _ = id;
}
