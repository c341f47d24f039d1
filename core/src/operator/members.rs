//! Members for operators: search by phone, the profile with every ledger, and the manual changes
//! staff make with a reason (points, stored value, a coupon handed out). The changes go through
//! the ledgers' own functions, which lock, check and audit.

use super::audit_log;
use crate::audit::Actor;
use crate::{coupons, mall, points, stored_value, Backend, Db, Result, Timestamp};
use plaza_types::dto::{Localized, MemberProfile, MemberRow, SvMovementLine};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, MemberId, PhoneNumber};

/// Most rows a search returns.
pub const SEARCH_LIMIT: i64 = 50;

fn masked(phone: &str) -> String {
    PhoneNumber::parse(phone).map(|p| p.masked()).unwrap_or_else(|_| "***".into())
}

fn last4(phone: &str) -> String {
    phone[phone.len().saturating_sub(4)..].to_string()
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    phone: String,
    name: String,
    birthday: Option<String>,
    level_zh: String,
    level_en: String,
    status: String,
    created_at: i64,
}

const SELECT: &str = "SELECT m.id, m.phone, m.name, m.birthday, l.name_zh AS level_zh, l.name_en AS level_en, \
     m.status, m.created_at FROM members m JOIN levels l ON l.code = m.level_code";

/// What the operator typed, read as the search it asks for.
enum Query {
    Newest,
    Phone(String),
    Last4(String),
    /// The start of a name (surname first, as Chinese names are said and written), or of the
    /// given name alone.
    Name(String),
}

fn parse_query(query: &str) -> std::result::Result<Query, AppError> {
    let compact: String = query.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if compact.is_empty() {
        return Ok(Query::Newest);
    }
    if compact.bytes().all(|b| b.is_ascii_digit() || b == b'+') {
        return if let Ok(phone) = PhoneNumber::parse(query) {
            Ok(Query::Phone(phone.as_str().to_string()))
        } else if compact.len() == 4 {
            Ok(Query::Last4(compact))
        } else {
            Err(AppError::invalid(Field::Phone))
        };
    }
    let name = query.trim();
    if name.chars().count() > 20 {
        return Err(AppError::invalid(Field::Name));
    }
    Ok(Query::Name(name.to_string()))
}

/// Members by phone or name: a full number finds that member, four digits find every number
/// ending in them, anything else that is not digits finds the names starting with it (the
/// surname, or the surname and the start of the given name) and then the names whose given name
/// starts with it (after a one- or two-character surname: 小明 finds 王小明 and 欧阳小明; so the
/// second and third characters of every name are starts too); an empty query lists the newest
/// members. Digits that are neither a number nor four are refused as a phone number. Each kind
/// has its index (migration 0023, docs/decisions/0023-scale.md): at a million members none of
/// them may scan the table.
pub async fn search(db: &Db, query: &str) -> Result<Vec<MemberRow>> {
    let tz = mall::timezone(db).await?;
    let rows: Vec<Row> = match parse_query(query)? {
        Query::Newest => {
            sqlx::query_as(&format!("{SELECT} ORDER BY m.id DESC LIMIT {SEARCH_LIMIT}")).fetch_all(db.pool()).await?
        }
        Query::Phone(phone) => {
            sqlx::query_as(&format!("{SELECT} WHERE m.phone = $1")).bind(phone).fetch_all(db.pool()).await?
        }
        Query::Last4(digits) => {
            sqlx::query_as(&format!("{SELECT} WHERE substr(m.phone, 8) = $1 ORDER BY m.id DESC LIMIT {SEARCH_LIMIT}"))
                .bind(digits)
                .fetch_all(db.pool())
                .await?
        }
        Query::Name(start) => by_name(db, &start).await?,
    };
    Ok(rows
        .into_iter()
        .map(|r| MemberRow {
            member_id: MemberId(r.id),
            masked_phone: masked(&r.phone),
            phone_last4: last4(&r.phone),
            name: r.name,
            level: Localized::new(r.level_zh, r.level_en),
            joined: Timestamp(r.created_at).local_date(&tz),
            active: r.status == "active",
        })
        .collect())
}

