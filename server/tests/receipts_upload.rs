//! `POST /receipts/upload` in process: who may upload, what is refused (too big, wrong type,
//! HEIC, not an image), what is accepted (the receipt at once in `recognising`), and who may
//! see the stored photo.

use crate::support::TestApp;
use axum::body::Body;
use http::{header, Request, StatusCode};
use plaza_core::auth::sessions;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ocr/fixtures/receipts/noodle-sans.jpg");

async fn upload(app: &TestApp, session: Option<&str>, content_type: &str, body: Vec<u8>) -> crate::support::Reply {
    let mut request = Request::post("/receipts/upload")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT, "application/json")
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(token) = session {
        request = request.header(header::COOKIE, format!("{}={token}", sessions::COOKIE));
    }
    app.send(request.body(Body::from(body)).unwrap()).await
}

fn multipart(photo: &[u8]) -> (String, Vec<u8>) {
    let boundary = "plazaboundary1234";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"r.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(photo);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_are_refused_plainly_and_accepted_at_once() {
    let app = TestApp::start().await;
    let photo = std::fs::read(FIXTURE).unwrap();

    let anonymous = upload(&app, None, "image/jpeg", photo.clone()).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", anonymous.body);
    assert!(anonymous.body.contains("unauthenticated"), "{}", anonymous.body);
    let staff = app.staff_session("admin").await;
    assert_eq!(upload(&app, Some(&staff), "image/jpeg", photo.clone()).await.status, StatusCode::FORBIDDEN);

    let member = app.member_session("13800138000").await;
    let gif = upload(&app, Some(&member), "image/gif", b"GIF89a\x01\x00\x01\x00".to_vec()).await;
    assert_eq!(gif.status, StatusCode::BAD_REQUEST);
    assert!(
        gif.body.contains(r#""error":"photo_unsupported""#) && gif.body.contains(r#""heic":false"#),
        "{}",
        gif.body
    );
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    let heic = upload(&app, Some(&member), "image/heic", heic).await;
    assert!(heic.body.contains(r#""heic":true"#), "{}", heic.body);
    let broken = upload(&app, Some(&member), "image/jpeg", photo[..200].to_vec()).await;
    assert!(broken.body.contains("photo_unreadable"), "{}", broken.body);
    // Past the route's limit: refused before the body is read.
    let huge = upload(&app, Some(&member), "image/jpeg", vec![0xFF; 13 * 1024 * 1024]).await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Under the route's limit but over the photo cap.
    let (kind, body) = multipart(&vec![0xFF; 12 * 1024 * 1024 + 10]);
    let over = upload(&app, Some(&member), &kind, body).await;
    assert!(over.body.contains("photo_too_large"), "{}", over.body);
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM receipts").fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(count, 0, "nothing refused was recorded");

    // Accepted, raw (the island) and as a form (no JavaScript: a redirect to its page).
    let raw = upload(&app, Some(&member), "image/jpeg", photo.clone()).await;
    assert_eq!(raw.status, StatusCode::CREATED, "{}", raw.body);
    let reply: serde_json::Value = serde_json::from_str(&raw.body).unwrap();
    assert_eq!(reply["status"], "recognising");
    let id = reply["id"].as_i64().unwrap();
    let (kind, body) = multipart(&photo);
    let request = Request::post("/receipts/upload")
        .header(header::CONTENT_TYPE, kind)
        .header(header::COOKIE, format!("{}={member}", sessions::COOKIE))
        .body(Body::from(body))
        .unwrap();
    let form = app.send(request).await;
    assert_eq!(form.status, StatusCode::SEE_OTHER);
    assert!(form.headers[header::LOCATION].to_str().unwrap().starts_with("/receipts/"));

    // The photo: its member and operators; nobody else learns it exists.
    let own = app.get(&format!("/receipts/{id}/photo"), Some(&member)).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.headers[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(app.get(&format!("/receipts/{id}/thumb"), Some(&staff)).await.status, StatusCode::OK);
    let other = app.member_session("13900139000").await;
    assert_eq!(app.get(&format!("/receipts/{id}/photo"), Some(&other)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/receipts/{id}/photo"), None).await.status, StatusCode::UNAUTHORIZED);
    let cashier = app.staff_session("yishang.cashier").await;
    assert_eq!(app.get(&format!("/receipts/{id}/photo"), Some(&cashier)).await.status, StatusCode::NOT_FOUND);

    // Without OCR models the receipt goes to the review queue (read in the background).
    let mut status = String::new();
    for _ in 0..100 {
        let (s,): (String,) = sqlx::query_as("SELECT status FROM receipts WHERE id = $1")
            .bind(id)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        status = s;
        if status != "recognising" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(status, "review");
}

/// With the photos in an S3 bucket (moto's server, signatures checked): the upload lands in the
/// bucket under `receipts/…` and the photo page serves those very bytes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploaded_photos_go_to_the_s3_bucket_and_come_back() {
    use http_body_util::BodyExt;
    use plaza_core::storage::moto::{Moto, BUCKET};
    use plaza_core::storage::Storage;
    use tower::ServiceExt;
    let Some(moto) = Moto::start().await else { return };
    let TestApp { db, mut ctx, .. } = TestApp::start().await;
    ctx.receipts.store = std::sync::Arc::new(Storage::s3(&moto.config(BUCKET)).unwrap());
    let options = leptos::config::LeptosOptions::builder().output_name("plaza").site_root("target/site").build();
    let app = TestApp { router: plaza_server::http::router(ctx.clone(), options), db, ctx };

    let member = app.member_session("13800138000").await;
    let raw = upload(&app, Some(&member), "image/jpeg", std::fs::read(FIXTURE).unwrap()).await;
    assert_eq!(raw.status, StatusCode::CREATED, "{}", raw.body);
    let id = serde_json::from_str::<serde_json::Value>(&raw.body).unwrap()["id"].as_i64().unwrap();
    let (_, photo_key, _) = plaza_core::receipts::views::photo_keys(&app.db, id).await.unwrap();
    assert!(photo_key.starts_with("receipts/"), "{photo_key}");
    let stored = app.ctx.receipts.store.get(&photo_key).await.expect("the photo is in the bucket");

    let request = Request::get(format!("/receipts/{id}/photo"))
        .header(header::COOKIE, format!("{}={member}", sessions::COOKIE))
        .body(Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "image/jpeg");
    let served = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(served.as_ref(), stored.as_slice());
}
