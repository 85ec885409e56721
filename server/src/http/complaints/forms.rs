//! The plain form posts of the complaint pages, which work without script.

use super::*;

/// The plain form posts of `/pengaduan/{code}`, which work without script:
/// each makes its change and sends the browser back to the complaint,
/// saying what happened.
pub fn form_routes() -> Router<AppState> {
    Router::new()
        .route("/pengaduan/{code}/pindah", post(move_form))
        .route("/pengaduan/{code}/pesan", post(message_form))
        .route("/pengaduan/{code}/privasi", post(privacy_form))
        .route("/s/{code}/pengaduan", post(complaint_form))
        .route(
            "/pengaduan/{code}/berkas",
            post(evidence_form).layer(axum::extract::DefaultBodyLimit::max(
                MAX_PDF_BYTES + 64 * 1024,
            )),
        )
}

/// Back to the complaint: `done`, or the refusal's slug.
fn back(code: &str, result: Result<ComplaintView, ComplaintError>) -> Response {
    let code: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    match result {
        Ok(v) => Redirect::to(&format!("/pengaduan/{}?done=1", v.code)).into_response(),
        Err(e) if e.refusal().is_some() => {
            Redirect::to(&format!("/pengaduan/{code}?error={}", e.slug())).into_response()
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct MoveForm {
    #[serde(default)]
    to: String,
    note: Option<String>,
    unit: Option<String>,
    /// The close form's box "close as abuse" (sent only when ticked).
    abuse: Option<String>,
}

async fn move_form(
    State(state): State<AppState>,
    Caller(account): Caller,
    Path(code): Path<String>,
    Form(f): Form<MoveForm>,
) -> Response {
    let req = MoveRequest {
        to: f.to,
        note: f.note,
        unit: f.unit,
        abuse: f.abuse.is_some(),
    };
    let now = OffsetDateTime::now_utc();
    let moved = complaints::staff_move(&state.store, &account, &code, req, now).await;
    crate::http::events::announce_resolved(&state, &moved);
    back(&code, moved)
}

#[derive(Deserialize)]
struct MessageForm {
    text: Option<String>,
    resolved: Option<String>,
    rating: Option<String>,
    /// The citizen's key, put in the form from the tracking link by `citizen-key.js`.
    key: Option<String>,
}

async fn message_form(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<MessageForm>,
) -> Response {
    if crate::http::caller::Credential::of(&headers).is_some() {
        return back(&code, Err(ComplaintError::StaffAsCitizen));
    }
    let m = CitizenMessage {
        key: f.key,
        text: f.text,
        resolved: f.resolved.as_deref().map(|r| r == "true"),
        rating: f.rating.as_deref().map(|r| r.trim().parse().unwrap_or(0)),
    };
    let now = OffsetDateTime::now_utc();
    let moved = complaints::citizen_message(&state.store, &code, m, now).await;
    crate::http::events::announce_resolved(&state, &moved);
    back(&code, moved)
}

#[derive(Deserialize)]
struct PrivacyForm {
    #[serde(default)]
    privacy: String,
}

async fn privacy_form(
    State(state): State<AppState>,
    Caller(account): Caller,
    Path(code): Path<String>,
    Form(f): Form<PrivacyForm>,
) -> Response {
    let now = OffsetDateTime::now_utc();
    back(
        &code,
        complaints::make_private(&state.store, &account, &code, &f.privacy, now).await,
    )
}

/// `POST /s/{code}/pengaduan`: the plain complaint form; on to its receipt,
/// or back to the form saying why not.
async fn complaint_form(
    State(state): State<AppState>,
    Path(service): Path<String>,
    body: String,
) -> Response {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let one = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let form = ComplaintForm {
        text: one("text").unwrap_or_default(),
        items: pairs
            .iter()
            .filter(|(n, _)| n == "items")
            .map(|(_, v)| v.clone())
            .collect(),
        happened_on: one("happened_on"),
        privacy: one("privacy"),
    };
    let service: String = service
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    match complaints::file_form(&state.store, &service, form, OffsetDateTime::now_utc()).await {
        Ok(Ok((code, key))) => {
            if let Ok(Some((service_id, _))) = state.store.service_ids_by_code(&service).await {
                crate::http::events::announce(
                    &state,
                    crate::store::live::What::Complaint,
                    [service_id],
                );
            }
            // The key travels to the receipt in a cookie for that page only
            // (never in an address or a log), which shows it once in the
            // tracking link.
            let secure = if state.backend.secure_cookies() {
                "; Secure"
            } else {
                ""
            };
            let cookie = format!(
                "{}={key}; Path=/pengaduan/{code}; HttpOnly; SameSite=Strict; Max-Age=900{secure}",
                app::session::CITIZEN_KEY_COOKIE
            );
            let mut r = Redirect::to(&format!("/pengaduan/{code}?baru=1")).into_response();
            if let Ok(v) = axum::http::HeaderValue::from_str(&cookie) {
                r.headers_mut().append(axum::http::header::SET_COOKIE, v);
            }
            r
        }
        Ok(Err(why)) => {
            let query = serde_urlencoded::to_string([("error", why)]).unwrap_or_default();
            Redirect::to(&format!("/s/{service}/pengaduan?{query}")).into_response()
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

/// `POST /pengaduan/{code}/berkas`: the unit's evidence (a photo or a PDF)
/// from the complaint's page, as a multipart form with one `file`.
async fn evidence_form(
    State(state): State<AppState>,
    Caller(account): Caller,
    Path(code): Path<String>,
    mut form: axum::extract::Multipart,
) -> Response {
    let mut file = None;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("file") {
            let declared = field.content_type().map(str::to_owned);
            match field.bytes().await {
                Ok(bytes) => file = Some((declared, bytes)),
                Err(_) => break,
            }
        }
    }
    let Some((declared, data)) = file.filter(|(_, b)| !b.is_empty()) else {
        return back(
            &code,
            Err(ComplaintError::BadFile("choose a photo or a PDF to attach")),
        );
    };
    let now = OffsetDateTime::now_utc();
    let id = uuid::Uuid::new_v4();
    let stored = complaints::upload(
        &state.store,
        complaints::attachments::Uploader::Staff(&account),
        &code,
        id,
        declared.as_deref(),
        data,
        now,
    )
    .await;
    match stored {
        Ok(_) => back(
            &code,
            complaints::staff_view(&state.store, &code, now).await,
        ),
        Err(e) => back(&code, Err(e)),
    }
}
