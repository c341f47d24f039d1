//! The tenant's reports and settlement statement over HTTP, on a real sale: its own owner reads
//! them (page, server function, both CSV files); another tenant's owner, its cashier and the
//! anonymous are refused and learn nothing; operators read any tenant's, and only the mall
//! administrator sets a commission rate.

use crate::support::TestApp;
use http::StatusCode;

async fn tenant_id(app: &TestApp, code: &str) -> i64 {
    plaza_core::tenants::list(&app.db).await.unwrap().into_iter().find(|t| t.code == code).unwrap().id.0
}

/// A member pays ¥30.00 at 衣尚's plate through the sandbox.
async fn a_sale(app: &TestApp, shop: i64) {
    let member = app.member_session("13600000071").await;
    let (plate,): (String,) = sqlx::query_as(
        "SELECT code FROM payment_plates WHERE tenant_id = $1 AND status = 'active' ORDER BY id LIMIT 1",
    )
    .bind(shop)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let reply = app.call("/api/pay/plate", &format!("code={plate}&amount=30.00&request_key=rp-1"), Some(&member)).await;
    let payment: String = serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("{e}: {}", reply.body));
    let reply = app.call("/api/sandbox/confirm", &format!("payment_no={payment}"), Some(&member)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{}", reply.body);
    // The result page asks the provider and completes the payment.
    let reply = app.call("/api/pay/result", &format!("payment_no={payment}"), Some(&member)).await;
    assert!(reply.body.contains("paid"), "{}", reply.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_reads_only_its_own_reports_and_statement() {
    let app = TestApp::start().await;
    let shop = tenant_id(&app, "yishang").await;
    a_sale(&app, shop).await;
    let owner = app.staff_session("yishang.owner").await;
    let cashier = app.staff_session("yishang.cashier").await;
    let other_owner = app.staff_session("sichuan.owner").await;
    let ops = app.staff_session("ops").await;
    let admin = app.staff_session("admin").await;
    let form = format!("tenant={shop}&preset=day");
    let csv = |file: &str| format!("/tenant/reports/{file}.csv?tenant={shop}&preset=day");

    // Its owner: the figures, as data and as files.
    let reply = app.call("/api/tenant/reports", &form, Some(&owner)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("\"sales\":3000"), "{}", reply.body);
    for file in ["statement", "sales"] {
        let reply = app.get(&csv(file), Some(&owner)).await;
        assert_eq!(reply.status, StatusCode::OK, "{file}: {}", reply.body);
        assert!(reply.body.starts_with('\u{feff}') && reply.body.contains("30.00"), "{file}: {}", reply.body);
        assert!(reply.headers[http::header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    }
    let page = app.get("/tenant/reports?preset=day", Some(&owner)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-testid=\"statement\"") && page.body.contains("¥30.00"), "{}", page.body);

    // Another shop's owner, the shop's own cashier and the anonymous: refused, nothing leaks.
    for (who, session, status) in [
        ("another owner", Some(&other_owner), StatusCode::FORBIDDEN),
        ("the cashier", Some(&cashier), StatusCode::FORBIDDEN),
        ("anonymous", None, StatusCode::UNAUTHORIZED),
    ] {
        let session = session.map(String::as_str);
        let reply = app.call("/api/tenant/reports", &form, session).await;
        assert_eq!(reply.status, status, "{who}: {}", reply.body);
        assert!(!reply.body.contains("3000"), "{who}: {}", reply.body);
        for file in ["statement", "sales"] {
            let reply = app.get(&csv(file), session).await;
            assert_eq!(reply.status, status, "{who} {file}: {}", reply.body);
            assert!(!reply.body.contains("30.00"), "{who} {file}: {}", reply.body);
        }
    }

    // Operators read any tenant's statement; only the administrator sets the rate.
    assert_eq!(app.get(&csv("statement"), Some(&ops)).await.status, StatusCode::OK);
    let page = app.get(&format!("/ops/tenants/{shop}/reports?preset=day"), Some(&ops)).await;
    assert!(page.status == StatusCode::OK && page.body.contains("data-testid=\"commission\""), "{}", page.body);
    let today = plaza_core::mall::timezone(&app.db).await.unwrap().date(plaza_core::Timestamp::now());
    let set = format!("tenant={shop}&rate=5.5&from={today}&reason=%E5%90%88%E5%90%8C");
    assert_eq!(app.call("/api/ops/tenants/commission/set", &set, Some(&ops)).await.status, StatusCode::FORBIDDEN);
    let reply = app.call("/api/ops/tenants/commission/set", &set, Some(&admin)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    let reply = app.call("/api/tenant/reports", &form, Some(&owner)).await;
    // 5.5 % of ¥30.00 is ¥1.65, the sale being today.
    assert!(reply.body.contains("\"commission\":165") && reply.body.contains("\"net_owed\":2835"), "{}", reply.body);
    let reply = app.call("/api/ops/tenants/commission/set", &set.replace(&today, "2020-01-01"), Some(&admin)).await;
    assert!(reply.status.is_client_error(), "a rate in the past: {} {}", reply.status, reply.body);
}
