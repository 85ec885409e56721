//! The citizen's start: agencies → units → services, with a search box.

use crate::domain::catalogue::Catalog;
use crate::text::{tr, Msg};
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let query = RwSignal::new(String::new());
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    view! {
        <h1>"Suara"</h1>
        <p class="lead">{tr(Msg::Tagline)}</p>
        <div class="search" data-ready=move || ready.get().to_string()>
            <label for="search">{tr(Msg::SearchLabel)}</label>
            <input
                id="search"
                type="search"
                autocomplete="off"
                placeholder=tr(Msg::SearchPlaceholder)
                bind:value=query
            />
        </div>
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                match crate::data::catalog().await {
                    Ok(c) => view! { <CatalogList catalog=c query/> }.into_any(),
                    Err(_) => view! { <p role="alert">{tr(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CatalogList(catalog: Catalog, query: RwSignal<String>) -> impl IntoView {
    move || {
        let found = catalog.search(&query.get());
        if found.is_empty() {
            return view! { <p role="status">{tr(Msg::NoServiceFound)}</p> }.into_any();
        }
        view! {
            <ul class="agencies">
                {found
                    .into_iter()
                    .map(|agency| {
                        view! {
                            <li>
                                <h2>{agency.name}</h2>
                                {agency
                                    .units
                                    .into_iter()
                                    .map(|unit| {
                                        view! {
                                            <h3>{unit.name}</h3>
                                            <ul class="services">
                                                {unit
                                                    .services
                                                    .into_iter()
                                                    .map(|s| {
                                                        let href = format!("/s/{}", s.code);
                                                        view! {
                                                            <li>
                                                                <a href=href>{s.name}</a>
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        }
                                    })
                                    .collect_view()}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    }
}
