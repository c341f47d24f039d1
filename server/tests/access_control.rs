//! Every server function checks who is calling and which tenant they may touch. This test calls
//! each protected function as every kind of caller and expects 401 for the anonymous, 403 for
//! the wrong role or tenant, and neither for those allowed. A function registered without an
//! entry here fails the test, so a new function cannot skip the check unnoticed.

use crate::support::TestApp;
use http::StatusCode;
use plaza_types::TenantId;
use std::collections::{BTreeSet, HashMap};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Caller {
    Anonymous,
    Member,
    OperatorAdmin,
    OperatorStaff,
    OwnerA,
    CashierA,
    KitchenA,
    OwnerB,
    CashierB,
    FulfilmentC,
}

use Caller::*;

const EVERYONE: [Caller; 10] =
    [Anonymous, Member, OperatorAdmin, OperatorStaff, OwnerA, CashierA, KitchenA, OwnerB, CashierB, FulfilmentC];

/// Functions anyone may call: reading the mall and its offers, and the ways in and out.
const PUBLIC: [&str; 12] = [
    "/api/auth/viewer",
    "/api/member/levels",
    "/api/mall/info",
    "/api/mall/directory",
    "/api/auth/request-code",
    "/api/auth/sign-in",
    "/api/auth/staff-sign-in",
    "/api/auth/sign-out",
    "/api/auth/dev-code",
    "/api/coupons/claim-centre",
    "/api/points/rewards",
    "/api/pay/plate-info",
];

/// Functions only a signed-in member may call, about themselves (the form is a valid call).
const MEMBER_ONLY: [(&str, &str); 30] = [
    ("/api/member/card", ""),
    ("/api/member/code", ""),
    ("/api/member/profile", "name=Test&birthday="),
    ("/api/coupons/mine", ""),
    ("/api/coupons/claim", "template_id=1"),
    ("/api/points/overview", ""),
    ("/api/points/checkin-status", ""),
    ("/api/points/checkin", "back=%2F"),
    ("/api/points/invite", ""),
    ("/api/points/redeem", "reward_id=1&request_key=k1"),
    ("/api/points/redemptions", ""),
    ("/api/stored-value/mine", ""),
    ("/api/pay/options", "code=nosuchplate&amount=12.00"),
    ("/api/pay/plate", "code=nosuchplate&amount=12.00&request_key=access-test-key"),
    ("/api/pay/result", "payment_no=P0"),
    ("/api/pay/mine", ""),
    ("/api/receipts/mine", ""),
    ("/api/receipts/get", "id=999999"),
    ("/api/sandbox/order", "payment_no=P0"),
    ("/api/sandbox/confirm", "payment_no=P0"),
    ("/api/sandbox/cancel", "payment_no=P0"),
    ("/api/membership/page", ""),
    ("/api/membership/buy", "tier_id=999999&request_key=access-test-key"),
    ("/api/membership/sub/invite", ""),
    ("/api/membership/sub/unbind", ""),
    ("/api/membership/sub/leave", ""),
    ("/api/membership/sub/offer", "code=nosuchcode"),
    ("/api/membership/sub/accept", "code=nosuchcode"),
    ("/api/stored-value/topup-options", ""),
    ("/api/stored-value/topup", "amount=0.01&request_key=access-test-key"),
];

/// Scan-to-order: a table, its menu, a dish and the pickup wall are public (the scan comes before
/// any sign-in); the cart and the orders are the member's own.
const DINING_PUBLIC: [&str; 4] = ["/api/dining/table", "/api/dining/menu", "/api/dining/dish", "/api/dining/pickup"];

const DINING_MEMBER: [(&str, &str); 7] = [
    ("/api/dining/cart/add", "code=nosuchtable&shop=sichuan&dish=1"),
    ("/api/dining/cart/line", "code=nosuchtable&shop=sichuan&line=999999&quantity=0"),
    ("/api/dining/checkout", "code=nosuchtable&shop=sichuan"),
    ("/api/dining/order/place", "code=nosuchtable&shop=sichuan&request_key=access-test-key"),
    ("/api/dining/order", "order_no=P0"),
    ("/api/dining/order/cancel", "order_no=P0"),
    ("/api/dining/orders", ""),
];

/// The online mall: browsing is public; the review centre and a line's review form are the
/// buyer's own.
const SHOP_PUBLIC: [&str; 6] = [
    "/api/shop/home",
    "/api/shop/categories",
    "/api/shop/browse",
    "/api/shop/product",
    "/api/shop/product/reviews",
    "/api/shop/storefront",
];

const SHOP_MEMBER: [(&str, &str); 2] = [("/api/shop/reviews/mine", ""), ("/api/shop/reviews/line", "line=999999")];

