//! The document shell, the routes and the frame every page shares.

use crate::components::outbox_status::OutboxStatus;
use crate::i18n::I18nContextProvider;
use crate::offline::OutboxView;
use crate::pages::{
    dashboard::DashboardPage, home::HomePage, kiosk::KioskPage, login::LoginPage,
    outbox::OutboxPage, poster::PosterPage, service::ServicePage, thanks::ThanksPage,
};
use crate::text::{cookie_options, no_header_locale, tr, use_lang, Lang, Msg, LANG_COOKIE};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="id">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let outbox = OutboxView::provide();
    // The sync client starts once the page is interactive (browser only).
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        crate::offline::agent::start(outbox);
        #[cfg(not(feature = "hydrate"))]
        let _ = outbox;
    });
    view! {
        <I18nContextProvider
            cookie_name=LANG_COOKIE
            cookie_options=cookie_options()
            ssr_lang_header_getter=no_header_locale()
        >
            <Frame/>
        </I18nContextProvider>
    }
}

/// Everything inside the language context: head tags, header, status, routes.
#[component]
fn Frame() -> impl IntoView {
    view! {
        <Stylesheet id="leptos" href="/pkg/suara.css"/>
        <Meta name="theme-color" content="#0b5f4a"/>
        <Title text="Suara"/>
        <Router>
            <a class="skip" href="#main">{tr(Msg::SkipToContent)}</a>
            <header class="top">
                <A href="/" attr:class="brand">"Suara"</A>
                <nav aria-label="Suara">
                    <A href="/dashboard">{tr(Msg::Dashboard)}</A>
                    <LangSwitch/>
                </nav>
            </header>
            <OutboxStatus/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=HomePage/>
                    // Async: the status (404 for an unknown code) is known before
                    // the first byte goes out.
                    <Route path=path!("/s/:code") view=ServicePage ssr=SsrMode::Async/>
                    <Route path=path!("/s/:code/terima-kasih") view=ThanksPage/>
                    <Route path=path!("/s/:code/poster") view=PosterPage ssr=SsrMode::Async/>
                    <Route path=path!("/k/:code") view=KioskPage ssr=SsrMode::Async/>
                    <Route path=path!("/tertunda") view=OutboxPage/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/dashboard") view=DashboardPage/>
                </Routes>
            </main>
        </Router>
    }
}

/// Switches between Indonesian and English and remembers the choice.
#[component]
fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let other = move || match lang.get() {
        Lang::Id => Lang::En,
        Lang::En => Lang::Id,
    };
    view! {
        <button
            type="button"
            class="lang"
            lang=move || other().code()
            on:click=move |_| lang.set(other())
        >
            {tr(Msg::SwitchLanguage)}
        </button>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <h1>"404"</h1>
        <p>
            <A href="/">{tr(Msg::BackToServices)}</A>
        </p>
    }
}
