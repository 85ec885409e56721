//! `/login`: staff sign in with email and password.

use crate::text::{tr, Msg};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn set_session_cookie(value: &str, max_age_secs: i64) {
    use crate::backend::ssr::{backend, SESSION_COOKIE};
    let secure = if backend().secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    );
    if let (Some(resp), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        resp.append_header(http::header::SET_COOKIE, v);
    }
}

#[server(prefix = "/rpc", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<(), ServerFnError> {
    let token = crate::backend::ssr::backend()
        .sign_in(&email, &password)
        .await
        .map_err(super::internal)?;
    match token {
        Some(token) => {
            set_session_cookie(&token, 60 * 60 * 12);
            leptos_axum::redirect("/dashboard");
            Ok(())
        }
        None => Err(ServerFnError::new("wrong email or password")),
    }
}

#[server(prefix = "/rpc", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), ServerFnError> {
    use crate::backend::ssr::{backend, request_session_token};
    if let Some(token) = request_session_token() {
        backend().sign_out(&token).await.map_err(super::internal)?;
    }
    set_session_cookie("", 0);
    leptos_axum::redirect("/login");
    Ok(())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let failed = move || matches!(action.value().get(), Some(Err(_)));
    view! {
        <h1>{tr(Msg::SignIn)}</h1>
        <ActionForm action attr:class="login">
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
                {move || failed().then(tr(Msg::SignInFailed))}
            </p>
            <button type="submit" class="primary">{tr(Msg::SignIn)}</button>
        </ActionForm>
    }
}
