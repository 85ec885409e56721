//! Per item: means, intervals and the 1–4 distribution as stacked bars.

#[allow(unused_imports)]
use super::{signed, span, two};
use crate::text::Msg;
use leptos::prelude::*;

#[component]
pub(super) fn ItemsTab(
    answer: crate::model::figures::SummaryAnswer,
    label_of: impl Fn(&str) -> String + 'static,
) -> impl IntoView {
    let rows = answer
        .summary
        .items
        .into_iter()
        .map(|i| {
            let label = label_of(i.code.as_str());
            let total: u64 = i.distribution.iter().sum();
            let bar = (total > 0).then(|| stacked_bar(&i.distribution, total));
            let words = format!(
                "1: {} · 2: {} · 3: {} · 4: {}",
                i.distribution[0], i.distribution[1], i.distribution[2], i.distribution[3]
            );
            view! {
                <tr data-item=i.code.to_string()>
                    <th scope="row">{label}</th>
                    <td>{i.n}</td>
                    <td>{i.nrr.map(two).unwrap_or_else(|| "—".into())}</td>
                    <td>{i.interval.map(span).unwrap_or_else(|| "—".into())}</td>
                    <td class="dist">{bar} <span class="dist-words">{words}</span></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        {crate::pages::staff::data_table(None, &[Msg::Item, Msg::CountN, Msg::Mean, Msg::Interval95, Msg::Distribution], rows)}
    }
}

/// Answers 1–4 as one bar of four shares (the words beside it carry the
/// counts for screen readers and print).
fn stacked_bar(counts: &[u64; 4], total: u64) -> impl IntoView {
    let mut x = 0.0;
    let parts = counts
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let w = 100.0 * c as f64 / total as f64;
            let rect = view! {
                <rect x=format!("{x:.2}") y="0" width=format!("{w:.2}") height="10" class=format!("s{}", k + 1)/>
            };
            x += w;
            rect
        })
        .collect_view();
    view! {
        <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
            {parts}
        </svg>
    }
}
