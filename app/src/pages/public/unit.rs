//! `/publik/{unit}`: what a unit published and how it handles complaints.

use super::index_text;
use super::plan::Plan;
use crate::backend::backend;
use crate::domain::scoring::{Interval, Summary};
use crate::model::publication::{PublicUnit, Publication};
use crate::text::{tr, use_lang, Lang, Msg};
use leptos::prelude::*;

/// The publications table's columns.
const PERIOD_COLUMNS: [Msg; 6] = [
    Msg::ReportPeriod,
    Msg::Grade,
    Msg::PublicIndex,
    Msg::PublicInterval,
    Msg::PublicRespondents,
    Msg::PublicLatest,
];

#[component]
pub fn PublicUnitPage(code: String, published: bool, notice: Option<String>) -> impl IntoView {
    super::with_public_unit(code, move |u| {
        view! { <Unit u published notice=notice.clone()/> }.into_any()
    })
}

pub(super) fn share(x: Option<f64>, lang: Lang) -> String {
    x.map_or_else(
        || "—".to_owned(),
        |x| {
            format!(
                "{}%",
                index_text(x * 100.0, lang)
                    .trim_end_matches("0")
                    .trim_end_matches([',', '.'])
            )
        },
    )
}

fn days(x: Option<f64>, lang: Lang) -> String {
    x.map_or_else(
        || "—".to_owned(),
        |x| {
            index_text(x, lang)
                .trim_end_matches('0')
                .trim_end_matches([',', '.'])
                .to_owned()
        },
    )
}

