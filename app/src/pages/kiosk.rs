//! `/k/{code}`: the rating form on a shared tablet at the counter. Large face
//! buttons, a fresh form a few seconds after each response, and a shortest
//! interval between responses (`?interval=` seconds, default 5).

use super::service::{FormLoader, FormMode};
use leptos::prelude::*;

#[component]
pub fn KioskPage(code: String, interval_ms: f64) -> impl IntoView {
    view! {
        <div class="kiosk-page">
            <FormLoader code mode=FormMode::Kiosk interval_ms done=None/>
        </div>
    }
}
