//! The first dashboard's card of one service.

#[allow(unused_imports)]
use super::{signed, span, two};
use crate::model::dashboard::ServiceSummary;
use crate::pages::localized;
use crate::text::{tr, Msg};
use leptos::prelude::*;

#[component]
pub(super) fn ServiceCard(summary: ServiceSummary) -> impl IntoView {
    let heading_id = format!("svc-{}", summary.code);
    let unit_id = format!("svc-{}-unit", summary.code);
    // Two services may share a name (in different units): the unit tells
    // their regions apart.
    let labelled_by = format!("{heading_id} {unit_id}");
    let has_data = summary.responses > 0;
    let detail = format!("/dashboard?scope=service.{}", summary.code);
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h3 id=heading_id>
                <a href=detail>{summary.name.clone()}</a>
            </h3>
            <p class="muted" id=unit_id>
                {summary.agency_name.clone()} " · " {summary.unit_name.clone()}
            </p>
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
                    <details>
                        <summary>{tr(Msg::TabItems)}</summary>
                        {crate::pages::staff::data_table(None, &[Msg::Item, Msg::CountN, Msg::Mean, Msg::Interval95], summary
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
                                        .collect_view())}
                    </details>
                }
                    .into_any()
            } else {
                view! { <p class="muted">{tr(Msg::NoResponsesYet)}</p> }.into_any()
            }}
        </section>
    }
}
