//! `/login`: staff sign in with email and password: a plain form, posted to
//! the server (`POST /login`), which sets the session cookie and sends the
//! browser to the page it asked for before signing in (`next`) or to the
//! dashboard, or back here with `?error` (and how long to
//! wait after too many failures). `/account`: the password change.

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
            <div class="field">
                <label for="email">{tr(Msg::Email)}</label>
                <input id="email" name="email" type="email" autocomplete="username" required/>
            </div>
            <div class="field">
                <label for="password">{tr(Msg::Password)}</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                />
            </div>
            <p role="alert" class="error">
                {why}
            </p>
            <button type="submit" class="primary">{tr(Msg::SignIn)}</button>
        </form>
    }
}

/// `/account`: who is signed in, and a new password.
#[component]
pub fn AccountPage(notice: Option<&'static str>) -> impl IntoView {
    use crate::backend::ssr::{backend, request_session_token};
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
                    None => view! {
                        <h1>{tr(Msg::AccountTitle)}</h1>
                        <p><a href="/login">{tr(Msg::SignIn)}</a></p>
                    }
                        .into_any(),
                    Some(a) => view! {
                        <h1>{tr(Msg::AccountTitle)}</h1>
                        <p>
                            {tr(Msg::SignedInAs)} " " <strong>{a.email}</strong> " (" {a.role} ")"
                        </p>
                        <p role="status" class="notice-ok">{done}</p>
                        <form method="post" action="/account/password" class="login">
                            <h2>{tr(Msg::ChangePassword)}</h2>
                            <div class="field">
                                <label for="current">{tr(Msg::CurrentPassword)}</label>
                                <input id="current" name="current" type="password" autocomplete="current-password" required/>
                            </div>
                            <div class="field">
                                <label for="new">{tr(Msg::NewPassword)}</label>
                                <input id="new" name="new" type="password" autocomplete="new-password" minlength="10" required aria-describedby="new-hint"/>
                                <p id="new-hint" class="muted">{tr(Msg::PasswordWeak)}</p>
                            </div>
                            <div class="field">
                                <label for="repeat">{tr(Msg::RepeatPassword)}</label>
                                <input id="repeat" name="repeat" type="password" autocomplete="new-password" required/>
                            </div>
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
