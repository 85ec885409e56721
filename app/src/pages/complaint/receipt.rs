//! The receipt of a complaint: its tracking code large and copyable, a QR
//! code of its tracking link, printable; on the device that filed it, also
//! whether it has reached the unit yet.

use crate::offline::complaints::ComplaintRecord;
use crate::offline::use_outbox_view;
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

/// The tracking link of `code` on this site, as the browser sees the site,
/// with the citizen's `key` after `#` when known.
pub fn tracking_link(code: &str, key: Option<&str>) -> String {
    #[cfg(feature = "csr")]
    let origin = window().location().origin().unwrap_or_default();
    #[cfg(not(feature = "csr"))]
    let origin = String::new();
    let fragment = key
        .map(crate::domain::complaint::key::fragment)
        .unwrap_or_default();
    format!("{origin}/pengaduan/{code}{fragment}")
}

/// A receipt for `code`. `link` is its tracking link, `qr` that link's QR
/// code (SVG); `id`, the complaint's id when this device filed it: the
/// receipt then follows the device's record (sent yet, a new code).
#[component]
pub fn Receipt(
    code: String,
    link: String,
    qr: Option<String>,
    #[prop(optional)] id: Option<String>,
    /// The citizen's key, when the page knows it (the plain form's receipt).
    #[prop(optional)]
    key: Option<String>,
) -> impl IntoView {
    let outbox = use_outbox_view();
    let lang = use_lang();
    let record = {
        let id = id.clone();
        move || -> Option<ComplaintRecord> {
            let id = id.as_ref()?;
            outbox
                .complaints
                .with(|c| c.as_ref()?.iter().find(|r| &r.id == id).cloned())
        }
    };
    // The code the server knows it by (a new one if the first was taken).
    let current = {
        let record = record.clone();
        let code = code.clone();
        move || record().map_or_else(|| code.clone(), |r| r.code)
    };
    // The key: the device's record holds it; else the one given.
    let key = {
        let record = record.clone();
        move || record().and_then(|r| r.key).or_else(|| key.clone())
    };
    let changed = {
        let record = record.clone();
        move || record().is_some_and(|r| r.first_code.is_some())
    };
    let status = {
        let on_device = id.is_some();
        move || {
            let l = lang.get();
            match record() {
                Some(r) if r.is_refused() => format!(
                    "{} {}",
                    Msg::ComplaintNotKept.text(l),
                    r.reason.unwrap_or_default()
                ),
                Some(r) if r.delivered => Msg::ComplaintDelivered.text(l).to_owned(),
                _ if on_device => Msg::ComplaintOnDevice.text(l).to_owned(),
                _ => Msg::ComplaintReceipt.text(l).to_owned(),
            }
        }
    };
    // Copy and print need the browser app: shown once it runs.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let copied = RwSignal::new(false);
    let copy = {
        let current = current.clone();
        move |_| {
            #[cfg(feature = "csr")]
            {
                let code = current();
                let clipboard = window().navigator().clipboard();
                let _ = clipboard.write_text(&code);
                copied.set(true);
            }
            #[cfg(not(feature = "csr"))]
            let _ = &current;
        }
    };
    let print = move |_| {
        #[cfg(feature = "csr")]
        let _ = window().print();
    };
    // On the filing device, the QR follows the current code.
    let qr_view = {
        let current = current.clone();
        let key = key.clone();
        let on_device = id.is_some();
        move || {
            let (link, svg) = if on_device {
                let link = tracking_link(&current(), key().as_deref());
                let svg = crate::qr::svg(&link);
                (link, svg)
            } else {
                (link.clone(), qr.clone())
            };
            svg.map(|svg| {
                view! {
                    <figure class="receipt-qr">
                        <div role="img" aria-label=tr(Msg::ComplaintReceiptQr) inner_html=svg></div>
                        <figcaption class="muted">{link}</figcaption>
                    </figure>
                }
            })
        }
    };
    let track = {
        let current = current.clone();
        move || {
            let fragment = key()
                .map(|k| crate::domain::complaint::key::fragment(&k))
                .unwrap_or_default();
            format!("/pengaduan/{}{fragment}", current())
        }
    };
    view! {
        <section class="card receipt" aria-labelledby="receipt-title" data-figure="receipt">
            <h2 id="receipt-title" tabindex="-1">{tr(Msg::ComplaintCode)}</h2>
            <p role="status" data-figure="receipt-status">{status}</p>
            <p class="receipt-code tracking-code" data-figure="receipt-code">{current}</p>
            <Show when=changed>
                <p class="notice">{tr(Msg::ComplaintCodeChanged)}</p>
            </Show>
            <Show when=move || ready.get()>
                <p class="receipt-actions">
                    <button type="button" on:click=copy.clone()>{tr(Msg::ReceiptCopy)}</button>
                    " "
                    <button type="button" on:click=print>{tr(Msg::ReceiptPrint)}</button>
                    " "
                    <span role="status">
                        {move || copied.get().then(|| Msg::ReceiptCopied.text(lang.get()))}
                    </span>
                </p>
            </Show>
            {qr_view}
            <p>
                <a href=track>{tr(Msg::ReceiptTrack)}</a>
            </p>
        </section>
    }
}
