//! Read models: what pages show, as the server assembles it. Leaves: they
//! import the domain and each other, never pages, the backend or the
//! server. Only the rating form and the poster reach the browser's wasm.

pub mod form;

/// The read models of server-rendered pages: in the server build only.
macro_rules! server_only {
    ($($name:ident),* $(,)?) => {
        $(
            #[cfg(feature = "ssr")]
            pub mod $name;
        )*
    };
}

server_only!(
    account_link,
    admin_page,
    audit,
    catalogue_import,
    complaint,
    export_page,
    figures,
    integrity,
    notification,
    overview,
    outcome,
    publication,
    report,
    schema,
    dashboard,
);
