//! `/notifikasi`: what reached a staff member (also when no e-mail is sent:
//! then this list is where notifications are), how each kind should reach
//! them and in which language; and `/notifikasi/berhenti/{token}`, the
//! page behind a message's unsubscribe link.

use crate::backend::{backend, BackendError};
use crate::model::notification::{NotificationLine, NotificationsPage};
use crate::model::outcome::Staff;
use crate::text::{tr, use_lang, Lang, Msg};
use leptos::prelude::*;

async fn load() -> Result<Staff<NotificationsPage>, BackendError> {
    super::signed_in(|token| async move { backend().notifications(&token).await }).await
}

/// What a kind of notification is called.
fn kind_name(kind: &str) -> Msg {
    match kind {
        "complaint-filed" => Msg::NotifyComplaintFiled,
        "complaint-forwarded" => Msg::NotifyComplaintForwarded,
        "complaint-replied" => Msg::NotifyComplaintReplied,
        "complaint-disputed" => Msg::NotifyComplaintDisputed,
        "deadline-near" => Msg::NotifyDeadlineNear,
        "overdue" => Msg::NotifyOverdue,
        "weekly-digest" => Msg::NotifyWeeklyDigest,
        "alert" => Msg::NotifyAlert,
        _ => Msg::NotifyAccountLink,
    }
}

#[component]
pub fn NotificationsPage(saved: bool) -> impl IntoView {
    super::staff_page(
        Msg::NotificationsTitle,
        load,
        move |data| view! { <Notifications data saved/> }.into_any(),
        super::refused_with_detail(Msg::NotificationsTitle, "/notifikasi"),
    )
}

#[component]
fn Notifications(data: NotificationsPage, saved: bool) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let choices = data
        .preferences
        .iter()
        .map(|(kind, chosen)| {
            let id = format!("pref-{kind}");
            let options = [
                ("immediate", Msg::DeliveryImmediate),
                ("digest", Msg::DeliveryDigest),
                ("off", Msg::DeliveryOff),
            ]
            .into_iter()
            .map(|(value, label)| {
                let on = value == chosen;
                view! { <option value=value selected=on>{tr(label)}</option> }
            })
            .collect_view();
            view! {
                <div class="field">
                    <label for=id.clone()>{tr(kind_name(kind))}</label>
                    <select id=id name=kind.clone()>{options}</select>
                </div>
            }
        })
        .collect_view();
    let languages = [(Lang::Id, "Bahasa Indonesia"), (Lang::En, "English")]
        .into_iter()
        .map(|(l, name)| {
            let on = l.code() == data.lang;
            view! { <option value=l.code() selected=on>{name}</option> }
        })
        .collect_view();
    let recent = if data.recent.is_empty() {
        view! { <p>{tr(Msg::NotificationsNone)}</p> }.into_any()
    } else {
        view! {
            <ol class="notifications" data-figure="notifications">
                {data
                    .recent
                    .into_iter()
                    .map(|n| view! { <Line n lang mail_on=data.mail_on/> })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <h1>{tr(Msg::NotificationsTitle)}</h1>
        <p>
            {tr(Msg::SignedInAs)} " " <strong>{data.email}</strong> " · "
            <a href="/dashboard">{tr(Msg::Dashboard)}</a>
        </p>
        <p class="muted" data-figure="mail">
            {tr(if data.mail_on { Msg::MailOn } else { Msg::MailOff })}
        </p>
        {saved.then(|| view! { <p role="status" class="notice-ok">{tr(Msg::PreferencesSaved)}</p> })}
        <section class="card" aria-labelledby="recent-title">
            <h2 id="recent-title">{tr(Msg::NotificationsRecent)}</h2>
            {recent}
        </section>
        <form method="post" action="/notifikasi" class="card" aria-labelledby="prefs-title">
            <h2 id="prefs-title">{tr(Msg::NotificationsChoose)}</h2>
            {choices}
            <div class="field">
                <label for="lang">{tr(Msg::MessageLanguage)}</label>
                <select id="lang" name="lang">{languages}</select>
            </div>
            <button type="submit" class="primary">{tr(Msg::Save)}</button>
        </form>
    }
}

#[component]
fn Line(n: NotificationLine, lang: Lang, mail_on: bool) -> impl IntoView {
    let state = match (&n.sent, n.attempts) {
        (Some(at), _) => format!("{} {at}", Msg::NotificationSent.text(lang)),
        (None, _) if !mail_on => Msg::NotificationListed.text(lang).to_owned(),
        (None, 0) => Msg::NotificationWaiting.text(lang).to_owned(),
        (None, tries) => format!(
            "{} ({tries}): {}",
            Msg::NotificationRetrying.text(lang),
            n.last_error.unwrap_or_default()
        ),
    };
    view! {
        <li data-kind=n.kind.clone()>
            <strong>{tr(kind_name(&n.kind))}</strong>
            {n.complaint.map(|code| view! {
                " · " <a href=format!("/pengaduan/{code}")>{code.clone()}</a>
            })}
            <br/>
            <span class="muted">{n.at} " · " {state}</span>
        </li>
    }
}

/// `/notifikasi/berhenti/{token}`: a button, never a stop on opening the
/// link (mail scanners open links); mail clients post to it directly
/// (RFC 8058).
#[component]
pub fn UnsubscribePage(token: String, done: bool) -> impl IntoView {
    view! {
        <h1>{tr(Msg::UnsubscribeTitle)}</h1>
        {if done {
            view! {
                <p role="status" class="notice-ok">{tr(Msg::UnsubscribeDone)}</p>
                <p><a href="/notifikasi">{tr(Msg::NotificationsChoose)}</a></p>
            }
                .into_any()
        } else {
            view! {
                <p>{tr(Msg::UnsubscribeAsk)}</p>
                <form method="post" action=format!("/notifikasi/berhenti/{token}")>
                    <input type="hidden" name="List-Unsubscribe" value="One-Click"/>
                    <button type="submit" class="primary">{tr(Msg::UnsubscribeButton)}</button>
                </form>
            }
                .into_any()
        }}
    }
}