/// The names starting with `start`, then the given names starting with it (a surname of one
/// character, then of two), each walked in its own index (migrations 0023 and 0024), at most
/// [`SEARCH_LIMIT`] in all and each member once.
async fn by_name(db: &Db, start: &str) -> Result<Vec<Row>> {
    // From `start` up to (not including) `start` followed by the last code point: exactly the
    // keys beginning with it, in byte order, which an index walks.
    let end = format!("{start}{}", char::MAX);
    let mut rows: Vec<Row> = Vec::new();
    for key in ["m.name", "substr(m.name, 2)", "substr(m.name, 3)"] {
        let key = byte_order(db.backend(), key);
        let found: Vec<Row> = sqlx::query_as(&format!(
            "{SELECT} WHERE {key} >= $1 AND {key} < $2 ORDER BY {key}, m.id LIMIT {SEARCH_LIMIT}"
        ))
        .bind(start)
        .bind(&end)
        .fetch_all(db.pool())
        .await?;
        for row in found {
            if !rows.iter().any(|r| r.id == row.id) {
                rows.push(row);
            }
        }
        if rows.len() >= SEARCH_LIMIT as usize {
            break;
        }
    }
    rows.truncate(SEARCH_LIMIT as usize);
    Ok(rows)
}

/// The one place the dialects differ: SQLite compares text byte by byte already; PostgreSQL
/// compares by the database's collation unless told `"C"` (and its indexes are on that collation).
fn byte_order(backend: Backend, key: &str) -> String {
    match backend {
        Backend::Sqlite => key.to_string(),
        Backend::Postgres => format!("{key} COLLATE \"C\""),
    }
}

/// Everything about one member an operator may need: balances, lots, the newest ledger lines,
/// coupons, stored-value movements and audit entries, and the templates staff may hand out.
pub async fn profile(db: &Db, member: MemberId, now: Timestamp) -> Result<MemberProfile> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE m.id = $1")).bind(member.0).fetch_optional(db.pool()).await?;
    let row = row.ok_or(AppError::NotFound)?;
    let tz = mall::timezone(db).await?;
    let balance = points::account::balance(db.pool(), member).await?;
    // Every available lot: points live at most until the end of the next year.
    let lots = points::history::expiring(db, member, now, 3 * 366, &tz).await?;
    let sv_lines = stored_value::movements(db, member, 20)
        .await?
        .into_iter()
        .map(|m| SvMovementLine {
            id: m.id,
            kind: m.kind,
            amount: Fen(m.amount_fen),
            balance_after: Fen(m.balance_after),
            reference: m.reference,
            reason: m.reason,
            at: Timestamp(m.created_at).format_local(&tz),
        })
        .collect();
    Ok(MemberProfile {
        member_id: member,
        masked_phone: masked(&row.phone),
        phone_last4: last4(&row.phone),
        name: row.name,
        level: Localized::new(row.level_zh, row.level_en),
        birthday: row.birthday,
        joined: Timestamp(row.created_at).local_date(&tz),
        active: row.status == "active",
        points_available: balance.available,
        points_pending: balance.pending,
        points_debt: balance.debt,
        stored_value: stored_value::balance(db.pool(), member).await?,
        lots,
        points_lines: points::history::lines(db, member, None, 50, &tz).await?,
        coupons: coupons::wallet::wallet(db, member, now, &tz).await?,
        sv_lines,
        audit: audit_log::for_member(db, member, 20, &tz).await?,
        handout_templates: crate::coupons::choices::issuable_templates(db, now).await?,
    })
}

