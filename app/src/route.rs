//! Which page a path shows.
//!
//! The server renders every page; the browser's wasm renders only the
//! citizen pages (and an "needs a connection" note for the others, which it
//! meets only offline, through the service worker's shell). Both read the
//! path with [`Page::parse`], so the two can never disagree, and the browser
//! carries no router: links between pages are plain links.

/// A page of Suara, with what its path says.
#[derive(Clone, Debug, PartialEq)]
pub enum Page {
    /// `/`: agencies, units and services, with a search box.
    Home,
    /// `/s/{code}`: the rating form of one service.
    Service {
        code: String,
    },
    /// `/s/{code}/terima-kasih`: shown once a response is kept.
    Thanks {
        code: String,
    },
    /// `/k/{code}`: the rating form on a shared tablet; `interval_ms` is the
    /// shortest time between two responses (`?interval=` seconds).
    Kiosk {
        code: String,
        interval_ms: f64,
    },
    /// `/tertunda`: the responses still on this device.
    Outbox,
    /// `/s/{code}/poster`: a printable poster (staff; server only).
    Poster {
        code: String,
    },
    /// `/posters?unit=CODE` (or `?agency=CODE`): the posters of every
    /// service of a unit or agency, one A4 page each, or with `layout=sheet`
    /// eight QR codes a page (staff).
    Posters {
        unit: String,
        agency: String,
        sheet: bool,
    },
    /// `/login`: staff sign in; `failed` after wrong credentials,
    /// `throttled` (minutes to wait) after too many; `next`, the page to go
    /// to after signing in (a path of this site).
    Login {
        failed: bool,
        throttled: Option<u32>,
        next: Option<String>,
    },
    /// `/account`: the signed-in account and its password; `notice` after a
    /// change (`done`, `wrong`, `weak` or `mismatch`).
    Account {
        notice: Option<&'static str>,
    },
    /// `/ikhtisar`: every unit in one table (administrators, auditors);
    /// `agency` filters, `sort` orders.
    Overview {
        agency: Option<String>,
        sort: String,
    },
    /// `/notifikasi`: the account's notifications and how each kind reaches
    /// it; `saved` after a change.
    Notifications {
        saved: bool,
    },
    /// `/notifikasi/berhenti/{token}`: stop the kind of message that carried
    /// `token` (the link in its `List-Unsubscribe`); `done` once stopped.
    Unsubscribe {
        token: String,
        done: bool,
    },
    /// `/admin`: catalogue, accounts and audit log (administrators);
    /// `q` filters the catalogue, `notice` reports the last change.
    Admin {
        q: String,
        notice: Option<String>,
        /// What was wrong with a refused questionnaire edit.
        detail: Option<String>,
    },
    /// `/dashboard`: staff figures (server only).
    Dashboard,
    /// `/export`: data downloads with their manifest, and the audit log
    /// (staff; server only).
    Export,
    /// `/reports/skm?unit=&period=`: the official SKM report of a unit
    /// (staff; server only).
    SkmReport {
        unit: Option<String>,
        period: Option<String>,
        /// Why the last "publish" was refused (a slug).
        error: Option<String>,
        /// `?flagged=include`: count the responses the integrity monitor
        /// flagged (by default they are left out).
        flagged: bool,
        /// After the report's details were set (`?rincian=`): `saved`, or
        /// the refusal's slug (server only: the wasm never renders it).
        #[cfg(feature = "ssr")]
        details: Option<String>,
    },
    /// `/s/{code}/pengaduan`: the complaint form of a service (the browser
    /// app keeps it on the device and makes its code, offline too; without
    /// the app it is a plain form the server takes); `error` after a
    /// refusal; `items` (`?items=U3,U5`) chosen already and `response`, the
    /// rating it comes with, when it follows a low score.
    FileComplaint {
        code: String,
        error: Option<String>,
        items: Vec<String>,
        response: Option<String>,
    },
    /// `/pengaduan/{code}`: a complaint followed by its tracking code; the
    /// unit's actions for its staff; `notice` after a change (`done` or an
    /// error's slug).
    Complaint {
        code: String,
        notice: Option<String>,
    },
    /// `/pengaduan`: the complaint queue of the signed-in account's units,
    /// filtered by `state`, `service` and `item`; for anyone else, where to
    /// enter a tracking code.
    Complaints {
        state: String,
        service: String,
        item: String,
    },
    /// `/integritas`: the responses the integrity monitor flagged, of `unit`
    /// (or every unit the account sees) answered between `from` and `to`;
    /// an auditor clears them there. `notice` after a clearing: `cleared`,
    /// or the refusal's slug.
    Integrity {
        unit: String,
        from: String,
        to: String,
        notice: Option<String>,
    },
    /// `/admin/katalog/{id}`: what importing the catalogue file uploaded as
    /// `id` would change, and the button that applies it (administrators).
    CatalogueImport {
        id: String,
    },
    /// `/admin/tautan/{id}`: an invitation or reset link an administrator
    /// made, with the link itself in the browser that made it (for a few
    /// minutes) and a way to revoke it (administrators).
    IssuedLink {
        id: String,
    },
    /// `/account/link/{token}`: the person an invitation or reset link was
    /// made for chooses their password (no account needed: the token is
    /// the proof); `notice` after a refusal (`weak`, `mismatch`).
    AccountLink {
        token: String,
        notice: Option<&'static str>,
    },
    /// `/publik`: every unit with its latest published grade, searchable
    /// (`q`); no sign-in, server-rendered.
    Public {
        q: String,
    },
    /// `/publik/{code}`: a unit's published periods, follow-up and
    /// complaint outcomes; `published` after its unit head published.
    PublicUnit {
        code: String,
        published: bool,
        /// After a follow-up change: `saved`, or the refusal's slug.
        notice: Option<String>,
    },
    /// `/layar/{code}`: the unit's waiting-room display (public, server
    /// only); `layanan` chooses the service its QR code rates, `lang` the
    /// language whatever the screen's cookies say.
    #[cfg(feature = "ssr")]
    Display {
        code: String,
        service: Option<String>,
        lang: Option<String>,
    },
    NotFound,
}