#[component]
fn Unit(u: PublicUnit, published: bool, notice: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let l = lang.get_untracked();
    let current = u
        .publications
        .iter()
        .find(|p| p.superseded_by.is_none())
        .cloned();
    let (latest, plan) = match current {
        Some(p) => (
            view! { <Latest p=p.clone()/> }.into_any(),
            Some(view! { <Plan p unit=u.unit.code.clone() editable=u.editable notice/> }),
        ),
        None => (
            view! { <p class="notice">{tr(Msg::PublicNotPublished)}</p> }.into_any(),
            None,
        ),
    };
    let history = (!u.publications.is_empty()).then(|| {
        let chart = trend(&u.publications);
        let rows = u
            .publications
            .iter()
            .map(|p| {
                let s = p.summary();
                let index = s.as_ref().and_then(|s| s.index).map(|i| index_text(i, l));
                let interval = s
                    .as_ref()
                    .and_then(|s| s.index_interval)
                    .map(|i| format!("{} – {}", index_text(i.low, l), index_text(i.high, l)));
                let grade = s.as_ref().and_then(|s| s.grade).map(|g| g.letter());
                let n = s.as_ref().map(|s| s.n);
                let status = if p.superseded_by.is_some() {
                    Some(Msg::PublicSuperseded)
                } else if p.supersedes.is_some() {
                    Some(Msg::PublicCorrects)
                } else {
                    None
                };
                view! {
                    <tr data-superseded=p.superseded_by.is_some().to_string()>
                        <th scope="row">{p.period.clone()}</th>
                        <td>{grade}</td>
                        <td>{index}</td>
                        <td>{interval}</td>
                        <td>{n}</td>
                        <td>{p.published_at.get(..10).map(str::to_owned)} {status.map(|m| view! { <br/> <span class="muted">{tr(m)}</span> })}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="periods-title">
                <h2 id="periods-title">{tr(Msg::PublicPeriods)}</h2>
                <div class="trend" aria-hidden="true" inner_html=chart></div>
                <div class="table-wrap" tabindex="0">
                    <table class="report-table" data-figure="publications">
                        <thead>
                            <tr>{PERIOD_COLUMNS.map(|m| view! { <th scope="col">{tr(m)}</th> })}</tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </section>
        }
    });
    let c = u.complaints.clone();
    let figures = [
        (Msg::PublicReceived, c.received.to_string()),
        (
            Msg::PublicVerifiedInTime,
            share(c.verified_in_time_share, l),
        ),
        (
            Msg::PublicAnsweredInTime,
            share(c.answered_in_time_share, l),
        ),
        (
            Msg::PublicDaysToAnswer,
            days(c.median_days_to_first_answer, l),
        ),
        (
            Msg::PublicDaysToResolution,
            days(c.median_days_to_resolution, l),
        ),
        (Msg::PublicConfirmed, share(c.confirmed_share, l)),
        (Msg::PublicReopened, share(c.reopened_share, l)),
    ]
    .into_iter()
    .map(|(m, v)| view! { <div><dt>{tr(m)}</dt><dd>{v}</dd></div> })
    .collect_view();
    let resolved = if u.resolved.is_empty() {
        view! { <p class="muted">{tr(Msg::PublicNoneResolved)}</p> }.into_any()
    } else {
        let items = u
            .resolved
            .iter()
            .map(|r| {
                let evidence = r
                    .evidence
                    .iter()
                    .map(|url| {
                        view! {
                            <a href=url.clone()>
                                <img src=url.clone() alt=tr(Msg::EvidenceFromUnit) loading="lazy" class="attachment"/>
                            </a>
                        }
                    })
                    .collect_view();
                let answer = r.answer.clone().map(|a| {
                    view! {
                        <p class="muted">{tr(Msg::PublicUnitAnswer)} ":"</p>
                        <p class="complaint-text">{a}</p>
                    }
                });
                view! {
                    <li class="card">
                        <p class="muted">{r.service.name.clone()} " · " {r.submitted_at.get(..10).map(str::to_owned)}</p>
                        <p class="complaint-text">{r.text.clone()}</p>
                        {answer}
                        <p class="attachments">{evidence}</p>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="complaint-list" data-figure="resolved">{items}</ul> }.into_any()
    };
    let badge = format!("/publik/{}/badge.svg?lang={}", u.unit.code, l.code());
    let page = backend().public_link(&format!("/publik/{}", u.unit.code));
    let snippet = format!(
        "<a href=\"{page}\"><img src=\"{}\" alt=\"SKM {}\"></a>",
        backend().public_link(&badge),
        u.unit.name
    );
    let json = format!("/api/v1/public/units/{}", u.unit.code);
    let services = u
        .services
        .iter()
        .map(|s| view! { <li><a href=format!("/s/{}", s.code)>{s.name.clone()}</a></li> })
        .collect_view();
    view! {
        <p class="crumbs"><a href="/publik">{tr(Msg::PublicAllUnits)}</a></p>
        <h1>{u.unit.name.clone()}</h1>
        <p class="muted">{u.agency.name.clone()}</p>
        {u.opening_hours.clone().map(|h| view! {
            <p data-figure="opening-hours">{format!("{}: {h}", tr(Msg::PublicOpeningHours)())}</p>
        })}
        {published.then(|| view! { <p role="status" class="notice-ok">{tr(Msg::PublicPublishedDone)}</p> })}
        {latest}
        {plan}
        {history}
        <section id="nilai" aria-labelledby="rate-title" class="no-print">
            <h2 id="rate-title">{tr(Msg::PublicRateTitle)}</h2>
            <p class="muted">{tr(Msg::PublicRateHint)}</p>
            <ul class="rate-services" data-figure="services">{services}</ul>
        </section>
        <section aria-labelledby="complaints-title">
            <h2 id="complaints-title">{tr(Msg::PublicComplaints)}</h2>
            <dl class="facts" data-figure="complaint-figures">{figures}</dl>
        </section>
        <section aria-labelledby="said-title">
            <h2 id="said-title">{tr(Msg::PublicYouSaid)}</h2>
            {resolved}
        </section>
        <section aria-labelledby="badge-title" class="no-print">
            <h2 id="badge-title">{tr(Msg::PublicBadge)}</h2>
            <p><img src=badge alt=format!("SKM {}", u.unit.name) data-figure="badge"/></p>
            <p id="badge-hint" class="muted">{tr(Msg::PublicBadgeHint)}</p>
            <pre class="snippet" aria-describedby="badge-hint"><code>{snippet}</code></pre>
            <p><a href=json>{tr(Msg::PublicOpenData)}</a></p>
        </section>
    }
}

#[component]
fn Latest(p: Publication) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let Some(s): Option<Summary> = p.summary() else {
        return view! { <p class="notice">{tr(Msg::PublicNotPublished)}</p> }.into_any();
    };
    let label = {
        let p = p.clone();
        move |code: &str| p.item_label(code, lang.code())
    };
    let items = s
        .items
        .iter()
        .map(|i| {
            let nrr = i.nrr.map(|x| index_text(x, lang));
            view! { <tr><th scope="row">{label(i.code.as_str())}</th><td>{nrr}</td><td>{i.n}</td></tr> }
        })
        .collect_view();
    let grade = s.grade.map(|g| g.letter());
    let index = s.index.map(|i| index_text(i, lang));
    let interval = s
        .index_interval
        .map(|i| format!("{} – {}", index_text(i.low, lang), index_text(i.high, lang)));
    let page = backend().public_link(&format!("/publik/{}", p.unit.code));
    let command = format!("suara verify-publication {page} --publication {}", p.id);
    let aggregate = p.aggregate.clone().map(|a| {
        view! {
            <div><dt>{tr(Msg::PublicAggregate)}</dt><dd><a href=a.url data-figure="aggregate">"aggregate.json"</a></dd></div>
            <div><dt>{tr(Msg::PublicAggregateSha)}</dt><dd class="hash" data-figure="aggregate-sha256">{a.sha256}</dd></div>
        }
    });
    // What the unit filed with the report: the forum's day, who signed.
    let filed = p.report.as_ref().map(|r| {
        let d = &r.details;
        let fkp = d.fkp_date.clone().map(|f| {
            view! { <div><dt>{tr(Msg::PublicFkp)}</dt><dd data-figure="fkp">{f}</dd></div> }
        });
        let signed = (!d.signatory_name.is_empty()).then(|| {
            view! {
                <div>
                    <dt>{tr(Msg::PublicSignatory)}</dt>
                    <dd data-figure="signatory">{d.signatory_name.clone()} ", " {d.signatory_position.clone()}</dd>
                </div>
            }
        });
        view! { {fkp} {signed} }
    });
    // Too few respondents: the number alone was published (see `withheld`).
    let withheld = (s.index.is_none() && s.n < crate::domain::scoring::breakdown::MIN_CELL)
        .then(|| view! { <p class="notice" data-figure="withheld">{tr(Msg::PublicWithheld)}</p> });
    view! {
        <section aria-labelledby="latest-title" class="card">
            <h2 id="latest-title">{tr(Msg::PublicLatest)} ": " {p.period.clone()}</h2>
            {withheld}
            <p class="big">
                <strong class="grade" data-figure="grade">{grade}</strong>
                " · " <span data-figure="index">{index}</span>
            </p>
            <dl class="facts">
                <div><dt>{tr(Msg::PublicInterval)}</dt><dd>{interval}</dd></div>
                <div><dt>{tr(Msg::PublicRespondents)}</dt><dd data-figure="n">{s.n}</dd></div>
                {filed}
            </dl>
            {s.provisional.then(|| view! { <p class="notice">{tr(Msg::PublicProvisional)}</p> })}
            <div class="table-wrap" tabindex="0">
                <table class="report-table">
                    <caption id="items-caption">{tr(Msg::PublicItems)}</caption>
                    <thead><tr><th scope="col">{tr(Msg::PublicItems)}</th><th scope="col">"NRR"</th><th scope="col">"n"</th></tr></thead>
                    <tbody>{items}</tbody>
                </table>
            </div>
            <h3>{tr(Msg::PublicCheck)}</h3>
            <p class="muted">{tr(Msg::PublicCheckHint)}</p>
            <dl class="facts">
                <div><dt>{tr(Msg::PublicChainSeq)}</dt><dd data-figure="up-to-seq">{p.up_to_seq}</dd></div>
                <div><dt>{tr(Msg::PublicChainHash)}</dt><dd class="hash" data-figure="chain-hash">{p.chain_hash.clone()}</dd></div>
                {aggregate}
            </dl>
            <p id="check-command">{tr(Msg::PublicCheckCommand)} ":"</p>
            <pre class="snippet" aria-labelledby="check-command"><code data-figure="check-command">{command}</code></pre>
        </section>
    }
    .into_any()
}

/// The publications in force, oldest first, as dots with their 95%
/// intervals on the index scale (25–100), inline SVG. Hidden from screen
/// readers: the table under it says the same in words.
fn trend(publications: &[Publication]) -> String {
    let points: Vec<(String, f64, Option<Interval>)> = publications
        .iter()
        .rev()
        .filter(|p| p.superseded_by.is_none())
        .filter_map(|p| {
            let s = p.summary()?;
            Some((p.period.clone(), s.index?, s.index_interval))
        })
        .collect();
    if points.is_empty() {
        return String::new();
    }
    let (w, h, pad) = (320.0, 140.0, 24.0);
    let y = |v: f64| h - pad - (v.clamp(25.0, 100.0) - 25.0) / 75.0 * (h - 2.0 * pad);
    let step = (w - 2.0 * pad) / points.len() as f64;
    let mut svg = format!(
        r##"<svg viewBox="0 0 {w} {h}" width="100%" role="presentation" xmlns="http://www.w3.org/2000/svg"><line x1="{pad}" x2="{x2}" y1="{b}" y2="{b}" stroke="#999"/>"##,
        x2 = w - pad,
        b = y(25.0)
    );
    for (i, (period, index, interval)) in points.iter().enumerate() {
        let x = pad + step * (i as f64 + 0.5);
        if let Some(Interval { low: lo, high: hi }) = interval {
            svg += &format!(
                r##"<line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}" stroke="#0b5f4a" stroke-width="2"/>"##,
                y(*lo),
                y(*hi)
            );
        }
        svg += &format!(
            r##"<circle cx="{x:.1}" cy="{:.1}" r="4" fill="#0b5f4a"/><text x="{x:.1}" y="{:.1}" font-size="10" text-anchor="middle">{period}</text>"##,
            y(*index),
            h - 6.0
        );
    }
    svg + "</svg>"
}
