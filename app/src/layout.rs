//! The document shell, the page dispatch and the frame every page shares.
//!
//! The server renders every page into [`shell`]. Citizen pages then load the
//! wasm, whose [`mount`](crate::mount) renders the same [`App`] in the
//! browser in place of the server's markup (no hydration: the bundle carries
//! only the browser's rendering code, which keeps a first visit on a cheap
//! phone small). Staff pages load no wasm at all: they are HTML with plain
//! forms, so they add nothing to what a citizen's phone downloads.

use crate::components::outbox_status::OutboxStatus;
use crate::offline::OutboxView;
#[cfg(not(feature = "ssr"))]
use crate::pages::complaint::{DeviceComplaintPage, MyComplaintsPage};
use crate::pages::{
    complaint::FileComplaintPage, home::HomePage, kiosk::KioskPage, outbox::OutboxPage,
    service::ServicePage, thanks::ThanksPage,
};
use crate::route::Page;
use crate::text::{tr, use_lang, Lang, LangSignal, Msg};
use leptos::prelude::*;

/// Where the built browser app is, as URLs: the server finds the files in
/// `pkg/` at start (whatever cargo-leptos named them) and provides this as
/// context; the offline shell (`/shell`) starts the app the same way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assets {
    pub js: String,
    pub wasm: String,
    pub css: String,
}

impl Assets {
    /// The module script that loads the wasm and renders the page. It
    /// starts after the page's first paint, so that on a slow link the
    /// server's markup (which the citizen can already answer, see
    /// [`crate::early`]) is not kept waiting behind the wasm's download.
    pub fn start_script(&self) -> String {
        format!(
            "import init, {{ mount }} from '{}'; requestAnimationFrame(() => setTimeout(() => init({{ module_or_path: '{}' }}).then(() => mount())));",
            self.js, self.wasm
        )
    }
}

/// The nonce of this response's Content-Security-Policy: the server puts it
/// in the request's extensions and hands it to Leptos as its `Nonce`, which
/// the page's inline scripts and Leptos's own carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CspNonce(pub String);

/// The whole document the server sends for a page.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let (page, lang) = request_page();
    let nonce = leptos::nonce::use_nonce().map(|n| n.to_string());
    let assets = use_context::<Assets>().unwrap_or_else(|| {
        let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
        Assets {
            js: format!("{pkg}.js"),
            wasm: format!("{pkg}.wasm"),
            css: format!("{pkg}.css"),
        }
    });
    let css = assets.css.clone();
    let app = page.loads_app(signed_in());
    let script = app.then(|| assets.start_script());
    let hold = app.then_some(crate::early::HOLD_SUBMIT_SCRIPT);
    // The waiting-room display: its own style, and the script that reloads
    // it (see `DisplayPage`).
    let display = matches!(page, Page::Display { .. }).then(|| {
        view! {
            <link rel="stylesheet" href="/layar.css"/>
            <script src="/layar.js" defer></script>
        }
    });
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#0b5f4a"/>
                <title>"Suara"</title>
                <meta name="description" content=crate::text::Msg::Tagline.text(lang)/>
                <link rel="stylesheet" id="leptos" href=css/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                {hold.map(|s| view! { <script nonce=nonce.clone() inner_html=s></script> })}
                {script.map(|s| view! { <script type="module" nonce=nonce.clone() inner_html=s></script> })}
                {display}
                <AutoReload options/>
            </head>
            <body>
                <App page lang/>
            </body>
        </html>
    }
}

/// The page of the request being rendered, and the language its cookie chose.
#[cfg(feature = "ssr")]
fn request_page() -> (Page, Lang) {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return (Page::NotFound, Lang::default());
    };
    let page = Page::parse(parts.uri.path(), parts.uri.query().unwrap_or(""));
    let cookies: Vec<&str> = parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    // A display is set up once and may keep no cookie: its address says.
    if let Page::Display { lang: Some(l), .. } = &page {
        if let Some(lang) = Lang::from_code(l) {
            return (page, lang);
        }
    }
    (page, Lang::from_cookies(&cookies.join("; ")))
}

