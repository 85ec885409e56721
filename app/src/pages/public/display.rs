//! `/layar/{unit}`: the unit's waiting-room display. Full screen, large
//! type, what the unit published and what it did about what people said,
//! and the QR code to rate — nothing that is not public already. No wasm:
//! a cheap TV's browser runs one small script (`public/layar.js`) that
//! reloads the page when the unit's public live feed says it changed, and
//! every 30 minutes in any case.

use super::index_text;
use super::plan::status_name;
use crate::backend::backend;
use crate::domain::follow_up::FollowUpStatus;
use crate::model::complaint::NamedRef;
use crate::model::publication::PublicUnit;
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

/// Resolved complaints and follow-up actions shown at most: what a person
/// in a queue reads at a glance.
const SAID_SHOWN: usize = 3;
const DONE_SHOWN: usize = 4;

/// The longest complaint or answer shown, in characters.
const TEXT_SHOWN: usize = 160;

#[component]
pub fn DisplayPage(code: String, service: Option<String>) -> impl IntoView {
    super::with_public_unit(code, move |u| {
        view! { <Display u service=service.clone()/> }.into_any()
    })
}

/// Where the QR code leads: the service asked for (`?layanan=`), the unit's
/// only service, or the list of its services on its public page.
pub fn rating_path(unit: &str, services: &[NamedRef], asked: Option<&str>) -> String {
    let chosen = asked.and_then(|a| services.iter().find(|s| s.code == a));
    match (chosen, services) {
        (Some(s), _) | (None, [s]) => format!("/s/{}", s.code),
        _ => format!("/publik/{unit}#nilai"),
    }
}

/// At most `max` characters of `text`, with an ellipsis where it was cut.
fn clip(text: &str, max: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        format!("{}…", head.trim_end())
    } else {
        head
    }
}

