//! `/export`: what staff download, and how to prove it. A plain GET form to
//! `/api/v1/export` (the browser downloads the file with the session
//! cookie), pinned to the sequence number the page was rendered at, so that
//! the file and its manifest (the second button) describe the same rows.
//! Auditors and administrators also see, and can download, the audit log.

use crate::admin::{ExportOutcome, ExportPageData};
use crate::text::{tr, Msg};
use leptos::prelude::*;

async fn load() -> Result<ExportOutcome, ServerFnError> {
    use crate::backend::ssr::{backend, request_session_token};
    let Some(token) = request_session_token() else {
        return Ok(ExportOutcome::SignedOut);
    };
    backend().export_page(&token).await.map_err(super::internal)
}

#[component]
pub fn ExportPage() -> impl IntoView {
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                match load().await {
                    Ok(ExportOutcome::Ready(data)) => view! { <Export data=*data/> }.into_any(),
                    Ok(ExportOutcome::SignedOut) => {
                        view! {
                            <h1>{tr(Msg::ExportTitle)}</h1>
                            <p>
                                <a href="/login">{tr(Msg::SignIn)}</a>
                            </p>
                        }
                            .into_any()
                    }
                    Err(_) => view! { <p role="alert">{tr(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Export(data: ExportPageData) -> impl IntoView {
    let formats = [
        ("csv", Msg::FormatCsv),
        ("xlsx", Msg::FormatXlsx),
        ("datapackage", Msg::FormatDataPackage),
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
                    {tr(Msg::AuditDownload)} ": "
                    <a href="/api/v1/audit?format=csv" download="suara-audit-log.csv" rel="external">
                        "CSV"
                    </a> " · "
                    <a href="/api/v1/audit?format=jsonl" download="suara-audit-log.jsonl" rel="external">
                        "JSON Lines"
                    </a>
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
                <div class="field">
                    <label for="format">{tr(Msg::ExportFormat)}</label>
                    <select id="format" name="format">{formats}</select>
                </div>
                <div class="field">
                    <label for="unit">{tr(Msg::ExportUnit)}</label>
                    <select id="unit" name="unit">
                        <option value="">{tr(Msg::AllUnitsInScope)}</option>
                        {units}
                    </select>
                </div>
                <div class="field">
                    <label for="from">{tr(Msg::FromDay)}</label>
                    <input id="from" name="from" type="date"/>
                </div>
                <div class="field">
                    <label for="to">{tr(Msg::ToDay)}</label>
                    <input id="to" name="to" type="date"/>
                </div>
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
        {audit}
    }
}
