//! The mall's cap holds promotions already running (decision 0017, amendment): lowered, they are
//! priced at the new cap without being re-created, and a list price raised since cannot deepen
//! one beyond it; the console marks them; a new one is still refused beyond it.

use super::promotions::{create, promotion, second_sku, tz};
use super::*;
use crate::shop::promotions::manage::PromotionInput;
use crate::shop::promotions::{cap, manage, running};
use plaza_types::pricing::{PromotionProblem, UnitRule};
use plaza_types::AppError;

#[tokio::test]
async fn a_lowered_cap_clamps_running_promotions_and_refuses_new_ones_beyond_it() {
    let m = mall("10").await;
    let lid = second_sku(&m, 1_000).await;
    // Made under the default cap (70 % off): the mug at ¥30 (23 % off), 满50减20 (40 %), the mug
    // and the lid (¥49) at ¥35 (29 %).
    create(&m, m.a, &promotion(&m, "", PromotionInput::Limited { prices: vec![(m.mug.0, "30".into())] }))
        .await
        .unwrap();
    let tiers = PromotionInput::SpendOff { tiers: vec![("50".into(), "20".into())] };
    create(&m, m.a, &promotion(&m, "", tiers)).await.unwrap();
    let bundle = PromotionInput::Bundle { items: vec![(m.mug.0, 1), (lid.0, 1)], price: "35".into() };
    create(&m, m.a, &promotion(&m, "杯+盖", bundle)).await.unwrap();
    let console = manage::console(&m.db, m.a, m.now, &tz()).await.unwrap();
    assert!(console.promotions.iter().all(|p| !p.beyond_cap));

    cap::set(&m.db, 10, m.staff_a, m.now).await.unwrap();
    let mut conn = m.db.pool().acquire().await.unwrap();
    let running = running::of_shops(&mut conn, &[m.a.0], m.now).await.unwrap();
    assert_eq!(running.limited_for(m.mug.0).map(|l| l.price), Some(Fen(3_510)), "¥39 less 10 %");
    assert_eq!(running.tiers_of(m.a.0).iter().map(|t| t.off).collect::<Vec<_>>(), vec![Fen(500)]);
    assert_eq!(running.bundles_of(m.a.0)[0].price, Fen(4_410), "¥49 less 10 %");
    assert_eq!(running::limited_price(&mut conn, m.mug.0, m.now).await.unwrap(), Some(Fen(3_510)));
    drop(conn);
    let console = manage::console(&m.db, m.a, m.now, &tz()).await.unwrap();
    assert!(console.promotions.iter().all(|p| p.beyond_cap), "every one is deeper than 10 %");

    // Cart and checkout price at the cap: two mugs at ¥35.10, 满50 reached on ¥78, ¥5 off.
    cart::add(&m.db, m.buyer, m.mug, 2, m.now).await.unwrap();
    let shown = cart::view(&m.db, m.buyer, m.now).await.unwrap();
    let line = &shown.shops[0].lines[0];
    assert_eq!((line.price.rule, line.unit_price), (UnitRule::LimitedTime, Fen(3_510)));
    assert_eq!((shown.shops[0].spend_off, shown.total), (Fen(500), Fen(6_520)));
    let created = checkout::place(&m.db, &sandbox(), m.buyer, &m.place("c1", true), m.now).await.unwrap();
    assert_eq!(m.orders_of(&created.payment_no).await[0].3, 6_520);

    // Made again (or made anew) at the old depth: refused under the cap now.
    let again = PromotionInput::Limited { prices: vec![(m.mug.0, "30".into())] };
    assert_eq!(
        user_error(create(&m, m.a, &promotion(&m, "", again)).await),
        AppError::Promotion { problem: PromotionProblem::BeyondCap { max_off_pct: 10 } }
    );

    // The cap raised again: the promotions are as they were made.
    cap::set(&m.db, 70, m.staff_a, m.now).await.unwrap();
    let mut conn = m.db.pool().acquire().await.unwrap();
    assert_eq!(running::limited_price(&mut conn, m.mug.0, m.now).await.unwrap(), Some(Fen(3_000)));
    // A list price raised since cannot deepen the limited-time price beyond the cap: ¥200
    // listed, ¥30 would be 85 % off; 70 % off is ¥60.
    drop(conn);
    let mut tx = m.db.begin_write().await.unwrap();
    sqlx::query("UPDATE shop_skus SET price_fen = 20000 WHERE id = $1").bind(m.mug.0).execute(&mut **tx).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = m.db.pool().acquire().await.unwrap();
    assert_eq!(running::limited_price(&mut conn, m.mug.0, m.now).await.unwrap(), Some(Fen(6_000)));
    drop(conn);
    let console = manage::console(&m.db, m.a, m.now, &tz()).await.unwrap();
    let limited = console.promotions.iter().find(|p| p.kind == plaza_types::dto::PromotionKind::Limited).unwrap();
    assert!(limited.beyond_cap);
}
