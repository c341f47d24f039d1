use super::*;
use crate::auth::staff::{self, NewStaff};
use crate::testing::{seed_member, test_db};
use plaza_types::StaffId;

const NOW: Timestamp = Timestamp(1_773_108_000_000); // 2026-03-10 10:00 Shanghai

async fn staff_member(db: &Db, username: &str, role: StaffRole) -> StaffPrincipal {
    let mut tx = db.begin_write().await.unwrap();
    let new = NewStaff { username, display_name: username, password: "password-1", role, tenant_id: None };
    let id: StaffId = staff::create(&mut tx, new, NOW).await.unwrap();
    tx.commit().await.unwrap();
    StaffPrincipal { staff_id: id, role, tenant_id: None }
}

fn refused(result: Result<impl std::fmt::Debug>) -> AppError {
    match result {
        Err(crate::Error::User(error)) => error,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn balance(db: &Db, member: MemberId) -> Fen {
    stored_value::balance(db.pool(), member).await.unwrap()
}

/// Finding 3 of issue 14: marketing staff (`ops`) credited ¥1,000,000 to a member.
#[tokio::test]
async fn only_the_administrator_credits_and_nothing_moves_otherwise() {
    let db = test_db().await;
    let member = seed_member(&db, "13300000041").await;
    let ops = staff_member(&db, "ops1", StaffRole::OperatorStaff).await;
    let admin = staff_member(&db, "admin1", StaffRole::OperatorAdmin).await;
    let tenant_owner = StaffPrincipal { staff_id: StaffId(99), role: StaffRole::TenantOwner, tenant_id: None };
    for who in [&ops, &tenant_owner] {
        let error = refused(credit(&db, who, member, Fen(100_000_000), "营销补贴", NOW).await);
        assert_eq!(error, AppError::Forbidden);
    }
    assert_eq!(balance(&db, member).await, Fen(0));
    assert_eq!(refused(credit(&db, &admin, member, Fen(100), " ", NOW).await), AppError::invalid(Field::Reason));
    assert_eq!(refused(credit(&db, &admin, member, Fen(0), "补录", NOW).await), AppError::invalid(Field::Amount));
    assert_eq!(
        credit(&db, &admin, member, Fen(20_000), "线下充值补录", NOW).await.unwrap(),
        ManualCredit::Credited(Fen(20_000))
    );
}

#[tokio::test]
async fn one_administrator_alone_stops_at_the_daily_cap() {
    let db = test_db().await;
    let member = seed_member(&db, "13300000042").await;
    let admin = staff_member(&db, "admin1", StaffRole::OperatorAdmin).await;
    // ¥5,000 a day in credits of at most ¥500: ten go through, the eleventh is told what is left.
    for i in 0..10 {
        credit(&db, &admin, member, Fen(50_000), "补录", NOW.plus_secs(i)).await.unwrap();
    }
    let error = refused(credit(&db, &admin, member, Fen(100), "补录", NOW.plus_secs(20)).await);
    assert_eq!(error, AppError::AmountOutOfRange { min_fen: 1, max_fen: 0 });
    assert_eq!(balance(&db, member).await, Fen(500_000));
    // The next mall day starts afresh (midnight Shanghai).
    credit(&db, &admin, member, Fen(100), "补录", NOW.plus_secs(14 * 3600)).await.unwrap();
}

#[tokio::test]
async fn above_the_threshold_a_second_administrator_approves_once() {
    let db = test_db().await;
    let member = seed_member(&db, "13300000043").await;
    let first = staff_member(&db, "admin1", StaffRole::OperatorAdmin).await;
    let second = staff_member(&db, "admin2", StaffRole::OperatorAdmin).await;
    let ops = staff_member(&db, "ops1", StaffRole::OperatorStaff).await;

    let ManualCredit::AwaitingApproval(request) =
        credit(&db, &first, member, Fen(100_000_000), "大额补录", NOW).await.unwrap()
    else {
        panic!("a credit above the threshold waits");
    };
    assert_eq!(balance(&db, member).await, Fen(0), "nothing before the approval");
    let seen = overview(&db, &first, NOW).await.unwrap();
    assert_eq!(seen.pending.len(), 1);
    assert!(seen.pending[0].own && seen.pending[0].masked_phone == "133****0043");
    assert!(!overview(&db, &second, NOW).await.unwrap().pending[0].own);

    assert_eq!(refused(approve(&db, &first, request, NOW).await), AppError::Forbidden, "not one's own");
    assert_eq!(refused(approve(&db, &ops, request, NOW).await), AppError::Forbidden, "administrators only");
    assert_eq!(approve(&db, &second, request, NOW.plus_secs(60)).await.unwrap(), Fen(100_000_000));
    assert_eq!(refused(approve(&db, &second, request, NOW.plus_secs(61)).await), AppError::NotUsable, "once");
    assert_eq!(balance(&db, member).await, Fen(100_000_000));
    assert!(overview(&db, &second, NOW).await.unwrap().pending.is_empty());
    // Approved credits were two people's decision: the day's cap for one alone is untouched.
    assert_eq!(overview(&db, &first, NOW).await.unwrap().credited_today, Fen(0));
    let actions: Vec<(String,)> = sqlx::query_as("SELECT action FROM audit_log WHERE action LIKE 'sv.%' ORDER BY seq")
        .fetch_all(db.pool())
        .await
        .unwrap();
    let actions: Vec<&str> = actions.iter().map(|(a,)| a.as_str()).collect();
    assert_eq!(actions, ["sv.credit_requested", "sv.credit_approved", "sv.credit"]);
}

#[tokio::test]
async fn a_refused_request_moves_nothing() {
    let db = test_db().await;
    let member = seed_member(&db, "13300000044").await;
    let first = staff_member(&db, "admin1", StaffRole::OperatorAdmin).await;
    let second = staff_member(&db, "admin2", StaffRole::OperatorAdmin).await;
    let ManualCredit::AwaitingApproval(request) = credit(&db, &first, member, Fen(60_000), "补录", NOW).await.unwrap()
    else {
        panic!("waits");
    };
    reject(&db, &second, request, NOW).await.unwrap();
    assert_eq!(refused(approve(&db, &second, request, NOW).await), AppError::NotUsable);
    assert_eq!(refused(reject(&db, &second, request, NOW).await), AppError::NotUsable);
    assert_eq!(balance(&db, member).await, Fen(0));
}

/// Twelve credits of ¥500 at once against a ¥5,000 day: exactly ten land, on either database.
#[tokio::test]
async fn concurrent_credits_never_pass_the_cap() {
    let db = test_db().await;
    let member = seed_member(&db, "13300000045").await;
    let admin = staff_member(&db, "admin1", StaffRole::OperatorAdmin).await;
    let attempts = (0..12).map(|i| {
        let (db, admin) = (db.db(), admin.clone());
        tokio::spawn(async move { credit(&db, &admin, member, Fen(50_000), "补录", NOW.plus_secs(i)).await })
    });
    let results = futures::future::join_all(attempts).await;
    let credited = results.iter().filter(|r| matches!(r, Ok(Ok(ManualCredit::Credited(_))))).count();
    assert_eq!(credited, 10);
    assert_eq!(balance(&db, member).await, Fen(500_000));
}
