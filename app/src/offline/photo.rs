//! Photos shrunk on the device before they are kept: drawn on a canvas at
//! most 1600 px on the long side and encoded again as JPEG of about 400 KB.
//! Drawing keeps only the pixels: EXIF (GPS position included), XMP and
//! every other metadata of the original are gone (the server strips them
//! again rather than trust the device). The browser applies the EXIF
//! orientation while decoding, so the photo stays the right way up.

use super::complaints::{fit, PHOTO_TARGET_BYTES};
use crate::net::js_error;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// Photos picked on the form, shrunk, by id, until the complaint is kept.
    static PICKED: std::cell::RefCell<Vec<(String, web_sys::Blob, String)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Shrinks `file` and holds it for the form: its id and a URL to show it.
pub async fn pick(file: web_sys::File) -> Result<(String, String), String> {
    let blob = shrink(&file).await?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js_error)?;
    let id = uuid::Uuid::new_v4().to_string();
    PICKED.with_borrow_mut(|p| p.push((id.clone(), blob, url.clone())));
    Ok((id, url))
}

/// Lets go of a picked photo.
pub fn forget(id: &str) {
    PICKED.with_borrow_mut(|p| {
        p.retain(|(i, _, url)| {
            if i == id {
                let _ = web_sys::Url::revoke_object_url(url);
            }
            i != id
        })
    });
}

/// The picked photos `ids`, as Blobs, for keeping with a complaint.
pub fn take(ids: &[String]) -> Vec<(String, JsValue)> {
    PICKED.with_borrow(|p| {
        ids.iter()
            .filter_map(|id| {
                p.iter()
                    .find(|(i, _, _)| i == id)
                    .map(|(i, b, _)| (i.clone(), JsValue::from(b.clone())))
            })
            .collect()
    })
}

/// JPEG qualities tried in turn until the photo is small enough.
const QUALITIES: [f64; 4] = [0.82, 0.7, 0.55, 0.4];

/// `file` shrunk and re-encoded as a JPEG Blob; `Err` when the browser
/// cannot decode it (not an image, or a format it does not read).
pub async fn shrink(file: &web_sys::File) -> Result<web_sys::Blob, String> {
    let window = web_sys::window().ok_or("no window")?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(
        window
            .create_image_bitmap_with_blob(file)
            .map_err(js_error)?,
    )
    .await
    .map_err(js_error)?
    .dyn_into()
    .map_err(js_error)?;
    let (w, h) = fit(bitmap.width(), bitmap.height());
    let canvas: web_sys::HtmlCanvasElement = leptos::prelude::document()
        .create_element("canvas")
        .map_err(js_error)?
        .unchecked_into();
    canvas.set_width(w);
    canvas.set_height(h);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js_error)?
        .ok_or("no 2d canvas")?
        .unchecked_into();
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w.into(), h.into())
        .map_err(js_error)?;
    bitmap.close();
    let mut last = None;
    for quality in QUALITIES {
        let blob = jpeg(&canvas, quality).await?;
        if blob.size() <= PHOTO_TARGET_BYTES {
            return Ok(blob);
        }
        last = Some(blob);
    }
    last.ok_or_else(|| "no JPEG".into())
}

async fn jpeg(canvas: &web_sys::HtmlCanvasElement, quality: f64) -> Result<web_sys::Blob, String> {
    let canvas = canvas.clone();
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let done = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        let _ = canvas.to_blob_with_type_and_encoder_options(
            done.unchecked_ref(),
            "image/jpeg",
            &JsValue::from_f64(quality),
        );
    });
    JsFuture::from(promise)
        .await
        .map_err(js_error)?
        .dyn_into()
        .map_err(|_| "the photo could not be encoded".into())
}
