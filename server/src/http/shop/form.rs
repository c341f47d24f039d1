//! Reading a multipart form one part at a time: text fields whole (small), each file into
//! memory only up to its limit, so a request never holds more than one file.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use plaza_app::components::error_param;
use plaza_types::AppError;

/// Uploads this process holds at once; one more is told to try again.
static IN_FLIGHT: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

pub fn admit() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    IN_FLIGHT.try_acquire().map_err(|_| AppError::Unavailable)
}

pub enum Part {
    Text(String, String),
    /// A chosen file's bytes (a file input left empty is skipped).
    File(Vec<u8>),
}

pub struct Form(Multipart);

pub async fn open(request: Request) -> Result<Form, AppError> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(AppError::PhotoUnreadable);
    }
    Multipart::from_request(request, &()).await.map(Form).map_err(|_| AppError::PhotoUnreadable)
}

fn too_large(limit: usize) -> AppError {
    AppError::PhotoTooLarge { max_mb: (limit >> 20) as i64 }
}

impl Form {
    /// The next part; files over `file_limit` bytes are refused as they stream in.
    pub async fn next(&mut self, file_limit: usize) -> Result<Option<Part>, AppError> {
        loop {
            let field = match self.0.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => return Ok(None),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large(file_limit)),
                Err(_) => return Err(AppError::PhotoUnreadable),
            };
            let name = field.name().unwrap_or_default().to_string();
            if field.file_name().is_some() {
                let mut field = field;
                let mut bytes = Vec::new();
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => {
                            if bytes.len() + chunk.len() > file_limit {
                                return Err(too_large(file_limit));
                            }
                            bytes.extend_from_slice(&chunk);
                        }
                        Ok(None) => break,
                        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large(file_limit)),
                        Err(_) => return Err(AppError::PhotoUnreadable),
                    }
                }
                if bytes.is_empty() {
                    continue;
                }
                return Ok(Some(Part::File(bytes)));
            }
            let text = field.text().await.map_err(|_| AppError::PhotoUnreadable)?;
            if text.len() > 4096 {
                return Err(AppError::invalid(plaza_types::error::Field::Reason));
            }
            return Ok(Some(Part::Text(name, text)));
        }
    }
}

pub fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("application/json"))
}

pub fn json_error(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    (status, [(header::CONTENT_TYPE, "application/json")], serde_json::to_string(error).unwrap_or_default())
        .into_response()
}

/// What a handled form did: where a browser goes next, and what a JSON caller is told.
pub struct Done {
    pub to: String,
    pub json: serde_json::Value,
}

/// The answer to a form: on to `done.to` (or `done.json`), or back to `back` with the error
/// (a `#fragment` of `back` kept last).
pub fn answer(result: Result<Done, AppError>, back: &str, json: bool) -> Response {
    match (result, json) {
        (Ok(done), true) => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], done.json.to_string()).into_response()
        }
        (Err(error), true) => json_error(&error),
        (Ok(done), false) => Redirect::to(&done.to).into_response(),
        (Err(AppError::Unauthenticated), false) => {
            Redirect::to(&format!("/login?next={}", plaza_app::auth::encode_component(back))).into_response()
        }
        (Err(error), false) => {
            let (path, fragment) =
                back.split_once('#').map(|(p, f)| (p, format!("#{f}"))).unwrap_or((back, String::new()));
            let join = if path.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{path}{join}{}{fragment}", error_param(&error))).into_response()
        }
    }
}
