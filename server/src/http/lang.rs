//! `POST /lang`: the language switch for browsers without JavaScript. Sets the device's language
//! cookie and goes back to the page it came from.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use plaza_types::Lang;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LangForm {
    lang: String,
    #[serde(default)]
    back: String,
}

pub async fn switch(Form(form): Form<LangForm>) -> Response {
    let lang = Lang::from_tag(&form.lang);
    let back = plaza_app::auth::safe_next(&form.back, "/");
    let cookie = format!("{}={}; Path=/; Max-Age=31536000; SameSite=Lax", Lang::COOKIE, lang.tag());
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let (Ok(location), Ok(cookie)) = (HeaderValue::from_str(&back), HeaderValue::from_str(&cookie)) {
        response.headers_mut().insert(header::LOCATION, location);
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}
