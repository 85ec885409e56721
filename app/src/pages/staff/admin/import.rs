//! `/admin/katalog/{id}`: what importing an uploaded catalogue file would
//! change — the counts, every change, every refused row with its line, the
//! services the file does not name (kept) — and the button that applies it
//! in one audited transaction, offered only when no row is refused.

use crate::backend::backend;
use crate::domain::catalogue::import::{Change, Reason};
use crate::model::catalogue_import::ImportPreview;
use crate::text::{tr, use_lang, Lang, Msg};
use leptos::prelude::*;

#[component]
pub fn CatalogueImportPage(id: String) -> impl IntoView {
    let load = move || {
        let id = id.clone();
        async move {
            crate::pages::staff::signed_in(|token| async move {
                backend().catalogue_import(&token, &id).await
            })
            .await
        }
    };
    crate::pages::staff::staff_page(
        Msg::ImportTitle,
        load,
        |p: ImportPreview| view! { <Preview p/> }.into_any(),
        crate::pages::staff::refused_with_detail(Msg::ImportTitle, "/admin#import"),
    )
}

/// A change in the page's language.
fn change_text(c: &Change, lang: Lang) -> String {
    let t = |m: Msg| m.text(lang);
    let mut parts: Vec<String> = Vec::new();
    let mut names = |b: (&str, &Option<String>), a: (&str, &Option<String>)| {
        if b.0 != a.0 {
            parts.push(format!(
                "{}: \"{}\" → \"{}\"",
                t(Msg::ImportRenamed),
                b.0,
                a.0
            ));
        }
        if b.1 != a.1 {
            let en = |v: &Option<String>| v.clone().unwrap_or_default();
            parts.push(format!(
                "{}: \"{}\" → \"{}\"",
                t(Msg::ImportEnglishName),
                en(b.1),
                en(a.1)
            ));
        }
    };
    let head = match c {
        Change::AddAgency(a) => {
            return format!("{}: {} — {}", t(Msg::ImportNewAgency), a.code, a.name)
        }
        Change::AddUnit(u) => {
            return format!(
                "{}: {} — {} ({})",
                t(Msg::ImportNewUnit),
                u.code,
                u.name,
                u.agency
            )
        }
        Change::AddService(s) => {
            return format!(
                "{}: {} — {} ({}, {})",
                t(Msg::ImportNewService),
                s.code,
                s.name,
                s.unit,
                s.questionnaire
            )
        }
        Change::ChangeAgency {
            before: b,
            after: a,
        } => {
            names((&b.name, &b.name_en), (&a.name, &a.name_en));
            format!("{} {}", t(Msg::Agency), a.code)
        }
        Change::ChangeUnit {
            before: b,
            after: a,
        } => {
            names((&b.name, &b.name_en), (&a.name, &a.name_en));
            if b.agency != a.agency {
                parts.push(format!(
                    "{}: {} → {}",
                    t(Msg::ImportMoved),
                    b.agency,
                    a.agency
                ));
            }
            if b.yearly_volume != a.yearly_volume {
                let v = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| "—".into());
                parts.push(format!(
                    "{}: {} → {}",
                    t(Msg::ImportVolume),
                    v(b.yearly_volume),
                    v(a.yearly_volume)
                ));
            }
            if b.time_zone != a.time_zone {
                let z = |z: Option<crate::domain::zone::Zone>| z.unwrap_or_default().abbreviation();
                parts.push(format!(
                    "{}: {} → {}",
                    t(Msg::TimeZone),
                    z(b.time_zone),
                    z(a.time_zone)
                ));
            }
            if b.opening_hours != a.opening_hours {
                let h = |h: Option<crate::domain::zone::OpeningHours>| {
                    h.map_or_else(|| "—".to_owned(), |h| h.to_string())
                };
                parts.push(format!(
                    "{}: {} → {}",
                    t(Msg::PublicOpeningHours),
                    h(b.opening_hours),
                    h(a.opening_hours)
                ));
            }
            format!("{} {}", t(Msg::Unit), a.code)
        }
        Change::ChangeService {
            before: b,
            after: a,
        } => {
            names((&b.name, &b.name_en), (&a.name, &a.name_en));
            if b.unit != a.unit {
                parts.push(format!("{}: {} → {}", t(Msg::ImportMoved), b.unit, a.unit));
            }
            if b.questionnaire != a.questionnaire {
                parts.push(format!(
                    "{}: {} → {}",
                    t(Msg::ImportQuestionnaire),
                    b.questionnaire,
                    a.questionnaire
                ));
            }
            format!("{} {}", t(Msg::ImportServices), a.code)
        }
    };
    format!("{head}: {}", parts.join("; "))
}

