//! The overview: pickers, index and grade, the latest period against the
//! one before, the weakest item, alerts; and the tabs.

use super::view::{Tab, View};
use super::{
    comments::CommentsTab, equity::EquityTab, items::ItemsTab, services::ServiceCard,
    trend::TrendTab,
};
#[allow(unused_imports)]
use super::{signed, span, two};
use crate::domain::integrity::{FlagReason, Flagged};
use crate::domain::scoring::{weakest_item, Alert, MIN_ALERT_RESPONSES};
use crate::model::dashboard::Dashboard;
use crate::model::figures::{FlaggedCounts, ScopeChoice, StaffFigures};
use crate::pages::staff::{Field, Picker};
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

#[component]
pub(super) fn Figures(
    figures: StaffFigures,
    view: View,
    services: Option<Dashboard>,
) -> impl IntoView {
    let lang = use_lang();
    let StaffFigures {
        account,
        choices,
        answer,
        comments,
    } = figures;
    let s = answer.summary.clone();
    let labels = answer.questionnaire.items.clone();
    let label_of = move |code: &str| {
        labels
            .iter()
            .find(|i| i.code.as_str() == code)
            .map(|i| {
                lang.get_untracked()
                    .pick(&i.label.id, &i.label.en)
                    .to_owned()
            })
            .unwrap_or_else(|| code.to_owned())
    };
    let scope_name = answer
        .scope
        .name
        .clone()
        .unwrap_or_else(|| Msg::AllMine.text(lang.get_untracked()).to_owned());
    let weakest = weakest_item(&s).map(|i| (label_of(i.code.as_str()), i.nrr.unwrap_or(0.0)));
    let change = answer.change.clone();
    let alerts: Vec<String> = change
        .as_ref()
        .map(|c| {
            c.alerts
                .iter()
                .map(|a| match a {
                    Alert::ItemFell { code, change } => format!(
                        "{}: {} ({})",
                        label_of(code.as_str()),
                        Msg::AlertItemFell.text(lang.get_untracked()),
                        signed(change)
                    ),
                    Alert::GradeChanged { from, to } => format!(
                        "{}: {} → {}",
                        Msg::AlertGrade.text(lang.get_untracked()),
                        from.letter(),
                        to.letter()
                    ),
                })
                .collect()
        })
        .unwrap_or_default();
    let tab_content = match view.tab {
        Tab::Items => {
            view! { <ItemsTab answer=answer.clone() label_of=label_of.clone()/> }.into_any()
        }
        Tab::Trend => {
            view! { <TrendTab series=answer.series.clone().unwrap_or_default()/> }.into_any()
        }
        Tab::Equity => {
            view! { <EquityTab breakdown=answer.breakdown.clone() view=view.clone()/> }.into_any()
        }
        Tab::Comments => view! {
            <CommentsTab
                comments=comments.unwrap_or_default()
                items=answer.questionnaire.items.iter().map(|i| i.code.to_string()).collect()
                view=view.clone()
            />
        }
        .into_any(),
    };
    view! {
        <h1>{tr(Msg::Dashboard)}</h1>
        <div class="account">
            <p>
                {tr(Msg::SignedInAs)} " " <strong>{account.email.clone()}</strong> " ("
                {account.role.clone()} ") · " <a href="/account">{tr(Msg::AccountTitle)}</a>
                " · " <a href="/notifikasi">{tr(Msg::NotificationsTitle)}</a>
                {(account.role != "unit-head").then(|| view! {
                    " · " <a href="/ikhtisar">{tr(Msg::OverviewTitle)}</a>
                })}
            </p>
            <form method="post" action="/logout">
                <button type="submit">{tr(Msg::SignOut)}</button>
            </form>
        </div>
        {services.as_ref().map(|d| view! {
            <p class="complaints-line" id="complaints-line">
                <a href="/pengaduan">{tr(Msg::ComplaintQueue)}</a> ": "
                {tr(Msg::ComplaintsOpen)} " " <strong data-figure="complaints-open">{d.complaints_open.to_string()}</strong>
                " · " {tr(Msg::ComplaintsOverdue)} " "
                <strong data-figure="complaints-overdue" class=(d.complaints_overdue > 0).then_some("overdue")>
                    {d.complaints_overdue.to_string()}
                </strong>
            </p>
        })}
        <Pickers choices view=view.clone()/>
        <p id="live-status" class="muted" role="status" aria-live="polite" data-updated=tr(Msg::LiveUpdated)()></p>
        // Live: `staff.js` swaps this in place when responses arrive.
        <script src="/staff.js" defer></script>
        <div id="figures">
        <section class="card overview" aria-labelledby="overview-title">
            <h2 id="overview-title">{scope_name}</h2>
            <dl class="figures">
                <div>
                    <dt>{tr(Msg::Responses)}</dt>
                    <dd data-figure="scope-responses">{s.n}</dd>
                </div>
                <div>
                    <dt>{tr(Msg::Index)}</dt>
                    <dd data-figure="scope-index">{s.index.map(two).unwrap_or_else(|| "—".into())}</dd>
                </div>
                <div>
                    <dt>{tr(Msg::Interval95)}</dt>
                    <dd>{s.index_interval.map(span).unwrap_or_else(|| "—".into())}</dd>
                </div>
                <div>
                    <dt>{tr(Msg::Grade)}</dt>
                    <dd data-figure="scope-grade">
                        {s.grade.map(|g| g.letter().to_owned()).unwrap_or_else(|| "—".into())}
                    </dd>
                </div>
                <div>
                    <dt>{tr(Msg::SampleTarget)}</dt>
                    <dd>{s.sample_target}</dd>
                </div>
            </dl>
            {s.provisional.then(|| view! { <p class="flag">{tr(Msg::Provisional)}</p> })}
            {s.grade_uncertain.then(|| view! { <p class="flag">{tr(Msg::GradeUncertain)}</p> })}
            <FlaggedLine flagged=answer.flagged.clone() view=view.clone()/>
            {change
                .as_ref()
                .map(|c| {
                    let real = c.index.is_some_and(|d| d.is_real());
                    view! {
                        <p data-figure="change">
                            <strong>{tr(Msg::Change)}</strong>
                            {format!(" {} ", c.period)}
                            {tr(Msg::Versus)}
                            {format!(" {}: ", c.previous)}
                            {c.index.as_ref().map(signed).unwrap_or_else(|| "—".into())}
                            {c
                                .index
                                .is_some()
                                .then(|| {
                                    view! {
                                        " · "
                                        <span data-flag=if real { "change-real" } else { "change-noise" }>
                                            {tr(if real { Msg::ChangeReal } else { Msg::ChangeNoise })}
                                        </span>
                                    }
                                })}
                            {c
                                .so_far
                                .clone()
                                .map(|running| {
                                    view! {
                                        " · " <span data-figure="so-far">{running} " " {tr(Msg::SoFarNote)}</span>
                                    }
                                })}
                        </p>
                    }
                })}
            {weakest
                .map(|(label, nrr)| {
                    view! {
                        <p data-figure="weakest">
                            <strong>{tr(Msg::Weakest)}</strong>
                            {format!(": {label} ({})", two(nrr))}
                        </p>
                    }
                })}
            <h3>{tr(Msg::Alerts)}</h3>
            <p class="muted" data-figure="alerts-rule">
                {tr(Msg::AlertsRuleBefore)} {format!(" {MIN_ALERT_RESPONSES} ")} {tr(Msg::AlertsRuleAfter)}
            </p>
            {if alerts.is_empty() {
                view! { <p>{tr(Msg::NoAlerts)}</p> }.into_any()
            } else {
                view! {
                    <ul class="alerts" data-figure="alerts">
                        {alerts.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
        <nav class="tabs" aria-label=move || tr(Msg::DashboardSections)()>
            {Tab::ALL
                .into_iter()
                .map(|t| {
                    let current = (t == view.tab).then_some("page");
                    view! {
                        <a href=view.href(t) aria-current=current>
                            {tr(t.label())}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
        <section class="tab-panel">{tab_content}</section>
        {services
            .map(|d| {
                view! {
                    <h2>{tr(Msg::Services)}</h2>
                    <p>
                        <a href="/export">{tr(Msg::DataAndProof)}</a>
                        " · "
                        <a href="/posters">{tr(Msg::PostersTitle)}</a>
                    </p>
                    {d
                        .services
                        .into_iter()
                        .map(|s| view! { <ServiceCard summary=s/> })
                        .collect_view()}
                }
            })}
        </div>
    }
}

/// How many responses the integrity monitor flagged, why, and whether the
/// figures count them (by default not), with the way to see the other.
#[component]
fn FlaggedLine(flagged: FlaggedCounts, view: View) -> impl IntoView {
    if flagged.responses == 0 {
        return view! { <p class="muted" data-figure="flagged">{tr(Msg::FlaggedNone)}</p> }
            .into_any();
    }
    let reasons = flagged
        .by_reason
        .iter()
        .filter_map(|(r, n)| FlagReason::parse(r).map(|r| (r, *n)))
        .map(|(r, n)| {
            let label = crate::pages::staff::integrity::reason_label(r);
            view! { <li data-reason=r.as_str()>{tr(label)} ": " {n}</li> }
        })
        .collect_view();
    let (said, other, switch) = match flagged.figures {
        Flagged::Exclude => (
            Msg::FlaggedExcluded,
            Flagged::Include,
            Msg::FlaggedCountThem,
        ),
        Flagged::Include => (Msg::FlaggedIncluded, Flagged::Exclude, Msg::FlaggedLeaveOut),
    };
    view! {
        <div class="flagged" data-figure="flagged">
            <p>
                <strong>{tr(Msg::FlaggedTitle)} ": "</strong>
                <strong data-figure="flagged-responses">{flagged.responses}</strong>
            </p>
            <ul>{reasons}</ul>
            <p data-figure="flagged-mode" data-mode=flagged.figures.as_str()>
                {tr(said)} " " <a href=view.with_flagged(other)>{tr(switch)}</a>
            </p>
            <p>
                <a href=view.review_flagged() data-link="review-flagged">{tr(Msg::IntegrityReview)}</a>
            </p>
        </div>
    }
    .into_any()
}

/// Scope and period: a GET form, so the choice is an address.
#[component]
pub(super) fn Pickers(choices: Vec<ScopeChoice>, view: View) -> impl IntoView {
    let selected = view.scope.clone();
    let option = |c: &ScopeChoice| {
        let value = format!("{}.{}", c.kind, c.code);
        let is = value == selected;
        view! { <option value=value selected=is>{c.name.clone()}</option> }
    };
    // Grouped, for a catalogue of hundreds: the units, then each unit's
    // services under its name.
    let (units, services): (Vec<_>, Vec<_>) =
        choices.into_iter().partition(|c| c.unit_name.is_none());
    let mut by_unit: Vec<(String, Vec<ScopeChoice>)> = Vec::new();
    for s in services {
        let unit = s.unit_name.clone().unwrap_or_default();
        match by_unit.iter_mut().find(|(u, _)| *u == unit) {
            Some((_, list)) => list.push(s),
            None => by_unit.push((unit, vec![s])),
        }
    }
    let unit_label = tr(Msg::Unit)();
    let options = view! {
        <optgroup label=unit_label>{units.iter().map(option).collect_view()}</optgroup>
        {by_unit
            .into_iter()
            .map(|(unit, list)| {
                view! { <optgroup label=unit>{list.iter().map(option).collect_view()}</optgroup> }
            })
            .collect_view()}
    };
    let by = view.by;
    let periods = [
        ("week", Msg::Weekly),
        ("month", Msg::Monthly),
        ("quarter", Msg::Quarterly),
    ]
    .into_iter()
    .map(|(v, m)| view! { <option value=v selected=v == by>{tr(m)}</option> })
    .collect_view();
    view! {
        <form method="get" action="/dashboard" class="pickers">
            <Picker id="scope" label=Msg::ScopeLabel>
                <option value="" selected=view.scope.is_empty()>{tr(Msg::AllMine)}</option>
                {options}
            </Picker>
            <Picker id="by" label=Msg::PeriodLabel>
                {periods}
            </Picker>
            <Field id="from" label=Msg::FromDay kind="date" required=false value=view.from.clone()/>
            <Field id="to" label=Msg::ToDay kind="date" required=false value=view.to.clone()/>
            <input type="hidden" name="tab" value=view.tab.as_str()/>
            {(view.flagged != Flagged::default())
                .then(|| view! { <input type="hidden" name="flagged" value=view.flagged.as_str()/> })}
            <button type="submit">{tr(Msg::Show)}</button>
        </form>
    }
}
