//! The browser's `fetch`, with JSON parsed by the browser (`JSON.parse`)
//! and read into Rust types by serde-wasm-bindgen, which the IndexedDB
//! outbox uses already: the wasm carries no JSON parser of its own, and a
//! cheap phone downloads less (browser only).

use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What the server answered: its status and its body as parsed JSON
/// (`undefined` when it was not JSON).
pub struct Answer {
    pub status: u16,
    pub body: JsValue,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// `method url`, with `body` as `application/json` when given. `Err`: the
/// request never got an answer (no network, no server).
pub async fn fetch_json(method: &str, url: &str, body: Option<&str>) -> Result<Answer, String> {
    let body = body.map(JsValue::from_str);
    fetch(method, url, body.as_ref().map(|b| (b, "application/json"))).await
}

/// `method url` with `body` (a string, Blob or buffer) of type
/// `content_type`; the answer's body is read as JSON when it is.
pub async fn fetch(
    method: &str,
    url: &str,
    body: Option<(&JsValue, &str)>,
) -> Result<Answer, String> {
    fetch_with(method, url, body, None).await
}

/// [`fetch`] with one more header (`name`, `value`).
pub async fn fetch_with(
    method: &str,
    url: &str,
    body: Option<(&JsValue, &str)>,
    header: Option<(&str, &str)>,
) -> Result<Answer, String> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(js_error)?;
    if let Some((name, value)) = header {
        headers.set(name, value).map_err(js_error)?;
    }
    if let Some((body, content_type)) = body {
        headers
            .set("Content-Type", content_type)
            .map_err(js_error)?;
        init.set_body(body);
    }
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(js_error)?;
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(js_error)?
        .dyn_into()
        .map_err(js_error)?;
    let body = match response.json() {
        Ok(parsing) => JsFuture::from(parsing).await.unwrap_or(JsValue::UNDEFINED),
        Err(_) => JsValue::UNDEFINED,
    };
    Ok(Answer {
        status: response.status(),
        body,
    })
}

/// A parsed JSON value as `T`.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// JSON text as `T`, parsed by the browser.
pub fn parse<T: DeserializeOwned>(json: &str) -> Result<T, String> {
    from_js(js_sys::JSON::parse(json).map_err(js_error)?)
}

/// `value` as JSON text, written by the browser (`JSON.stringify`) with the
/// field order, `null`s and numbers serde_json would write.
pub fn stringify<T: serde::Serialize>(value: &T) -> Result<String, String> {
    let js = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| e.to_string())?;
    js_sys::JSON::stringify(&js)
        .map(String::from)
        .map_err(js_error)
}

pub fn js_error(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            js_sys::Reflect::get(&e, &"message".into())
                .ok()?
                .as_string()
        })
        .unwrap_or_else(|| "a browser error".into())
}
