//! `/ikhtisar`: every unit of the regency in one table, for administrators
//! and auditors. Ranked in bands (units whose intervals overlap share one;
//! units with too few responses are not ranked), filterable by agency,
//! sortable, downloadable as CSV.

use crate::backend::backend;
use crate::model::overview::{RegencyOverview, UnitOverview, MIN_RANK_RESPONSES};
use crate::text::{tr, use_lang, Lang, Msg};
use leptos::prelude::*;

#[component]
pub fn OverviewPage(agency: Option<String>, sort: String) -> impl IntoView {
    let load = move || {
        let (agency, sort) = (agency.clone(), sort.clone());
        async move {
            super::signed_in(|token| async move { backend().overview(&token, agency, sort).await })
                .await
        }
    };
    super::staff_page(
        Msg::OverviewTitle,
        load,
        |data| view! { <Overview data/> }.into_any(),
        super::refused_with_detail(Msg::OverviewTitle, "/dashboard"),
    )
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{:.0}%", v * 100.0))
        .unwrap_or_else(|| "—".into())
}

#[component]
fn Overview(data: RegencyOverview) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let agency_options = data
        .agencies
        .iter()
        .map(|a| {
            let on = data.agency.as_deref() == Some(a.code.as_str());
            view! { <option value=a.code.clone() selected=on>{a.name.clone()}</option> }
        })
        .collect_view();
    let sorts = [
        ("band", Msg::SortBand),
        ("responses", Msg::Responses),
        ("overdue", Msg::ComplaintsOverdue),
        ("flagged", Msg::FlaggedShare),
        ("unit", Msg::Unit),
    ]
    .into_iter()
    .map(|(value, label)| {
        let on = value == data.sort;
        view! { <option value=value selected=on>{tr(label)}</option> }
    })
    .collect_view();
    let agency = data.agency.clone().unwrap_or_default();
    let (csv, xlsx) = (
        format!("/ikhtisar.csv?agency={agency}"),
        format!("/ikhtisar.xlsx?agency={agency}"),
    );
    let rows = data
        .rows
        .into_iter()
        .map(|r| view! { <Row r lang/> })
        .collect_view();
    view! {
        <h1>{tr(Msg::OverviewTitle)}</h1>
        <p>
            {tr(Msg::SignedInAs)} " " <strong>{data.email}</strong> " · "
            <a href="/dashboard">{tr(Msg::Dashboard)}</a>
        </p>
        <p class="muted" data-figure="window">
            {tr(Msg::OverviewWindow)} {format!(" {} – {}. ", data.from, data.to)}
            {tr(Msg::OverviewBandsBefore)} {format!(" {MIN_RANK_RESPONSES} ")} {tr(Msg::OverviewBandsAfter)}
        </p>
        <form method="get" action="/ikhtisar" class="pickers no-print">
            <div class="field">
                <label for="agency">{tr(Msg::Agency)}</label>
                <select id="agency" name="agency">
                    <option value="">{tr(Msg::AllAgencies)}</option>
                    {agency_options}
                </select>
            </div>
            <div class="field">
                <label for="sort">{tr(Msg::SortBy)}</label>
                <select id="sort" name="sort">{sorts}</select>
            </div>
            <button type="submit">{tr(Msg::Show)}</button>
        </form>
        <p class="no-print">
            <a href=csv download="ikhtisar.csv">{tr(Msg::DownloadCsv)}</a> " · "
            <a href=xlsx download="ikhtisar.xlsx">{tr(Msg::DownloadXlsx)}</a> " · "
            // The page carries no wasm: `print.js` prints it.
            <button type="button" data-print="">{tr(Msg::PrintPage)}</button>
            <script src="/print.js" defer></script>
        </p>
        {super::data_table(
            Some("overview"),
            &[
                Msg::Unit,
                Msg::Band,
                Msg::Index,
                Msg::Interval95,
                Msg::Grade,
                Msg::Responses,
                Msg::Change,
                Msg::Weakest,
                Msg::ComplaintsReceived,
                Msg::VerifiedInTime,
                Msg::AnsweredInTime,
                Msg::ConfirmedShare,
                Msg::ComplaintsOverdue,
                Msg::FlaggedShare,
                Msg::PublicationInForce,
            ],
            rows,
        )}
    }
}

#[component]
fn Row(r: UnitOverview, lang: Lang) -> impl IntoView {
    let two = |v: f64| format!("{v:.2}");
    let band = r
        .band
        .map(|b| b.to_string())
        .unwrap_or_else(|| Msg::NotRanked.text(lang).to_owned());
    let change = r
        .change
        .map(|(d, real)| {
            let mark = if real { " *" } else { "" };
            format!("{d:+.2}{mark}")
        })
        .unwrap_or_else(|| "—".into());
    let weakest = r
        .weakest
        .map(|(id, en)| lang.pick(&id, &en).to_owned())
        .unwrap_or_else(|| "—".into());
    view! {
        <tr data-unit=r.unit.code.clone()>
            <th scope="row">
                <a href=format!("/dashboard?scope=unit.{}", r.unit.code)>{r.unit.name.clone()}</a>
                <br/>
                <span class="muted">{r.agency.name.clone()}</span>
            </th>
            <td data-figure="band">{band}</td>
            <td data-figure="index">{r.index.map(two).unwrap_or_else(|| "—".into())}</td>
            <td>{r.interval.map(|(l, h)| format!("{} – {}", two(l), two(h))).unwrap_or_else(|| "—".into())}</td>
            <td>{r.grade.unwrap_or_else(|| "—".into())}</td>
            <td data-figure="responses">{format!("{} / {}", r.responses, r.sample_target)}</td>
            <td>{change}</td>
            <td>{weakest}</td>
            <td>{r.complaints_received}</td>
            <td>{pct(r.verified_in_time_share)}</td>
            <td>{pct(r.answered_in_time_share)}</td>
            <td>{pct(r.confirmed_share)}</td>
            <td data-figure="overdue">{r.overdue_now}</td>
            <td>{pct(r.flagged_share)}</td>
            <td>{r.last_publication.unwrap_or_else(|| "—".into())}</td>
        </tr>
    }
}
