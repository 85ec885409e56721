//! The index per period as an SVG line with its 95% band, and its table.

#[allow(unused_imports)]
use super::{signed, span, two};
use crate::domain::scoring::Interval;
use crate::model::figures::PeriodFigures;
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

/// The index per period as a line with its 95% band, drawn on the server.
#[component]
pub(super) fn TrendTab(series: Vec<PeriodFigures>) -> impl IntoView {
    let (w, h, left, top, bottom) = (640.0_f64, 240.0_f64, 40.0, 10.0, 30.0);
    let n = series.len().max(1) as f64;
    let x = |i: usize| left + (w - left - 10.0) * (i as f64 + 0.5) / n;
    let y = |v: f64| top + (h - top - bottom) * (100.0 - v.clamp(25.0, 100.0)) / 75.0;
    let mut line = String::new();
    let mut pen_down = false;
    for (i, p) in series.iter().enumerate() {
        match p.summary.index {
            Some(v) => {
                line.push_str(&format!(
                    "{}{:.1},{:.1} ",
                    if pen_down { "L" } else { "M" },
                    x(i),
                    y(v)
                ));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    // The band: each run of periods with an interval is one polygon.
    let mut bands: Vec<String> = Vec::new();
    let mut run: Vec<(usize, Interval)> = Vec::new();
    let flush = |run: &mut Vec<(usize, Interval)>, bands: &mut Vec<String>| {
        if !run.is_empty() {
            let upper = run
                .iter()
                .map(|(i, iv)| format!("{:.1},{:.1}", x(*i), y(iv.high)));
            let lower = run
                .iter()
                .rev()
                .map(|(i, iv)| format!("{:.1},{:.1}", x(*i), y(iv.low)));
            bands.push(upper.chain(lower).collect::<Vec<_>>().join(" "));
            run.clear();
        }
    };
    for (i, p) in series.iter().enumerate() {
        match p.summary.index_interval {
            Some(iv) => run.push((i, iv)),
            None => flush(&mut run, &mut bands),
        }
    }
    flush(&mut run, &mut bands);
    let grid = [25.0, 50.0, 65.0, 76.61, 88.31, 100.0]
        .into_iter()
        .map(|v| {
            view! {
                <line x1=left y1=y(v) x2=w - 10.0 y2=y(v) class="grid"/>
                <text x=left - 4.0 y=y(v) + 4.0 text-anchor="end" class="axis">{format!("{v:.0}")}</text>
            }
        })
        .collect_view();
    let lang = use_lang().get_untracked();
    // A running period's label says it is not over: "2026-W50 (so far)".
    let label = move |p: &PeriodFigures| match p.complete {
        true => p.period.clone(),
        false => format!("{} ({})", p.period, Msg::SoFar.text(lang)),
    };
    let step = (series.len() / 6).max(1);
    let ticks = series
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0)
        .map(|(i, p)| {
            view! { <text x=x(i) y=h - 8.0 text-anchor="middle" class="axis">{p.period.clone()}</text> }
        })
        .collect_view();
    let points = series
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let v = p.summary.index?;
            Some(view! {
                <circle cx=x(i) cy=y(v) r="3" class="point">
                    <title>{format!("{}: {}", label(p), two(v))}</title>
                </circle>
            })
        })
        .collect_view();
    let rows = series
        .iter()
        .map(|p| {
            view! {
                <tr data-complete=p.complete.to_string()>
                    <th scope="row">{label(p)}</th>
                    <td>{p.summary.n}</td>
                    <td>{p.summary.index.map(two).unwrap_or_else(|| "—".into())}</td>
                    <td>{p.summary.index_interval.map(span).unwrap_or_else(|| "—".into())}</td>
                    <td>{p.summary.grade.map(|g| g.letter()).unwrap_or("—")}</td>
                </tr>
            }
        })
        .collect_view();
    let empty = series.is_empty();
    view! {
        <figure class="trend">
            <figcaption id="trend-title">{tr(Msg::TrendTitle)}</figcaption>
            {(!empty)
                .then(|| {
                    view! {
                        <svg
                            viewBox=format!("0 0 {w} {h}")
                            role="img"
                            aria-labelledby="trend-title"
                            data-figure="trend-chart"
                        >
                            {grid}
                            {bands
                                .into_iter()
                                .map(|b| view! { <polygon points=b class="band"/> })
                                .collect_view()}
                            <path d=line class="line"/>
                            {points}
                            {ticks}
                        </svg>
                    }
                })}
        </figure>
        {if empty {
            view! { <p>{tr(Msg::NoPeriods)}</p> }.into_any()
        } else {
            view! {
                {crate::pages::staff::data_table(Some("trend-table"), &[Msg::PeriodLabel, Msg::Responses, Msg::Index, Msg::Interval95, Msg::Grade], rows)}
            }
                .into_any()
        }}
    }
}
