//! `/login`: staff sign in with email and password: a plain form, posted to
//! the server (`POST /login`), which sets the session cookie and sends the
//! browser to the dashboard, or back here with `?error`.

use crate::text::{tr, Msg};
use leptos::prelude::*;

#[component]
pub fn LoginPage(failed: bool) -> impl IntoView {
    view! {
        <h1>{tr(Msg::SignIn)}</h1>
        <form method="post" action="/login" class="login">
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
                {failed.then(tr(Msg::SignInFailed))}
            </p>
            <button type="submit" class="primary">{tr(Msg::SignIn)}</button>
        </form>
    }
}
