//! The page's side of the service worker (`/sw.js`): registration, and the
//! "new version" prompt. A new worker installs in the background and waits;
//! the page shows the prompt, and only on the citizen's consent asks the
//! worker to take over and reloads.

use super::OutboxView;
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ServiceWorkerRegistration, ServiceWorkerState};

thread_local! {
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
}

/// Registers `/sw.js` with root scope and watches for new versions.
pub fn register(view: OutboxView) {
    let navigator = window().navigator();
    // Service workers exist only in secure contexts (https, or localhost).
    if js_sys::Reflect::get(&navigator, &"serviceWorker".into())
        .map(|v| v.is_undefined())
        .unwrap_or(true)
    {
        return;
    }
    let container = navigator.service_worker();
    leptos::task::spawn_local(async move {
        let promise = container.register("/sw.js");
        let Ok(reg) = wasm_bindgen_futures::JsFuture::from(promise).await else {
            leptos::logging::warn!("service worker registration failed");
            return;
        };
        let reg: ServiceWorkerRegistration = reg.unchecked_into();
        // A worker already waiting from an earlier visit.
        if reg.waiting().is_some() && has_controller() {
            view.update_ready.set(true);
        }
        // An update may already be installing (the browser checks on every
        // navigation), or may start later.
        if let Some(installing) = reg.installing() {
            watch(installing, view);
        }
        let watched = reg.clone();
        let on_update = Closure::<dyn Fn()>::new(move || {
            if let Some(installing) = watched.installing() {
                watch(installing, view);
            }
        });
        reg.set_onupdatefound(Some(on_update.as_ref().unchecked_ref()));
        on_update.forget();
        REGISTRATION.with_borrow_mut(|r| *r = Some(reg));
    });
}

/// Shows the prompt once `installing` is installed and waits to replace the
/// worker in charge. With no worker in charge this is the first install:
/// nothing to replace, no prompt.
fn watch(installing: web_sys::ServiceWorker, view: OutboxView) {
    let worker = installing.clone();
    let on_state = Closure::<dyn Fn()>::new(move || {
        if worker.state() == ServiceWorkerState::Installed && has_controller() {
            view.update_ready.set(true);
        }
    });
    installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
    on_state.forget();
}

fn has_controller() -> bool {
    window().navigator().service_worker().controller().is_some()
}

/// Asks the browser to look for a new `/sw.js` (it also does on navigation).
pub fn check_for_update() {
    REGISTRATION.with_borrow(|r| {
        if let Some(reg) = r {
            let _ = reg.update();
        }
    });
}

/// The citizen agreed: let the waiting worker take over, then reload.
pub fn apply_update() {
    let container = window().navigator().service_worker();
    let reload = Closure::<dyn Fn()>::new(|| {
        let _ = window().location().reload();
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();
    let waiting = REGISTRATION.with_borrow(|r| r.as_ref().and_then(|reg| reg.waiting()));
    match waiting {
        Some(worker) => {
            let _ = worker.post_message(&JsValue::from_str("skip-waiting"));
        }
        None => {
            let _ = window().location().reload();
        }
    }
}
