//! The follow-up plan ("you said, we did") of a unit's publication in
//! force, with the forms that keep it for the unit's head.

use crate::domain::follow_up::FollowUpStatus;
use crate::model::publication::Publication;
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

pub(super) fn status_name(s: FollowUpStatus) -> Msg {
    match s {
        FollowUpStatus::Planned => Msg::StatusPlanned,
        FollowUpStatus::InProgress => Msg::StatusInProgress,
        FollowUpStatus::Done => Msg::StatusDone,
        FollowUpStatus::Dropped => Msg::StatusDropped,
    }
}

/// The follow-up plan of the publication in force: its progress, its
/// actions, and for the unit's head the forms that keep it.
#[component]
pub(super) fn Plan(
    p: Publication,
    unit: String,
    editable: bool,
    notice: Option<String>,
) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let progress = &p.follow_up_progress;
    let summary = format!(
        "{}: {} / {} · {}: {}",
        Msg::FollowUpProgress.text(lang),
        progress.done,
        progress.actions - progress.dropped,
        Msg::FollowUpOverdue.text(lang),
        progress.overdue
    );
    let label = {
        let p = p.clone();
        move |code: &str| p.item_label(code, lang.code())
    };
    let notice = notice.map(|n| {
        if n == "saved" {
            view! { <p role="status" class="notice-ok">{tr(Msg::FollowUpSaved)}</p> }.into_any()
        } else {
            view! { <p role="alert" class="error">{tr(Msg::FollowUpRefused)} ": " {n}</p> }
                .into_any()
        }
    });
    let actions = if p.follow_up.is_empty() {
        view! { <p class="muted">{tr(Msg::FollowUpNone)}</p> }.into_any()
    } else {
        let rows = p
            .follow_up
            .iter()
            .map(|a| {
                let evidence = a
                    .evidence
                    .iter()
                    .enumerate()
                    .map(|(n, url)| {
                        view! { <a href=url.clone()>{tr(Msg::FollowUpEvidence)} " " {n + 1}</a> " " }
                    })
                    .collect_view();
                let reason = a.reason.clone().map(|r| view! { <p class="muted">{r}</p> });
                let form = editable.then(|| {
                    let action = format!("/publik/{unit}/tindak-lanjut/{}", a.id);
                    let id = a.id.to_string();
                    let options = FollowUpStatus::ALL
                        .into_iter()
                        .map(|s| view! { <option value=s.as_str() selected=s == a.status>{tr(status_name(s))}</option> })
                        .collect_view();
                    view! {
                        <form method="post" action=action enctype="multipart/form-data" class="pickers no-print" data-form="follow-up-status">
                            <div class="field">
                                <label for=format!("status-{id}")>{tr(Msg::FollowUpStatus)}</label>
                                <select id=format!("status-{id}") name="status">{options}</select>
                            </div>
                            <div class="field">
                                <label for=format!("reason-{id}")>{tr(Msg::FollowUpReason)}</label>
                                <input id=format!("reason-{id}") name="reason"/>
                            </div>
                            <div class="field">
                                <label for=format!("file-{id}")>{tr(Msg::FollowUpEvidenceFile)}</label>
                                <input id=format!("file-{id}") name="file" type="file" accept="image/jpeg,image/png,image/webp,application/pdf"/>
                            </div>
                            <button type="submit">{tr(Msg::FollowUpSave)}</button>
                        </form>
                    }
                });
                view! {
                    <li class="card" data-status=a.status.as_str() data-overdue=a.overdue.to_string()>
                        <p class="muted">{label(&a.item)}</p>
                        <p><strong>{a.action.clone()}</strong></p>
                        <p>{tr(Msg::FollowUpResponsible)} ": " {a.responsible.clone()} " · " {tr(Msg::FollowUpDue)} ": " {a.due_on.clone()}</p>
                        <p>
                            <strong data-figure="action-status">{tr(status_name(a.status))}</strong>
                            {a.overdue.then(|| view! { " · " <strong class="overdue">{tr(Msg::FollowUpOverdue)}</strong> })}
                        </p>
                        {reason}
                        <p>{evidence}</p>
                        {form}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="complaint-list" data-figure="follow-up">{rows}</ul> }.into_any()
    };
    let add = editable.then(|| {
        let action = format!("/publik/{unit}/tindak-lanjut");
        let items = p
            .summary()
            .map(|s| s.items)
            .unwrap_or_default()
            .into_iter()
            .map(|i| {
                let code = i.code.to_string();
                let name = label(&code);
                view! { <option value=code>{name}</option> }
            })
            .collect_view();
        view! {
            <form method="post" action=action class="card no-print" data-form="follow-up-add">
                <h3>{tr(Msg::FollowUpAdd)}</h3>
                <input type="hidden" name="publication" value=p.id.to_string()/>
                <div class="field">
                    <label for="fu-item">{tr(Msg::FollowUpItem)}</label>
                    <select id="fu-item" name="item">{items}</select>
                </div>
                <div class="field">
                    <label for="fu-action">{tr(Msg::FollowUpAction)}</label>
                    <textarea id="fu-action" name="action" rows="3" required></textarea>
                </div>
                <div class="field">
                    <label for="fu-responsible">{tr(Msg::FollowUpResponsible)}</label>
                    <input id="fu-responsible" name="responsible" required/>
                </div>
                <div class="field">
                    <label for="fu-due">{tr(Msg::FollowUpDue)}</label>
                    <input id="fu-due" name="due_on" type="date" required/>
                </div>
                <button type="submit" class="primary">{tr(Msg::FollowUpAdd)}</button>
            </form>
        }
    });
    view! {
        <section aria-labelledby="follow-up-title" id="follow-up">
            <h2 id="follow-up-title">{tr(Msg::FollowUp)} ": " {p.period.clone()}</h2>
            {notice}
            <p data-figure="follow-up-progress">{summary}</p>
            {actions}
            {add}
        </section>
    }
}
