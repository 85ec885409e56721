//! Invitation and reset links. `/admin/tautan/{id}`: the link an
//! administrator just made, shown once (in the browser that made it, from a
//! short-lived cookie), with a way to revoke it. `/account/link/{token}`:
//! the person it was made for chooses their password, a plain form posted
//! back to the same address, which signs them in.

use super::dashboard::moment;
use super::{refused_with_detail, Field};
use crate::backend::{backend, BackendError};
use crate::model::account_link::{IssuedLink, LinkPurpose, LinkState};
use crate::session::{request_cookie, LINK_COOKIE};
use crate::text::{tr, use_lang, Lang, Msg};
use leptos::prelude::*;

/// What a link is called, on its page and in the list of open links.
pub fn kind(purpose: LinkPurpose) -> Msg {
    match purpose {
        LinkPurpose::Invite => Msg::LinkKindInvite,
        LinkPurpose::Reset => Msg::LinkKindReset,
    }
}

fn state(s: LinkState) -> Msg {
    match s {
        LinkState::Open => Msg::LinkStateOpen,
        LinkState::Used => Msg::LinkStateUsed,
        LinkState::Revoked => Msg::LinkStateRevoked,
        LinkState::Expired => Msg::LinkStateExpired,
    }
}

#[component]
pub fn IssuedLinkPage(id: String) -> impl IntoView {
    let load = move || {
        let id = id.clone();
        async move {
            super::signed_in(|token| async move {
                backend()
                    .issued_link(&token, &id, request_cookie(LINK_COOKIE))
                    .await
            })
            .await
        }
    };
    super::staff_page(
        Msg::LinkInviteTitle,
        load,
        |issued| view! { <Issued issued/> }.into_any(),
        refused_with_detail(Msg::LinkInviteTitle, "/admin#accounts"),
    )
}

/// A `mailto:` address with the link written in, for the administrator's
/// own email app.
fn mail_to(email: &str, url: &str, lang: Lang) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    let enc = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
    let body = format!("{}\n\n{url}\n", Msg::LinkEmailBody.text(lang));
    format!(
        "mailto:{}?subject={}&body={}",
        enc(email),
        enc(Msg::LinkEmailSubject.text(lang)),
        enc(&body)
    )
}

#[component]
fn Issued(issued: IssuedLink) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let IssuedLink { link, url } = issued;
    let title = match link.purpose {
        LinkPurpose::Invite => Msg::LinkInviteTitle,
        LinkPurpose::Reset => Msg::LinkResetTitle,
    };
    let open = link.state == LinkState::Open;
    no_store();
    let shown = url.map(|url| {
        let mail = mail_to(&link.email, &url, lang);
        view! {
            <div class="field">
                <label for="link-url">{tr(Msg::LinkAddress)}</label>
                <input
                    id="link-url"
                    type="url"
                    readonly
                    value=url
                    aria-describedby="link-help"
                    data-link="url"
                />
            </div>
            <p id="link-help">{tr(Msg::LinkCopyNow)}</p>
            <p>
                <a href=mail>{tr(Msg::LinkSendEmail)}</a>
            </p>
        }
    });
    let lost =
        (open && shown.is_none()).then(|| view! { <p class="muted">{tr(Msg::LinkLost)}</p> });
    let revoke = open.then(|| {
        let action = format!("/admin/tautan/{}/cabut", link.id);
        view! {
            <form method="post" action=action>
                <button type="submit">{tr(Msg::LinkRevoke)}</button>
            </form>
        }
    });
    view! {
        <h1>{tr(title)}</h1>
        <section class="card">
            <dl class="facts">
                <dt>{tr(Msg::LinkFor)}</dt>
                <dd data-link="email">{link.email.clone()} " (" {link.role.clone()} ")"</dd>
                <dt>{tr(Msg::LinkValidUntil)}</dt>
                <dd>{moment(link.expires_at_ms)}</dd>
                <dt>{tr(Msg::LinkState)}</dt>
                <dd data-link="state">{tr(state(link.state))}</dd>
            </dl>
            {shown}
            {lost}
            {revoke}
        </section>
        <p>
            <a href="/admin#accounts">{tr(Msg::LinkBack)}</a>
        </p>
    }
}

/// `/account/link/{token}`: the password chosen, or why the link is closed
/// (`410 Gone`).
#[component]
pub fn AccountLinkPage(token: String, notice: Option<&'static str>) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let problem = match notice {
        Some("weak") => Some(Msg::PasswordWeak.text(lang)),
        Some("mismatch") => Some(Msg::PasswordMismatch.text(lang)),
        _ => None,
    };
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {
                let token = token.clone();
                Suspend::new(async move {
                    no_store();
                    match backend().link_offer(&token).await {
                        Ok(Some(offer)) => {
                            let title = match offer.purpose {
                                LinkPurpose::Invite => Msg::ChoosePasswordTitle,
                                LinkPurpose::Reset => Msg::ResetPasswordTitle,
                            };
                            let action = format!("/account/link/{token}");
                            view! {
                                <h1>{tr(title)}</h1>
                                <p>{tr(Msg::ChoosePasswordIntro)}</p>
                                <form method="post" action=action class="login">
                                    <div class="field">
                                        <label for="email">{tr(Msg::Email)}</label>
                                        // Read only; there for password managers to save with the password.
                                        <input id="email" name="email" type="email" readonly autocomplete="username" value=offer.email/>
                                    </div>
                                    <Field id="new" label=Msg::NewPassword kind="password" autocomplete="new-password" minlength="10" hint=Msg::PasswordWeak/>
                                    <Field id="repeat" label=Msg::RepeatPassword kind="password" autocomplete="new-password"/>
                                    <p role="alert" class="error">{problem}</p>
                                    <button type="submit" class="primary">{tr(Msg::SavePassword)}</button>
                                </form>
                            }
                            .into_any()
                        }
                        Ok(None) => closed().into_any(),
                        Err(e) => failed_view(e).into_any(),
                    }
                })
            }
        </Suspense>
    }
}

/// A page that carries a link's token or its holder's email is kept in no
/// cache: not the browser's, not a proxy's.
fn no_store() {
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
}

fn closed() -> impl IntoView {
    if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
        r.set_status(http::StatusCode::GONE);
    }
    view! {
        <h1>{tr(Msg::LinkClosedTitle)}</h1>
        <p role="alert" data-link="closed">{tr(Msg::LinkClosed)}</p>
        <p>
            <a href="/login">{tr(Msg::SignIn)}</a>
        </p>
    }
}

fn failed_view(e: BackendError) -> impl IntoView {
    e.log();
    view! { <p role="alert">{tr(Msg::LoadFailed)}</p> }
}