#[component]
pub fn App(page: Page, lang: Lang) -> impl IntoView {
    LangSignal::provide(lang);
    // The waiting-room display fills the screen: no header, no outbox.
    #[cfg(feature = "ssr")]
    if let Page::Display { code, service, .. } = page {
        return view! {
            <main id="main" class="layar-main">
                <crate::pages::public::DisplayPage code service/>
            </main>
        }
        .into_any();
    }
    let citizen = page.loads_app(signed_in());
    let outbox = OutboxView::provide();
    // The sync client starts once the page is interactive (browser only).
    Effect::new(move |_| {
        #[cfg(feature = "csr")]
        crate::offline::agent::start(outbox);
        #[cfg(not(feature = "csr"))]
        let _ = outbox;
    });
    let frame = view! {
        <a class="skip" href="#main">{tr(Msg::SkipToContent)}</a>
        <header class="top">
            <a href="/" class="brand">"Suara"</a>
            <nav aria-label="Suara">
                <a href="/dashboard">{tr(Msg::Dashboard)}</a>
                <LangSwitch/>
            </nav>
        </header>
        {citizen.then(|| view! { <OutboxStatus/> })}
        <main id="main" tabindex="-1">
            <Content page/>
        </main>
    };
    // The server's two frames are one type; the browser's one frame is
    // not erased (the wasm stays as small as it was).
    #[cfg(feature = "ssr")]
    let frame = frame.into_any();
    frame
}

/// Whether this request carries a staff session (the server only: the
/// browser app runs on pages for those signed out).
fn signed_in() -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::session::request_session_token().is_some()
    }
    #[cfg(not(feature = "ssr"))]
    false
}

/// What the page itself shows.
#[component]
fn Content(page: Page) -> impl IntoView {
    match page {
        Page::Home => view! { <HomePage/> }.into_any(),
        Page::Service { code } => view! { <ServicePage code/> }.into_any(),
        Page::Thanks { code } => view! { <ThanksPage code/> }.into_any(),
        Page::Kiosk { code, interval_ms } => view! { <KioskPage code interval_ms/> }.into_any(),
        Page::Outbox => view! { <OutboxPage/> }.into_any(),
        Page::FileComplaint {
            code,
            error,
            items,
            response,
        } => view! { <FileComplaintPage code error items response/> }.into_any(),
        Page::NotFound => view! { <NotFound/> }.into_any(),
        // Offline, from the worker's shell: this device's complaints.
        #[cfg(not(feature = "ssr"))]
        Page::Complaints { .. } => view! { <MyComplaintsPage/> }.into_any(),
        #[cfg(not(feature = "ssr"))]
        Page::Complaint { code, .. } => view! { <DeviceComplaintPage code/> }.into_any(),
        #[cfg(feature = "ssr")]
        staff => crate::pages::staff::staff(staff),
        // Offline, the worker's shell answers for a staff page too.
        #[cfg(not(feature = "ssr"))]
        _ => view! { <p role="alert">{tr(Msg::NeedsConnection)}</p> }.into_any(),
    }
}

/// Switches between Indonesian and English and remembers the choice.
///
/// A form, so that it works on pages without wasm (the server sets the
/// cookie and sends the browser back); in the browser app it switches in
/// place, with no request, so it works offline too.
#[component]
fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let other = move || match lang.get() {
        Lang::Id => Lang::En,
        Lang::En => Lang::Id,
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        lang.set(other());
    };
    view! {
        <form method="post" action="/lang" class="lang-form" on:submit=on_submit>
            <input type="hidden" name="lang" value=move || other().code()/>
            <button type="submit" class="lang" lang=move || other().code()>
                {tr(Msg::SwitchLanguage)}
            </button>
        </form>
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
            <a href="/">{tr(Msg::BackToServices)}</a>
        </p>
    }
}
