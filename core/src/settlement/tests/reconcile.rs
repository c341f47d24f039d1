//! The statement's lines add up and match the payments ledger, per day and over a week, with a
//! refund made the day after its sale (counted on the day it happened, its commission taken back
//! at the sale's rate) and a rate changed between the two days.

use super::setup::{mall, sandbox, Mall, DAY, T0};
use crate::audit::Actor;
use crate::dining::cancel::{self, Canceller};
use crate::payments::{self, RefundRequest};
use crate::settlement::{commission, csv, report, statement, Period};
use crate::{mall as mall_settings, stored_value, Db, Timestamp};
use plaza_types::dto::{SalesChannel, Statement};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, TenantId};

fn period(preset: &str, anchor: &str) -> Period {
    Period::parse(preset, anchor, "", "", "2026-03-10".parse().unwrap()).unwrap()
}

/// What the payments ledger says of `tenant` in `period`, read straight from payments, mall
/// orders and refunds: (sales, refunds, [coupon, points, stored value, provider] of the sales).
async fn ledger(db: &Db, tenant: TenantId, period: &Period) -> (i64, i64, [i64; 4]) {
    let tz = mall_settings::timezone(db).await.unwrap();
    let (start, end) = period.bounds(&tz).unwrap();
    let (one, c1, p1, s1, e1): (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT), CAST(COALESCE(SUM(coupon_fen), 0) AS BIGINT), \
         CAST(COALESCE(SUM(points_fen), 0) AS BIGINT), CAST(COALESCE(SUM(sv_fen), 0) AS BIGINT), \
         CAST(COALESCE(SUM(external_fen), 0) AS BIGINT) FROM payments \
         WHERE tenant_id = $1 AND purpose IN ('plate', 'dining') AND paid_at >= $2 AND paid_at < $3",
    )
    .bind(tenant.0)
    .bind(start)
    .bind(end)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let (orders, c2, p2, s2, _external): (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(total_fen), 0) AS BIGINT), CAST(COALESCE(SUM(coupon_fen), 0) AS BIGINT), \
         CAST(COALESCE(SUM(points_fen), 0) AS BIGINT), CAST(COALESCE(SUM(sv_fen), 0) AS BIGINT), \
         CAST(COALESCE(SUM(external_fen), 0) AS BIGINT) FROM mall_orders \
         WHERE tenant_id = $1 AND paid_at >= $2 AND paid_at < $3",
    )
    .bind(tenant.0)
    .bind(start)
    .bind(end)
    .fetch_one(db.pool())
    .await
    .unwrap();
    let (refunded,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(r.amount_fen), 0) AS BIGINT) FROM refunds r JOIN payments p ON p.id = r.payment_id \
         LEFT JOIN mall_refunds m ON m.refund_no = r.refund_no LEFT JOIN mall_orders o ON o.id = m.order_id \
         WHERE r.state = 'succeeded' AND r.completed_at >= $2 AND r.completed_at < $3 \
         AND (p.tenant_id = $1 AND p.purpose IN ('plate', 'dining') OR o.tenant_id = $1)",
    )
    .bind(tenant.0)
    .bind(start)
    .bind(end)
    .fetch_one(db.pool())
    .await
    .unwrap();
    // A mall order's tenders are allocated per tender: its provider share is the rest.
    (one + orders, refunded, [c1 + c2, p1 + p2, s1 + s2, e1 + (orders - c2 - p2 - s2)])
}

fn adds_up(s: &Statement) {
    assert_eq!(s.net_sales.0, s.sales.0 - s.refunds.0, "{s:?}");
    let paid = s.coupons_mall.0 + s.coupons_tenant.0 + s.points.0 + s.stored_value.0 + s.provider.0;
    assert_eq!(paid, s.net_sales.0, "who paid how adds up to the net sales: {s:?}");
    assert_eq!(s.commission.0, s.commission_parts.iter().map(|p| p.commission.0).sum::<i64>());
    assert_eq!(s.net_sales.0, s.commission_parts.iter().map(|p| p.base.0).sum::<i64>());
    assert_eq!(s.net_owed.0, s.net_sales.0 - s.commission.0 - s.coupons_tenant.0);
}

async fn matches_ledger(m: &Mall, tenant: TenantId, p: &Period) -> Statement {
    let s = statement::statement(&m.db, tenant, p).await.unwrap();
    adds_up(&s);
    let (sales, refunds, tenders) = ledger(&m.db, tenant, p).await;
    assert_eq!((s.sales.0, s.refunds.0), (sales, refunds), "{p:?}: {s:?}");
    if refunds == 0 {
        let mine = [s.coupons_mall.0 + s.coupons_tenant.0, s.points.0, s.stored_value.0, s.provider.0];
        assert_eq!(mine, tenders, "{p:?}");
    }
    s
}

