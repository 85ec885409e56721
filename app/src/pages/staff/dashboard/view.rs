//! The dashboard's state in its address: scope, period, tab, attribute,
//! comment filter. Every choice is a link or a GET form.

use crate::domain::integrity::Flagged;
use crate::domain::period::Period;
use crate::domain::query::{DayRange, FigureQuery, QueryError, Scope};
use crate::domain::scoring::Attribute;
use crate::model::figures::CommentFilter;
use crate::route::query_value;
use crate::text::Msg;

/// A tab of the dashboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Items,
    Trend,
    Equity,
    Comments,
}

impl Tab {
    pub(super) const ALL: [Tab; 4] = [Tab::Items, Tab::Trend, Tab::Equity, Tab::Comments];

    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::Items => "items",
            Self::Trend => "trend",
            Self::Equity => "equity",
            Self::Comments => "comments",
        }
    }

    pub(super) fn label(self) -> Msg {
        match self {
            Self::Items => Msg::TabItems,
            Self::Trend => Msg::TabTrend,
            Self::Equity => Msg::TabEquity,
            Self::Comments => Msg::TabComments,
        }
    }
}

/// What of a day the address echoes into links: `YYYY-MM-DD` in shape only
/// (anything else is dropped); whether it is a day, [`DayRange::parse`] says.
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
    /// Whether figures count flagged responses (by default not).
    pub flagged: Flagged,
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
            flagged: query_value(query, "flagged")
                .and_then(Flagged::parse)
                .unwrap_or_default(),
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

    /// The figures this view asks for.
    pub fn query(&self) -> Result<FigureQuery, QueryError> {
        let scope = match self.scope.split_once('.') {
            Some(("unit", code)) => Scope::Unit(code.to_owned()),
            Some(("service", code)) => Scope::Service(code.to_owned()),
            _ => Scope::All,
        };
        fn some(s: &str) -> Option<&str> {
            (!s.is_empty()).then_some(s)
        }
        Ok(FigureQuery {
            scope,
            days: DayRange::parse(some(&self.from), some(&self.to))?,
            by: Period::parse(self.by),
            group: (self.tab == Tab::Equity).then_some(self.group),
            questionnaire: None,
            flagged: self.flagged,
        })
    }

    /// This view's address with another tab.
    pub(super) fn href(&self, tab: Tab) -> String {
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
        if self.flagged != Flagged::default() {
            q.push_str(&format!("&flagged={}", self.flagged.as_str()));
        }
        q
    }

    /// This view's address counting flagged responses or not.
    /// The flagged responses of this view's unit (or every unit) and days.
    pub fn review_flagged(&self) -> String {
        let unit = self.scope.strip_prefix("unit.").unwrap_or("");
        let pairs = [("unit", unit), ("from", &self.from), ("to", &self.to)];
        let query: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if query.is_empty() {
            "/integritas".to_owned()
        } else {
            format!("/integritas?{}", query.join("&"))
        }
    }

    pub fn with_flagged(&self, flagged: Flagged) -> String {
        Self {
            flagged,
            ..self.clone()
        }
        .href(self.tab)
    }
}