/// Why a row was refused, in the page's language.
fn reason_text(r: &Reason, lang: Lang) -> String {
    let t = |m: Msg| m.text(lang);
    match r {
        Reason::BadCode { column, value } => {
            format!("{column} \"{value}\" {}", t(Msg::ImportBadCode))
        }
        Reason::EmptyName { column } => format!("{column} {}", t(Msg::ImportEmptyName)),
        Reason::BadVolume(v) => format!("{}: \"{v}\"", t(Msg::ImportBadVolume)),
        Reason::BadTimeZone(z) => format!("{}: \"{z}\"", t(Msg::AdminBadTimeZone)),
        Reason::BadOpeningHours(h) => format!("{}: \"{h}\"", t(Msg::AdminBadOpeningHours)),
        Reason::UnknownQuestionnaire(q) => {
            format!("{}: \"{q}\"", t(Msg::ImportUnknownQuestionnaire))
        }
        Reason::DuplicateService { code, first_line } => {
            format!("{code}: {} {first_line}", t(Msg::ImportDuplicate))
        }
        Reason::AgencyDiffers { code, first_line } => {
            format!("{code}: {} {first_line}", t(Msg::ImportAgencyDiffers))
        }
        Reason::UnitDiffers { code, first_line } => {
            format!("{code}: {} {first_line}", t(Msg::ImportUnitDiffers))
        }
    }
}

#[component]
fn Preview(p: ImportPreview) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let c = p.plan.counts();
    let refused = !p.plan.refused.is_empty();
    let action = format!("/admin/katalog/{}/terapkan", p.id);
    let row = |kind: Msg, new: usize, changed: usize, same: Option<usize>| {
        view! {
            <tr>
                <th scope="row">{tr(kind)}</th>
                <td>{new}</td>
                <td>{changed}</td>
                <td>{same.map_or_else(|| "—".to_owned(), |n| n.to_string())}</td>
            </tr>
        }
    };
    let outcome = if refused {
        let rows = p
            .plan
            .refused
            .iter()
            .map(|r| {
                view! {
                    <tr>
                        <td>{r.line}</td>
                        <td>{reason_text(&r.reason, lang)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section class="card" aria-labelledby="refused-title" data-figure="import-refused">
                <h2 id="refused-title">{tr(Msg::ImportRefused)} {format!(" ({})", c.refused)}</h2>
                <p role="alert" class="error">{tr(Msg::ImportFixRows)}</p>
                <div class="table-wrap" tabindex="0">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">{tr(Msg::ImportLine)}</th>
                                <th scope="col">{tr(Msg::ImportReason)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <p>
                    <a href="/admin#import">{tr(Msg::CatalogueImport)}</a>
                </p>
            </section>
        }
        .into_any()
    } else if p.plan.unchanged() {
        view! {
            <p role="status" class="notice-ok" data-figure="import-unchanged">
                {tr(Msg::ImportNothing)}
            </p>
        }
        .into_any()
    } else {
        let changes = p
            .plan
            .changes
            .iter()
            .map(|ch| view! { <li>{change_text(ch, lang)}</li> })
            .collect_view();
        view! {
            <section class="card" aria-labelledby="changes-title">
                <h2 id="changes-title">{tr(Msg::ImportChanges)}</h2>
                <ul data-figure="import-changes">{changes}</ul>
                <p class="muted">{tr(Msg::ImportOneTransaction)}</p>
                <form method="post" action=action>
                    <button type="submit" class="primary">{tr(Msg::ImportApply)}</button>
                </form>
            </section>
        }
        .into_any()
    };
    let missing = (!p.plan.missing.is_empty()).then(|| {
        let n = p.plan.missing.len();
        let list = p.plan.missing.join(", ");
        view! {
            <details class="card">
                <summary>{tr(Msg::ImportMissing)} {format!(" ({n})")}</summary>
                <p data-figure="import-missing">{list}</p>
            </details>
        }
    });
    view! {
        <h1>{tr(Msg::ImportTitle)}</h1>
        <dl class="facts">
            <div>
                <dt>{tr(Msg::ImportFile)}</dt>
                <dd>{p.file_name.clone()}</dd>
            </div>
            <div>
                <dt>{tr(Msg::ImportUploadedBy)}</dt>
                <dd>{p.uploaded_by.clone()}</dd>
            </div>
            <div>
                <dt>"SHA-256"</dt>
                <dd>
                    <code class="hash">{p.sha256.clone()}</code>
                </dd>
            </div>
            <div>
                <dt>{tr(Msg::ImportRows)}</dt>
                <dd data-figure="import-rows">{c.rows}</dd>
            </div>
        </dl>
        <div class="table-wrap" tabindex="0">
            <table data-figure="import-counts">
                <thead>
                    <tr>
                        <th scope="col">{tr(Msg::ImportKind)}</th>
                        <th scope="col">{tr(Msg::ImportNew)}</th>
                        <th scope="col">{tr(Msg::ImportChanged)}</th>
                        <th scope="col">{tr(Msg::ImportUnchanged)}</th>
                    </tr>
                </thead>
                <tbody>
                    {row(Msg::ImportAgencies, c.agencies_added, c.agencies_changed, None)}
                    {row(Msg::ImportUnits, c.units_added, c.units_changed, None)}
                    {row(
                        Msg::ImportServices,
                        c.services_added,
                        c.services_changed,
                        Some(c.services_unchanged),
                    )}
                </tbody>
            </table>
        </div>
        {outcome}
        {missing}
    }
}
