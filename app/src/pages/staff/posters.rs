//! `/posters?unit=CODE` (or `?agency=CODE`): the posters of every service of
//! a unit or agency on one page, to print at once — one A4 page each, or
//! with `layout=sheet` a compact sheet of eight QR codes a page for the
//! counters. With neither, the units the account may choose.

use super::poster::PosterSheet;
use crate::backend::backend;
use crate::model::form::{Poster, PosterSet};
use crate::text::{tr, Msg};
use leptos::prelude::*;

#[component]
pub fn PostersPage(unit: String, agency: String, sheet: bool) -> impl IntoView {
    let given = |s: &String| Some(s.clone()).filter(|s| !s.trim().is_empty());
    let (u, a) = (given(&unit), given(&agency));
    let load = move || {
        let (u, a) = (u.clone(), a.clone());
        async move {
            super::signed_in(|token| async move { backend().posters(&token, u, a).await }).await
        }
    };
    let query = if unit.trim().is_empty() {
        format!("agency={}", urlencode(&agency))
    } else {
        format!("unit={}", urlencode(&unit))
    };
    super::staff_page(
        Msg::PostersTitle,
        load,
        move |set: PosterSet| view! { <Posters set sheet query=query.clone()/> }.into_any(),
        super::refused_with_detail(Msg::PostersTitle, "/posters"),
    )
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A small card of the compact sheet: the QR code, the service, its link.
fn card(p: Poster) -> impl IntoView {
    let label = format!("QR: {}", p.link);
    view! {
        <article class="qr-card">
            <div class="poster-qr" role="img" aria-label=label inner_html=p.qr_svg></div>
            <h2>{p.service_name}</h2>
            <p class="poster-unit">{p.unit_name}</p>
            <p class="poster-link">{p.link}</p>
        </article>
    }
}

#[component]
fn Posters(set: PosterSet, sheet: bool, query: String) -> impl IntoView {
    if set.posters.is_empty() {
        let links = set
            .units
            .into_iter()
            .map(|(code, name)| {
                let href = format!("/posters?unit={}", urlencode(&code));
                view! {
                    <li>
                        <a href=href>{format!("{name} ({code})")}</a>
                    </li>
                }
            })
            .collect_view();
        return view! {
            <h1>{tr(Msg::PostersTitle)}</h1>
            <p>{tr(Msg::PostersChoose)}</p>
            <ul data-figure="poster-units">{links}</ul>
        }
        .into_any();
    }
    let n = set.posters.len();
    let (one, compact) = (
        format!("/posters?{query}"),
        format!("/posters?{query}&layout=sheet"),
    );
    let body = if sheet {
        let cards = set.posters.into_iter().map(card).collect_view();
        view! { <div class="qr-sheet" data-figure="poster-sheet">{cards}</div> }.into_any()
    } else {
        let pages = set
            .posters
            .into_iter()
            .map(|poster| view! { <PosterSheet poster sub=true/> })
            .collect_view();
        view! { <div class="poster-set" data-figure="poster-pages">{pages}</div> }.into_any()
    };
    view! {
        <div class="no-print">
            <h1>{tr(Msg::PostersTitle)} ": " {set.title.clone()}</h1>
            <p>
                {tr(Msg::PostersCount)} ": " <strong data-figure="poster-count">{n}</strong>
            </p>
            <nav aria-label=move || tr(Msg::PostersTitle)()>
                <a href=one aria-current=(!sheet).then_some("page")>{tr(Msg::PostersOnePerPage)}</a>
                " · "
                <a href=compact aria-current=sheet.then_some("page")>{tr(Msg::PostersSheet)}</a>
            </nav>
            <p>
                <button type="button" class="primary" data-print="">
                    {tr(Msg::PrintPosters)}
                </button>
                <script src="/print.js" defer></script>
            </p>
        </div>
        {body}
    }
    .into_any()
}
