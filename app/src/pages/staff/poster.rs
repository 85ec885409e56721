//! `/s/{code}/poster`: a printable A4 poster for the service counter, with the
//! QR code of the service's public link and instructions in both languages.

use crate::model::form::Poster;
use crate::pages::ServiceMissing;
use crate::text::{tr, Lang, Msg};
use leptos::prelude::*;

async fn load(code: String) -> Result<Option<Poster>, ServerFnError> {
    let poster = crate::backend::backend()
        .poster(&code)
        .await
        .map_err(super::failed)?;
    if poster.is_none() {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    Ok(poster)
}

#[component]
pub fn PosterPage(code: String) -> impl IntoView {
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                match load(code).await {
                    Ok(Some(p)) => {
                        view! {
                            <p class="no-print">
                                // The page carries no wasm: `print.js` prints it.
                                <button type="button" class="primary" data-print="">
                                    {tr(Msg::PrintPoster)}
                                </button>
                                <script src="/print.js" defer></script>
                            </p>
                            <PosterSheet poster=p/>
                        }
                            .into_any()
                    }
                    Ok(None) => view! { <ServiceMissing/> }.into_any(),
                    Err(_) => view! { <p role="alert">{tr(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One service's poster: an A4 page on paper. `sub`: its title is a
/// second-level heading, on a page of several posters.
#[component]
pub fn PosterSheet(poster: Poster, #[prop(optional)] sub: bool) -> impl IntoView {
    let qr_label = format!("QR: {}", poster.link);
    let title = poster.service_name.clone();
    let for_label = tr(Msg::PosterFor);
    let instructions = |lang: Lang| {
        view! {
            <div class="poster-steps" lang=lang.code()>
                <h2>{Msg::PosterScan.text(lang)}</h2>
                <p>{Msg::PosterSteps.text(lang)}</p>
                <p class="poster-anon">{Msg::PosterAnonymous.text(lang)}</p>
            </div>
        }
    };
    let name = poster.service_name.clone();
    let heading = if sub {
        view! { <h2 class="poster-title">{name}</h2> }.into_any()
    } else {
        view! { <h1 class="poster-title">{name}</h1> }.into_any()
    };
    view! {
        <article class="poster" aria-label=move || format!("{} {title}", for_label())>
            <p class="poster-unit">{poster.agency_name.clone()} " · " {poster.unit_name.clone()}</p>
            {heading}
            <div class="poster-qr" role="img" aria-label=qr_label inner_html=poster.qr_svg.clone()></div>
            <p class="poster-link">{poster.link.clone()}</p>
            <div class="poster-langs">{instructions(Lang::Id)} {instructions(Lang::En)}</div>
            <p class="poster-brand">"Suara"</p>
        </article>
    }
}
