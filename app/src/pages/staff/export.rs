//! `/export`: what staff download, and how to prove it. A plain GET form to
//! `/api/v1/export` (the browser downloads the file with the session
//! cookie), pinned to the sequence number the page was rendered at, so that
//! the file and its manifest (the second button) describe the same rows.
//! Auditors and administrators also see, and can download, the audit log.

use crate::backend::{backend, BackendError};
use crate::model::export_page::ExportPageData;
use crate::model::outcome::Staff;
use crate::pages::staff::{Field, Picker};
use crate::text::{tr, Msg};
use leptos::prelude::*;

async fn load() -> Result<Staff<ExportPageData>, BackendError> {
    super::signed_in(|token| async move { backend().export_page(&token).await }).await
}

#[component]
pub fn ExportPage() -> impl IntoView {
    super::staff_page(
        Msg::ExportTitle,
        load,
        |data| view! { <Export data/> }.into_any(),
        super::refused_with_detail(Msg::ExportTitle, "/export"),
    )
}

#[component]
fn Export(data: ExportPageData) -> impl IntoView {
    let formats = [
        ("csv", Msg::FormatCsv),
        ("xlsx", Msg::FormatXlsx),
        ("datapackage", Msg::FormatDatapackage),
        ("jsonl", Msg::FormatJsonl),
    ]
    .into_iter()
    .map(|(value, label)| view! { <option value=value>{tr(label)}</option> })
    .collect_view();
    let units = data
        .units
        .iter()
        .map(|(code, name)| {
            view! { <option value=code.clone()>{format!("{name} ({code})")}</option> }
        })
        .collect_view();
    let audit = data.audit.map(|entries| {
        view! {
            <section class="card" aria-labelledby="audit-title">
                <h2 id="audit-title">{tr(Msg::AuditLog)}</h2>
                <p>
                    {tr(Msg::AuditDownload)} ": " {downloads("/api/v1/audit", "suara-audit-log")}
                </p>
                {super::audit_table(entries)}
            </section>
        }
    });
    view! {
        <h1>{tr(Msg::ExportTitle)}</h1>
        <p>
            {tr(Msg::SignedInAs)} " " <strong>{data.email.clone()}</strong> " · "
            <a href="/dashboard">{tr(Msg::Dashboard)}</a>
        </p>
        <p>{tr(Msg::ExportIntro)}</p>
        <p>
            <a href="/reports/skm">{tr(Msg::SkmReportTitle)}</a>
        </p>
        <section class="card" aria-labelledby="download-title">
            <h2 id="download-title">{tr(Msg::Download)}</h2>
            <form method="get" action="/api/v1/export" class="pickers" data-form="export">
                <input type="hidden" name="up_to_seq" value=data.up_to_seq.to_string()/>
                <Picker id="format" label=Msg::ExportFormat>
                    {formats}
                </Picker>
                <Picker id="unit" label=Msg::ExportUnit>
                    <option value="">{tr(Msg::AllUnitsInScope)}</option>
                    {units}
                </Picker>
                <Field id="from" label=Msg::FromDay kind="date" required=false/>
                <Field id="to" label=Msg::ToDay kind="date" required=false/>
                <div class="actions">
                    <button type="submit" class="primary">{tr(Msg::Download)}</button>
                    <button type="submit" formaction="/api/v1/export/manifest">
                        {tr(Msg::DownloadManifest)}
                    </button>
                </div>
            </form>
            <p>
                {tr(Msg::ExportPinned)} " " <strong data-up-to-seq="">{data.up_to_seq}</strong> "."
            </p>
            <p>
                {tr(Msg::ChainHashNow)} ": " <code class="hash" data-chain-hash="">{data.chain_hash}</code>
            </p>
            <p>{tr(Msg::VerifyHow)}</p>
            <pre><code>"suara verify suara-responses.csv --manifest manifest.json"</code></pre>
        </section>
        <section class="card" aria-labelledby="complaints-title">
            <h2 id="complaints-title">{tr(Msg::ComplaintsDownload)}</h2>
            <p>{downloads("/api/v1/complaints/export", "suara-complaints")}</p>
        </section>
        {audit}
    }
}

/// Links to download `path` as CSV and as JSON Lines, named `file`.
fn downloads(path: &'static str, file: &'static str) -> impl IntoView {
    view! {
        <a href=format!("{path}?format=csv") download=format!("{file}.csv") rel="external">
            "CSV"
        </a>
        " · "
        <a href=format!("{path}?format=jsonl") download=format!("{file}.jsonl") rel="external">
            "JSON Lines"
        </a>
    }
}
