//! Promotions through cart and checkout (issue 13): each kind priced by the engine and kept on
//! the order lines; an ended promotion not applied; the mall's cap; another shop's SKU and
//! promotion out of reach.

use super::*;
use crate::mall_orders::console;
use crate::shop::promotions::manage::{NewPromotion, PromotionInput};
use crate::shop::promotions::{cap, manage};
use crate::MallTz;
use plaza_types::pricing::{PromotionProblem, UnitRule};
use plaza_types::AppError;

pub(super) fn tz() -> MallTz {
    MallTz::shanghai()
}

/// `2026-12-03T10:00` in mall time, `hours` from `now`.
fn at(now: Timestamp, hours: i64) -> String {
    tz().zoned(now.plus_secs(hours * 3_600)).strftime("%Y-%m-%dT%H:%M").to_string()
}

pub(super) fn promotion(m: &Mall, name: &str, input: PromotionInput) -> NewPromotion {
    NewPromotion { name: name.into(), starts: String::new(), ends: at(m.now, 48), input }
}

pub(super) async fn create(m: &Mall, tenant: TenantId, new: &NewPromotion) -> crate::Result<i64> {
    manage::create(&m.db, tenant, new, &Actor::Staff(m.staff_a), m.now, &tz()).await
}

/// (rule, unit, bundle off, 满减 share, paid) of each stored line of an order.
async fn stored_lines(m: &Mall, order_no: &str) -> Vec<(String, i64, i64, i64, i64)> {
    sqlx::query_as(
        "SELECT l.price_rule, l.unit_price_fen, l.bundle_off_fen, l.spend_off_fen, l.paid_fen FROM shop_order_lines l \
         JOIN mall_orders o ON o.id = l.order_id WHERE o.order_no = $1 ORDER BY l.id",
    )
    .bind(order_no)
    .fetch_all(m.db.pool())
    .await
    .unwrap()
}

fn refused(problem: PromotionProblem) -> AppError {
    AppError::Promotion { problem }
}

#[tokio::test]
async fn a_limited_time_price_is_charged_and_kept_on_the_line() {
    let m = mall("10").await;
    let limited = PromotionInput::Limited { prices: vec![(m.mug.0, "30".into())] };
    create(&m, m.a, &promotion(&m, "", limited)).await.unwrap();
    cart::add(&m.db, m.buyer, m.mug, 2, m.now).await.unwrap();
    let shown = cart::view(&m.db, m.buyer, m.now).await.unwrap();
    let line = &shown.shops[0].lines[0];
    assert_eq!((line.price.rule, line.unit_price, line.line_total), (UnitRule::LimitedTime, Fen(3_000), Fen(6_000)));
    assert_eq!(line.price.limited_ends_at, Some(m.now.plus_secs(48 * 3_600).millis() / 60_000 * 60_000));
    let created = checkout::place(&m.db, &sandbox(), m.buyer, &m.place("k1", true), m.now).await.unwrap();
    let no = format!("{}-1", created.payment_no);
    assert_eq!(m.orders_of(&created.payment_no).await[0].3, 6_000);
    assert_eq!(stored_lines(&m, &no).await, [("limited".into(), 3_000, 0, 0, 6_000)]);
    let view = crate::mall_orders::views::order(&m.db, crate::mall_orders::views::Viewer::Shopper(m.buyer), &no, m.now)
        .await
        .unwrap();
    assert_eq!((view.lines[0].rule, view.lines[0].line_total), (UnitRule::LimitedTime, Fen(6_000)));
}