/// Mall orders: the cart, checkout, addresses and orders are the shopper's own.
const MALL_ORDERS_MEMBER: [(&str, &str); 12] = [
    ("/api/mall/cart", ""),
    ("/api/mall/cart/add", "sku=999999"),
    ("/api/mall/cart/line", "sku=999999&quantity=0"),
    ("/api/mall/checkout", ""),
    ("/api/mall/address/add", "name=x&phone=1&address=x"),
    ("/api/mall/order/place", "request_key=access-test-key"),
    ("/api/mall/orders", ""),
    ("/api/mall/order", "order_no=P0-1"),
    ("/api/mall/order/cancel", "order_no=P0-1"),
    ("/api/mall/order/confirm", "order_no=P0-1"),
    ("/api/mall/aftersales", "order_no=P0-1"),
    ("/api/mall/aftersales/dispute", "request=999999&order_no=P0-1&note=access+test"),
];

struct Protected {
    path: &'static str,
    form: String,
    allowed: Vec<Caller>,
}

async fn tenant_id(app: &TestApp, code: &str) -> TenantId {
    plaza_core::tenants::list(&app.db).await.unwrap().into_iter().find(|t| t.code == code).unwrap().id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_protected_server_function_checks_the_caller() {
    let app = TestApp::start().await;
    let tenant_a = tenant_id(&app, "sichuan").await;

    let mut sessions: HashMap<Caller, Option<String>> = HashMap::new();
    sessions.insert(Anonymous, None);
    sessions.insert(Member, Some(app.member_session("13600000001").await));
    for (caller, username) in [
        (OperatorAdmin, "admin"),
        (OperatorStaff, "ops"),
        (OwnerA, "sichuan.owner"),
        (CashierA, "sichuan.cashier"),
        (KitchenA, "sichuan.kitchen"),
        (OwnerB, "yishang.owner"),
        (CashierB, "yishang.cashier"),
        (FulfilmentC, "homegoods.fulfilment"),
    ] {
        sessions.insert(caller, Some(app.staff_session(username).await));
    }

    let a = tenant_a.0;
    let mut protected: Vec<Protected> = MEMBER_ONLY
        .iter()
        .chain(DINING_MEMBER.iter())
        .chain(SHOP_MEMBER.iter())
        .chain(MALL_ORDERS_MEMBER.iter())
        .map(|(path, form)| Protected { path, form: form.to_string(), allowed: vec![Member] })
        .collect();
    protected.extend([
        Protected {
            path: "/api/tenant/profile",
            form: format!("tenant_id={a}"),
            allowed: vec![OperatorAdmin, OperatorStaff, OwnerA, CashierA, KitchenA],
        },
        Protected {
            path: "/api/tenant/staff",
            form: format!("tenant_id={a}"),
            allowed: vec![OperatorAdmin, OperatorStaff, OwnerA],
        },
        Protected {
            path: "/api/tenant/member-check",
            form: format!("tenant_id={a}&code=80000000001179500000012345678901"),
            allowed: vec![OwnerA, CashierA],
        },
        Protected {
            path: "/api/tenant/member-check/view",
            form: format!("tenant_id={a}&token=nosuchcheck"),
            allowed: vec![OwnerA, CashierA],
        },
        Protected {
            path: "/api/tenant/counter-sale/award",
            form: format!("tenant_id={a}&check=nosuchcheck&amount=12.00&receipt_no=AC1"),
            allowed: vec![OwnerA, CashierA],
        },
        Protected {
            path: "/api/tenant/counter-sales",
            form: format!("tenant_id={a}"),
            allowed: vec![OwnerA, CashierA],
        },
        Protected {
            path: "/api/tenant/counter-sale/reverse",
            form: format!("tenant_id={a}&sale_id=999999&reason=access+test"),
            allowed: vec![OwnerA],
        },
        Protected {
            path: "/api/sales/board",
            form: format!("tenant={a}"),
            allowed: vec![OperatorAdmin, OperatorStaff, OwnerA, CashierA],
        },
        Protected {
            path: "/api/sales/refund",
            form: "payment_no=P0&amount=1.00&reason=access+test&refund_key=access-test-refund-key&back=%2F".to_string(),
            allowed: vec![OperatorAdmin, OwnerA, OwnerB],
        },
        Protected {
            path: "/api/tenant/plates",
            form: format!("tenant={a}"),
            allowed: vec![OperatorAdmin, OperatorStaff, OwnerA, CashierA],
        },
        Protected {
            path: "/api/tenant/plates/issue",
            form: format!("tenant={a}&name=Access+test"),
            allowed: vec![OperatorAdmin, OwnerA],
        },
        Protected {
            path: "/api/tenant/plates/revoke",
            form: format!("tenant={a}&plate=999999"),
            allowed: vec![OperatorAdmin, OwnerA],
        },
        Protected { path: "/api/ops/overview", form: String::new(), allowed: vec![OperatorAdmin, OperatorStaff] },
        Protected { path: "/api/ops/tenants", form: String::new(), allowed: vec![OperatorAdmin, OperatorStaff] },
    ]);
    // The operator console: both operator roles read everything and make the manual changes on a
    // member (with a reason); only the mall administrator changes rules, coupons and rewards.
    let both = || vec![OperatorAdmin, OperatorStaff];
    let admin = || vec![OperatorAdmin];
    for (path, form, allowed) in [
        ("/api/ops/members/search", "query=8000", both()),
        ("/api/ops/members/profile", "member_id=1", both()),
        ("/api/ops/members/adjust-points", "member_id=1&points=10&reason=access+test", both()),
        // A credit (positive) is the administrator's alone; debits stay with both roles.
        ("/api/ops/members/adjust-stored-value", "member_id=1&amount=1.00&reason=access+test", admin()),
        ("/api/ops/members/hand-out", "member_id=1&template_id=1&reason=access+test", both()),
        ("/api/ops/rules", "", both()),
        ("/api/ops/rules/points-policy", "rate=1&refund_window_days=7&daily_cap=50000&negative_balance=allow", admin()),
        ("/api/ops/rules/override-set", "scope=category%3A1&rate=2", admin()),
        ("/api/ops/rules/override-remove", "id=999999", admin()),
        (
            "/api/ops/rules/campaign-add",
            "name_zh=test&name_en=&multiplier_pct=200&starts_on=2030-01-01&ends_on=2030-01-02&scope=mall",
            admin(),
        ),
        ("/api/ops/rules/campaign-remove", "id=999999", admin()),
        (
            "/api/ops/rules/levels",
            "levels%5B0%5D%5Bcode%5D=normal&levels%5B0%5D%5Bname_zh%5D=x&levels%5B0%5D%5Bname_en%5D=\
             &levels%5B0%5D%5Bmin_spend%5D=0&levels%5B0%5D%5Bmultiplier_pct%5D=100",
            admin(),
        ),
        ("/api/ops/rules/checkin", "enabled=on&base_points=5&streak_bonus=3%3A10&cycle_days=7", admin()),
        ("/api/ops/rules/invite", "inviter_points=200&max_rewards_per_day=10&min_purchase=10", admin()),
        ("/api/ops/rules/birthday", "template_code=birthday-gift", admin()),
        ("/api/ops/coupons", "", both()),
        (
            "/api/ops/coupons/create",
            "form%5Bcode%5D=access-test&form%5Bkind%5D=cash&form%5Bname_zh%5D=x&form%5Bvalue%5D=10\
             &form%5Bscope%5D=mall&form%5Bvalidity%5D=days&form%5Bvalid_days%5D=30&form%5Bper_member_limit%5D=1",
            admin(),
        ),
        ("/api/ops/coupons/status", "template_id=999999&status=paused", admin()),
        ("/api/ops/coupons/batch", "template_id=1&phones=13800138000", admin()),
        ("/api/ops/rewards", "", both()),
        ("/api/ops/receipts", "", both()),
        ("/api/ops/receipts/one", "id=999999", both()),
        (
            "/api/ops/receipts/approve",
            "id=999999&tenant_id=1&amount=10.00&receipt_no=X1&purchased=2026-11-22+12%3A00&note=",
            both(),
        ),
        ("/api/ops/receipts/reject", "id=999999&reason=x", both()),
        ("/api/ops/receipts/rules", "", both()),
        (
            "/api/ops/receipts/rules/set",
            "window_days=1&min_amount=10.00&per_tenant_daily=2&per_day=5&excluded=&reason=access+test",
            admin(),
        ),
        ("/api/ops/rewards/create", "form%5Bkind%5D=gift&form%5Bname_zh%5D=x&form%5Bpoints_price%5D=10", admin()),
        ("/api/ops/rewards/status", "reward_id=999999&active=true", admin()),
        ("/api/ops/stored-value", "from=&to=", both()),
        ("/api/ops/stored-value/credits", "", both()),
        ("/api/ops/stored-value/approve", "request_id=999999", admin()),
        ("/api/ops/stored-value/reject", "request_id=999999", admin()),
        ("/api/ops/membership", "", both()),
        (
            "/api/ops/membership/tier-create",
            "form%5Bcode%5D=access-test&form%5Bname_zh%5D=x&form%5Bprice%5D=0&form%5Bterm_days%5D=365",
            admin(),
        ),
        (
            "/api/ops/membership/tier-update",
            "tier_id=999999&form%5Bname_zh%5D=x&form%5Bprice%5D=99&form%5Bterm_days%5D=365",
            admin(),
        ),
        ("/api/ops/membership/tier-status", "tier_id=999999&active=false", admin()),
        ("/api/ops/membership/pack-create", "code=access-test&name_zh=x&name_en=&items=nosuchtemplate%3A1", admin()),
        ("/api/ops/membership/pack-update", "pack_id=999999&name_zh=x&name_en=&items=nosuchtemplate%3A1", admin()),
        ("/api/ops/membership/topup", "tiers=500%3A30&presets=100&min=10&max=5000", admin()),
        ("/api/ops/anomalies", "", both()),
        ("/api/ops/audit", "", both()),
        ("/api/ops/aftersales", "all=false", both()),
        ("/api/ops/aftersales/decide", "request=999999&ruling=uphold&note=access+test", both()),
        ("/api/ops/reconcile", "", both()),
        ("/api/ops/reconcile/run", "date=2020-01-01", admin()),
        ("/api/ops/reconcile/refund-query", "refund_no=R0", both()),
        ("/api/ops/reconcile/refund-handled", "refund_no=R0&note=access+test", admin()),
    ] {
        protected.push(Protected { path, form: form.to_string(), allowed });
    }
    protected.extend(dining_console(a));
    protected.extend(reports_console(a));
    protected.extend(shop_console(a, tenant_id(&app, "homegoods").await.0));
    protected.extend(mall_orders_console(a, tenant_id(&app, "homegoods").await.0));

    // Sign-out-everywhere is protected too, but calling it as an allowed caller would end the
    // sessions the rest of this test uses; it is checked separately below.
    let special = ["/api/auth/sign-out-everywhere"];
    let registered: BTreeSet<String> = server_fn::axum::server_fn_paths().map(|(path, _)| path.to_string()).collect();
    let classified: BTreeSet<String> = protected
        .iter()
        .map(|p| p.path.to_string())
        .chain(PUBLIC.iter().chain(DINING_PUBLIC.iter()).chain(SHOP_PUBLIC.iter()).map(|p| p.to_string()))
        .chain(special.iter().map(|p| p.to_string()))
        .collect();
    assert_eq!(registered, classified, "every server function must be listed here as public or protected");

    let mut failures = Vec::new();
    for function in &protected {
        for caller in EVERYONE {
            let reply = app.call(function.path, &function.form, sessions[&caller].as_deref()).await;
            let expected_refusal = if function.allowed.contains(&caller) {
                None
            } else if caller == Anonymous {
                Some(StatusCode::UNAUTHORIZED)
            } else {
                Some(StatusCode::FORBIDDEN)
            };
            let ok = match expected_refusal {
                Some(status) => reply.status == status,
                None => reply.status != StatusCode::UNAUTHORIZED && reply.status != StatusCode::FORBIDDEN,
            };
            if !ok {
                failures.push(format!("{} as {caller:?}: {} {}", function.path, reply.status, reply.body));
            }
        }
    }
    assert!(failures.is_empty(), "access control failures:\n{}", failures.join("\n"));

    let reply = app.call("/api/auth/sign-out-everywhere", "", None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_sees_only_its_own_data() {
    let app = TestApp::start().await;
    let own = tenant_id(&app, "yishang").await;
    let other = tenant_id(&app, "sichuan").await;
    let owner = app.staff_session("yishang.owner").await;
    let reply = app.call("/api/tenant/staff", &format!("tenant_id={}", own.0), Some(&owner)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("yishang.cashier") && !reply.body.contains("sichuan"), "{}", reply.body);
    let reply = app.call("/api/tenant/staff", &format!("tenant_id={}", other.0), Some(&owner)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(!reply.body.contains("sichuan."), "nothing of the other tenant leaks: {}", reply.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_everywhere_ends_every_session_of_the_caller_only() {
    let app = TestApp::start().await;
    let first = app.member_session("13600000002").await;
    let second = app.member_session("13600000002").await;
    let someone_else = app.member_session("13600000003").await;
    let reply = app.call("/api/auth/sign-out-everywhere", "", Some(&first)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    for (token, alive) in [(&first, false), (&second, false), (&someone_else, true)] {
        let reply = app.call("/api/member/card", "", Some(token)).await;
        assert_eq!(reply.status == StatusCode::OK, alive, "{}", reply.body);
    }
}

/// A status only: live streams never end, so their bodies are not read.
async fn status_of(app: &TestApp, path: &str, session: Option<&str>) -> StatusCode {
    use tower::ServiceExt;
    let mut request = http::Request::get(path).header(http::header::ACCEPT, "text/event-stream");
    if let Some(token) = session {
        request = request.header(http::header::COOKIE, format!("plaza_session={token}"));
    }
    let response = app.router.clone().oneshot(request.body(axum::body::Body::empty()).unwrap()).await.unwrap();
    response.status()
}

fn json(reply: &crate::support::Reply) -> serde_json::Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|e| panic!("{e}: {} {}", reply.status, reply.body))
}

fn refused(reply: &crate::support::Reply) -> bool {
    matches!(reply.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) || reply.body.contains("not_usable")
}

/// Cross-record checks on real records: shopper B on shopper A's actual payment, receipt, coupon
/// and invite; the owner of another shop on A's actual sale; the live streams; `/pay/code`. Each
/// attempt is refused and A's record is unchanged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_reaches_another_s_real_records() {
    let app = TestApp::start().await;
    let a = app.member_session("13600000061").await;
    let b = app.member_session("13600000062").await;
    let shop = tenant_id(&app, "yishang").await;
    let (plate,): (String,) = sqlx::query_as(
        "SELECT code FROM payment_plates WHERE tenant_id = $1 AND status = 'active' ORDER BY id LIMIT 1",
    )
    .bind(shop.0)
    .fetch_one(app.db.pool())
    .await
    .unwrap();

    // A's coupon from the claim centre, and A's payment at 衣尚's plate (sandbox), paid.
    let (template,): (i64,) = sqlx::query_as(
        "SELECT id FROM coupon_templates WHERE claimable = 1 AND status = 'active' AND kind = 'cash' ORDER BY id LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let reply = app.call("/api/coupons/claim", &format!("template_id={template}"), Some(&a)).await;
    let coupon = json(&reply).as_i64().unwrap_or_else(|| panic!("A claims a coupon: {}", reply.body));
    let reply = app.call("/api/pay/plate", &format!("code={plate}&amount=30.00&request_key=xrec-a-1"), Some(&a)).await;
    let payment = json(&reply).as_str().unwrap_or_else(|| panic!("A pays: {}", reply.body)).to_string();
    let reply = app.call("/api/sandbox/confirm", &format!("payment_no={payment}"), Some(&a)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{}", reply.body);
    let reply = app.call("/api/pay/result", &format!("payment_no={payment}"), Some(&a)).await;
    assert!(reply.body.contains("paid"), "A's payment completes: {}", reply.body);
    let state = || async {
        let (state,): (String,) = sqlx::query_as("SELECT state FROM payments WHERE payment_no = $1")
            .bind(&payment)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        state
    };

    // B on A's payment: its result, its sandbox order, its code page.
    for (path, form) in [
        ("/api/pay/result", format!("payment_no={payment}")),
        ("/api/sandbox/order", format!("payment_no={payment}")),
        ("/api/sandbox/confirm", format!("payment_no={payment}")),
        ("/api/sandbox/cancel", format!("payment_no={payment}")),
    ] {
        let reply = app.call(path, &form, Some(&b)).await;
        assert!(refused(&reply), "B on A's payment via {path}: {} {}", reply.status, reply.body);
        assert!(!reply.body.contains("30.00") && !reply.body.contains("3000"), "{path} leaks: {}", reply.body);
    }
    assert_eq!(app.get(&format!("/pay/code/{payment}"), Some(&b)).await.status, StatusCode::NOT_FOUND);
    assert!(app.get(&format!("/pay/code/{payment}"), None).await.status.is_redirection(), "to the sign-in");
    assert!(!app.call("/api/pay/mine", "", Some(&b)).await.body.contains(&payment));

    // B paying with A's coupon: refused, and A's coupon is still A's to use.
    let reply = app
        .call("/api/pay/plate", &format!("code={plate}&amount=30.00&coupon={coupon}&request_key=xrec-b-1"), Some(&b))
        .await;
    assert!(reply.status.is_client_error(), "B spends A's coupon: {} {}", reply.status, reply.body);
    let (coupon_state,): (String,) =
        sqlx::query_as("SELECT state FROM coupons WHERE id = $1").bind(coupon).fetch_one(app.db.pool()).await.unwrap();
    assert_eq!(coupon_state, "available");

    // B on A's receipt.
    let photo =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../ocr/fixtures/receipts/noodle-sans.jpg")).unwrap();
    let upload = http::Request::post("/receipts/upload")
        .header(http::header::CONTENT_TYPE, "image/jpeg")
        .header(http::header::ACCEPT, "application/json")
        .header(http::header::COOKIE, format!("plaza_session={a}"))
        .body(axum::body::Body::from(photo))
        .unwrap();
    let receipt = json(&app.send(upload).await)["id"].as_i64().unwrap();
    let reply = app.call("/api/receipts/get", &format!("id={receipt}"), Some(&b)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    assert_eq!(app.get(&format!("/receipts/{receipt}/photo"), Some(&b)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/receipts/{receipt}/thumb"), Some(&b)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.call("/api/receipts/get", &format!("id={receipt}"), Some(&a)).await.status, StatusCode::OK);

    // A's invite: B sees only their own code and none of A's invitees; A's code does not make an
    // existing member B A's invitee.
    let a_invite = json(&app.call("/api/points/invite", "", Some(&a)).await)["code"].as_str().unwrap().to_string();
    let b_invite = app.call("/api/points/invite", "", Some(&b)).await;
    assert!(!b_invite.body.contains(&a_invite), "{}", b_invite.body);
    let mut tx = app.db.begin_write().await.unwrap();
    let b_member = plaza_core::members::find_or_create_by_phone(
        &mut tx,
        &plaza_types::PhoneNumber::parse("13600000062").unwrap(),
        plaza_core::Timestamp::now(),
    )
    .await
    .unwrap()
    .0;
    let linked = plaza_core::invites::link(&mut tx, b_member, false, &a_invite, plaza_core::Timestamp::now()).await;
    tx.commit().await.unwrap();
    assert!(matches!(linked, Ok(Err(_))), "an existing member is nobody's invitee: {linked:?}");

    // The owner of another shop on 衣尚's actual sale: no board, no refund; the sale stays paid.
    let other_owner = app.staff_session("sichuan.owner").await;
    let reply = app.call("/api/sales/board", &format!("tenant={}", shop.0), Some(&other_owner)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    let reply = app
        .call(
            "/api/sales/refund",
            &format!("payment_no={payment}&amount=30.00&reason=xrec&refund_key=xrec-refund-key-0001&back=%2F"),
            Some(&other_owner),
        )
        .await;
    assert!(refused(&reply), "another shop refunds 衣尚's sale: {} {}", reply.status, reply.body);
    assert_eq!(state().await, "paid");

    // The live streams: only staff, only their own tenant unless an operator.
    let feed = format!("/events/sales?tenant={}", shop.0);
    assert_eq!(status_of(&app, "/events/sales", None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(status_of(&app, "/events/sales", Some(&a)).await, StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, &feed, Some(&other_owner)).await, StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, &feed, Some(&app.staff_session("yishang.cashier").await)).await, StatusCode::OK);
    assert_eq!(status_of(&app, &feed, Some(&app.staff_session("ops").await)).await, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shop_touches_only_its_own_counter_sales() {
    let app = TestApp::start().await;
    let a = tenant_id(&app, "sichuan").await.0;
    let b = tenant_id(&app, "yishang").await.0;
    let cashier_a = app.staff_session("sichuan.cashier").await;
    let owner_a = app.staff_session("sichuan.owner").await;
    let cashier_b = app.staff_session("yishang.cashier").await;
    let owner_b = app.staff_session("yishang.owner").await;
    app.member_session("13600000021").await;
    let (member,): (i64,) =
        sqlx::query_as("SELECT id FROM members WHERE phone = '13600000021'").fetch_one(app.db.pool()).await.unwrap();
    let now = plaza_core::Timestamp::now();
    let code = plaza_core::members::code::sign(&app.ctx.secrets, plaza_types::MemberId(member), now);

    // Shop A's cashier checks the member and awards a real sale.
    let reply = app.call("/api/tenant/member-check", &format!("tenant_id={a}&code={code}"), Some(&cashier_a)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    let (token,): (String,) = sqlx::query_as("SELECT token FROM member_checks WHERE member_id = $1")
        .bind(member)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    // Shop B can neither see nor use shop A's check.
    for (path, form) in [
        ("/api/tenant/member-check/view", format!("tenant_id={b}&token={token}")),
        ("/api/tenant/counter-sale/award", format!("tenant_id={b}&check={token}&amount=99.00&receipt_no=B-1")),
    ] {
        let reply = app.call(path, &form, Some(&cashier_b)).await;
        assert!(reply.status.is_client_error(), "{path}: {} {}", reply.status, reply.body);
        assert!(!reply.body.contains("13600000021") && !reply.body.contains("****0021"), "{}", reply.body);
    }
    let award = format!("tenant_id={a}&check={token}&amount=88.00&receipt_no=SC-1");
    let reply = app.call("/api/tenant/counter-sale/award", &award, Some(&cashier_a)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
    let (sale,): (i64,) = sqlx::query_as("SELECT id FROM counter_sales WHERE tenant_id = $1")
        .bind(a)
        .fetch_one(app.db.pool())
        .await
        .unwrap();

    // Shop B's cashier and owner cannot reverse it, through their own shop or A's.
    let reverse = |tenant: i64| format!("tenant_id={tenant}&sale_id={sale}&reason=not+ours");
    for (session, tenant, expected) in [
        (&cashier_b, a, StatusCode::FORBIDDEN),
        (&cashier_b, b, StatusCode::FORBIDDEN),
        (&owner_b, a, StatusCode::FORBIDDEN),
        (&owner_b, b, StatusCode::NOT_FOUND),
        (&cashier_a, a, StatusCode::FORBIDDEN),
    ] {
        let reply = app.call("/api/tenant/counter-sale/reverse", &reverse(tenant), Some(session)).await;
        assert_eq!(reply.status, expected, "{}", reply.body);
    }
    let reply = app.call("/api/tenant/counter-sales", &format!("tenant_id={b}"), Some(&owner_b)).await;
    assert_eq!((reply.status, reply.body.contains("SC-1")), (StatusCode::OK, false), "{}", reply.body);
    let (reversed,): (Option<i64>,) = sqlx::query_as("SELECT reversed_at FROM counter_sales WHERE id = $1")
        .bind(sale)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(reversed, None, "still standing");
    // Its own owner can.
    let reply = app.call("/api/tenant/counter-sale/reverse", &reverse(a), Some(&owner_a)).await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{} {}", reply.status, reply.body);
}

/// Scan-to-order in the consoles: the menu and tables are the owner's (the sold-out switch the
/// kitchen's and the cashier's too), the kitchen screen the kitchen's and the owner's, the food
/// courts the mall administrator's. Each entry names restaurant A (sichuan).
fn dining_console(a: i64) -> Vec<Protected> {
    let owner = || vec![OwnerA];
    let entry = |path: &'static str, form: String, allowed: Vec<Caller>| Protected { path, form, allowed };
    vec![
        entry("/api/tenant/menu", format!("tenant={a}"), vec![OwnerA, CashierA, KitchenA]),
        entry("/api/tenant/menu/fulfilment", format!("tenant={a}&mode=call_number"), owner()),
        entry("/api/tenant/menu/category/add", format!("tenant={a}&name_zh=x"), owner()),
        entry("/api/tenant/menu/category/update", format!("tenant={a}&category=999999&name_zh=x"), owner()),
        entry("/api/tenant/menu/arrange", format!("tenant={a}&what=dish&id=999999&to=up"), owner()),
        entry(
            "/api/tenant/menu/sold-out",
            format!("tenant={a}&dish=999999&sold_out=true"),
            vec![OwnerA, CashierA, KitchenA],
        ),
        entry("/api/tenant/menu/dish", format!("tenant={a}&dish=999999"), owner()),
        entry(
            "/api/tenant/menu/dish/save",
            format!("tenant={a}&dish=999999&category=999999&name_zh=x&price=1"),
            owner(),
        ),
        entry("/api/tenant/menu/dish/options", format!("tenant={a}&dish=999999&name_zh=x&min=0&max=1"), owner()),
        entry("/api/tenant/menu/dish/pairings", format!("tenant={a}&dish=999999"), owner()),
        entry("/api/tenant/tables", format!("tenant={a}"), vec![OperatorAdmin, OperatorStaff, OwnerA]),
        entry("/api/tenant/tables/edit", format!("tenant={a}&revoke=999999"), owner()),
        entry("/api/tenant/kitchen", format!("tenant={a}"), vec![OperatorAdmin, OperatorStaff, OwnerA, KitchenA]),
        entry("/api/tenant/kitchen/move", format!("tenant={a}&order=999999&from=paid"), vec![OwnerA, KitchenA]),
        entry("/api/tenant/kitchen/recall", format!("tenant={a}&order=999999"), vec![OwnerA, KitchenA]),
        entry("/api/tenant/kitchen/print", format!("tenant={a}&order=999999"), vec![OwnerA, CashierA, KitchenA]),
        entry(
            "/api/tenant/kitchen/ticket",
            format!("tenant={a}&order=999999&copy=1"),
            vec![OwnerA, CashierA, KitchenA],
        ),
        entry(
            "/api/tenant/dining/cancel",
            format!("tenant={a}&order_no=P0&reason=access+test"),
            vec![OwnerA, CashierA, KitchenA],
        ),
        entry("/api/tenant/dining/orders", format!("tenant={a}"), vec![OperatorAdmin, OperatorStaff, OwnerA, CashierA]),
        entry("/api/ops/dining", String::new(), vec![OperatorAdmin, OperatorStaff]),
        entry("/api/ops/dining/edit", "revoke=999999".to_string(), vec![OperatorAdmin]),
    ]
}

/// Reports and settlement: a tenant's owner reads its own, operators any tenant's; only the mall
/// administrator sets a commission rate.
fn reports_console(a: i64) -> Vec<Protected> {
    let entry = |path: &'static str, form: String, allowed: Vec<Caller>| Protected { path, form, allowed };
    vec![
        entry("/api/tenant/reports", format!("tenant={a}&preset=week"), vec![OperatorAdmin, OperatorStaff, OwnerA]),
        entry("/api/ops/tenants/commission", format!("tenant={a}"), vec![OperatorAdmin, OperatorStaff]),
        entry(
            "/api/ops/tenants/commission/set",
            format!("tenant={a}&rate=5&from=2099-01-01&reason=access+test"),
            vec![OperatorAdmin],
        ),
    ]
}

fn shop_console(a: i64, c: i64) -> Vec<Protected> {
    let shop = || vec![FulfilmentC];
    let ops = || vec![OperatorAdmin, OperatorStaff];
    let entry = |path: &'static str, form: String, allowed: Vec<Caller>| Protected { path, form, allowed };
    vec![
        entry("/api/tenant/shop/products", format!("tenant={c}&status=&q=&page=1"), shop()),
        entry("/api/tenant/shop/product/create", format!("tenant={c}&title=x&category=999999&price=1&stock=0"), shop()),
        entry("/api/tenant/shop/product", format!("tenant={c}&id=999999"), shop()),
        entry(
            "/api/tenant/shop/product/info",
            format!("tenant={c}&id=999999&title=x&subtitle=&code=X1&category=999999&tags=&params="),
            shop(),
        ),
        entry("/api/tenant/shop/product/specs", format!("tenant={c}&id=999999&price=1&stock=0"), shop()),
        entry(
            "/api/tenant/shop/product/skus",
            format!("tenant={c}&id=999999&skus%5B0%5D%5Bid%5D=1&skus%5B0%5D%5Bprice%5D=1"),
            shop(),
        ),
        entry("/api/tenant/shop/product/description", format!("tenant={c}&id=999999&html=x"), shop()),
        entry("/api/tenant/shop/product/publish", format!("tenant={c}&id=999999&on=true"), shop()),
        entry("/api/tenant/shop/product/photo", format!("tenant={c}&id=999999&photo=1&to=first"), shop()),
        entry(
            "/api/tenant/shop/stock/adjust",
            format!("tenant={c}&product=999999&sku=999999&delta=1&reason=restock&note="),
            shop(),
        ),
        entry("/api/tenant/shop/stock/history", format!("tenant={c}&product=999999"), shop()),
        entry("/api/tenant/shop/reviews", format!("tenant={c}&unanswered=false&page=1"), shop()),
        entry("/api/tenant/shop/reviews/reply", format!("tenant={c}&review=999999&words=x"), shop()),
        entry("/api/tenant/shop/imports", format!("tenant={c}"), shop()),
        entry("/api/tenant/shop/storefront", format!("tenant={a}"), vec![OwnerA]),
        entry(
            "/api/tenant/shop/storefront/save",
            format!("tenant={a}&name=x&intro=&opening_hours=&pickup_unit="),
            vec![OwnerA],
        ),
        entry("/api/tenant/promotions", format!("tenant={a}"), vec![OwnerA]),
        entry(
            "/api/tenant/promotions/create",
            format!("tenant={a}&kind=limited&sku=999999&price=1&ends=2099-01-01T00%3A00"),
            vec![OwnerA],
        ),
        entry("/api/tenant/promotions/end", format!("tenant={a}&id=999999"), vec![OwnerA]),
        entry("/api/ops/promotions/cap", String::new(), ops()),
        entry("/api/ops/promotions/cap/set", "max_off_pct=70".into(), vec![OperatorAdmin]),
        entry("/api/ops/shop/home", String::new(), ops()),
        entry("/api/ops/shop/banner", "id=999999&title=x&link=%2Fmall&position=0".into(), ops()),
        entry("/api/ops/shop/hot-words", "words=%E4%BF%9D%E6%B8%A9%E6%9D%AF".into(), ops()),
        entry("/api/ops/shop/feature", "product=999999&on=true".into(), ops()),
        entry("/api/ops/shop/categories", String::new(), ops()),
        entry("/api/ops/shop/category", "id=999999&name_zh=x&name_en=&icon=box&sort=0".into(), ops()),
        entry("/api/ops/shop/products", "q=&blocked=false&page=1".into(), ops()),
        entry("/api/ops/shop/take-down", "product=999999&down=true&reason=x".into(), ops()),
        entry("/api/ops/shop/reviews", "hidden=false&page=1".into(), ops()),
        entry("/api/ops/shop/review/hide", "review=999999&reason=x".into(), ops()),
    ]
}

/// The shop's mall orders: its owner and fulfilment staff (refunds: the owner alone); operators
/// and other shops are refused.
fn mall_orders_console(a: i64, c: i64) -> Vec<Protected> {
    let shop = || vec![FulfilmentC];
    let entry = |path: &'static str, form: String, allowed: Vec<Caller>| Protected { path, form, allowed };
    vec![
        entry("/api/tenant/mall/orders", format!("tenant={c}"), shop()),
        entry("/api/tenant/mall/order", format!("tenant={c}&order_no=P0-1"), shop()),
        entry("/api/tenant/mall/order/accept", format!("tenant={c}&order_no=P0-1"), shop()),
        entry("/api/tenant/mall/order/hand-over", format!("tenant={c}&code=00000000"), shop()),
        entry(
            "/api/tenant/mall/order/dispatch",
            format!("tenant={c}&order_no=P0-1&carrier=x&tracking_no=SF0001"),
            shop(),
        ),
        entry("/api/tenant/mall/order/delivered", format!("tenant={c}&order_no=P0-1"), shop()),
        entry("/api/tenant/mall/order/refund", format!("tenant={a}&order_no=P0-1&reason=access+test"), vec![OwnerA]),
        entry("/api/tenant/mall/aftersales", format!("tenant={c}&all=false"), shop()),
        entry("/api/tenant/mall/aftersales/order", format!("tenant={c}&order_no=P0-1"), shop()),
        entry("/api/tenant/mall/aftersales/approve", format!("tenant={c}&request=999999&order_no=P0-1"), shop()),
        entry(
            "/api/tenant/mall/aftersales/reject",
            format!("tenant={c}&request=999999&order_no=P0-1&reason=access+test"),
            shop(),
        ),
    ]
}