/// Day 1 (03-10): a bowl of noodles (¥36, stored value), ¥120 at the plate (mall coupon ¥20,
/// points ¥20, stored value ¥50, provider ¥30), ¥88.88 with the restaurant's own ¥10 coupon, and
/// a mall checkout: two mugs at 家物集 (¥39 each: the member price is for paid members) and a
/// cable at 极客 (¥25).
/// Day 2 (03-11): ¥50 of the ¥120 refunded, the noodles cancelled, ¥100 paid at the plate, one
/// mug refunded. The restaurant's rate is 5 % until 03-10 and 8 % from 03-11; 家物集's is 10 %.
async fn two_days() -> (Mall, String) {
    let m = mall().await;
    let mut tx = m.db.begin_write().await.unwrap();
    stored_value::credit(&mut tx, m.shopper, Fen(3_600), "topup", "seed2", "", &Actor::System, T0).await.unwrap();
    tx.commit().await.unwrap();
    let feb = Timestamp(T0.millis() - 20 * DAY * 1_000);
    let why = "合同约定";
    commission::set(&m.db, m.restaurant, 500, "2026-03-01", why, &Actor::System, feb).await.unwrap();
    commission::set(&m.db, m.store, 1_000, "2026-03-01", why, &Actor::System, feb).await.unwrap();
    commission::set(&m.db, m.restaurant, 800, "2026-03-11", why, &Actor::System, T0).await.unwrap();

    let noodles = m.dining("d1", T0).await;
    let big = m.plate(12_000, Some(m.mall_coupon), true, "p1", T0.plus_secs(60)).await;
    m.plate(8_888, Some(m.own_coupon), false, "p2", T0.plus_secs(120)).await;
    let checkout = m.mall_order("m1", T0.plus_secs(180)).await;

    let day2 = T0.plus_secs(DAY);
    let request = RefundRequest { payment_no: &big, refund_no: "R-big-1", amount: Fen(5_000), reason: "少收" };
    let done = payments::refund(&m.db, &sandbox(), request, &Actor::System, day2).await.unwrap();
    assert!(!done.waiting, "the sandbox refunds at once");
    cancel::cancel(&m.db, &sandbox(), &noodles, Canceller::Member(m.shopper), "不要了", day2.plus_secs(60))
        .await
        .unwrap();
    m.plate(10_000, None, false, "p3", day2.plus_secs(120)).await;
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
        day2.plus_secs(180),
    )
    .await
    .unwrap();
    assert_eq!(refunded, Fen(3_900));
    (m, checkout)
}

#[tokio::test]
async fn the_statement_adds_up_and_matches_the_payments_ledger() {
    let (m, _) = two_days().await;

    let day1 = matches_ledger(&m, m.restaurant, &period("day", "2026-03-10")).await;
    assert_eq!((day1.sale_count, day1.sales, day1.refunds), (3, Fen(24_488), Fen(0)));
    // 5 % of ¥36, ¥120 and ¥88.88 (444.4 → 444 fen).
    assert_eq!(day1.commission, Fen(180 + 600 + 444));
    assert_eq!((day1.coupons_mall, day1.coupons_tenant, day1.points), (Fen(2_000), Fen(1_000), Fen(2_000)));
    assert_eq!((day1.stored_value, day1.provider), (Fen(8_600), Fen(10_888)));
    assert_eq!(day1.net_owed, Fen(24_488 - 1_224 - 1_000));

    // Day 2: the refunds of day-1 sales count here, their commission taken back at 5 %; the new
    // sale pays 8 %.
    let day2 = matches_ledger(&m, m.restaurant, &period("day", "2026-03-11")).await;
    assert_eq!((day2.sale_count, day2.sales, day2.refund_count, day2.refunds), (1, Fen(10_000), 2, Fen(8_600)));
    let parts: Vec<(i64, i64, i64)> =
        day2.commission_parts.iter().map(|p| (p.rate_bps, p.base.0, p.commission.0)).collect();
    assert_eq!(parts, vec![(500, -8_600, -430), (800, 10_000, 800)]);
    // ¥50 went back to the provider (¥30) and stored value (¥20); the noodles to stored value.
    assert_eq!((day2.provider, day2.stored_value), (Fen(10_000 - 3_000), Fen(-2_000 - 3_600)));
    assert_eq!(day2.net_owed, Fen(1_400 - 370));

    // The week is the sum of its days.
    let week = matches_ledger(&m, m.restaurant, &period("week", "2026-03-10")).await;
    assert_eq!(week.net_owed.0, day1.net_owed.0 + day2.net_owed.0);
    assert_eq!(week.commission.0, day1.commission.0 + day2.commission.0);

    // The mall shop: its own share of the two-shop checkout, one mug refunded the next day.
    let store = matches_ledger(&m, m.store, &period("week", "2026-03-10")).await;
    assert_eq!((store.sales, store.refunds, store.commission), (Fen(7_800), Fen(3_900), Fen(780 - 390)));
    let other = matches_ledger(&m, m.other_store, &period("week", "2026-03-10")).await;
    assert_eq!((other.sales, other.commission, other.net_owed), (Fen(2_500), Fen(0), Fen(2_500)));
    // Before any sale, nothing.
    let before = matches_ledger(&m, m.restaurant, &period("month", "2026-02-10")).await;
    assert_eq!((before.sale_count, before.net_owed), (0, Fen(0)));
}

