//! Paid membership, sub-cards and top-up as a browser without JavaScript gets them: pages that
//! need a member send visitors to sign in, buying and topping up are plain form posts that go on
//! to the sandbox's pay page, and refusals come back to the page with the reason.

use crate::support::TestApp;
use axum::body::Body;
use http::{header, Request, StatusCode};
use plaza_core::payments::{sandbox, views};
use plaza_core::Timestamp;

async fn form_post(app: &TestApp, session: &str, path: &str, form: &str) -> crate::support::Reply {
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://plaza.example/membership")
        .header(header::COOKIE, format!("{}={session}", plaza_core::auth::sessions::COOKIE))
        .body(Body::from(form.to_string()))
        .unwrap();
    app.send(request).await
}

fn value_of<'a>(html: &'a str, name: &str) -> &'a str {
    let at = html.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("a {name} field"));
    let start = html[at..].find("value=\"").unwrap() + at + 7;
    let end = html[start..].find('"').unwrap() + start;
    &html[start..end]
}

fn location(reply: &crate::support::Reply) -> String {
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    reply.headers[header::LOCATION].to_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signed_out_visitors_are_sent_to_sign_in_and_back() {
    let app = TestApp::start().await;
    for (path, next) in
        [("/membership", "%2Fmembership"), ("/balance/topup", "%2Fbalance%2Ftopup"), ("/sub/abc", "%2Fsub%2Fabc")]
    {
        let reply = app.get(path, None).await;
        assert_eq!(reply.status, StatusCode::FOUND, "{path}");
        assert_eq!(reply.headers[header::LOCATION], format!("/login?next={next}").as_str());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buying_a_membership_without_javascript_goes_to_the_pay_page_and_the_sub_card_follows() {
    let app = TestApp::start().await;
    let main = app.member_session("13600000201").await;
    let page = app.get("/membership", Some(&main)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("个人会员卡") && page.body.contains("卓越会员卡"), "{}", page.body);
    let key = value_of(&page.body, "request_key").to_string();
    let tier = value_of(&page.body, "tier_id").to_string();

    let form = format!("tier_id={tier}&request_key={key}");
    let to = location(&form_post(&app, &main, "/api/membership/buy", &form).await);
    assert!(to.starts_with("/pay/go/P"), "{to}");
    // The same form sent twice starts one payment.
    assert_eq!(location(&form_post(&app, &main, "/api/membership/buy", &form).await), to);
    let payment_no = to.trim_start_matches("/pay/go/");
    let sandbox = app.ctx.payments.sandbox.clone().unwrap();
    sandbox::confirm(&app.db, &sandbox, payment_no, Timestamp::now()).await.unwrap();
    let provider = app.ctx.payments.provider.clone();
    views::settle_return(&app.db, provider.as_ref(), payment_no, Timestamp::now()).await.unwrap();

    let page = app.get("/membership", Some(&main)).await;
    assert!(page.body.contains("有效期至") && page.body.contains("续费 ¥99"), "{}", page.body);
    let to = location(&form_post(&app, &main, "/api/membership/sub/invite", "").await);
    assert_eq!(to, "/membership?invited=1#sub");
    let page = app.get("/membership?invited=1", Some(&main)).await;
    let link_at = page.body.find("data-testid=\"sub-link\"").expect("the invitation link");
    let code: String = page.body[..link_at].rsplit("/sub/").next().unwrap().chars().take(10).collect();

    let friend = app.member_session("13600000202").await;
    let offer = app.get(&format!("/sub/{code}"), Some(&friend)).await;
    assert!(offer.body.contains("136****0201"), "{}", offer.body);
    let to = location(&form_post(&app, &friend, "/api/membership/sub/accept", &format!("code={code}")).await);
    assert_eq!(to, "/membership?bound=1");
    // A second acceptance is refused with the reason on the landing page.
    let stranger = app.member_session("13600000203").await;
    let to = location(&form_post(&app, &stranger, "/api/membership/sub/accept", &format!("code={code}")).await);
    assert!(to.starts_with(&format!("/sub/{code}?error=")), "{to}");
    let refused = app.get(&to, Some(&stranger)).await;
    assert!(refused.body.contains("此邀请已失效"), "{}", refused.body);
    let page = app.get("/membership", Some(&main)).await;
    assert!(page.body.contains("副卡：136****0202"), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_top_up_outside_the_bounds_comes_back_with_the_reason_and_a_good_one_goes_to_pay() {
    let app = TestApp::start().await;
    let member = app.member_session("13600000204").await;
    let page = app.get("/balance/topup", Some(&member)).await;
    assert!(page.body.contains("满¥500送¥30"), "{}", page.body);
    let key = value_of(&page.body, "request_key").to_string();
    let to =
        location(&form_post(&app, &member, "/api/stored-value/topup", &format!("amount=5&request_key={key}")).await);
    assert!(to.starts_with("/balance/topup?amount=5&error="), "{to}");
    let refused = app.get(&to, Some(&member)).await;
    assert!(refused.body.contains("notice-error"), "{}", refused.body);
    // The demo mall's own payments (its reconciliation day) are another shopper's.
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM payments p JOIN members m ON m.id = p.member_id WHERE m.phone = '13600000204'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(n, 0, "nothing was started");

    let to = location(
        &form_post(&app, &member, "/api/stored-value/topup", &format!("preset=50000&request_key={key}")).await,
    );
    assert!(to.starts_with("/pay/go/P"), "{to}");
    let payment = plaza_core::payments::find(app.db.pool(), to.trim_start_matches("/pay/go/")).await.unwrap().unwrap();
    assert_eq!((payment.purpose.as_str(), payment.amount_fen), ("topup", 50_000));
    let (bonus,): (i64,) = sqlx::query_as("SELECT bonus_fen FROM topup_payments WHERE payment_id = $1")
        .bind(payment.id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(bonus, 3_000, "the bonus shown is kept with the payment");
}
