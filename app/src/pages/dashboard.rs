//! `/dashboard`: the services an account may see, with count, item means and
//! the index computed by the domain's scoring.

use super::localized;
use crate::backend::{Dashboard, ServiceSummary};
use crate::text::{tr, Msg};
use leptos::prelude::*;

/// The dashboard of the signed-in account; `None` without a valid session.
async fn load() -> Result<Option<Dashboard>, ServerFnError> {
    use crate::backend::ssr::{backend, request_session_token};
    let Some(token) = request_session_token() else {
        return Ok(None);
    };
    backend().dashboard(&token).await.map_err(super::internal)
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                match load().await {
                    Ok(Some(d)) => view! { <DashboardView dashboard=d/> }.into_any(),
                    Ok(None) => {
                        view! {
                            <h1>{tr(Msg::Dashboard)}</h1>
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
fn DashboardView(dashboard: Dashboard) -> impl IntoView {
    view! {
        <h1>{tr(Msg::Dashboard)}</h1>
        <div class="account">
            <p>
                {tr(Msg::SignedInAs)} " " <strong>{dashboard.account.email.clone()}</strong> " ("
                {dashboard.account.role.clone()} ")"
            </p>
            <form method="post" action="/logout">
                <button type="submit">{tr(Msg::SignOut)}</button>
            </form>
        </div>
        <p>
            <a href="/api/v1/export.csv" download="suara-responses.csv" rel="external">
                {tr(Msg::ExportCsv)}
            </a>
        </p>
        {dashboard
            .services
            .into_iter()
            .map(|s| view! { <ServiceCard summary=s/> })
            .collect_view()}
    }
}

#[component]
fn ServiceCard(summary: ServiceSummary) -> impl IntoView {
    let heading_id = format!("svc-{}", summary.code);
    let labelled_by = heading_id.clone();
    let has_data = summary.responses > 0;
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h2 id=heading_id>{summary.name.clone()}</h2>
            <p class="muted">{summary.agency_name.clone()} " · " {summary.unit_name.clone()}</p>
            <dl class="figures">
                <div>
                    <dt>{tr(Msg::Responses)}</dt>
                    <dd data-figure="responses">{summary.responses}</dd>
                </div>
                <div>
                    <dt>{tr(Msg::Index)}</dt>
                    <dd data-figure="index">{summary.index.clone().unwrap_or_else(|| "—".into())}</dd>
                </div>
                <div>
                    <dt>{tr(Msg::Interval95)}</dt>
                    <dd data-figure="index-interval">
                        {summary.index_interval.clone().unwrap_or_else(|| "—".into())}
                    </dd>
                </div>
                <div>
                    <dt>{tr(Msg::Grade)}</dt>
                    <dd data-figure="grade">{summary.grade.clone().unwrap_or_else(|| "—".into())}</dd>
                </div>
                <div>
                    <dt>{tr(Msg::SampleTarget)}</dt>
                    <dd data-figure="sample-target">{summary.sample_target}</dd>
                </div>
            </dl>
            {summary
                .provisional
                .then(|| view! { <p class="flag" data-flag="provisional">{tr(Msg::Provisional)}</p> })}
            {summary
                .grade_uncertain
                .then(|| {
                    view! { <p class="flag" data-flag="grade-uncertain">{tr(Msg::GradeUncertain)}</p> }
                })}
            {if has_data {
                view! {
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{tr(Msg::Item)}</th>
                                <th scope="col">"n"</th>
                                <th scope="col">{tr(Msg::Mean)}</th>
                                <th scope="col">{tr(Msg::Interval95)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {summary
                                .items
                                .into_iter()
                                .map(|i| {
                                    view! {
                                        <tr>
                                            <th scope="row">
                                                {i.code} " " {localized(i.label)}
                                            </th>
                                            <td>{i.n}</td>
                                            <td>{i.mean.unwrap_or_else(|| "—".into())}</td>
                                            <td>{i.interval.unwrap_or_else(|| "—".into())}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
                    .into_any()
            } else {
                view! { <p class="muted">{tr(Msg::NoResponsesYet)}</p> }.into_any()
            }}
        </section>
    }
}
