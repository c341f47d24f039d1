use super::moto::{Moto, BUCKET};
use super::*;
use std::path::PathBuf;
use std::time::Duration;

/// A JPEG's first bytes, then `len` bytes of filler: enough for the type check.
fn jpeg(len: usize, seed: u8) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    bytes
}

struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Folder {
        Folder(std::env::temp_dir().join(format!(
            "plaza-storage-{name}-{}-{}",
            std::process::id(),
            rand::random::<u64>()
        )))
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn keys_are_namespaced_typed_and_stay_inside() {
    let key = Key::new(Purpose::Receipts, "ab/ab12.jpg").unwrap();
    assert_eq!(key.as_str(), "receipts/ab/ab12.jpg");
    assert_eq!((key.purpose(), key.content_type()), (Purpose::Receipts, ContentType::Jpeg));
    assert_eq!(Key::parse("dishes/7/main.webp").unwrap().content_type().mime(), "image/webp");
    assert_eq!(Key::parse("products/9.png").unwrap().purpose(), Purpose::Products);
    assert_eq!(Key::parse("reviews/3/1.jpeg").unwrap().purpose().max_bytes(), 4 << 20);
    for bad in [
        "",
        "receipts",
        "receipts/",
        "/receipts/a.jpg",
        "receipts//a.jpg",
        "receipts/../a.jpg",
        "receipts/./a.jpg",
        "../etc/passwd",
        "receipts/../../etc/passwd.jpg",
        "receipts/a b.jpg",
        "receipts/a\\..\\b.jpg",
        "receipts/%2e%2e/a.jpg",
        "receipts/a.exe",
        "receipts/a",
        "secrets/a.jpg",
        "Receipts/a.jpg",
        "receipts/ä.jpg",
    ] {
        let error = Key::parse(bad).unwrap_err();
        assert!(matches!(error, StorageError::BadKey { .. }), "{bad:?}: {error}");
    }
    assert!(Key::parse(&format!("receipts/{}.jpg", "a".repeat(300))).is_err());
}

#[tokio::test]
async fn local_store_round_trip_in_the_old_layout() {
    let folder = Folder::new("round-trip");
    let store = Storage::local(&folder.0).unwrap();
    let photo = jpeg(300_000, 1);
    store.put("receipts/ab/abc.jpg", photo.clone()).await.unwrap();
    assert_eq!(store.get("receipts/ab/abc.jpg").await.unwrap(), photo);
    // The same file a `LocalStore` wrote before the storage service: existing photos still read.
    assert_eq!(std::fs::read(folder.0.join("receipts/ab/abc.jpg")).unwrap(), photo);
    std::fs::create_dir_all(folder.0.join("receipts/cd")).unwrap();
    std::fs::write(folder.0.join("receipts/cd/old.jpg"), jpeg(10, 2)).unwrap();
    assert_eq!(store.get("receipts/cd/old.jpg").await.unwrap(), jpeg(10, 2));
    // Replaced whole.
    store.put("receipts/ab/abc.jpg", jpeg(5, 3)).await.unwrap();
    assert_eq!(store.get("receipts/ab/abc.jpg").await.unwrap(), jpeg(5, 3));
    store.delete("receipts/ab/abc.jpg").await.unwrap();
    assert!(store.get("receipts/ab/abc.jpg").await.unwrap_err().is_not_found());
    store.delete("receipts/ab/abc.jpg").await.expect("deleting twice is no error");
    store.check(Purpose::Receipts).await.unwrap();
    assert_eq!(store.to_string(), format!("the folder {}", folder.0.display()));
}

#[tokio::test]
async fn local_store_says_not_found_for_a_missing_key() {
    let folder = Folder::new("missing");
    let store = Storage::local(&folder.0).unwrap();
    let error = store.get("receipts/ab/none.jpg").await.unwrap_err();
    assert!(matches!(&error, StorageError::NotFound { key, .. } if key == "receipts/ab/none.jpg"), "{error}");
    assert!(error.to_string().contains("no such object"), "{error}");
}

#[tokio::test]
async fn local_store_refuses_keys_that_leave_the_folder() {
    let outer = Folder::new("traversal");
    let root = outer.0.join("photos");
    let store = Storage::local(&root).unwrap();
    std::fs::write(outer.0.join("secret.jpg"), jpeg(4, 0)).unwrap();
    for key in ["../secret.jpg", "receipts/../../secret.jpg", "/etc/passwd", "receipts/..", "receipts/../x.jpg"] {
        assert!(matches!(store.get(key).await, Err(StorageError::BadKey { .. })), "{key}");
        assert!(matches!(store.put(key, jpeg(4, 9)).await, Err(StorageError::BadKey { .. })), "{key}");
        assert!(matches!(store.delete(key).await, Err(StorageError::BadKey { .. })), "{key}");
    }
    assert_eq!(std::fs::read(outer.0.join("secret.jpg")).unwrap(), jpeg(4, 0), "untouched");
    assert_eq!(std::fs::read_dir(&root).unwrap().count(), 0, "nothing written");
}

#[tokio::test]
async fn storage_bounds_sizes_and_checks_the_content_type() {
    let folder = Folder::new("bounds");
    let store = Storage::local(&folder.0).unwrap();
    let max = Purpose::Receipts.max_bytes() as usize;
    let error = store.put("receipts/big.jpg", jpeg(max, 0)).await.unwrap_err();
    assert!(matches!(error, StorageError::TooLarge { max: m, .. } if m == max as u64), "{error}");
    store.put("receipts/edge.jpg", jpeg(max - 4, 0)).await.expect("exactly the bound is allowed");
    let error = store.put("dishes/1/big.jpg", jpeg(Purpose::Dishes.max_bytes() as usize, 0)).await.unwrap_err();
    assert!(matches!(error, StorageError::TooLarge { purpose: "dishes", .. }), "{error}");
    let png = b"\x89PNG\r\n\x1a\nrest".to_vec();
    let error = store.put("products/1.jpg", png.clone()).await.unwrap_err();
    assert!(matches!(error, StorageError::WrongType { expected: "image/jpeg", .. }), "{error}");
    store.put("products/1.png", png).await.unwrap();
    // Something too big that got into the folder some other way is refused before it is read.
    std::fs::create_dir_all(folder.0.join("reviews")).unwrap();
    std::fs::write(folder.0.join("reviews/huge.jpg"), jpeg(Purpose::Reviews.max_bytes() as usize, 0)).unwrap();
    assert!(matches!(store.get("reviews/huge.jpg").await, Err(StorageError::TooLarge { .. })));
}

#[test]
fn s3_config_is_checked_and_debug_hides_the_secret() {
    let config = S3Config {
        endpoint: "http://127.0.0.1:9000/".into(),
        bucket: "plaza-photos".into(),
        region: "us-east-1".into(),
        access_key: "plaza".into(),
        secret_key: "very-secret".into(),
    };
    assert_eq!(config.check().unwrap().as_str(), "http://127.0.0.1:9000/");
    assert!(!format!("{config:?}").contains("very-secret"));
    let store = Storage::s3(&config).unwrap();
    assert!(!format!("{store:?}").contains("very-secret"), "{store:?}");
    assert_eq!(store.to_string(), "the S3 bucket `plaza-photos` at http://127.0.0.1:9000");
    assert!(S3Config { endpoint: "ftp://x".into(), ..config.clone() }.check().is_err());
    assert!(S3Config { endpoint: "http://u:p@x".into(), ..config.clone() }.check().is_err());
    assert!(S3Config { bucket: "Bad_Bucket".into(), ..config.clone() }.check().is_err());
    assert!(S3Config { region: "us east".into(), ..config.clone() }.check().is_err());
    assert!(S3Config { secret_key: String::new(), ..config.clone() }.check().is_err());
    assert!(matches!(Storage::s3(&S3Config { bucket: "x".into(), ..config }), Err(StorageError::Config(_))));
    assert_eq!(s3::error_code("<Error><Code>NoSuchKey</Code></Error>"), Some("NoSuchKey"));
    assert_eq!(s3::error_code("<html>gateway</html>"), None);
}

/// Against moto's S3 server with signature checking on: the cases the bucket must get right.
#[tokio::test]
async fn s3_store_against_moto() {
    let Some(moto) = Moto::start().await else { return };
    let store = Storage::s3(&moto.config(BUCKET)).unwrap();
    store.check(Purpose::Receipts).await.expect("bucket there, key accepted");

    // Put then get, with the content type kept.
    let photo = jpeg(300_000, 7);
    store.put("receipts/ab/abc.jpg", photo.clone()).await.unwrap();
    store.put("receipts/ab/abc-thumb.jpg", jpeg(100, 8)).await.unwrap();
    assert_eq!(store.get("receipts/ab/abc.jpg").await.unwrap(), photo);
    assert_eq!(store.get("receipts/ab/abc-thumb.jpg").await.unwrap(), jpeg(100, 8));
    let stored = store.store.get(&object_store::path::Path::from("receipts/ab/abc.jpg")).await.unwrap();
    assert_eq!(stored.attributes.get(&Attribute::ContentType).map(|v| v.as_ref()), Some("image/jpeg"));

    // A missing key: a clear not-found.
    let missing = store.get("receipts/ab/none.jpg").await.unwrap_err();
    assert!(matches!(&missing, StorageError::NotFound { key, .. } if key == "receipts/ab/none.jpg"), "{missing}");
    store.delete("receipts/ab/abc-thumb.jpg").await.unwrap();
    assert!(store.get("receipts/ab/abc-thumb.jpg").await.unwrap_err().is_not_found());
    assert!(matches!(store.get("../etc/passwd").await, Err(StorageError::BadKey { .. })));

    // The wrong secret: refused, said so, the secret nowhere in the message, nothing written.
    let wrong = Storage::s3(&S3Config { secret_key: "not-the-secret".into(), ..moto.config(BUCKET) }).unwrap();
    let refused = wrong.put("receipts/ab/evil.jpg", jpeg(10, 0)).await.unwrap_err();
    assert!(
        matches!(&refused, StorageError::Refused { code, operation: "PUT", .. } if code == "SignatureDoesNotMatch"),
        "{refused}"
    );
    let message = refused.to_string();
    assert!(message.contains("secret key") && !message.contains("not-the-secret"), "{message}");
    assert!(matches!(wrong.get("receipts/ab/abc.jpg").await, Err(StorageError::Refused { .. })));
    assert!(matches!(wrong.check(Purpose::Receipts).await, Err(StorageError::Refused { .. })));
    assert!(store.get("receipts/ab/evil.jpg").await.unwrap_err().is_not_found(), "nothing written");
    let unknown = Storage::s3(&S3Config { access_key: "AKIANOBODY".into(), ..moto.config(BUCKET) }).unwrap();
    let refused = unknown.get("receipts/ab/abc.jpg").await.unwrap_err();
    assert!(matches!(&refused, StorageError::Refused { code, .. } if code == "InvalidAccessKeyId"), "{refused}");

    // The bucket missing: its own error, not "no such photo".
    let nowhere = Storage::s3(&moto.config("plaza-no-such-bucket")).unwrap();
    for error in [
        nowhere.put("receipts/ab/abc.jpg", jpeg(10, 0)).await.unwrap_err(),
        nowhere.get("receipts/ab/abc.jpg").await.unwrap_err(),
        nowhere.check(Purpose::Receipts).await.unwrap_err(),
    ] {
        assert!(matches!(error, StorageError::NoBucket { .. }), "{error}");
        assert!(error.to_string().contains("`plaza-no-such-bucket`") && error.to_string().contains("does not exist"));
    }
}

#[tokio::test]
async fn s3_store_gives_up_after_its_timeout() {
    // Accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let config = S3Config {
        endpoint,
        bucket: BUCKET.into(),
        region: "us-east-1".into(),
        access_key: "plaza".into(),
        secret_key: "secret".into(),
    };
    let store = Storage::s3_with_timeout(&config, Duration::from_millis(300)).unwrap();
    let error = store.put("receipts/ab/slow.jpg", jpeg(10, 0)).await.unwrap_err();
    assert!(matches!(error, StorageError::Failed { operation: "PUT", .. }), "{error}");
}
