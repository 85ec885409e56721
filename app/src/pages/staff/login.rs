//! `/login`: staff sign in with email and password: a plain form, posted to
//! the server (`POST /login`), which sets the session cookie and sends the
//! browser to the page it asked for before signing in (`next`) or to the
//! dashboard, or back here with `?error` (and how long to
//! wait after too many failures). `/account`: the password change.

use super::{Field, SignInFirst};
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

#[component]
pub fn LoginPage(failed: bool, throttled: Option<u32>, next: Option<String>) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let why = match throttled {
        Some(minutes) => Some(format!("{} {minutes}", Msg::SignInThrottled.text(lang))),
        None => failed.then(|| Msg::SignInFailed.text(lang).to_owned()),
    };
    view! {
        <h1>{tr(Msg::SignIn)}</h1>
        <form method="post" action="/login" class="login">
            {next.map(|n| view! { <input type="hidden" name="next" value=n/> })}
            <Field id="email" label=Msg::Email kind="email" autocomplete="username"/>
            <Field
                id="password"
                label=Msg::Password
                kind="password"
                autocomplete="current-password"
            />
            <p role="alert" class="error">
                {why}
            </p>
            <button type="submit" class="primary">{tr(Msg::SignIn)}</button>
        </form>
        <p class="muted">{tr(Msg::ForgotPassword)}</p>
    }
}

/// `/account`: who is signed in, and a new password.
#[component]
pub fn AccountPage(notice: Option<&'static str>) -> impl IntoView {
    use crate::backend::backend;
    use crate::session::request_session_token;
    let lang = use_lang().get_untracked();
    let (done, problem) = match notice {
        Some("done") => (Some(Msg::PasswordChanged.text(lang)), None),
        Some("wrong") => (None, Some(Msg::PasswordWrong.text(lang))),
        Some("weak") => (None, Some(Msg::PasswordWeak.text(lang))),
        Some("mismatch") => (None, Some(Msg::PasswordMismatch.text(lang))),
        _ => (None, None),
    };
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                let account = match request_session_token() {
                    Some(t) => backend().account(&t).await.ok().flatten(),
                    None => None,
                };
                match account {
                    None => view! { <SignInFirst title=Msg::AccountTitle/> }.into_any(),
                    Some(a) => view! {
                        <h1>{tr(Msg::AccountTitle)}</h1>
                        <p>
                            {tr(Msg::SignedInAs)} " " <strong>{a.email}</strong> " (" {a.role} ")"
                        </p>
                        <p role="status" class="notice-ok">{done}</p>
                        <form method="post" action="/account/password" class="login">
                            <h2>{tr(Msg::ChangePassword)}</h2>
                            <Field id="current" label=Msg::CurrentPassword kind="password" autocomplete="current-password"/>
                            <Field id="new" label=Msg::NewPassword kind="password" autocomplete="new-password" minlength="10" hint=Msg::PasswordWeak/>
                            <Field id="repeat" label=Msg::RepeatPassword kind="password" autocomplete="new-password"/>
                            <p role="alert" class="error">{problem}</p>
                            <button type="submit" class="primary">{tr(Msg::ChangePassword)}</button>
                        </form>
                        <p><a href="/dashboard">{tr(Msg::Dashboard)}</a></p>
                    }
                        .into_any(),
                }
            })}
        </Suspense>
    }
}
