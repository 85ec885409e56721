//! Equity: one attribute's groups side by side, small groups suppressed.

use super::view::{Tab, View};
#[allow(unused_imports)]
use super::{signed, span, two};
use crate::domain::scoring::{Attribute, Breakdown};
use crate::pages::profile::{attribute_label, group_name};
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

/// The standards the equity tab shows beside the index, where present.
const ETHICS: [&str; 2] = ["fair", "non-discriminatory"];
const EQUITY_COLUMNS: [Msg; 5] = [
    Msg::GroupCol,
    Msg::CountN,
    Msg::Index,
    Msg::Interval95,
    Msg::GapIndex,
];
const EQUITY_ETHICS_COLUMNS: [Msg; 7] = [
    Msg::GroupCol,
    Msg::CountN,
    Msg::Index,
    Msg::Interval95,
    Msg::FairMean,
    Msg::NonDiscriminatoryMean,
    Msg::GapIndex,
];

/// Equity: one attribute's groups side by side, small groups suppressed,
/// each shown group's index gap against the largest group.
#[component]
pub(super) fn EquityTab(breakdown: Option<Breakdown>, view: View) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let current = view.group;
    let links = Attribute::ALL
        .into_iter()
        .map(|a| {
            let href = View {
                group: a,
                ..view.clone()
            }
            .href(Tab::Equity);
            let is = (a == current).then_some("page");
            view! { <a href=href aria-current=is>{tr(attribute_label(a))}</a> }
        })
        .collect_view();
    let table = breakdown.map(|b| {
        let reference = b.reference.clone();
        let with_ethics = b
            .groups
            .iter()
            .filter_map(|g| g.summary.as_ref())
            .any(|s| s.items.iter().any(|i| ETHICS.contains(&i.code.as_str())));
        let rows = b
            .groups
            .into_iter()
            .map(|g| {
                let gap = b
                    .gaps
                    .iter()
                    .find(|x| x.group == g.group)
                    .and_then(|x| x.index);
                let is_ref = reference.as_deref() == Some(g.group.as_str());
                // The fair and non-discriminatory standards, where the
                // questionnaire has them: each group's mean and its gap.
                let ethics = ETHICS.map(|code| {
                    let mean = g
                        .summary
                        .as_ref()
                        .and_then(|s| s.items.iter().find(|i| i.code.as_str() == code))
                        .and_then(|i| i.nrr);
                    let gap = b
                        .gaps
                        .iter()
                        .find(|x| x.group == g.group)
                        .and_then(|x| x.items.iter().find(|i| i.code.as_str() == code))
                        .and_then(|i| i.nrr);
                    match (mean, gap) {
                        (Some(m), Some(d)) => format!("{} ({:+.2})", two(m), d.estimate),
                        (Some(m), None) => two(m),
                        _ => "—".into(),
                    }
                });
                let ethics_cells = with_ethics.then(|| {
                    view! {
                        <td data-item="fair">{ethics[0].clone()}</td>
                        <td data-item="non-discriminatory">{ethics[1].clone()}</td>
                    }
                });
                let cells = match &g.summary {
                    Some(s) => view! {
                        <td>{s.n}</td>
                        <td>{s.index.map(two).unwrap_or_else(|| "—".into())}</td>
                        <td>{s.index_interval.map(span).unwrap_or_else(|| "—".into())}</td>
                        {ethics_cells}
                        <td>
                            {if is_ref {
                                tr(Msg::Reference)().to_owned()
                            } else {
                                gap.map(|d| {
                                        format!(
                                            "{} · {}",
                                            signed(&d),
                                            if d.is_real() {
                                                Msg::ChangeReal.text(lang)
                                            } else {
                                                Msg::ChangeNoise.text(lang)
                                            },
                                        )
                                    })
                                    .unwrap_or_else(|| "—".into())
                            }}
                        </td>
                    }
                    .into_any(),
                    None => view! {
                        <td colspan=if with_ethics { "6" } else { "4" } data-flag="suppressed">
                            {tr(Msg::Suppressed)}
                        </td>
                    }
                    .into_any(),
                };
                view! {
                    <tr data-group=g.group.clone()>
                        <th scope="row">{group_name(&g.group, lang)}</th>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        view! {
            {crate::pages::staff::data_table(
                Some("equity-table"),
                if with_ethics { &EQUITY_ETHICS_COLUMNS } else { &EQUITY_COLUMNS },
                rows,
            )}
        }
    });
    view! {
        <nav class="tabs subtabs" aria-label=move || tr(Msg::GroupBy)()>
            {links}
        </nav>
        {table}
    }
}