#[tokio::test]
async fn spend_off_is_shared_over_the_lines_and_refunds_follow_the_shares() {
    let m = mall("10").await;
    let second = second_sku(&m, 2_000).await;
    let tiers = PromotionInput::SpendOff {
        tiers: vec![("50".into(), "5".into()), ("100".into(), "15".into()), (String::new(), String::new())],
    };
    create(&m, m.a, &promotion(&m, "双十二", tiers)).await.unwrap();
    cart::add(&m.db, m.buyer, m.mug, 2, m.now).await.unwrap();
    cart::add(&m.db, m.buyer, second, 1, m.now).await.unwrap();
    let shown = cart::view(&m.db, m.buyer, m.now).await.unwrap();
    // ¥78 + ¥20 = ¥98 reaches the ¥50 tier; ¥100 is ¥2 away.
    let shop = &shown.shops[0];
    assert_eq!(
        (shop.spend_off, shop.total, shop.next_tier.map(|t| t.threshold)),
        (Fen(500), Fen(9_300), Some(Fen(10_000)))
    );
    let created = checkout::place(&m.db, &sandbox(), m.buyer, &m.place("k2", true), m.now).await.unwrap();
    let no = format!("{}-1", created.payment_no);
    let lines = stored_lines(&m, &no).await;
    assert_eq!(lines.iter().map(|l| l.3).sum::<i64>(), 500);
    assert_eq!(lines.iter().map(|l| l.4).sum::<i64>(), 9_300);
    assert_eq!(m.orders_of(&created.payment_no).await[0].3, 9_300);
    // Refunding one mug refunds half of what the mug line paid; the second mug the rest.
    let (line,): (i64,) = sqlx::query_as(
        "SELECT l.id FROM shop_order_lines l JOIN mall_orders o ON o.id = l.order_id WHERE o.order_no = $1 AND l.sku_id = $2",
    )
    .bind(&no)
    .bind(m.mug.0)
    .fetch_one(m.db.pool())
    .await
    .unwrap();
    let paid = lines[0].4;
    let one = console::refund_lines(&m.db, &sandbox(), m.a, m.staff_a, &no, &[(line, 1)], true, "退货", m.now).await;
    assert_eq!(one.unwrap(), Fen(paid / 2));
    let two = console::refund_lines(&m.db, &sandbox(), m.a, m.staff_a, &no, &[(line, 1)], true, "退货", m.now).await;
    assert_eq!(two.unwrap(), Fen(paid - paid / 2));
}

#[tokio::test]
async fn a_bundle_prices_whole_sets() {
    let m = mall("10").await;
    let lid = second_sku(&m, 1_000).await;
    let bundle = PromotionInput::Bundle { items: vec![(m.mug.0, 1), (lid.0, 1)], price: "45".into() };
    create(&m, m.a, &promotion(&m, "杯+盖", bundle)).await.unwrap();
    cart::add(&m.db, m.buyer, m.mug, 2, m.now).await.unwrap();
    cart::add(&m.db, m.buyer, lid, 1, m.now).await.unwrap();
    let shown = cart::view(&m.db, m.buyer, m.now).await.unwrap();
    assert_eq!(shown.shops[0].bundles.len(), 1);
    // One set at ¥45, one mug at ¥39.
    assert_eq!(shown.total, Fen(8_400));
    let created = checkout::place(&m.db, &sandbox(), m.buyer, &m.place("k3", true), m.now).await.unwrap();
    let lines = stored_lines(&m, &format!("{}-1", created.payment_no)).await;
    assert_eq!(lines.iter().map(|l| l.2).sum::<i64>(), 400);
    assert_eq!(lines.iter().map(|l| l.4).sum::<i64>(), 8_400);
}

#[tokio::test]
async fn an_ended_promotion_is_not_applied_and_the_changed_price_is_flagged() {
    let m = mall("10").await;
    let limited = PromotionInput::Limited { prices: vec![(m.mug.0, "30".into())] };
    let new = NewPromotion { ends: at(m.now, 1), ..promotion(&m, "", limited.clone()) };
    create(&m, m.a, &new).await.unwrap();
    cart::add(&m.db, m.buyer, m.mug, 1, m.now).await.unwrap();
    let later = m.now.plus_secs(2 * 3_600);
    let shown = cart::view(&m.db, m.buyer, later).await.unwrap();
    let line = &shown.shops[0].lines[0];
    assert_eq!((line.unit_price, line.problem), (Fen(3_900), Some(plaza_types::dto::CartLineProblem::PriceChanged)));
    assert_eq!(
        user_error(checkout::place(&m.db, &sandbox(), m.buyer, &m.place("k4", true), later).await),
        AppError::QuoteChanged
    );
    // One that ended already cannot be created; one ended early stops at once.
    let past = NewPromotion { starts: at(m.now, -3), ends: at(m.now, -1), ..promotion(&m, "", limited.clone()) };
    assert_eq!(user_error(create(&m, m.a, &past).await), refused(PromotionProblem::Period));
    let id = create(&m, m.a, &promotion(&m, "", limited)).await.unwrap();
    manage::end(&m.db, m.a, id, &Actor::Staff(m.staff_a), m.now).await.unwrap();
    assert_eq!(
        user_error(manage::end(&m.db, m.a, id, &Actor::Staff(m.staff_a), m.now).await),
        refused(PromotionProblem::Ended)
    );
    let console = manage::console(&m.db, m.a, m.now.plus_secs(1), &tz()).await.unwrap();
    assert!(console.promotions.iter().any(|p| p.id == id && p.status == plaza_types::dto::PromotionStatus::Ended));
}