/// Default shortest time between two kiosk responses, as HappyOrNot terminals use.
pub const KIOSK_DEFAULT_INTERVAL_S: f64 = 5.0;

/// A refusal's slug as a query string carries it back: `bad-nip`.
fn is_slug(s: &str) -> bool {
    s.len() <= 40 && s.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
}

/// A service code (or a link's token) as it may appear in a path: letters,
/// digits, `-` and `_`.
pub fn code(segment: &str) -> Option<String> {
    let ok = !segment.is_empty()
        && segment.len() <= 100
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then(|| segment.to_owned())
}

/// The value of `name` in a query string (no percent-decoding: the values
/// Suara reads are numbers and words).
pub fn query_value<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then_some(v)
    })
}

impl Page {
    /// The page at `path` (without its query) with `query` (without `?`).
    pub fn parse(path: &str, query: &str) -> Self {
        let path = path
            .strip_suffix('/')
            .filter(|p| !p.is_empty())
            .unwrap_or(path);
        let parts: Vec<&str> = path.split('/').skip(1).collect();
        match parts.as_slice() {
            [""] => Self::Home,
            ["tertunda"] => Self::Outbox,
            ["login"] => Self::Login {
                failed: query_value(query, "error").is_some(),
                throttled: (query_value(query, "error") == Some("throttled")).then(|| {
                    query_value(query, "minutes")
                        .and_then(|m| m.parse().ok())
                        .unwrap_or(15)
                }),
                next: query_value(query, "next").and_then(|n| safe_next(&decode(n))),
            },
            ["account"] => Self::Account {
                notice: match (query_value(query, "done"), query_value(query, "error")) {
                    (Some(_), _) => Some("done"),
                    (_, Some("wrong")) => Some("wrong"),
                    (_, Some("weak")) => Some("weak"),
                    (_, Some("mismatch")) => Some("mismatch"),
                    _ => None,
                },
            },
            ["dashboard"] => Self::Dashboard,
            ["ikhtisar"] => Self::Overview {
                agency: query_value(query, "agency")
                    .and_then(code)
                    .filter(|a| !a.is_empty()),
                sort: query_value(query, "sort")
                    .and_then(code)
                    .unwrap_or_else(|| "band".to_owned()),
            },
            ["notifikasi"] => Self::Notifications {
                saved: query_value(query, "saved").is_some(),
            },
            ["notifikasi", "berhenti", t] => {
                code(t).map_or(Self::NotFound, |token| Self::Unsubscribe {
                    token,
                    done: query_value(query, "done").is_some(),
                })
            }
            ["export"] => Self::Export,
            ["admin", "katalog", id] => Self::CatalogueImport {
                id: (*id).to_owned(),
            },
            ["admin", "tautan", id] => Self::IssuedLink {
                id: (*id).to_owned(),
            },
            ["account", "link", t] => code(t).map_or(Self::NotFound, |token| Self::AccountLink {
                token,
                notice: match query_value(query, "error") {
                    Some("weak") => Some("weak"),
                    Some("mismatch") => Some("mismatch"),
                    _ => None,
                },
            }),
            ["posters"] => Self::Posters {
                unit: query_value(query, "unit").map(decode).unwrap_or_default(),
                agency: query_value(query, "agency").map(decode).unwrap_or_default(),
                sheet: query_value(query, "layout") == Some("sheet"),
            },
            ["integritas"] => Self::Integrity {
                unit: query_value(query, "unit").map(decode).unwrap_or_default(),
                from: query_value(query, "from").map(decode).unwrap_or_default(),
                to: query_value(query, "to").map(decode).unwrap_or_default(),
                notice: query_value(query, "done")
                    .map(|_| "cleared".to_owned())
                    .or_else(|| query_value(query, "error").map(str::to_owned))
                    .filter(|n| {
                        n.len() <= 40 && n.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                    }),
            },
            ["reports", "skm"] => Self::SkmReport {
                unit: query_value(query, "unit")
                    .map(decode)
                    .filter(|u| !u.is_empty()),
                period: query_value(query, "period")
                    .map(decode)
                    .filter(|p| !p.is_empty()),
                error: query_value(query, "error")
                    .filter(|e| is_slug(e))
                    .map(str::to_owned),
                flagged: query_value(query, "flagged") == Some("include"),
                #[cfg(feature = "ssr")]
                details: query_value(query, "rincian")
                    .filter(|e| is_slug(e))
                    .map(str::to_owned),
            },
            ["admin"] => Self::Admin {
                q: query_value(query, "q").map(decode).unwrap_or_default(),
                notice: query_value(query, "done")
                    .map(|d| format!("done:{d}"))
                    .or_else(|| query_value(query, "error").map(|e| format!("error:{e}")))
                    .filter(|n| {
                        n.len() <= 60
                            && n.bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b":-.".contains(&b))
                    }),
                detail: query_value(query, "detail").map(decode),
            },
            ["pengaduan"] => match query_value(query, "code").map(decode) {
                // The "find by code" form sends the code as a query.
                Some(code) if !code.trim().is_empty() => Self::Complaint {
                    code: code.trim().to_owned(),
                    notice: None,
                },
                _ => Self::Complaints {
                    state: query_value(query, "state").map(decode).unwrap_or_default(),
                    service: query_value(query, "service")
                        .map(decode)
                        .unwrap_or_default(),
                    item: query_value(query, "item").map(decode).unwrap_or_default(),
                },
            },
            ["pengaduan", c] => code(c).map_or(Self::NotFound, |code| Self::Complaint {
                code,
                notice: query_value(query, "baru")
                    .map(|_| "new".to_owned())
                    .or_else(|| query_value(query, "done").map(|_| "done".to_owned()))
                    .or_else(|| query_value(query, "error").map(decode))
                    .filter(|n| {
                        n.len() <= 40 && n.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                    }),
            }),
            ["publik"] => Self::Public {
                q: query_value(query, "q").map(decode).unwrap_or_default(),
            },
            ["publik", c] => code(c).map_or(Self::NotFound, |code| Self::PublicUnit {
                code,
                published: query_value(query, "published").is_some(),
                notice: query_value(query, "saved")
                    .map(|_| "saved".to_owned())
                    .or_else(|| query_value(query, "error").map(str::to_owned))
                    .filter(|n| {
                        n.len() <= 40 && n.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                    }),
            }),
            #[cfg(feature = "ssr")]
            ["layar", c] => code(c).map_or(Self::NotFound, |code| Self::Display {
                code,
                service: query_value(query, "layanan").and_then(self::code),
                lang: query_value(query, "lang")
                    .filter(|l| matches!(*l, "id" | "en"))
                    .map(str::to_owned),
            }),
            ["s", c] => code(c).map_or(Self::NotFound, |code| Self::Service { code }),
            ["s", c, "terima-kasih"] => {
                code(c).map_or(Self::NotFound, |code| Self::Thanks { code })
            }
            ["s", c, "poster"] => code(c).map_or(Self::NotFound, |code| Self::Poster { code }),
            ["s", c, "pengaduan"] => code(c).map_or(Self::NotFound, |code| Self::FileComplaint {
                code,
                error: query_value(query, "error")
                    .map(decode)
                    .filter(|e| e.len() <= 300),
                items: query_value(query, "items")
                    .map(decode)
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(self::code)
                    .take(50)
                    .collect(),
                response: query_value(query, "response")
                    .and_then(self::code)
                    .filter(|r| r.len() == 36),
            }),
            ["k", c] => code(c).map_or(Self::NotFound, |code| Self::Kiosk {
                code,
                interval_ms: kiosk_interval_ms(query),
            }),
            _ => Self::NotFound,
        }
    }

    /// Staff pages: a signed-out request is sent to sign in first. (A
    /// poster carries only a service's public link and names.)
    pub fn needs_account(&self) -> bool {
        matches!(
            self,
            Self::Dashboard
                | Self::Account { .. }
                | Self::Notifications { .. }
                | Self::Overview { .. }
                | Self::Admin { .. }
                | Self::Export
                | Self::SkmReport { .. }
                | Self::Integrity { .. }
                | Self::CatalogueImport { .. }
                | Self::IssuedLink { .. }
                | Self::Posters { .. }
        )
    }

    /// Citizen pages load the wasm and work offline; staff pages are
    /// server-rendered HTML with plain forms.
    pub fn is_citizen(&self) -> bool {
        matches!(
            self,
            Self::Home
                | Self::Service { .. }
                | Self::Thanks { .. }
                | Self::Kiosk { .. }
                | Self::Outbox
                | Self::FileComplaint { .. }
                | Self::NotFound
        )
    }

    /// Whether the page loads the browser app for this visitor: the citizen
    /// pages, and `/pengaduan` for anyone signed out (the complaints filed
    /// on their device; signed in, it is the unit's queue).
    pub fn loads_app(&self, signed_in: bool) -> bool {
        self.is_citizen() || (!signed_in && matches!(self, Self::Complaints { .. }))
    }
}

/// Where to go after signing in: `next` when it is a path of this site
/// (`/dashboard?unit=x`), never another site (`//evil.test`, `/\\evil.test`,
/// `https://…`) nor anything with control characters.
pub fn safe_next(next: &str) -> Option<String> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 2000
        && !next.chars().any(|c| c.is_control());
    ok.then(|| next.to_owned())
}

/// A form value as browsers encode it: `+` for spaces, `%XX` for bytes.
pub fn decode(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `?interval=` seconds, as milliseconds; the default when absent or not a
/// finite, non-negative number.
fn kiosk_interval_ms(query: &str) -> f64 {
    let seconds = query_value(query, "interval")
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v >= 0.0)
        .unwrap_or(KIOSK_DEFAULT_INTERVAL_S);
    seconds * 1000.0
}

#[cfg(test)]
mod tests;