#[tokio::test]
async fn the_report_shows_days_channels_refunds_and_top_items() {
    let (m, _) = two_days().await;
    let r = report::report(&m.db, m.restaurant, &period("week", "2026-03-10")).await.unwrap();
    assert_eq!(r.days.len(), 7);
    let day = |d: &str| r.days.iter().find(|x| x.date == d).unwrap().figures.clone();
    let (d1, d2) = (day("2026-03-10"), day("2026-03-11"));
    assert_eq!((d1.count, d1.gross, d1.refunds, d1.net), (3, Fen(24_488), Fen(0), Fen(24_488)));
    assert_eq!((d2.count, d2.refund_count, d2.refunds, d2.net), (1, 2, Fen(8_600), Fen(1_400)));
    assert_eq!(r.total.net, Fen(24_488 + 1_400));
    let channels: Vec<(SalesChannel, i64, i64)> =
        r.channels.iter().map(|c| (c.channel, c.figures.count, c.figures.net.0)).collect();
    assert_eq!(channels, vec![(SalesChannel::Counter, 3, 30_888 - 5_000), (SalesChannel::Dining, 1, 0)]);
    assert_eq!(r.refunds.len(), 2);
    assert!(r.refunds.iter().all(|x| x.sale_date == "2026-03-10" && x.at.starts_with("2026-03-11")), "{:?}", r.refunds);
    assert!(r.top_by_quantity.is_empty(), "the only dish was cancelled: {:?}", r.top_by_quantity);

    let s = report::report(&m.db, m.store, &period("week", "2026-03-10")).await.unwrap();
    let mall_day = s.days.iter().find(|x| x.date == "2026-03-10").unwrap().figures.clone();
    assert_eq!((mall_day.count, mall_day.gross, mall_day.discounts, mall_day.net), (1, Fen(7_800), Fen(0), Fen(7_800)));
    let top: Vec<(String, i64, i64)> =
        s.top_by_amount.iter().map(|i| (i.name.zh.clone(), i.quantity, i.amount.0)).collect();
    assert_eq!(top, vec![("马克杯".to_string(), 1, 3_900)], "net of the refunded mug");
    assert_eq!(s.channels.iter().map(|c| c.channel).collect::<Vec<_>>(), vec![SalesChannel::Mall]);

    // The CSV files: a BOM, bilingual headers, yuan with two decimals.
    let text = String::from_utf8(csv::sales_by_day(&r)).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("日期 Date,") && text.contains("2026-03-11,1,100.00,0.00,2,86.00,14.00\r\n"), "{text}");
    let st = statement::statement(&m.db, m.restaurant, &period("day", "2026-03-11")).await.unwrap();
    let text = String::from_utf8(csv::statement(&st)).unwrap();
    assert!(text.contains("应结算给商户 Net owed to tenant,10.30,"), "{text}");
    assert!(text.contains("佣金 Commission 5%,-4.30,"), "{text}");
}

#[tokio::test]
async fn a_rate_starts_today_or_later_and_is_audited() {
    let m = mall().await;
    let refused = |r: crate::Result<()>| r.unwrap_err().user().cloned();
    let set = |bps, from: &'static str, why: &'static str| {
        commission::set(&m.db, m.restaurant, bps, from, why, &Actor::System, T0)
    };
    assert_eq!(refused(set(500, "2026-03-09", "回溯").await), Some(AppError::invalid(Field::Date)));
    assert_eq!(refused(set(10_001, "2026-03-10", "太高").await), Some(AppError::invalid(Field::Amount)));
    assert_eq!(refused(set(500, "2026-03-10", "").await), Some(AppError::invalid(Field::Reason)));
    let nobody = commission::set(&m.db, TenantId(999_999), 500, "2026-03-10", "无此店", &Actor::System, T0).await;
    assert_eq!(refused(nobody), Some(AppError::NotFound));
    let (rows,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM tenant_commission_rates").fetch_one(m.db.pool()).await.unwrap();
    assert_eq!(rows, 0, "nothing written by a refused rate");

    set(500, "2026-03-10", "开业").await.unwrap();
    set(500, "2026-03-10", "开业").await.unwrap(); // the same form again
    set(650, "2026-04-01", "续约").await.unwrap();
    let rates = commission::rates(&m.db, m.restaurant, T0).await.unwrap();
    assert_eq!((rates.today.as_str(), rates.current_bps, rates.history.len()), ("2026-03-10", 500, 2));
    assert_eq!(rates.history[0].effective_from, "2026-04-01");
    let (audited,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'tenant.commission' AND tenant_id = $1")
            .bind(m.restaurant.0)
            .fetch_one(m.db.pool())
            .await
            .unwrap();
    assert_eq!(audited, 2);
}
