//! The public pages: `/publik` (every unit with its latest published grade)
//! and `/publik/{unit}` (its published periods, how it handles complaints,
//! "you said, we did", its badge). No sign-in; server-rendered HTML that
//! loads no wasm, printable, in both languages.

mod display;
mod plan;
mod unit;

pub use display::DisplayPage;
pub use unit::PublicUnitPage;

use crate::backend::backend;
use crate::model::publication::{PublicUnit, PublicUnitLine};
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

/// An index as people read it: two decimals, a decimal comma in Indonesian.
pub fn index_text(x: f64, lang: crate::text::Lang) -> String {
    let s = format!("{x:.2}");
    match lang {
        crate::text::Lang::Id => s.replace('.', ","),
        crate::text::Lang::En => s,
    }
}

/// Unit `code`'s public data, shown by `show`: the page of a missing
/// service (and a 404) for a unit nobody has, a note when it cannot load.
fn with_public_unit(
    code: String,
    show: impl Fn(PublicUnit) -> AnyView + Clone + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {
                let (code, show) = (code.clone(), show.clone());
                Suspend::new(async move {
                    let session = crate::session::request_session_token();
                    match backend().public_unit(session, &code).await {
                        Ok(Some(u)) => show(u),
                        Ok(None) => {
                            if let Some(r) = use_context::<leptos_axum::ResponseOptions>() {
                                r.set_status(http::StatusCode::NOT_FOUND);
                            }
                            view! { <crate::pages::ServiceMissing/> }.into_any()
                        }
                        Err(e) => {
                            e.log();
                            view! { <p role="alert">{tr(Msg::LoadFailed)}</p> }.into_any()
                        }
                    }
                })
            }
        </Suspense>
    }
}

#[component]
pub fn PublicPage(q: String) -> impl IntoView {
    view! {
        <h1>{tr(Msg::PublicTitle)}</h1>
        <p>{tr(Msg::PublicIntro)}</p>
        <p class="muted">{tr(Msg::PublicBands)}</p>
        <form method="get" action="/publik" class="pickers" role="search">
            <div class="field">
                <label for="q">{tr(Msg::PublicSearch)}</label>
                <input id="q" name="q" type="search" value=q.clone()/>
            </div>
        </form>
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {
                let q = q.clone();
                Suspend::new(async move {
                    match backend().public_units().await {
                        Ok(lines) => view! { <UnitList lines q/> }.into_any(),
                        Err(e) => {
                            e.log();
                            view! { <p role="alert">{tr(Msg::LoadFailed)}</p> }.into_any()
                        }
                    }
                })
            }
        </Suspense>
    }
}

#[component]
fn UnitList(lines: Vec<PublicUnitLine>, q: String) -> impl IntoView {
    let lang = use_lang();
    let q = q.trim().to_lowercase();
    let rows = lines
        .into_iter()
        .filter(|l| {
            q.is_empty()
                || [&l.unit.name, &l.unit.code, &l.agency.name]
                    .iter()
                    .any(|s| s.to_lowercase().contains(&q))
        })
        .map(|l| {
            let href = format!("/publik/{}", l.unit.code);
            let (band, n, interval) = (l.band, l.respondents, l.interval);
            let latest = match (l.grade.clone(), l.index, l.period.clone()) {
                (Some(g), Some(i), Some(p)) => view! {
                    <p>
                        <strong class="grade" data-figure="grade">{g}</strong>
                        " · " {move || index_text(i, lang.get())} " · " {p}
                    </p>
                    <p class="muted" data-figure="published-band">
                        {tr(Msg::Band)} " "
                        {move || band.map_or_else(|| tr(Msg::NotRanked)().to_owned(), |b| b.to_string())}
                        {move || {
                            let l = lang.get();
                            interval
                                .map(|(lo, hi)| {
                                    format!(" · {} {}–{}", tr(Msg::PublicInterval)(), index_text(lo, l), index_text(hi, l))
                                })
                                .unwrap_or_default()
                        }}
                        {n.map(|n| format!(" · {} {n}", tr(Msg::PublicRespondents)()))}
                    </p>
                }
                .into_any(),
                _ => view! { <p class="muted">{tr(Msg::PublicNotPublished)}</p> }.into_any(),
            };
            let c = l.complaints.clone();
            let complaints = (c.received > 0).then(|| {
                view! {
                    <p class="muted" data-figure="published-complaints">
                        {move || {
                            let l = lang.get();
                            format!(
                                "{}: {} {} · {} {} · {} {} · {} {}",
                                tr(Msg::PublicComplaints)(),
                                tr(Msg::PublicReceived)(),
                                c.received,
                                tr(Msg::PublicVerifiedInTime)(),
                                unit::share(c.verified_in_time_share, l),
                                tr(Msg::PublicAnsweredInTime)(),
                                unit::share(c.answered_in_time_share, l),
                                tr(Msg::PublicConfirmed)(),
                                unit::share(c.confirmed_share, l),
                            )
                        }}
                    </p>
                }
            });
            view! {
                <li data-unit=l.unit.code.clone() data-band=band.map(|b| b.to_string())>
                    <p>
                        <a href=href>
                            <strong>{l.unit.name.clone()}</strong>
                        </a>
                    </p>
                    <p class="muted">{l.agency.name.clone()}</p>
                    {latest}
                    {complaints}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="queue public-units">{rows}</ul> }
}
