//! Payments at once against one member's balances, through two server instances: none
//! overdraws, no coupon serves two, and every payment ends paid with all its effects or closed
//! with everything given back.

use super::sandbox;
use super::tests::{balances, confirmation, plate, sandbox, shop, T0};
use super::*;
use crate::audit::Actor;
use crate::coupons;
use plaza_types::{AppError, Fen};

/// 100 plate payments at once from one member, through two independent handles on the database
/// (two server instances; on SQLite two writers meeting at the file lock), all drawing on one
/// points balance, one stored-value balance and five coupons (each wanted by ten payments).
/// Exactly the payments that could be taken are; none overdraws, no coupon serves two, and no
/// error other than "coupon not usable" surfaces (no `database is locked`). Then every payment is
/// completed while a third of them are also being closed: each ends paid with all its effects or
/// closed with everything given back.
#[tokio::test]
async fn concurrent_payments_never_overdraw_or_reuse_a_coupon() {
    let s = shop().await;
    let other = s.db.another_instance().await;
    let (template,): (i64,) = sqlx::query_as("SELECT template_id FROM coupons WHERE id = $1")
        .bind(s.coupon)
        .fetch_one(s.db.pool())
        .await
        .unwrap();
    let mut coupons = vec![s.coupon];
    let mut tx = s.db.begin_write().await.unwrap();
    for _ in 0..4 {
        coupons.push(coupons::issue(&mut tx, template, s.member, "claim", &Actor::System, T0).await.unwrap());
    }
    tx.commit().await.unwrap();

    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let db = if i % 2 == 0 { s.db.db() } else { other.clone() };
            let coupon = (i % 4 < 2).then(|| coupons[(i / 2) % 5]);
            let new = NewPayment { coupon, ..plate(&s, 10_000, false, &format!("c{i}")) };
            tokio::spawn(async move { create(&db, &sandbox(), &new, T0).await.map(|c| (c, coupon)) })
        })
        .collect();
    let mut created = Vec::new();
    let mut coupon_refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(c) => created.push(c),
            Err(crate::Error::User(AppError::NotUsable)) => coupon_refused += 1,
            Err(other) => panic!("only a taken coupon may refuse a payment: {other:?}"),
        }
    }
    assert_eq!((created.len(), coupon_refused), (55, 45), "50 without a coupon, one per coupon with it");
    let with_coupon: Vec<i64> = created.iter().filter_map(|(_, coupon)| *coupon).collect();
    let mut distinct = with_coupon.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!((with_coupon.len(), distinct.len()), (5, 5), "each coupon serves exactly one payment");
    let (sv_taken, points_taken, paying): (i64, i64, i64) = sqlx::query_as(
        "SELECT CAST(SUM(sv_fen) AS BIGINT), CAST(SUM(points_used) AS BIGINT), \
         CAST(SUM(CASE WHEN state = 'paying' AND external_fen > 0 THEN 1 ELSE 0 END) AS BIGINT) FROM payments",
    )
    .fetch_one(s.db.pool())
    .await
    .unwrap();
    assert_eq!((sv_taken, points_taken, paying), (5_000, 2_000, 55), "all of it taken once, the rest to the provider");
    assert_eq!(balances(&s.db, s.member).await, (0, 0, Fen(0)));
    let (sv_ledger,): (i64,) =
        sqlx::query_as("SELECT CAST(SUM(amount_fen) AS BIGINT) FROM sv_movements WHERE member_id = $1")
            .bind(s.member.0)
            .fetch_one(s.db.pool())
            .await
            .unwrap();
    assert_eq!(sv_ledger, 0, "the stored-value ledger adds up to the balance");

    // Every payment is confirmed at the provider and completed, while every third is also being
    // closed (the shopper gave up, the timeout job ran) at the same moment.
    for (c, _) in &created {
        assert!(sandbox::confirm(&s.db, &sandbox(), &c.payment_no, T0).await.unwrap());
    }
    let mut races = Vec::new();
    for (i, (c, _)) in created.iter().enumerate() {
        let confirmation = confirmation(&s.db, &c.payment_no).await;
        let (db, no) = (if i % 2 == 0 { s.db.db() } else { other.clone() }, c.payment_no.clone());
        races.push(tokio::spawn(async move { complete(&db, &no, &confirmation, T0).await }));
        if i % 3 == 0 {
            let (db, no) = (if i % 2 == 0 { other.clone() } else { s.db.db() }, c.payment_no.clone());
            races.push(tokio::spawn(async move {
                close(&db, &no, "timeout", T0).await.map(|_| Completion::AlreadyComplete)
            }));
        }
    }
    for race in races {
        match race.await.unwrap() {
            Ok(Completion::Completed { .. } | Completion::AlreadyComplete | Completion::PaidAfterClose) => {}
            other => panic!("{other:?}"),
        }
    }

    let (mut paid, mut closed, mut points_back, mut sv_back) = (0, 0, 0, 0);
    for (c, coupon) in &created {
        let p = find(s.db.pool(), &c.payment_no).await.unwrap().unwrap();
        let count = |sql: &'static str| {
            let db = s.db.db();
            let no = c.payment_no.clone();
            async move {
                let (n,): (i64,) = sqlx::query_as(sql).bind(no.as_str()).fetch_one(db.pool()).await.unwrap();
                n
            }
        };
        let awards = count("SELECT COUNT(*) FROM points_awards WHERE external_ref = $1").await;
        let sales =
            count("SELECT COUNT(*) FROM tenant_sales s JOIN payments p ON p.id = s.payment_id WHERE p.payment_no = $1")
                .await;
        let released = count("SELECT COUNT(*) FROM sv_movements WHERE ref = 'release:' || $1").await;
        let restored = count("SELECT COUNT(*) FROM points_movements WHERE kind = 'restore' AND ref = $1").await;
        let refund_queued = count("SELECT COUNT(*) FROM jobs WHERE unique_key = 'refund_late:' || $1").await;
        let coupon_state = match coupon {
            Some(id) => {
                let (state, by): (String, Option<String>) =
                    sqlx::query_as("SELECT state, COALESCE(redeemed_ref, reserved_by) FROM coupons WHERE id = $1")
                        .bind(id)
                        .fetch_one(s.db.pool())
                        .await
                        .unwrap();
                Some((state, by))
            }
            None => None,
        };
        match p.state.as_str() {
            "paid" => {
                paid += 1;
                assert_eq!((awards, sales, released, restored, refund_queued), (1, 1, 0, 0, 0), "{p:?}");
                if coupon.is_some() {
                    assert_eq!(coupon_state, Some(("redeemed".to_string(), Some(p.payment_no.to_string()))));
                }
            }
            "closed" => {
                closed += 1;
                assert_eq!(
                    (awards, sales, refund_queued),
                    (0, 0, 1),
                    "closed, and the money that came is refunded: {p:?}"
                );
                assert_eq!(released, i64::from(p.sv_fen > 0), "{p:?}");
                assert_eq!(restored, i64::from(p.points_used > 0), "{p:?}");
                if coupon.is_some() {
                    assert_eq!(coupon_state.map(|(state, _)| state).as_deref(), Some("available"));
                }
                points_back += p.points_used;
                sv_back += p.sv_fen;
            }
            other => panic!("{} ended {other}", p.payment_no),
        }
    }
    assert_eq!(paid + closed, 55);
    assert!(paid >= 55 - 19, "only the raced third can have been closed");
    let (_, pending, _) = balances(&s.db, s.member).await;
    assert_eq!(
        balances(&s.db, s.member).await,
        (points_back, pending, Fen(sv_back)),
        "exactly the closed ones' tenders came back"
    );
    let (awards,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM points_awards").fetch_one(s.db.pool()).await.unwrap();
    assert_eq!(awards, paid);
    assert_eq!(crate::audit::verify(&s.db).await.unwrap().first_broken, None);
}
