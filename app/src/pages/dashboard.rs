//! `/dashboard`: what a unit head must see at a glance, server-rendered
//! (no wasm; it prints, and works by keyboard and screen reader as plain
//! HTML).
//!
//! - Pickers (a GET form): the scope — everything the account may see, one
//!   of its units or services — and the period length.
//! - Overview: index, grade, interval, provisional flag, responses, the
//!   latest period against the one before (and whether the change is larger
//!   than its uncertainty), the weakest item, alerts.
//! - Tabs (links, so each is an address): per item (means, intervals, the
//!   1–4 distribution as stacked bars), trend (an SVG chart with the interval
//!   band, and its table), equity (groups of one attribute side by side,
//!   small groups suppressed, gaps with intervals).
//!
//! Every figure comes from `GET /api/v1/summary`'s computation
//! ([`crate::figures`]) over the roll-ups.

use super::localized;
pub(super) use super::profile::{attribute_label, group_name};
use crate::backend::{Dashboard, ServiceSummary};
use crate::domain::scoring::{weakest_item, Alert, Attribute, Breakdown, Difference, Interval};
use crate::figures::{
    CommentFilter, CommentView, FiguresOutcome, PeriodFigures, ScopeChoice, StaffFigures,
    SummaryQuery,
};
use crate::route::query_value;
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

/// A tab of the dashboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Items,
    Trend,
    Equity,
    Comments,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Items, Tab::Trend, Tab::Equity, Tab::Comments];

    fn as_str(self) -> &'static str {
        match self {
            Self::Items => "items",
            Self::Trend => "trend",
            Self::Equity => "equity",
            Self::Comments => "comments",
        }
    }

    fn label(self) -> Msg {
        match self {
            Self::Items => Msg::TabItems,
            Self::Trend => Msg::TabTrend,
            Self::Equity => Msg::TabEquity,
            Self::Comments => Msg::TabComments,
        }
    }
}

/// A day as the date inputs send it (`YYYY-MM-DD`); anything else is ignored.
fn day(v: Option<&str>) -> String {
    v.filter(|d| {
        d.len() == 10
            && d.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            })
    })
    .unwrap_or("")
    .to_owned()
}

/// What the dashboard's address asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// `unit.CODE`, `service.CODE`, or empty for everything the account sees.
    pub scope: String,
    pub by: &'static str,
    pub tab: Tab,
    pub group: Attribute,
    /// First and last day (UTC, inclusive), or empty.
    pub from: String,
    pub to: String,
    /// Comments: only responses that gave `item` the score `score`.
    pub item: String,
    pub score: Option<u8>,
    /// Comments: the page before this moment.
    pub before_ms: Option<i64>,
}

impl View {
    pub fn parse(query: &str) -> Self {
        let scope = query_value(query, "scope")
            .filter(|s| {
                s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            })
            .unwrap_or("")
            .to_owned();
        let by = match query_value(query, "by") {
            Some("week") => "week",
            Some("quarter") => "quarter",
            _ => "month",
        };
        let tab = match query_value(query, "tab") {
            Some("trend") => Tab::Trend,
            Some("equity") => Tab::Equity,
            Some("comments") => Tab::Comments,
            _ => Tab::Items,
        };
        let group = query_value(query, "group")
            .and_then(Attribute::parse)
            .unwrap_or(Attribute::Sex);
        let item = query_value(query, "item")
            .filter(|i| {
                i.len() <= 32
                    && i.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
            })
            .unwrap_or("")
            .to_owned();
        Self {
            scope,
            by,
            tab,
            group,
            from: day(query_value(query, "from")),
            to: day(query_value(query, "to")),
            item,
            score: query_value(query, "score")
                .and_then(|s| s.parse().ok())
                .filter(|s| (1..=4).contains(s)),
            before_ms: query_value(query, "before").and_then(|s| s.parse().ok()),
        }
    }

    /// The comment filter behind this view (the comments tab only).
    pub fn comments(&self) -> Option<CommentFilter> {
        (self.tab == Tab::Comments).then(|| CommentFilter {
            item_score: self
                .score
                .filter(|_| !self.item.is_empty())
                .map(|s| (self.item.clone(), s)),
            before_ms: self.before_ms,
        })
    }

    /// The summary query behind this view.
    pub fn query(&self) -> SummaryQuery {
        let (unit, service) = match self.scope.split_once('.') {
            Some(("unit", code)) => (Some(code.to_owned()), None),
            Some(("service", code)) => (None, Some(code.to_owned())),
            _ => (None, None),
        };
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        SummaryQuery {
            unit,
            service,
            by: Some(self.by.to_owned()),
            group: (self.tab == Tab::Equity).then(|| self.group.as_str().to_owned()),
            from: some(&self.from),
            to: some(&self.to),
            ..SummaryQuery::default()
        }
    }

