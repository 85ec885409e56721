//! What citizens wrote, newest first, filtered by an item's score.

use super::view::{Tab, View};
#[allow(unused_imports)]
use super::{signed, span, two};
use crate::model::figures::CommentView;
use crate::pages::staff::Picker;
use crate::text::{tr, Msg};
use leptos::prelude::*;

/// `2026-11-20 09:15 UTC`.
pub(crate) fn moment(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// What citizens wrote, newest first: a filter by one item's score (a GET
/// form) and pages of 50.
#[component]
pub(super) fn CommentsTab(
    comments: Vec<CommentView>,
    items: Vec<String>,
    view: View,
) -> impl IntoView {
    let chosen = view.item.clone();
    let item_options = items
        .into_iter()
        .map(|code| {
            let is = code == chosen;
            view! { <option value=code.clone() selected=is>{code.clone()}</option> }
        })
        .collect_view();
    let score_options = (1u8..=4)
        .map(|s| view! { <option value=s.to_string() selected=view.score == Some(s)>{s}</option> })
        .collect_view();
    let older = (comments.len() == 50)
        .then(|| comments.last().map(|c| c.answered_at_ms))
        .flatten()
        .map(|ms| {
            let mut href = view.href(Tab::Comments);
            if let (false, Some(s)) = (view.item.is_empty(), view.score) {
                href.push_str(&format!("&item={}&score={s}", view.item));
            }
            href.push_str(&format!("&before={ms}"));
            view! {
                <p>
                    <a href=href>{tr(Msg::OlderComments)}</a>
                </p>
            }
        });
    let list = if comments.is_empty() {
        view! { <p>{tr(Msg::NoComments)}</p> }.into_any()
    } else {
        view! {
            <ol class="comments" data-figure="comments">
                {comments
                    .into_iter()
                    .map(|c| {
                        let scores = c
                            .scores
                            .iter()
                            .map(|(i, s)| format!("{i}: {s}"))
                            .collect::<Vec<_>>()
                            .join(" · ");
                        view! {
                            <li class="comment">
                                <p class="muted">
                                    {c.service_name.clone()} " · "
                                    <time>{c.answered_at.clone()}</time>
                                </p>
                                <blockquote>{c.comment.clone()}</blockquote>
                                <p class="muted scores">{scores}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <form method="get" action="/dashboard" class="pickers">
            <input type="hidden" name="tab" value="comments"/>
            <input type="hidden" name="by" value=view.by/>
            {(!view.scope.is_empty())
                .then(|| view! { <input type="hidden" name="scope" value=view.scope.clone()/> })}
            {(!view.from.is_empty())
                .then(|| view! { <input type="hidden" name="from" value=view.from.clone()/> })}
            {(!view.to.is_empty())
                .then(|| view! { <input type="hidden" name="to" value=view.to.clone()/> })}
            <Picker id="item" label=Msg::Item>
                <option value="" selected=view.item.is_empty()>{tr(Msg::AnyItem)}</option>
                {item_options}
            </Picker>
            <Picker id="score" label=Msg::ScoreLabel>
                <option value="" selected=view.score.is_none()>{tr(Msg::AnyScore)}</option>
                {score_options}
            </Picker>
            <button type="submit">{tr(Msg::Show)}</button>
        </form>
        {list}
        {older}
    }
}
