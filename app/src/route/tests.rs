use super::*;

fn code(s: &str) -> String {
    s.to_owned()
}

#[test]
fn every_page_parses_from_its_path() {
    assert_eq!(Page::parse("/", ""), Page::Home);
    assert_eq!(Page::parse("/tertunda", ""), Page::Outbox);
    assert_eq!(Page::parse("/tertunda/", ""), Page::Outbox);
    assert_eq!(
        Page::parse("/s/paspor-baru", ""),
        Page::Service {
            code: code("paspor-baru")
        }
    );
    assert_eq!(
        Page::parse("/s/paspor-baru/terima-kasih", ""),
        Page::Thanks {
            code: code("paspor-baru")
        }
    );
    assert_eq!(
        Page::parse("/s/paspor-baru/poster", ""),
        Page::Poster {
            code: code("paspor-baru")
        }
    );
    assert_eq!(Page::parse("/dashboard", ""), Page::Dashboard);
    assert_eq!(
        Page::parse("/pengaduan/ABCD-EFGH-JKMN", "error=note-required"),
        Page::Complaint {
            code: code("ABCD-EFGH-JKMN"),
            notice: Some(code("note-required"))
        }
    );
    assert_eq!(
        Page::parse("/pengaduan", "code=abcd+efgh-jkmn"),
        Page::Complaint {
            code: code("abcd efgh-jkmn"),
            notice: None
        },
        "the find-by-code form"
    );
    assert_eq!(
        Page::parse("/s/paspor-baru/pengaduan", ""),
        Page::FileComplaint {
            code: code("paspor-baru"),
            error: None,
            items: vec![],
            response: None,
        }
    );
    assert_eq!(
        Page::parse(
            "/s/paspor-baru/pengaduan",
            "items=U3%2CU5,<x>&response=0d3c1c52-8f5e-4a8e-9a52-6f1e0f8e2b7a"
        ),
        Page::FileComplaint {
            code: code("paspor-baru"),
            error: None,
            items: vec![code("U3"), code("U5")],
            response: Some(code("0d3c1c52-8f5e-4a8e-9a52-6f1e0f8e2b7a")),
        },
        "a low score's items and rating come along; nothing else does"
    );
    assert_eq!(
        Page::parse("/pengaduan/ABCD", "baru=1"),
        Page::Complaint {
            code: code("ABCD"),
            notice: Some(code("new"))
        }
    );
    assert_eq!(
        Page::parse("/pengaduan", "state=dijawab&item=U3"),
        Page::Complaints {
            state: code("dijawab"),
            service: String::new(),
            item: code("U3")
        }
    );
    assert!(
        Page::parse("/pengaduan/X/x", "").eq(&Page::NotFound)
            && Page::parse("/pengaduan/ABCD", "error=<b>").eq(&Page::Complaint {
                code: code("ABCD"),
                notice: None
            }),
        "no markup from the query reaches the page"
    );
    let login = |failed, throttled| Page::Login {
        failed,
        throttled,
        next: None,
    };
    assert_eq!(Page::parse("/login", ""), login(false, None));
    assert_eq!(Page::parse("/login", "error=1"), login(true, None));
    assert_eq!(
        Page::parse("/login", "error=throttled&minutes=7"),
        login(true, Some(7))
    );
    assert_eq!(
        Page::parse("/account", "error=weak"),
        Page::Account {
            notice: Some("weak")
        }
    );
    assert_eq!(Page::parse("/account", ""), Page::Account { notice: None });
}

