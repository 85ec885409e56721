//! The catalogue from a spreadsheet on `/admin` (administrators only): a
//! file uploaded is kept and previewed at `/admin/katalog/{id}`, applied from
//! there, and the whole catalogue downloads as CSV or XLSX. The work is
//! [`crate::catalogue`]'s.

use super::caller::Administrator;
use super::extract::Path;
use super::problem::Problem;
use super::AppState;
use crate::catalogue::{self, file::Format, CatalogueError, MAX_FILE_BYTES};
use crate::refusal::Refuse;
use app::model::admin_page::AdminRefusal;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use uuid::Uuid;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/katalog",
            post(upload).layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024)),
        )
        .route("/admin/katalog/{id}/terapkan", post(apply))
        .route(
            "/admin/katalog.csv",
            get(|s, a| download(s, a, Format::Csv)),
        )
        .route(
            "/admin/katalog.xlsx",
            get(|s, a| download(s, a, Format::Xlsx)),
        )
}

/// Back to `/admin`, saying why the file was refused.
fn refused(e: CatalogueError) -> Response {
    if e.refusal().is_none() {
        return Problem::from(e).into_response();
    }
    let slug = match e {
        CatalogueError::UnknownUpload => AdminRefusal::UnknownUpload,
        _ => AdminRefusal::BadCatalogueFile,
    }
    .slug();
    let detail: String = e.to_string().chars().take(300).collect();
    let query = serde_urlencoded::to_string([("error", slug), ("detail", &detail)])
        .unwrap_or_else(|_| format!("error={slug}"));
    Redirect::to(&format!("/admin?{query}#import")).into_response()
}

/// `POST /admin/katalog` (multipart, field `file`): kept, then its preview.
async fn upload(
    State(s): State<AppState>,
    Administrator(admin): Administrator,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(mut form) = form else {
        return refused(CatalogueError::Unreadable(
            "send the file as a form upload".into(),
        ));
    };
    let mut file = None;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_owned();
            match field.bytes().await {
                Ok(bytes) => file = Some((name, bytes)),
                Err(_) => return refused(CatalogueError::TooLarge),
            }
        }
    }
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return refused(CatalogueError::Unreadable(
            "choose a CSV or XLSX file".into(),
        ));
    };
    // The name as the browser sent it, without any folder.
    let name = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .to_owned();
    match catalogue::upload(&s.store, &admin.email, &name, &bytes).await {
        Ok(id) => Redirect::to(&format!("/admin/katalog/{id}")).into_response(),
        Err(e) => refused(e),
    }
}

/// `POST /admin/katalog/{id}/terapkan`: the upload applied (planned again
/// against the catalogue as it is now).
async fn apply(
    State(s): State<AppState>,
    Administrator(admin): Administrator,
    Path(id): Path<Uuid>,
) -> Response {
    match catalogue::apply_upload(&s.store, &admin.email, id).await {
        Ok(i) if i.applied => Redirect::to("/admin?done=catalog-import").into_response(),
        Ok(i) if i.plan.unchanged() && i.plan.refused.is_empty() => {
            Redirect::to("/admin?done=catalog-unchanged").into_response()
        }
        // Rows refused: the preview says which.
        Ok(_) => Redirect::to(&format!("/admin/katalog/{id}")).into_response(),
        Err(e) => refused(e),
    }
}

/// `GET /admin/katalog.csv` and `.xlsx`: the whole catalogue, in the columns
/// an import reads.
async fn download(
    State(s): State<AppState>,
    Administrator(_): Administrator,
    format: Format,
) -> Response {
    match catalogue::export(&s.store, format).await {
        Ok(bytes) => {
            let (content_type, file) = match format {
                Format::Csv => ("text/csv; charset=utf-8", "katalog-suara.csv"),
                Format::Xlsx => (
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "katalog-suara.xlsx",
                ),
            };
            super::delivery::download(content_type, file, bytes.into())
        }
        Err(e) => Problem::from(e).into_response(),
    }
}