/// Manual changes only touch active members (not merged or disabled ones).
async fn ensure_active(db: &Db, member: MemberId) -> Result<()> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT status FROM members WHERE id = $1").bind(member.0).fetch_optional(db.pool()).await?;
    match row {
        None => Err(AppError::NotFound.into()),
        Some((status,)) if status != "active" => Err(AppError::NotUsable.into()),
        Some(_) => Ok(()),
    }
}

/// Grants (positive) or takes (negative) points, with a reason; returns the available balance.
pub async fn adjust_points(
    db: &Db,
    member: MemberId,
    points: i64,
    reason: &str,
    operator: &Actor,
    now: Timestamp,
) -> Result<i64> {
    ensure_active(db, member).await?;
    let mut tx = db.begin_write().await?;
    let balance = points::adjust(&mut tx, member, points, reason, operator, now).await?;
    tx.commit().await?;
    Ok(balance.available)
}

/// Debits (negative) stored value, with a reason; never below zero. Credits are the
/// administrator's alone, under a daily cap and a second approval ([`crate::stored_value::credits`]).
pub async fn adjust_stored_value(
    db: &Db,
    member: MemberId,
    delta: Fen,
    reason: &str,
    operator: &Actor,
    now: Timestamp,
) -> Result<Fen> {
    if delta.0 > 0 {
        return Err(AppError::Forbidden.into());
    }
    ensure_active(db, member).await?;
    let mut tx = db.begin_write().await?;
    let balance = stored_value::adjust(&mut tx, member, delta, reason, operator, now).await?;
    tx.commit().await?;
    Ok(balance)
}