#[tokio::test]
async fn the_mall_cap_and_the_checks_refuse_with_a_reason_and_nothing_is_written() {
    let m = mall("10").await;
    cap::set(&m.db, 20, m.staff_a, m.now).await.unwrap();
    let deep = PromotionInput::Limited { prices: vec![(m.mug.0, "19.50".into())] };
    assert_eq!(
        user_error(create(&m, m.a, &promotion(&m, "", deep)).await),
        refused(PromotionProblem::BeyondCap { max_off_pct: 20 })
    );
    let tiers = PromotionInput::SpendOff { tiers: vec![("100".into(), "30".into())] };
    assert_eq!(
        user_error(create(&m, m.a, &promotion(&m, "", tiers)).await),
        refused(PromotionProblem::BeyondCap { max_off_pct: 20 })
    );
    let above = PromotionInput::Limited { prices: vec![(m.mug.0, "39".into())] };
    assert_eq!(user_error(create(&m, m.a, &promotion(&m, "", above)).await), refused(PromotionProblem::Price));
    let falling = PromotionInput::SpendOff { tiers: vec![("100".into(), "10".into()), ("50".into(), "15".into())] };
    assert_eq!(user_error(create(&m, m.a, &promotion(&m, "", falling)).await), refused(PromotionProblem::Tiers));
    let backwards = NewPromotion {
        starts: at(m.now, 5),
        ends: at(m.now, 4),
        ..promotion(&m, "", PromotionInput::Limited { prices: vec![(m.mug.0, "35".into())] })
    };
    assert_eq!(user_error(create(&m, m.a, &backwards).await), refused(PromotionProblem::Period));
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM mall_promotions").fetch_one(m.db.pool()).await.unwrap();
    assert_eq!(n, 0);
    let (audited,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'shop.promotion_cap'")
        .fetch_one(m.db.pool())
        .await
        .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_shop_reaches_neither_another_shops_skus_nor_its_promotions() {
    let m = mall("10").await;
    let theirs = PromotionInput::Limited { prices: vec![(m.mug.0, "30".into())] };
    assert_eq!(
        user_error(create(&m, m.b, &promotion(&m, "", theirs.clone())).await),
        refused(PromotionProblem::UnknownSku)
    );
    let bundle = PromotionInput::Bundle { items: vec![(m.mug.0, 1), (m.cable.0, 1)], price: "50".into() };
    assert_eq!(user_error(create(&m, m.b, &promotion(&m, "套", bundle)).await), refused(PromotionProblem::UnknownSku));
    let id = create(&m, m.a, &promotion(&m, "", theirs)).await.unwrap();
    assert_eq!(user_error(manage::end(&m.db, m.b, id, &Actor::Staff(m.staff_b), m.now).await), AppError::NotFound);
    let b = manage::console(&m.db, m.b, m.now, &tz()).await.unwrap();
    assert!(b.promotions.is_empty() && b.skus.iter().all(|s| s.sku_id != m.mug.0));
    // A's price does not reach B's cart lines.
    cart::add(&m.db, m.buyer, m.cable, 1, m.now).await.unwrap();
    assert_eq!(cart::view(&m.db, m.buyer, m.now).await.unwrap().total, Fen(2_500));
}

/// A second SKU of the mug's product at shop A (a lid), at `price` fen, 10 in stock.
pub(super) async fn second_sku(m: &Mall, price: i64) -> SkuId {
    let mut tx = m.db.begin_write().await.unwrap();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO shop_skus (product_id, tenant_id, v1, price_fen, stock, created_at, updated_at) \
         SELECT product_id, tenant_id, '盖', $2, 10, 0, 0 FROM shop_skus WHERE id = $1 RETURNING id",
    )
    .bind(m.mug.0)
    .bind(price)
    .fetch_one(&mut **tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    SkuId(id)
}
