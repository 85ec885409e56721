//! `/integritas`: the responses the integrity monitor flagged, with why,
//! for a unit (or every unit the account sees) and a period. They are kept,
//! and left out of the figures until an auditor clears them here, saying
//! why they are genuine (in the audit log). A unit head sees them and cannot
//! clear them: a unit's own score is what the flags protect.

use crate::backend::backend;
use crate::domain::integrity::FlagReason;
use crate::model::integrity::{FlaggedResponse, IntegrityPage as Data};
use crate::pages::staff::{Field, Picker};
use crate::text::{tr, Msg};
use leptos::prelude::*;

/// What the dashboard and the page call each reason.
pub fn reason_label(r: FlagReason) -> Msg {
    match r {
        FlagReason::SameDevice => Msg::FlagSameDevice,
        FlagReason::Burst => Msg::FlagBurst,
        FlagReason::ClosedHours => Msg::FlagClosedHours,
        FlagReason::IdenticalRun => Msg::FlagIdenticalRun,
        FlagReason::NoDevice => Msg::FlagNoDevice,
        FlagReason::Backdated => Msg::FlagBackdated,
    }
}

/// Where the page is, as a query (kept across a clearing).
#[derive(Clone, Debug, Default)]
struct Where {
    unit: String,
    from: String,
    to: String,
}

#[component]
pub fn IntegrityPage(
    unit: String,
    from: String,
    to: String,
    notice: Option<String>,
) -> impl IntoView {
    let here = Where { unit, from, to };
    let given = |s: &String| Some(s.clone()).filter(|s| !s.trim().is_empty());
    let (u, f, t) = (given(&here.unit), given(&here.from), given(&here.to));
    let load = move || {
        let (u, f, t) = (u.clone(), f.clone(), t.clone());
        async move {
            super::signed_in(|token| async move { backend().integrity(&token, u, f, t).await })
                .await
        }
    };
    super::staff_page(
        Msg::IntegrityTitle,
        load,
        move |data: Data| {
            view! { <Review data here=here.clone() notice=notice.clone()/> }.into_any()
        },
        super::refused_with_detail(Msg::IntegrityTitle, "/integritas"),
    )
}

/// What the last clearing did: done, or why not.
fn notice_view(notice: Option<String>) -> impl IntoView {
    notice.map(|n| {
        let (class, msg) = match n.as_str() {
            "cleared" => ("notice-ok", Msg::IntegrityCleared),
            "reason-needed" => ("error", Msg::IntegrityReasonNeeded),
            "reason-too-long" => ("error", Msg::IntegrityReasonTooLong),
            "nothing-to-clear" => ("error", Msg::IntegrityNothingToClear),
            "forbidden" => ("error", Msg::IntegrityAuditorOnly),
            _ => ("error", Msg::IntegrityNotCleared),
        };
        let role = if class == "error" { "alert" } else { "status" };
        view! { <p role=role class=class data-notice=n>{tr(msg)}</p> }
    })
}

#[component]
fn Review(data: Data, here: Where, notice: Option<String>) -> impl IntoView {
    let units = data
        .units
        .iter()
        .map(|(code, name)| {
            let chosen = *code == here.unit;
            view! { <option value=code.clone() selected=chosen>{format!("{name} ({code})")}</option> }
        })
        .collect_view();
    let full = data.flagged.len() >= Data::LIMIT;
    let list = if data.flagged.is_empty() {
        view! { <p data-figure="flagged-none">{tr(Msg::IntegrityNone)}</p> }.into_any()
    } else {
        let may_clear = data.may_clear;
        let items = data
            .flagged
            .into_iter()
            .map(|r| view! { <Flagged r may_clear here=here.clone()/> })
            .collect_view();
        view! { <ol class="queue" data-figure="flagged-list">{items}</ol> }.into_any()
    };
    let who = if data.may_clear {
        Msg::IntegrityAuditorMay
    } else {
        Msg::IntegrityAuditorOnly
    };
    view! {
        <h1>{tr(Msg::IntegrityTitle)}</h1>
        <p>
            {tr(Msg::SignedInAs)} " " <strong>{data.email.clone()}</strong> " · "
            <a href="/dashboard">{tr(Msg::Dashboard)}</a>
        </p>
        {notice_view(notice)}
        <p>{tr(Msg::IntegrityIntro)}</p>
        <p data-may-clear=data.may_clear.to_string()>{tr(who)}</p>
        <form method="get" action="/integritas" class="pickers">
            <Picker id="unit" label=Msg::ExportUnit>
                <option value="" selected=here.unit.is_empty()>{tr(Msg::AllUnitsInScope)}</option>
                {units}
            </Picker>
            <Field id="from" label=Msg::FromDay kind="date" required=false value=here.from.clone()/>
            <Field id="to" label=Msg::ToDay kind="date" required=false value=here.to.clone()/>
            <button type="submit">{tr(Msg::Show)}</button>
        </form>
        {full.then(|| view! { <p class="muted">{tr(Msg::IntegrityLimit)}</p> })}
        {list}
    }
}

/// One flagged response: when, where, how it came and why it is flagged;
/// for an auditor, the form that clears it.
#[component]
fn Flagged(r: FlaggedResponse, may_clear: bool, here: Where) -> impl IntoView {
    let reasons = r
        .reasons
        .iter()
        .map(|&x| view! { <li data-reason=x.as_str()>{tr(reason_label(x))}</li> })
        .collect_view();
    let device = r.device_id.clone().map(|d| {
        let short: String = d.chars().take(8).collect();
        view! { " · " {tr(Msg::IntegrityDevice)} " " <code title=d>{short}</code> }
    });
    // In the unit's own time, with its zone's name.
    let answered = crate::domain::zone::Zone::parse(&r.time_zone)
        .unwrap_or_default()
        .show_rfc3339(&r.answered_at);
    let what = format!("flagged-{}", r.id);
    let form = may_clear.then(|| {
        let field = format!("reason-{}", r.id);
        view! {
            <form method="post" action=format!("/integritas/{}/clear", r.id) class="clear-flags">
                <input type="hidden" name="unit" value=here.unit.clone()/>
                <input type="hidden" name="from" value=here.from.clone()/>
                <input type="hidden" name="to" value=here.to.clone()/>
                <label for=field.clone()>{tr(Msg::IntegrityReasonLabel)}</label>
                <textarea id=field name="reason" required maxlength="500" rows="2"></textarea>
                <button type="submit" aria-describedby=what.clone()>{tr(Msg::IntegrityClear)}</button>
            </form>
        }
    });
    view! {
        <li data-response=r.id.clone()>
            <p id=what.clone()>
                <strong data-figure="answered">{answered}</strong> " · " {r.unit_code.clone()} " · "
                {r.service_code.clone()}
            </p>
            <p class="muted">{r.channel.clone()} {device} " · #" {r.seq}</p>
            <ul class="reasons">{reasons}</ul>
            {form}
        </li>
    }
}