/// Hands one coupon of `template` to the member, with a reason; returns the coupon's id.
pub async fn hand_out(
    db: &Db,
    member: MemberId,
    template: i64,
    reason: &str,
    operator: &Actor,
    now: Timestamp,
) -> Result<i64> {
    ensure_active(db, member).await?;
    coupons::hand_out(db, operator, member, template, reason, now).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupons::{create_template, NewTemplate, Validity};
    use crate::testing::{seed_member, test_db};
    use plaza_types::dto::{CouponKind, CouponStatus};
    use plaza_types::StaffId;

    const NOW: Timestamp = Timestamp(1_773_108_000_000); // 2026-03-10 10:00 Shanghai

    #[tokio::test]
    async fn finds_members_by_full_number_or_last_four_digits() {
        let db = test_db().await;
        let a = seed_member(&db, "13800138000").await;
        let b = seed_member(&db, "13900008000").await;
        let c = seed_member(&db, "13700001234").await;

        let found = search(&db, "138 0013 8000").await.unwrap();
        assert_eq!(found.iter().map(|r| r.member_id).collect::<Vec<_>>(), vec![a]);
        assert_eq!(found[0].masked_phone, "138****8000");
        assert_eq!(found[0].level.zh, "普卡");

        let found = search(&db, "8000").await.unwrap();
        assert_eq!(found.iter().map(|r| r.member_id).collect::<Vec<_>>(), vec![b, a], "newest first");
        assert!(found.iter().all(|r| r.masked_phone.contains("****")), "never the full number");

        assert_eq!(search(&db, "").await.unwrap().len(), 3, "an empty query lists the newest");
        assert_eq!(search(&db, "1234").await.unwrap()[0].member_id, c);
        assert!(search(&db, "13600000000").await.unwrap().is_empty());
        for bad in ["800", "12345", "1380013800"] {
            let err = search(&db, bad).await.unwrap_err();
            assert!(matches!(err, crate::Error::User(AppError::Invalid { field: Field::Phone })), "{bad}");
        }
        // Anything else is the start of a name: nobody here has one yet.
        for name in ["abcd", "%800", "13800138000 or 1=1", "王"] {
            assert!(search(&db, name).await.unwrap().is_empty(), "{name}");
        }
    }

    #[tokio::test]
    async fn adjustments_show_on_the_profile_with_their_audit_entries() {
        let db = test_db().await;
        let member = seed_member(&db, "13800138000").await;
        let op = Actor::Staff(StaffId(1));
        let mut tx = db.begin_write().await.unwrap();
        let template = create_template(
            &mut tx,
            &NewTemplate {
                code: "sorry-10".into(),
                name: Localized::new("致歉券", "Apology voucher"),
                kind: CouponKind::Cash,
                value: Fen(1_000),
                percent_off: 0,
                threshold: Fen(0),
                parking_minutes: 0,
                scope_kind: "mall".into(),
                scope_ids: vec![],
                validity: Validity::DaysAfterIssue(30),
                per_member_limit: 1,
                total_stock: None,
                claimable: false,
                description: Localized::default(),
            },
            &op,
            NOW,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        assert_eq!(adjust_points(&db, member, 300, "补录积分", &op, NOW).await.unwrap(), 300);
        assert_eq!(adjust_points(&db, member, -100, "误操作更正", &op, NOW).await.unwrap(), 200);
        let err = adjust_points(&db, member, -1_000, "超额扣减", &op, NOW).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::InsufficientPoints { available: 200 })));
        let err = adjust_points(&db, member, 10, " ", &op, NOW).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::Invalid { field: Field::Reason })));

        let err = adjust_stored_value(&db, member, Fen(5_000), "线下充值补录", &op, NOW).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::Forbidden)), "credits go through sv_credits");
        let admin = crate::auth::StaffPrincipal {
            staff_id: StaffId(1),
            role: plaza_types::StaffRole::OperatorAdmin,
            tenant_id: None,
        };
        let credited =
            crate::stored_value::credits::credit(&db, &admin, member, Fen(5_000), "线下充值补录", NOW).await.unwrap();
        assert_eq!(credited, crate::stored_value::credits::ManualCredit::Credited(Fen(5_000)));
        assert_eq!(adjust_stored_value(&db, member, Fen(-1_250), "收银差错", &op, NOW).await.unwrap(), Fen(3_750));
        let err = adjust_stored_value(&db, member, Fen(-10_000), "超额扣减", &op, NOW).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::InsufficientBalance { available_fen: 3_750 })));

        hand_out(&db, member, template, "投诉补偿", &op, NOW).await.unwrap();
        let err = hand_out(&db, member, template, "再发一张", &op, NOW).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::LimitReached)));
        let err = adjust_points(&db, MemberId(9_999), 10, "不存在", &op, NOW).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::NotFound)));

        let p = profile(&db, member, NOW).await.unwrap();
        assert_eq!((p.points_available, p.points_pending, p.points_debt), (200, 0, 0));
        assert_eq!(p.stored_value, Fen(3_750));
        assert_eq!(p.masked_phone, "138****8000");
        assert_eq!(p.lots.iter().map(|l| l.points).sum::<i64>(), 200);
        assert_eq!(p.points_lines.iter().map(|l| l.points).collect::<Vec<_>>(), vec![-100, 300]);
        assert_eq!(p.sv_lines.iter().map(|l| l.amount).collect::<Vec<_>>(), vec![Fen(-1_250), Fen(5_000)]);
        assert_eq!(p.sv_lines[0].reason, "收银差错");
        assert_eq!(p.coupons.len(), 1);
        assert_eq!(p.coupons[0].status, CouponStatus::Usable);
        assert_eq!(p.handout_templates.iter().map(|t| t.id).collect::<Vec<_>>(), vec![template]);
        let reasons: Vec<&str> = p.audit.iter().map(|a| a.reason.as_str()).filter(|r| !r.is_empty()).collect();
        assert_eq!(reasons, vec!["投诉补偿", "收银差错", "线下充值补录", "误操作更正", "补录积分"]);
        assert!(matches!(profile(&db, MemberId(9_999), NOW).await, Err(crate::Error::User(AppError::NotFound))));
    }
}

#[cfg(test)]
#[path = "members_search_tests.rs"]
mod search_tests;