#[test]
fn sign_in_goes_on_to_pages_of_this_site_only() {
    let next = |q| match Page::parse("/login", q) {
        Page::Login { next, .. } => next,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        next("next=%2Fdashboard%3Funit%3Dkanim-bandung%26by%3Dmonth"),
        Some("/dashboard?unit=kanim-bandung&by=month".to_owned())
    );
    assert_eq!(next("error=1&next=/export"), Some("/export".to_owned()));
    for bad in [
        "next=%2F%2Fevil.test",
        "next=%2F%5Cevil.test",
        "next=https%3A%2F%2Fevil.test%2F",
        "next=dashboard",
        "next=%2Fa%0D%0ASet-Cookie%3A+x",
        "",
    ] {
        assert_eq!(next(bad), None, "{bad}");
    }
    assert!(Page::Dashboard.needs_account());
    assert!(Page::parse("/reports/skm", "unit=x").needs_account());
    assert!(Page::parse("/integritas", "").needs_account());
    assert_eq!(
        Page::parse(
            "/integritas",
            "unit=kanim-x&from=2026-11-01&to=&error=reason-needed"
        ),
        Page::Integrity {
            unit: "kanim-x".into(),
            from: "2026-11-01".into(),
            to: String::new(),
            notice: Some("reason-needed".into()),
        }
    );
    assert_eq!(
        Page::parse("/integritas", "done=1&error=<script>"),
        Page::Integrity {
            unit: String::new(),
            from: String::new(),
            to: String::new(),
            notice: Some("cleared".into()),
        }
    );
    assert!(matches!(
        Page::parse("/integritas", "error=%3Cscript%3E"),
        Page::Integrity { notice: None, .. }
    ));
    assert!(!Page::parse("/s/x/poster", "").needs_account());
    // A link made for someone without an account yet: its token is the proof.
    assert_eq!(
        Page::parse("/account/link/Ab-9_z", "error=weak"),
        Page::AccountLink {
            token: "Ab-9_z".into(),
            notice: Some("weak"),
        }
    );
    assert!(!Page::parse("/account/link/Ab-9_z", "").needs_account());
    assert_eq!(Page::parse("/account/link/a.b", ""), Page::NotFound);
    assert!(Page::parse("/admin/tautan/x", "").needs_account());
    assert!(!Page::parse("/account/link/x", "").is_citizen());
    assert!(!Page::parse("/login", "").needs_account());
    assert!(!Page::parse("/s/x", "").needs_account());
}

#[test]
fn form_values_are_decoded() {
    assert_eq!(decode("paspor+baru"), "paspor baru");
    assert_eq!(
        decode("Dinas%20Dukcapil%2C%20Bandung"),
        "Dinas Dukcapil, Bandung"
    );
    assert_eq!(decode("caf%C3%A9"), "café");
    assert_eq!(decode("100%"), "100%");
    assert_eq!(decode("%zz"), "%zz");
    assert_eq!(decode("%4"), "%4");
    assert_eq!(decode("%aé"), "%aé");
}

#[test]
fn kiosk_interval_comes_from_the_query_or_the_default() {
    let kiosk = |q| match Page::parse("/k/ktp", q) {
        Page::Kiosk { interval_ms, .. } => interval_ms,
        other => panic!("{other:?}"),
    };
    assert_eq!(kiosk(""), 5000.0);
    assert_eq!(kiosk("interval=2"), 2000.0);
    assert_eq!(kiosk("a=b&interval=0.5"), 500.0);
    assert_eq!(kiosk("interval=-1"), 5000.0);
    assert_eq!(kiosk("interval=NaN"), 5000.0);
    assert_eq!(kiosk("interval=abc"), 5000.0);
}

#[test]
fn unknown_paths_and_bad_codes_are_not_found() {
    for path in [
        "/nope",
        "/s",
        "/s/",
        "/s/a/b",
        "/s/a%20b",
        "/s/<x>",
        "/k/a/b",
        "/dashboard/x",
    ] {
        assert_eq!(Page::parse(path, ""), Page::NotFound, "{path}");
    }
}

#[test]
fn only_citizen_pages_load_the_browser_app() {
    assert!(Page::Home.is_citizen());
    assert!(Page::parse("/k/x", "").is_citizen());
    assert!(Page::parse("/s/x/terima-kasih", "").is_citizen());
    assert!(!Page::Dashboard.is_citizen());
    assert!(!Page::parse("/login", "").is_citizen());
    assert!(!Page::parse("/account", "").is_citizen());
    assert!(!Page::parse("/s/x/poster", "").is_citizen());
    assert!(
        Page::parse("/s/x/pengaduan", "").is_citizen(),
        "filed offline"
    );
    let list = Page::parse("/pengaduan", "");
    assert!(list.loads_app(false) && !list.loads_app(true));
    assert!(!Page::parse("/pengaduan/ABCD", "").loads_app(false));
    assert!(
        !Page::parse("/publik", "").loads_app(false),
        "public pages: HTML only"
    );
    assert_eq!(
        Page::parse("/publik/kanim-bandung", "published=x"),
        Page::PublicUnit {
            code: "kanim-bandung".into(),
            published: true,
            notice: None
        }
    );
}
