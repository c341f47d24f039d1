//! The shopper's mall order page follows `/events/orders/<no>` on real records: the shop accepts
//! A's order and A's stream says so; shopper B's stream of A's order is not found, and B's own
//! stream never carries A's order.

use crate::support::mall::{ok, paid_order, sku_on_sale};
use crate::support::{sse, TestApp};
use http::StatusCode;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shopper_follows_only_their_own_mall_order() {
    let app = TestApp::start().await;
    let a = app.member_session("13600000081").await;
    let b = app.member_session("13600000082").await;
    let (sku, _product, tenant) = sku_on_sale(&app, "homegoods").await;
    let mine = paid_order(&app, &a, sku, tenant, "live-a-1").await;
    let theirs = paid_order(&app, &b, sku, tenant, "live-b-1").await;
    let cursor = plaza_core::events::head(&app.db).await.unwrap().to_string();

    // The shop accepts both pickup orders (ready at once).
    let owner = app.staff_session("homegoods.owner").await;
    for order in [&mine, &theirs] {
        let reply =
            app.call("/api/tenant/mall/order/accept", &format!("tenant={tenant}&order_no={order}"), Some(&owner)).await;
        assert!(ok(&reply), "accept {order}: {} {}", reply.status, reply.body);
    }

    // A's page hears its own order accepted, and nothing of B's.
    let (status, text) = sse::until(&app, &format!("/events/orders/{mine}?after={cursor}"), Some(&a), |t| {
        t.contains(&format!("\"order_no\":\"{mine}\"")) && t.contains("\"state\":\"ready\"")
    })
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains("event: order"), "{text}");
    assert!(text.contains(&format!("\"order_no\":\"{mine}\"")) && text.contains("\"state\":\"ready\""), "{text}");
    assert!(!text.contains(&theirs), "A's stream carries B's order: {text}");

    // B on A's order: not found, nothing sent. B's own stream: B's order only.
    let (status, text) =
        sse::during(&app, &format!("/events/orders/{mine}?after=0.0"), Some(&b), Duration::from_millis(100)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!text.contains(&mine), "{text}");
    let (status, text) = sse::until(&app, &format!("/events/orders/{theirs}?after={cursor}"), Some(&b), |t| {
        t.contains(&format!("\"order_no\":\"{theirs}\""))
    })
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(text.contains(&format!("\"order_no\":\"{theirs}\"")) && !text.contains(&mine), "{text}");
}
