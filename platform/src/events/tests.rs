use super::*;
use crate::testing::test_db;
use plaza_types::dto::{Localized, SaleLine};
use plaza_types::events::Event;
use plaza_types::{Fen, MemberId, TenantId};

const T0: Timestamp = Timestamp(1_795_311_000_000);

fn sale(id: i64, tenant: i64) -> Event {
    Event::Sale(SaleLine {
        id,
        tenant_id: tenant,
        tenant: Localized::new("店", "Shop"),
        refund: false,
        amount: Fen(100 * id),
        payment_no: format!("P{id}"),
        coupon: Fen(0),
        points: Fen(0),
        stored_value: Fen(0),
        external: Fen(100 * id),
        member: "138****8000".into(),
        at: "09:30".into(),
    })
}

const SALES: Filter = Filter { kinds: &[Event::SALE], tenant: None, member: None };

/// Reads until nothing is held back by a transaction still running elsewhere (on PostgreSQL the
/// horizon is the whole cluster's, and other tests run beside this one).
async fn read_settled(db: &Db, after: Cursor, filter: &Filter, limit: i64) -> Batch {
    for _ in 0..500 {
        let batch = read_after(db, after, filter, limit).await.unwrap();
        if !batch.held_back || batch.events.len() as i64 == limit {
            return batch;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the outbox stayed held back for 5 s")
}

async fn publish_one(db: &Db, scope: Scope, event: &Event) {
    let mut tx = db.begin_write().await.unwrap();
    publish(&mut tx, scope, event, T0).unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn events_appear_when_their_transaction_commits_and_never_when_it_rolls_back() {
    let db = test_db().await;
    let start = head(&db).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    publish(&mut tx, Scope::tenant(TenantId(1)), &sale(1, 1), T0).unwrap();
    tx.rollback().await.unwrap();
    assert!(read_settled(&db, start, &SALES, 10).await.events.is_empty());

    let mut woken = db.events().subscribe();
    woken.borrow_and_update();
    publish_one(&db, Scope::tenant(TenantId(1)), &sale(2, 1)).await;
    assert!(woken.has_changed().unwrap(), "a commit that published wakes this process's streams");
    let batch = read_settled(&db, start, &SALES, 10).await;
    assert_eq!(batch.events.len(), 1);
    assert_eq!(batch.events[0].event, sale(2, 1));
    assert_eq!(batch.cursor, batch.events[0].cursor);
    assert_eq!(head(&db).await.unwrap(), batch.cursor);
}

#[tokio::test]
async fn a_reader_resumes_after_its_cursor_and_sees_only_its_scope() {
    let db = test_db().await;
    let start = head(&db).await.unwrap();
    for i in 1..=6 {
        let tenant = TenantId(if i % 2 == 0 { 2 } else { 1 });
        publish_one(&db, Scope::tenant(tenant).with_member(MemberId(9)), &sale(i, tenant.0)).await;
    }
    let mine = Filter { kinds: &[Event::SALE], tenant: Some(TenantId(2)), member: None };
    let first = read_settled(&db, start, &mine, 2).await;
    assert_eq!(first.events.iter().map(|e| e.event.clone()).collect::<Vec<_>>(), vec![sale(2, 2), sale(4, 2)]);
    // What a browser sends back as Last-Event-ID.
    let resumed: Cursor = first.cursor.to_string().parse().unwrap();
    let rest = read_settled(&db, resumed, &mine, 10).await;
    assert_eq!(rest.events.iter().map(|e| e.event.clone()).collect::<Vec<_>>(), vec![sale(6, 2)]);
    let all = read_settled(&db, start, &SALES, 10).await;
    assert_eq!(all.events.len(), 6, "operators read every tenant");
    let other_kinds = Filter { kinds: &[Event::PAYMENT], tenant: None, member: Some(MemberId(9)) };
    assert!(read_settled(&db, start, &other_kinds, 10).await.events.is_empty());
}

/// A transaction's events are written together at its commit: in the order published, each with
/// its own scope, and more of them than one statement's batch.
#[tokio::test]
async fn a_transactions_events_arrive_together_in_the_order_published() {
    let db = test_db().await;
    let start = head(&db).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    for i in 1..=250 {
        let tenant = TenantId(if i % 3 == 0 { 2 } else { 1 });
        publish(&mut tx, Scope::tenant(tenant), &sale(i, tenant.0), T0).unwrap();
    }
    assert!(read_after(&db, start, &SALES, 10).await.unwrap().events.is_empty(), "nothing before the commit");
    let mut woken = db.events().subscribe();
    woken.borrow_and_update();
    tx.commit().await.unwrap();
    assert!(woken.has_changed().unwrap());
    let all = read_settled(&db, start, &SALES, 300).await;
    assert_eq!(
        all.events.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
        (1..=250).map(|i| sale(i, if i % 3 == 0 { 2 } else { 1 })).collect::<Vec<_>>()
    );
    let second = Filter { kinds: &[Event::SALE], tenant: Some(TenantId(2)), member: None };
    assert_eq!(read_settled(&db, start, &second, 300).await.events.len(), 83);
}

#[test]
fn cursors_parse_only_what_they_print() {
    let c = Cursor { txid: 812, id: 44 };
    assert_eq!(c.to_string().parse::<Cursor>(), Ok(c));
    for bad in ["", "12", "a.b", "-1.3", "1.-3", "1.2.3"] {
        assert!(bad.parse::<Cursor>().is_err(), "{bad}");
    }
}

/// PostgreSQL: a transaction that took its id first but commits last must not be skipped by a
/// reader that already saw a later one.
#[tokio::test]
async fn a_slow_transaction_is_not_skipped() {
    let db = test_db().await;
    if db.backend() != Backend::Postgres {
        return;
    }
    let start = head(&db).await.unwrap();
    let mut slow = db.begin_write().await.unwrap();
    // A business transaction takes its id at its first change, long before its events are
    // written (at its commit).
    sqlx::query("SELECT CAST(pg_current_xact_id() AS TEXT)").execute(&mut **slow).await.unwrap();
    publish(&mut slow, Scope::tenant(TenantId(1)), &sale(1, 1), T0).unwrap();
    publish_one(&db, Scope::tenant(TenantId(1)), &sale(2, 1)).await;
    let early = read_after(&db, start, &SALES, 10).await.unwrap();
    assert!(early.events.is_empty(), "nothing is handed out past a running transaction");
    assert!(early.held_back);
    assert_eq!(early.cursor, start);
    slow.commit().await.unwrap();
    let late = read_settled(&db, early.cursor, &SALES, 10).await;
    let seen: Vec<Event> = late.events.into_iter().map(|e| e.event).collect();
    assert_eq!(seen, vec![sale(1, 1), sale(2, 1)]);
}

#[tokio::test]
async fn old_events_are_pruned_and_readers_carry_on() {
    let db = test_db().await;
    let start = head(&db).await.unwrap();
    let mut tx = db.begin_write().await.unwrap();
    publish(&mut tx, Scope::tenant(TenantId(1)), &sale(1, 1), T0).unwrap();
    publish(&mut tx, Scope::tenant(TenantId(1)), &sale(2, 1), T0.plus_secs(KEEP_SECS)).unwrap();
    tx.commit().await.unwrap();
    assert_eq!(prune(&db, T0.plus_secs(1)).await.unwrap(), 1);
    let left = read_settled(&db, start, &SALES, 10).await;
    assert_eq!(left.events.iter().map(|e| e.event.clone()).collect::<Vec<_>>(), vec![sale(2, 1)]);
}
