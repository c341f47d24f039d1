//! The operator console as a browser without JavaScript gets it: every page renders for both
//! operator roles, lists show masked phone numbers only, the manual changes are plain form posts
//! that come back to the profile, and rule forms are offered to the administrator only.

use crate::support::TestApp;
use axum::body::Body;
use http::{header, Request, StatusCode};
use plaza_types::MemberId;

/// A signed-in form post without JavaScript: the browser accepts HTML and sends a Referer.
async fn form_post(app: &TestApp, session: &str, path: &str, form: &str, referer: &str) -> crate::support::Reply {
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, referer)
        .header(header::COOKIE, format!("{}={session}", plaza_core::auth::sessions::COOKIE))
        .body(Body::from(form.to_string()))
        .unwrap();
    app.send(request).await
}

async fn demo_member(app: &TestApp) -> MemberId {
    plaza_core::operator::members::search(&app.db, "13800138000").await.unwrap()[0].member_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operator_page_renders_for_both_roles() {
    let app = TestApp::start().await;
    let member = demo_member(&app).await;
    for username in ["admin", "ops"] {
        let session = app.staff_session(username).await;
        for path in [
            "/ops/members".to_string(),
            format!("/ops/members/{member}"),
            "/ops/points".to_string(),
            "/ops/coupons".to_string(),
            "/ops/rewards".to_string(),
            "/ops/stored-value".to_string(),
            "/ops/anomalies".to_string(),
            "/ops/audit".to_string(),
            "/ops/membership".to_string(),
            "/ops/receipts/rules".to_string(),
        ] {
            let page = app.get(&path, Some(&session)).await;
            assert_eq!(page.status, StatusCode::OK, "{username} {path}");
            assert!(!page.body.contains("notice-error"), "{username} {path}: {}", page.body);
        }
    }
    let cashier = app.staff_session("yishang.cashier").await;
    let page = app.get("/ops/members", Some(&cashier)).await;
    assert!(!page.body.contains("138****8000"), "tenant staff see no members");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_are_listed_and_shown_with_masked_numbers_only() {
    let app = TestApp::start().await;
    let ops = app.staff_session("ops").await;
    let member = demo_member(&app).await;
    for path in ["/ops/members".to_string(), "/ops/members?q=8000".to_string(), format!("/ops/members/{member}")] {
        let page = app.get(&path, Some(&ops)).await;
        assert!(page.body.contains("138****8000"), "{path}");
        assert!(!page.body.contains("13800138000"), "{path} never shows the full number");
    }
    let page = app.get("/ops/audit", Some(&ops)).await;
    assert!(page.body.contains("data-testid=\"chain\""), "the chain is verified on load");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adjustments_are_plain_form_posts_that_come_back_to_the_profile() {
    let app = TestApp::start().await;
    let ops = app.staff_session("ops").await;
    let member = demo_member(&app).await;
    let profile = format!("http://plaza.example/ops/members/{member}");
    let before = plaza_core::points::account::balance(app.db.pool(), member).await.unwrap().available;

    let form = format!("member_id={member}&points=%2B120&reason=%E6%8A%95%E8%AF%89%E8%A1%A5%E5%81%BF");
    let reply = form_post(&app, &ops, "/api/ops/members/adjust-points", &form, &profile).await;
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    assert_eq!(reply.headers[header::LOCATION], format!("/ops/members/{member}?saved=points").as_str());
    let after = plaza_core::points::account::balance(app.db.pool(), member).await.unwrap().available;
    assert_eq!(after, before + 120);
    let page = app.get(&format!("/ops/members/{member}?saved=points"), Some(&ops)).await;
    assert!(page.body.contains("已保存") && page.body.contains("投诉补偿"), "saved, and the reason is in the ledger");

    // No reason: back to the profile with the error, nothing changed.
    let form = format!("member_id={member}&amount=-1.50&reason=");
    let reply = form_post(&app, &ops, "/api/ops/members/adjust-stored-value", &form, &profile).await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert!(TestApp::has_flash(&reply), "the error goes to the next page");
    let page = app.follow(&reply, Some(&ops)).await;
    assert!(page.body.contains("原因格式不正确"), "the page shows the error");
    assert!(!page.body.contains("已保存"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rule_forms_are_offered_to_the_administrator_only() {
    let app = TestApp::start().await;
    let admin = app.staff_session("admin").await;
    let ops = app.staff_session("ops").await;
    for (path, form) in [
        ("/ops/points", "data-testid=\"override-form\""),
        ("/ops/coupons", "data-testid=\"template-form\""),
        ("/ops/rewards", "data-testid=\"reward-form\""),
        ("/ops/membership", "data-testid=\"ops-tier-create\""),
        ("/ops/receipts/rules", "data-testid=\"receipt-rules-form\""),
    ] {
        let page = app.get(path, Some(&admin)).await;
        assert!(page.body.contains(form) && !page.body.contains("data-testid=\"admin-only\""), "admin {path}");
        let page = app.get(path, Some(&ops)).await;
        assert!(!page.body.contains(form) && page.body.contains("data-testid=\"admin-only\""), "ops {path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_issue_reports_who_was_skipped_on_the_page() {
    let app = TestApp::start().await;
    let admin = app.staff_session("admin").await;
    let templates = plaza_core::coupons::admin::page(&app.db).await.unwrap().templates;
    let parking = templates.iter().find(|t| t.code == "parking-2h").unwrap().id;
    let form = format!("template_id={parking}&phones=13800138000%0A13900139000%0A12345%0A13700000000");
    let reply = form_post(&app, &admin, "/api/ops/coupons/batch", &form, "http://plaza.example/ops/coupons").await;
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    let location = reply.headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(location.starts_with("/ops/coupons?issued=2&"), "{location}");
    let page = app.get(&location, Some(&admin)).await;
    assert!(page.body.contains("已发放 2 张"), "the outcome is on the page");
    assert!(page.body.contains("137****0000") && page.body.contains("不是会员"));
    assert!(page.body.contains("12345") && page.body.contains("不是有效手机号"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receipt_rules_change_with_a_reason_and_bad_input_changes_nothing() {
    use plaza_core::receipts::ReceiptRules;
    let app = TestApp::start().await;
    let admin = app.staff_session("admin").await;
    let page = "http://plaza.example/ops/receipts/rules";
    let rules = |window: &str, minimum: &str, tenant: &str, day: &str, excluded: &str, reason: &str| {
        format!(
            "window_days={window}&min_amount={minimum}&per_tenant_daily={tenant}&per_day={day}\
             &excluded={excluded}&reason={reason}"
        )
    };
    // Each of these is refused and leaves the defaults: no reason, a per-shop cap above the daily
    // one, an unknown shop, a minimum that is not money, a window of a year.
    for (form, says) in [
        (rules("1", "20.00", "2", "5", "", ""), "请填写修改原因"),
        (rules("1", "20.00", "6", "5", "", "x"), "每店上限不超过每日上限"),
        (rules("1", "20.00", "2", "5", "roast%2C+nosuchshop", "x"), "不存在的商户编码"),
        (rules("1", "twenty", "2", "5", "", "x"), "最低金额须为"),
        (rules("365", "20.00", "2", "5", "", "x"), "上传期限须为 0–30 天"),
    ] {
        let reply = form_post(&app, &admin, "/api/ops/receipts/rules/set", &form, page).await;
        assert_eq!(reply.status, StatusCode::FOUND, "{form}");
        assert!(TestApp::has_flash(&reply), "{form}: the error goes to the next page");
        let shown = app.follow(&reply, Some(&admin)).await;
        assert!(shown.body.contains(says), "{form}: the page says {says}");
        let stored: ReceiptRules = plaza_core::settings::get(app.db.pool()).await.unwrap();
        assert_eq!(stored, ReceiptRules::default(), "{form}");
    }
    let form = rules("2", "20.00", "1", "4", "roast%2C+coffee", "%E5%91%A8%E6%9C%AB%E6%B4%BB%E5%8A%A8");
    let reply = form_post(&app, &admin, "/api/ops/receipts/rules/set", &form, page).await;
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    assert_eq!(reply.headers[header::LOCATION], "/ops/receipts/rules?saved=rules");
    let stored: ReceiptRules = plaza_core::settings::get(app.db.pool()).await.unwrap();
    assert_eq!(
        stored,
        ReceiptRules {
            window_days: 2,
            min_amount_fen: 2_000,
            per_tenant_daily: 1,
            per_day: 4,
            excluded_tenants: vec!["roast".into(), "coffee".into()],
        }
    );
    let shown = app.get("/ops/receipts/rules?saved=rules", Some(&admin)).await;
    assert!(shown.body.contains("data-testid=\"saved\"") && shown.body.contains("¥20.00"), "{}", shown.body);
    let audit = app.get("/ops/audit", Some(&admin)).await;
    assert!(audit.body.contains("周末活动"), "the reason is audited");
}