#[component]
fn Display(u: PublicUnit, service: Option<String>) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let current = u
        .publications
        .iter()
        .find(|p| p.superseded_by.is_none())
        .cloned();
    let link = backend().public_link(&rating_path(&u.unit.code, &u.services, service.as_deref()));
    let qr = crate::qr::svg(&link).unwrap_or_default();
    let figures = current.as_ref().and_then(|p| Some((p, p.summary()?)));
    let results = match figures {
        Some((p, s)) if s.index.is_some() => {
            let bars = s
                .items
                .iter()
                .filter_map(|i| Some((i, i.nrr?)))
                .map(|(i, nrr)| {
                    // NRR runs from 1 to 4; a drawn bar, as the policy
                    // allows no style attributes.
                    let width = format!("{:.1}", ((nrr - 1.0) / 3.0 * 100.0).clamp(0.0, 100.0));
                    view! {
                        <li>
                            <span class="layar-label">{p.item_label(i.code.as_str(), lang.code())}</span>
                            <svg class="layar-bar" aria-hidden="true" viewBox="0 0 100 10" preserveAspectRatio="none">
                                <rect width="100" height="10" class="layar-track"/>
                                <rect width=width height="10" class="layar-fill"/>
                            </svg>
                            <span class="layar-nrr">{index_text(nrr, lang)}</span>
                        </li>
                    }
                })
                .collect_view();
            let interval = s.index_interval.map(|i| {
                format!("{} – {}", index_text(i.low, lang), index_text(i.high, lang))
            });
            view! {
                <section class="layar-results" aria-labelledby="layar-results-title">
                    <h2 id="layar-results-title">{tr(Msg::DisplayResults)} " " {p.period.clone()}</h2>
                    <p class="layar-grade">
                        <strong data-figure="grade">{s.grade.map(|g| g.letter())}</strong>
                        <span data-figure="index">{s.index.map(|i| index_text(i, lang))}</span>
                    </p>
                    <p class="layar-muted">
                        {tr(Msg::PublicInterval)} " " {interval} " · "
                        <span data-figure="n">{s.n}</span> " " {tr(Msg::DisplayRespondents)}
                    </p>
                    <ul class="layar-items">{bars}</ul>
                </section>
            }
            .into_any()
        }
        // Published, but too few respondents for an index: the count alone.
        Some((p, s)) => view! {
            <section class="layar-results" aria-labelledby="layar-results-title">
                <h2 id="layar-results-title">{tr(Msg::DisplayResults)} " " {p.period.clone()}</h2>
                <p class="layar-big"><span data-figure="n">{s.n}</span> " " {tr(Msg::DisplayRespondents)}</p>
                <p class="layar-muted">{tr(Msg::PublicWithheld)}</p>
            </section>
        }
        .into_any(),
        None => view! {
            <section class="layar-results">
                <p class="layar-big">{tr(Msg::PublicNotPublished)}</p>
            </section>
        }
        .into_any(),
    };
    let done: Vec<_> = current
        .as_ref()
        .map(|p| {
            p.follow_up
                .iter()
                .filter(|a| matches!(a.status, FollowUpStatus::Done | FollowUpStatus::InProgress))
                .take(DONE_SHOWN)
                .map(|a| {
                    let item = p.item_label(&a.item, lang.code());
                    view! {
                        <li data-figure="action">
                            <strong>{tr(status_name(a.status))}</strong> " · " {item} ": "
                            {clip(&a.action, TEXT_SHOWN)}
                        </li>
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let said: Vec<_> = u
        .resolved
        .iter()
        .take(SAID_SHOWN)
        .map(|r| {
            let answer = r.answer.as_deref().map(|a| {
                view! { <p class="layar-answer">{tr(Msg::PublicUnitAnswer)} ": " {clip(a, TEXT_SHOWN)}</p> }
            });
            view! {
                <li data-figure="resolved">
                    <p>"“" {clip(&r.text, TEXT_SHOWN)} "”"</p>
                    {answer}
                </li>
            }
        })
        .collect();
    let acted = if done.is_empty() && said.is_empty() {
        view! { <p class="layar-muted">{tr(Msg::PublicNoneResolved)}</p> }.into_any()
    } else {
        view! {
            <ul class="layar-actions">{done}</ul>
            <ul class="layar-said">{said}</ul>
        }
        .into_any()
    };
    let feed = format!("/api/v1/public/units/{}/events", u.unit.code);
    view! {
        <div class="layar" data-feed=feed>
            <header class="layar-head">
                <h1>{u.unit.name.clone()}</h1>
                <p class="layar-muted">{u.agency.name.clone()}</p>
            </header>
            {results}
            <section class="layar-acted" aria-labelledby="layar-acted-title">
                <h2 id="layar-acted-title">{tr(Msg::PublicYouSaid)}</h2>
                {acted}
            </section>
            <aside class="layar-qr" aria-labelledby="layar-qr-title">
                <h2 id="layar-qr-title">{tr(Msg::DisplayRate)}</h2>
                <div class="layar-code" data-figure="qr" data-link=link.clone() inner_html=qr></div>
                <p class="layar-link">{link_text(&link)}</p>
                <p class="layar-muted">{tr(Msg::DisplayAnonymous)}</p>
            </aside>
        </div>
    }
}

/// The link as a person types it: without `https://`.
fn link_text(link: &str) -> String {
    link.trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(code: &str) -> NamedRef {
        NamedRef {
            code: code.into(),
            name: code.into(),
        }
    }

    #[test]
    fn the_code_leads_to_the_service_asked_for_the_only_one_or_the_list() {
        let two = [named("ktp"), named("kk")];
        assert_eq!(rating_path("dukcapil", &two, Some("kk")), "/s/kk");
        assert_eq!(
            rating_path("dukcapil", &two, None),
            "/publik/dukcapil#nilai"
        );
        // A service of another unit is not offered.
        assert_eq!(
            rating_path("dukcapil", &two, Some("sim")),
            "/publik/dukcapil#nilai"
        );
        assert_eq!(rating_path("dukcapil", &two[..1], None), "/s/ktp");
    }

    #[test]
    fn long_text_is_cut_on_a_character_with_an_ellipsis() {
        assert_eq!(clip("pendek", 10), "pendek");
        assert_eq!(clip("ééééé", 3), "ééé…");
    }
}
