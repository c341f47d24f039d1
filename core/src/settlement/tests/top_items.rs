//! The top products by amount count what was paid for each line after promotions (`paid_fen`,
//! decision 0017), less the share its refunded units took back, not the unit price.

use super::setup::{mall, sandbox, DAY, T0};
use crate::audit::Actor;
use crate::mall as mall_settings;
use crate::settlement::{report, Period};
use crate::shop::promotions::manage::{self, NewPromotion, PromotionInput};
use plaza_types::Fen;

fn week() -> Period {
    Period::parse("week", "2026-03-10", "", "", "2026-03-10".parse().unwrap()).unwrap()
}

#[tokio::test]
async fn top_products_count_the_paid_share_not_the_unit_price() {
    let m = mall().await;
    let tz = mall_settings::timezone(&m.db).await.unwrap();
    // 满50减10 at 家物集: two mugs (¥78) pay ¥68, ¥34 each.
    let new = NewPromotion {
        name: String::new(),
        starts: String::new(),
        ends: "2026-03-20T10:00".into(),
        input: PromotionInput::SpendOff { tiers: vec![("50".into(), "10".into())] },
    };
    manage::create(&m.db, m.store, &new, &Actor::Staff(m.store_owner), T0, &tz).await.unwrap();
    let checkout = m.mall_order("m1", T0.plus_secs(60)).await;

    let top = |r: &plaza_types::dto::SalesReport| -> Vec<(String, i64, i64)> {
        r.top_by_amount.iter().map(|i| (i.name.zh.clone(), i.quantity, i.amount.0)).collect()
    };
    let r = report::report(&m.db, m.store, &week()).await.unwrap();
    assert_eq!(top(&r), vec![("马克杯".to_string(), 2, 6_800)], "the 满减 share is off the line");
    assert_eq!(r.total.net, Fen(6_800));

    let (order_no, line): (String, i64) = sqlx::query_as(
        "SELECT o.order_no, l.id FROM mall_orders o JOIN shop_order_lines l ON l.order_id = o.id \
         WHERE o.payment_no = $1 AND o.tenant_id = $2",
    )
    .bind(&checkout)
    .bind(m.store.0)
    .fetch_one(m.db.pool())
    .await
    .unwrap();
    let refunded = crate::mall_orders::console::refund_lines(
        &m.db,
        &sandbox(),
        m.store,
        m.store_owner,
        &order_no,
        &[(line, 1)],
        false,
        "破损",
        T0.plus_secs(DAY),
    )
    .await
    .unwrap();
    assert_eq!(refunded, Fen(3_400));
    let r = report::report(&m.db, m.store, &week()).await.unwrap();
    assert_eq!(top(&r), vec![("马克杯".to_string(), 1, 3_400)], "net of the refunded mug's share");
    assert_eq!(r.top_by_quantity, r.top_by_amount);
    // The other shop had no promotion: its cable is its unit price.
    let other = report::report(&m.db, m.other_store, &week()).await.unwrap();
    assert_eq!(top(&other), vec![("数据线".to_string(), 1, 2_500)]);
}
