//! `/pengaduan/{code}`: a complaint. Anyone holding the code sees its state,
//! deadline, history and the unit's replies (the text redacted), and can add
//! information, judge an answer and rate the handling. Its unit's staff also
//! see the full text and the actions its state allows.

use super::{deadline_name, next_step, privacy_name, state_name, when};
use crate::backend::{backend, BackendError};
use crate::domain::complaint::State;
use crate::model::complaint::{ComplaintPage as Loaded, ComplaintView, Sender, StaffComplaint};
use crate::pages::complaint::{Find, Receipt};
use crate::pages::staff::{Labelled, Picker};
use crate::text::{tr, Msg};
use leptos::prelude::*;

async fn load(code: String) -> Result<Loaded, BackendError> {
    let token = crate::session::request_session_token();
    backend().complaint(token, &code).await
}

#[component]
pub fn ComplaintPage(code: String, notice: Option<String>) -> impl IntoView {
    let notice = StoredValue::new(notice);
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {
                let code = code.clone();
                Suspend::new(async move {
                    let status = |s: u16| {
                        if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                            r.set_status(http::StatusCode::from_u16(s).unwrap_or(http::StatusCode::OK));
                        }
                    };
                    match load(code).await {
                        Ok(Loaded::Citizen(v)) => {
                            view! { <Complaint view=*v staff=None notice=notice.get_value()/> }.into_any()
                        }
                        Ok(Loaded::Staff(s)) => {
                            let v = s.view.clone();
                            view! { <Complaint view=v staff=Some(*s) notice=notice.get_value()/> }.into_any()
                        }
                        Ok(Loaded::Mistyped) => {
                            status(400);
                            view! { <Find problem=Some(Msg::ComplaintBadCode)/> }.into_any()
                        }
                        Ok(Loaded::Unknown) => {
                            status(404);
                            view! {
                                <Find problem=Some(Msg::ComplaintUnknown)/>
                                <p>
                                    <a href="/pengaduan">{tr(Msg::ComplaintUnknownHint)}</a>
                                </p>
                            }
                                .into_any()
                        }
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

#[component]
fn Complaint(
    view: ComplaintView,
    staff: Option<StaffComplaint>,
    notice: Option<String>,
) -> impl IntoView {
    let receipt = (notice.as_deref() == Some("new")).then(|| {
        // Filed through the plain form: the key the server made is in a
        // cookie for this page only, shown here once in the link.
        let key = crate::session::request_cookie(crate::session::CITIZEN_KEY_COOKIE)
            .filter(|k| crate::domain::complaint::key::well_formed(k));
        let (link, qr) = backend().tracking_link(&view.code, key.as_deref());
        match key {
            Some(key) => view! { <Receipt code=view.code.clone() link qr key/> }.into_any(),
            None => view! { <Receipt code=view.code.clone() link qr/> }.into_any(),
        }
    });
    let notice = notice.filter(|n| n != "new").map(|n| {
        if n == "done" {
            view! { <p role="status" class="notice">{tr(Msg::ComplaintSaved)}</p> }.into_any()
        } else {
            view! { <p role="alert" class="error">{tr(Msg::ComplaintNotSaved)} " (" {n} ")"</p> }
                .into_any()
        }
    });
    let deadline = view.deadline.clone().map(|day| {
        // The unit's day: its zone says which.
        let zone = crate::domain::zone::Zone::parse(&view.time_zone).unwrap_or_default();
        let day = format!("{day} ({})", zone.abbreviation());
        let kind = view
            .deadline_kind
            .map(deadline_name)
            .unwrap_or(Msg::ComplaintDeadline);
        let overdue = view
            .overdue
            .then(|| view! { " " <strong class="overdue">{tr(Msg::Overdue)}</strong> });
        view! {
            <div>
                <dt>{tr(kind)}</dt>
                <dd data-figure="deadline">{day} {overdue}</dd>
            </div>
        }
    });
    let history = view
        .timeline
        .iter()
        .map(|e| {
            let unit = e.unit.as_ref().map(|u| format!(" → {}", u.name));
            view! {
                <li>
                    <strong>{tr(state_name(e.state))}</strong> {unit} " · " <time>{when(&e.at, &view.time_zone)}</time>
                    {e.note.clone().map(|n| view! { <p class="note">{n}</p> })}
                </li>
            }
        })
        .collect_view();
    let messages = (!view.messages.is_empty()).then(|| {
        let list = view
            .messages
            .iter()
            .map(|m| {
                let from = match m.from {
                    Sender::Unit => Msg::FromUnit,
                    Sender::Citizen => Msg::FromCitizen,
                };
                view! {
                    <li class=format!("message from-{}", if m.from == Sender::Unit { "unit" } else { "citizen" })>
                        <strong>{tr(from)}</strong> " · " <time>{when(&m.at, &view.time_zone)}</time>
                        <p>{m.text.clone()}</p>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="card" aria-labelledby="messages-title">
                <h2 id="messages-title">{tr(Msg::ComplaintMessages)}</h2>
                <ul class="messages">{list}</ul>
            </section>
        }
    });
    let files = (!view.attachments.is_empty()).then(|| {
        let list = view
            .attachments
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let who = match a.from {
                    Sender::Citizen => Msg::PhotoFromCitizen,
                    Sender::Unit => Msg::EvidenceFromUnit,
                };
                let label = move || format!("{} {}", tr(who)(), i + 1);
                let shown = if a.content_type == "application/pdf" {
                    let size = format!(" ({} KB)", a.size.div_ceil(1024));
                    view! {
                        <a href=a.url.clone() rel="external">
                            {label} " · " {tr(Msg::PdfDocument)} {size}
                        </a>
                    }
                    .into_any()
                } else {
                    view! {
                        <a href=a.url.clone() rel="external">
                            <img src=a.url.clone() alt=label loading="lazy" class="attachment"/>
                        </a>
                    }
                    .into_any()
                };
                view! { <li>{shown}</li> }
            })
            .collect_view();
        view! {
            <section class="card" aria-labelledby="files-title">
                <h2 id="files-title">{tr(Msg::ComplaintFiles)}</h2>
                <ul class="attachments" data-figure="attachments">{list}</ul>
            </section>
        }
    });
    // Staff read the text whole; anyone else redacted.
    let text_figure = if staff.is_some() { "full-text" } else { "text" };
    let citizen = staff
        .is_none()
        .then(|| view! { <CitizenActions view=view.clone()/> });
    let unit = staff.map(|s| view! { <UnitActions staff=s/> });
    let items = (!view.item_labels.is_empty()).then(|| {
        let lang = crate::text::use_lang();
        let labels = view.item_labels.clone();
        let names = move || {
            labels
                .iter()
                .map(|i| lang.get().pick(&i.label.id, &i.label.en).to_owned())
                .collect::<Vec<_>>()
                .join(", ")
        };
        view! {
            <div>
                <dt>{tr(Msg::ComplaintItems)}</dt>
                <dd>{names}</dd>
            </div>
        }
    });
    let happened = view.happened_on.clone().map(|d| {
        view! {
            <div>
                <dt>{tr(Msg::ComplaintHappened)}</dt>
                <dd>{d}</dd>
            </div>
        }
    });
    let path = format!("/pengaduan/{}", view.code);
    view! {
        <h1>{tr(Msg::Complaints)} " " <span class="tracking-code" data-figure="code">{view.code.clone()}</span></h1>
        {receipt}
        {notice}
        <p class="state-line">
            {tr(Msg::ComplaintState)} ": "
            <strong data-figure="state" data-state=view.state.as_str()>{tr(state_name(view.state))}</strong>
        </p>
        <p data-figure="next">{tr(next_step(view.state))}</p>
        <dl class="facts">
            {deadline}
            <div>
                <dt>{tr(Msg::ComplaintUnit)}</dt>
                <dd data-figure="unit">{view.unit.name.clone()}</dd>
            </div>
            <div>
                <dt>{tr(Msg::ComplaintService)}</dt>
                <dd>{view.service.name.clone()}</dd>
            </div>
            <div>
                <dt>{tr(Msg::ComplaintSubmitted)}</dt>
                <dd>{when(&view.submitted_at, &view.time_zone)}</dd>
            </div>
            {happened}
            {items}
            <div>
                <dt>{tr(Msg::ComplaintPrivacy)}</dt>
                <dd>{tr(privacy_name(view.privacy))}</dd>
            </div>
        </dl>
        <section class="card" aria-labelledby="text-title">
            <h2 id="text-title">{tr(Msg::ComplaintText)}</h2>
            <p class="complaint-text" data-figure=text_figure>{view.text.clone()}</p>
        </section>
        {files}
        {messages}
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">{tr(Msg::ComplaintHistory)}</h2>
            <ol class="timeline" data-figure="timeline">{history}</ol>
        </section>
        {citizen}
        {unit}
        <p class="muted no-print">
            <a href=path>{tr(Msg::ComplaintCode)} " " {view.code.clone()}</a>
        </p>
    }
}

/// What the citizen can do in the complaint's state.
#[component]
fn CitizenActions(view: ComplaintView) -> impl IntoView {
    let action = format!("/pengaduan/{}/pesan", view.code);
    // The citizen's key comes from the tracking link's `#k=…`, which the
    // server never sees: `citizen-key.js` puts it in each form.
    let keyed = if view.keyed { "true" } else { "false" };
    let code = view.code.clone();
    let key_input = || view! { <input type="hidden" name="key" value=""/> };
    let judge = (view.state == State::Dijawab).then(|| {
        view! {
            <div class="actions">
                <button type="submit" name="resolved" value="true" class="primary">
                    {tr(Msg::ComplaintConfirm)}
                </button>
                <button type="submit" name="resolved" value="false">
                    {tr(Msg::ComplaintNotResolved)}
                </button>
            </div>
        }
    });
    let ratable = !view.state.is_open() && view.rating.is_none();
    let rate = ratable.then(|| {
        let options = [
            (1, Msg::Rate1),
            (2, Msg::Rate2),
            (3, Msg::Rate3),
            (4, Msg::Rate4),
        ]
        .into_iter()
        .map(|(n, m)| {
            view! {
                <label class="choice">
                    <input type="radio" name="rating" value=n.to_string() required/>
                    {format!("{n} – ")} {tr(m)}
                </label>
            }
        })
        .collect_view();
        view! {
            <form method="post" action=action.clone() class="card" data-citizen=code.clone() data-keyed=keyed>
                {key_input()}
                <fieldset>
                    <legend>{tr(Msg::ComplaintRate)}</legend>
                    {options}
                </fieldset>
                <button type="submit" class="primary">{tr(Msg::ComplaintSend)}</button>
            </form>
        }
    });
    let rated = view.rating.map(|r| {
        view! { <p>{tr(Msg::ComplaintRated)} ": " <strong data-figure="rating">{r.to_string()}</strong> " / 4"</p> }
    });
    let open = view.state.is_open().then(|| {
        view! {
            <form method="post" action=action.clone() class="card" data-citizen=code.clone() data-keyed=keyed>
                {key_input()}
                <Labelled id="text".into() label=Msg::ComplaintAddInfo>
                    <textarea id="text" name="text" rows="4" maxlength="4000"></textarea>
                </Labelled>
                {judge}
                <button type="submit">{tr(Msg::ComplaintSend)}</button>
            </form>
        }
    });
    view! {
        <p class="muted">{tr(Msg::ComplaintTrackHint)}</p>
        <p class="notice" id="key-missing" hidden>{tr(Msg::ComplaintKeyMissing)}</p>
        {open}
        {rate}
        {rated}
        <script src="/citizen-key.js" defer></script>
    }
}

/// The unit's actions: the states it may move the complaint to, a note the
/// citizen reads, and where to forward it.
#[component]
fn UnitActions(staff: StaffComplaint) -> impl IntoView {
    let private = (!staff.privacies.is_empty()).then(|| {
        let options = staff
            .privacies
            .iter()
            .map(|p| view! { <option value=p.as_str()>{tr(privacy_name(*p))}</option> })
            .collect_view();
        view! {
            <form method="post" action=format!("/pengaduan/{}/privasi", staff.view.code) class="card" data-form="privacy">
                <Picker id="privacy" label=Msg::ComplaintPrivacy>
                    {options}
                </Picker>
                <p class="muted">{tr(Msg::ComplaintMorePrivateHint)}</p>
                <button type="submit">{tr(Msg::ComplaintMorePrivate)}</button>
            </form>
        }
    });
    if staff.moves.is_empty() {
        let read_only = (staff.privacies.is_empty() && staff.view.state.is_open())
            .then(|| view! { <p class="muted">{tr(Msg::ComplaintReadOnly)}</p> });
        return view! { {read_only} {private} }.into_any();
    }
    let action = format!("/pengaduan/{}/pindah", staff.view.code);
    let moves = staff
        .moves
        .iter()
        .map(|s| view! { <option value=s.as_str()>{tr(state_name(*s))}</option> })
        .collect_view();
    let units = staff
        .units
        .iter()
        .map(|u| view! { <option value=u.code.clone()>{u.name.clone()}</option> })
        .collect_view();
    // Only a close can be a close as abuse (the server refuses it with any
    // other move).
    let abuse = staff.moves.contains(&State::Ditutup).then(|| {
        view! {
            <label class="choice">
                <input type="checkbox" name="abuse" value="1"/>
                {tr(Msg::ComplaintCloseAsAbuse)}
            </label>
        }
    });
    view! {
        <form method="post" action=action class="card" data-form="move">
            <h2>{tr(Msg::ComplaintAct)}</h2>
            <Picker id="to" label=Msg::ComplaintMoveTo>
                {moves}
            </Picker>
            <Labelled id="note".into() label=Msg::ComplaintNote>
                <textarea id="note" name="note" rows="3" maxlength="4000" aria-describedby="note-hint"></textarea>
                <p id="note-hint" class="muted">{tr(Msg::ComplaintNoteHint)}</p>
            </Labelled>
            <Picker id="unit" label=Msg::ComplaintForwardTo>
                <option value="">{tr(Msg::ComplaintNoUnit)}</option>
                {units}
            </Picker>
            {abuse}
            <button type="submit" class="primary">{tr(Msg::ComplaintApply)}</button>
        </form>
        <form
            method="post"
            action=format!("/pengaduan/{}/berkas", staff.view.code)
            enctype="multipart/form-data"
            class="card"
            data-form="evidence"
        >
            <div class="field">
                <label for="file">{tr(Msg::EvidenceAttach)}</label>
                <input
                    id="file"
                    name="file"
                    type="file"
                    required
                    accept="image/jpeg,image/png,image/webp,application/pdf"
                    aria-describedby="file-hint"
                />
                <p id="file-hint" class="muted">{tr(Msg::EvidenceHint)}</p>
            </div>
            <button type="submit">{tr(Msg::EvidenceSend)}</button>
        </form>
        {private}
    }
    .into_any()
}
