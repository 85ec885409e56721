//! `/s/{code}/pengaduan`: the complaint form of a service, as plain HTML
//! (it works online without the app): what a complete complaint holds, the
//! standards it concerns, when, and who may see it. The browser checks the
//! length before it sends; the server makes the tracking code and shows the
//! receipt.

use super::privacy_name;
use crate::backend::backend;
use crate::domain::complaint::submission::{MAX_TEXT_CHARS, MIN_TEXT_CHARS};
use crate::domain::complaint::Privacy;
use crate::model::form::ServiceForm;
use crate::pages::ServiceMissing;
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

#[component]
pub fn FileComplaintPage(code: String, error: Option<String>) -> impl IntoView {
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {
                let (code, error) = (code.clone(), error.clone());
                Suspend::new(async move {
                    match backend().service_form(&code).await {
                        Ok(Some(form)) => view! { <ComplaintForm form error/> }.into_any(),
                        Ok(None) => view! { <ServiceMissing/> }.into_any(),
                        Err(e) => {
                            e.log();
                            view! { <p role="alert">{tr(Msg::LoadFailed)}</p> }.into_any()
                        }
                    }
                })
            }
        </Suspense>
    }
}

fn privacy_hint(p: Privacy) -> Msg {
    match p {
        Privacy::Anonim => Msg::PrivacyAnonimHint,
        Privacy::Publik => Msg::PrivacyPublikHint,
        Privacy::Rahasia => Msg::PrivacyRahasiaHint,
    }
}

#[component]
fn ComplaintForm(form: ServiceForm, error: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let action = format!("/s/{}/pengaduan", form.service.code);
    let items = form
        .questionnaire
        .items
        .iter()
        .map(|item| {
            let label = item.label.clone();
            let name = move || lang.get().pick(&label.id, &label.en).to_owned();
            view! {
                <label class="choice">
                    <input type="checkbox" name="items" value=item.code.to_string()/>
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
                        checked=p == Privacy::Anonim
                        aria-describedby=hint.clone()
                    />
                    " " <label for=id><strong>{tr(privacy_name(p))}</strong></label>
                    <p id=hint class="muted">{tr(privacy_hint(p))}</p>
                </div>
            }
        })
        .collect_view();
    let error = error.map(|e| {
        view! { <p role="alert" class="error">{tr(Msg::FileComplaintRefused)} ": " {e}</p> }
    });
    view! {
        <h1>{tr(Msg::FileComplaint)}</h1>
        <p class="muted">{form.service.name.clone()} " · " {form.unit_name.clone()}</p>
        {error}
        <p id="guide">{tr(Msg::FileComplaintGuide)}</p>
        <form method="post" action=action class="card" data-form="complaint">
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
                ></textarea>
            </div>
            <fieldset>
                <legend>{tr(Msg::FileComplaintItems)}</legend>
                {items}
            </fieldset>
            <div class="field">
                <label for="happened_on">{tr(Msg::FileComplaintWhen)}</label>
                <input id="happened_on" name="happened_on" type="date"/>
            </div>
            <fieldset>
                <legend>{tr(Msg::FileComplaintPrivacy)}</legend>
                {privacies}
            </fieldset>
            <button type="submit" class="primary">{tr(Msg::FileComplaintSend)}</button>
        </form>
    }
}