    /// This view's address with another tab.
    fn href(&self, tab: Tab) -> String {
        let mut q = format!("/dashboard?by={}&tab={}", self.by, tab.as_str());
        for (k, v) in [
            ("scope", &self.scope),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !v.is_empty() {
                q.push_str(&format!("&{k}={v}"));
            }
        }
        if tab == Tab::Equity {
            q.push_str(&format!("&group={}", self.group.as_str()));
        }
        q
    }
}

/// The view the request asks for.
fn request_view() -> View {
    let query = use_context::<http::request::Parts>()
        .and_then(|p| p.uri.query().map(str::to_owned))
        .unwrap_or_default();
    View::parse(&query)
}

async fn load(view: &View) -> Result<(FiguresOutcome, Option<Dashboard>), ServerFnError> {
    use crate::backend::ssr::{backend, request_session_token};
    let Some(token) = request_session_token() else {
        return Ok((FiguresOutcome::SignedOut, None));
    };
    let figures = backend()
        .figures(&token, view.query(), view.comments())
        .await
        .map_err(super::internal)?;
    let services = backend().dashboard(&token).await.map_err(super::internal)?;
    Ok((figures, services))
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let view = request_view();
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                match load(&view).await {
                    Ok((FiguresOutcome::Ready(f), services)) => {
                        view! { <Figures figures=*f view=view.clone() services/> }.into_any()
                    }
                    Ok((FiguresOutcome::SignedOut, _)) => {
                        view! {
                            <h1>{tr(Msg::Dashboard)}</h1>
                            <p>
                                <a href="/login">{tr(Msg::SignIn)}</a>
                            </p>
                        }
                            .into_any()
                    }
                    Ok((FiguresOutcome::Refused { status, detail }, _)) => {
                        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
                            resp.set_status(
                                http::StatusCode::from_u16(status)
                                    .unwrap_or(http::StatusCode::BAD_REQUEST),
                            );
                        }
                        // Scope refusals in the page's language; anything else
                        // (a bad period, say) with the server's detail.
                        let why = match status {
                            403 => tr(Msg::NotYours)().to_owned(),
                            404 => tr(Msg::UnknownScope)().to_owned(),
                            _ => format!("{}: {detail}", tr(Msg::CannotShow)()),
                        };
                        view! {
                            <h1>{tr(Msg::Dashboard)}</h1>
                            <p role="alert">{why}</p>
                            <p>
                                <a href="/dashboard">{tr(Msg::AllMine)}</a>
                            </p>
                        }
                            .into_any()
                    }
                    Err(_) => view! { <p role="alert">{tr(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

pub(super) fn two(x: f64) -> String {
    format!("{x:.2}")
}

fn span(i: Interval) -> String {
    format!("{:.2} – {:.2}", i.low, i.high)
}

fn signed(d: &Difference) -> String {
    format!(
        "{:+.2} ({:+.2} … {:+.2})",
        d.estimate, d.interval.low, d.interval.high
    )
}

#[component]
fn Figures(figures: StaffFigures, view: View, services: Option<Dashboard>) -> impl IntoView {
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
            </p>
            <form method="post" action="/logout">
                <button type="submit">{tr(Msg::SignOut)}</button>
            </form>
        </div>
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

/// Scope and period: a GET form, so the choice is an address.
#[component]
fn Pickers(choices: Vec<ScopeChoice>, view: View) -> impl IntoView {
    let selected = view.scope.clone();
    let options = choices
        .into_iter()
        .map(|c| {
            let value = format!("{}.{}", c.kind, c.code);
            let is = value == selected;
            let text = match &c.unit_name {
                Some(unit) => format!("— {} ({unit})", c.name),
                None => c.name.clone(),
            };
            view! { <option value=value selected=is>{text}</option> }
        })
        .collect_view();
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
            <div class="field">
                <label for="scope">{tr(Msg::ScopeLabel)}</label>
                <select id="scope" name="scope">
                    <option value="" selected=view.scope.is_empty()>{tr(Msg::AllMine)}</option>
                    {options}
                </select>
            </div>
            <div class="field">
                <label for="by">{tr(Msg::PeriodLabel)}</label>
                <select id="by" name="by">{periods}</select>
            </div>
            <div class="field">
                <label for="from">{tr(Msg::FromDay)}</label>
                <input id="from" name="from" type="date" value=view.from.clone()/>
            </div>
            <div class="field">
                <label for="to">{tr(Msg::ToDay)}</label>
                <input id="to" name="to" type="date" value=view.to.clone()/>
            </div>
            <input type="hidden" name="tab" value=view.tab.as_str()/>
            <button type="submit">{tr(Msg::Show)}</button>
        </form>
    }
}

#[component]
fn ItemsTab(
    answer: crate::figures::SummaryAnswer,
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
        {super::data_table(None, &[Msg::Item, Msg::CountN, Msg::Mean, Msg::Interval95, Msg::Distribution], rows)}
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

/// The index per period as a line with its 95% band, drawn on the server.
#[component]
fn TrendTab(series: Vec<PeriodFigures>) -> impl IntoView {
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
                    <title>{format!("{}: {}", p.period, two(v))}</title>
                </circle>
            })
        })
        .collect_view();
    let rows = series
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <th scope="row">{p.period.clone()}</th>
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
                {super::data_table(Some("trend-table"), &[Msg::PeriodLabel, Msg::Responses, Msg::Index, Msg::Interval95, Msg::Grade], rows)}
            }
                .into_any()
        }}
    }
}

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
fn EquityTab(breakdown: Option<Breakdown>, view: View) -> impl IntoView {
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
            {super::data_table(
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

#[component]
fn ServiceCard(summary: ServiceSummary) -> impl IntoView {
    let heading_id = format!("svc-{}", summary.code);
    let unit_id = format!("svc-{}-unit", summary.code);
    // Two services may share a name (in different units): the unit tells
    // their regions apart.
    let labelled_by = format!("{heading_id} {unit_id}");
    let has_data = summary.responses > 0;
    let detail = format!("/dashboard?scope=service.{}", summary.code);
    view! {
        <section class="card" aria-labelledby=labelled_by>
            <h3 id=heading_id>
                <a href=detail>{summary.name.clone()}</a>
            </h3>
            <p class="muted" id=unit_id>
                {summary.agency_name.clone()} " · " {summary.unit_name.clone()}
            </p>
            <dl class="figures">
                <div>
                    <dt>{tr(Msg::Responses)}</dt>
                    <dd data-figure="responses">{summary.responses}</dd>
                </div>
                <div>
                    <dt>{tr(Msg::Index)}</dt>
                    <dd data-figure="index">{summary.index.clone().unwrap_or_else(|| "—".into())}</dd>
                </div>
                <div>
                    <dt>{tr(Msg::Interval95)}</dt>
                    <dd data-figure="index-interval">
                        {summary.index_interval.clone().unwrap_or_else(|| "—".into())}
                    </dd>
                </div>
                <div>
                    <dt>{tr(Msg::Grade)}</dt>
                    <dd data-figure="grade">{summary.grade.clone().unwrap_or_else(|| "—".into())}</dd>
                </div>
                <div>
                    <dt>{tr(Msg::SampleTarget)}</dt>
                    <dd data-figure="sample-target">{summary.sample_target}</dd>
                </div>
            </dl>
            {summary
                .provisional
                .then(|| view! { <p class="flag" data-flag="provisional">{tr(Msg::Provisional)}</p> })}
            {summary
                .grade_uncertain
                .then(|| {
                    view! { <p class="flag" data-flag="grade-uncertain">{tr(Msg::GradeUncertain)}</p> }
                })}
            {if has_data {
                view! {
                    <details>
                        <summary>{tr(Msg::TabItems)}</summary>
                        {super::data_table(None, &[Msg::Item, Msg::CountN, Msg::Mean, Msg::Interval95], summary
                                        .items
                                        .into_iter()
                                        .map(|i| {
                                            view! {
                                                <tr>
                                                    <th scope="row">
                                                        {i.code} " " {localized(i.label)}
                                                    </th>
                                                    <td>{i.n}</td>
                                                    <td>{i.mean.unwrap_or_else(|| "—".into())}</td>
                                                    <td>{i.interval.unwrap_or_else(|| "—".into())}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view())}
                    </details>
                }
                    .into_any()
            } else {
                view! { <p class="muted">{tr(Msg::NoResponsesYet)}</p> }.into_any()
            }}
        </section>
    }
}

/// `2026-11-20 09:15 UTC`.
pub(super) fn moment(ms: i64) -> String {
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
fn CommentsTab(comments: Vec<CommentView>, items: Vec<String>, view: View) -> impl IntoView {
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
                                    <time>{moment(c.answered_at_ms)}</time>
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
            <div class="field">
                <label for="item">{tr(Msg::Item)}</label>
                <select id="item" name="item">
                    <option value="" selected=view.item.is_empty()>{tr(Msg::AnyItem)}</option>
                    {item_options}
                </select>
            </div>
            <div class="field">
                <label for="score">{tr(Msg::ScoreLabel)}</label>
                <select id="score" name="score">
                    <option value="" selected=view.score.is_none()>{tr(Msg::AnyScore)}</option>
                    {score_options}
                </select>
            </div>
            <button type="submit">{tr(Msg::Show)}</button>
        </form>
        {list}
        {older}
    }
}
