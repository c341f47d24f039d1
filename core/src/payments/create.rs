//! Placing a payment: the internal tenders are taken at once, in one transaction, so the breakdown
//! the shopper saw is what they pay; the provider is asked for the rest afterwards.

use super::provider::{PaymentProvider, ProviderOrder};
use super::{complete, event, find, new_number, Completion, Confirmation, Details, PaymentNo, PaymentState, Purpose};
use crate::audit::{self, Actor, Entry};
use crate::points::{self, PointsPolicy};
use crate::{coupons, settings, stored_value, Db, Result, Timestamp};
use plaza_types::error::Field;
use plaza_types::tender::{split, Split, TenderInputs};
use plaza_types::{AppError, Fen, MemberId, TenantId};
use std::sync::Arc;

/// How long a payment may wait for the provider before it is closed and its tenders returned
/// (and a mall order's reserved stock released), unless the setting says otherwise.
pub const PAYMENT_TIMEOUT_SECS: i64 = 15 * 60;

/// The payment timeout (setting `payments.timeout`): 15 minutes by default. Tests that wait for
/// the timeout job on a running server set it to seconds; it is held within 5 s … 2 h.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PaymentTimeout {
    pub secs: i64,
}

impl Default for PaymentTimeout {
    fn default() -> Self {
        PaymentTimeout { secs: PAYMENT_TIMEOUT_SECS }
    }
}

impl settings::Setting for PaymentTimeout {
    const KEY: &'static str = "payments.timeout";
}

impl PaymentTimeout {
    pub fn secs(self) -> i64 {
        self.secs.clamp(5, 2 * 3600)
    }
}
pub use plaza_types::tender::MAX_PAYMENT;

#[derive(Clone, Debug)]
pub struct NewPayment {
    pub member: MemberId,
    /// What it pays for: the purpose, its tenant, and the row it writes beside the payment.
    pub details: Arc<dyn Details>,
    pub subject: String,
    pub amount: Fen,
    pub coupon: Option<i64>,
    pub use_points: bool,
    pub use_stored_value: bool,
    /// One per form shown: a resubmitted form returns the payment it already created.
    pub request_key: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Created {
    pub payment_no: PaymentNo,
    pub split: Split,
    /// Where to send the shopper: the provider's page, or `None` when nothing is left to pay.
    pub pay_url: Option<String>,
    pub state: PaymentState,
}

/// What the shopper chose to pay with besides the provider.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Choice {
    pub coupon: Option<i64>,
    pub use_points: bool,
    pub use_stored_value: bool,
}

/// The breakdown for a member's choices now (the pay page's figures before confirming).
pub async fn quote(
    db: &Db,
    member: MemberId,
    amount: Fen,
    tenant: Option<TenantId>,
    choice: Choice,
    now: Timestamp,
) -> Result<Split> {
    let Choice { coupon, use_points, use_stored_value } = choice;
    let policy: PointsPolicy = settings::get(db.pool()).await?;
    let mut conn = db.pool().acquire().await?;
    let coupon_discount = match coupon {
        Some(c) => coupons::discount_for(&mut conn, c, member, amount, tenant, now).await?,
        None => Fen::ZERO,
    };
    let points = points::account::balance(&mut *conn, member).await?;
    let sv = stored_value::balance(&mut *conn, member).await?;
    Ok(split(TenderInputs {
        amount,
        coupon_discount,
        points_available: points.available.max(0),
        use_points,
        points_per_yuan: policy.points_per_yuan_spent,
        max_points_pct: policy.max_payment_share_pct,
        stored_value: sv,
        use_stored_value,
    }))
}

pub async fn create(db: &Db, provider: &dyn PaymentProvider, new: &NewPayment, now: Timestamp) -> Result<Created> {
    if let Some(existing) = check_and_find(db, new, now).await? {
        return Ok(existing);
    }
    let Opened { payment_no, split: s, state, expires_at } = open(db, new, provider.name(), now).await?;
    if s.external.0 == 0 {
        // Covered by coupon, points and stored value: complete at once, through the same command.
        complete(db, &payment_no, &Confirmation::internal(now), now).await?;
        return Ok(Created { payment_no, split: s, pay_url: None, state: PaymentState::Paid });
    }
    let order = ProviderOrder {
        payment_no: payment_no.to_string(),
        amount: s.external,
        description: new.subject.clone(),
        expires_at,
    };
    match provider.start(db, &order, now).await {
        Ok(url) => {
            let remember = sqlx::query("UPDATE payments SET pay_url = $1 WHERE payment_no = $2")
                .bind(&url)
                .bind(payment_no.as_str());
            db.write_one(remember).await?;
            Ok(Created { payment_no, split: s, pay_url: Some(url), state })
        }
        Err(error) => {
            tracing::warn!(%payment_no, %error, "provider refused to start; giving the tenders back");
            super::close(db, &payment_no, "provider_unavailable", now).await?;
            Err(AppError::Unavailable.into())
        }
    }
}

/// The request's plain checks, then the payment this form already started, if any.
async fn check_and_find(db: &Db, new: &NewPayment, now: Timestamp) -> Result<Option<Created>> {
    if new.amount.0 <= 0 || new.amount > MAX_PAYMENT {
        return Err(AppError::invalid(Field::Amount).into());
    }
    if new.request_key.is_empty() || new.request_key.len() > 64 {
        return Err(AppError::invalid(Field::Amount).into());
    }
    by_request_key(db, new.member, new.details.purpose(), &new.request_key, now).await
}

/// A payment its transaction wrote: `paying` when the provider has a share, else `created`,
/// which [`create`] completes right after.
pub(super) struct Opened {
    pub payment_no: PaymentNo,
    pub split: Split,
    pub state: PaymentState,
    pub expires_at: Timestamp,
}

/// The payment's one transaction: its tenders taken (coupon reserved, points and stored value
/// debited), the payment and its purpose's records written, the audit entry appended.
pub(super) async fn open(db: &Db, new: &NewPayment, provider_name: &str, now: Timestamp) -> Result<Opened> {
    let (policy, timeout): (PointsPolicy, PaymentTimeout) = settings::get_two(db.pool()).await?;
    let timeout = timeout.secs();
    let payment_no = new_number('P', now);
    let actor = Actor::Member(new.member);
    let tenant = new.details.tenant();
    // The tenant's status is read before the write transaction, on a reader (a suspension
    // committing meanwhile is ordered after this payment, as one committing a moment later would be).
    if let Some(tenant) = tenant {
        let (status,): (String,) = sqlx::query_as("SELECT status FROM tenants WHERE id = $1")
            .bind(tenant.0)
            .fetch_optional(db.pool())
            .await?
            .ok_or(AppError::NotFound)?;
        if status != "active" {
            return Err(AppError::NotUsable.into());
        }
    }
    let mut tx = db.begin_write().await?;
    // The member's row lock first (PostgreSQL): one member's payments are created one after
    // another, so the balances read below are the balances the tenders are taken from.
    let points_balance = points::account::lock(&mut tx, new.member, now).await?;
    let coupon_discount = match new.coupon {
        Some(c) => {
            let discount = coupons::discount_for(&mut tx, c, new.member, new.amount, tenant, now).await?;
            coupons::reserve(&mut tx, c, new.member, &payment_no, now).await?;
            discount
        }
        None => Fen::ZERO,
    };
    let sv_balance = stored_value::balance(&mut **tx, new.member).await?;
    let s = split(TenderInputs {
        amount: new.amount,
        coupon_discount,
        points_available: points_balance.available.max(0),
        use_points: new.use_points,
        points_per_yuan: policy.points_per_yuan_spent,
        max_points_pct: policy.max_payment_share_pct,
        stored_value: sv_balance,
        use_stored_value: new.use_stored_value,
    });
    let mut entries = Vec::with_capacity(2);
    if s.points_used > 0 {
        let (_, entry) =
            points::spend_unaudited(&mut tx, new.member, s.points_used, tenant, "payment", &payment_no, &actor, now)
                .await?;
        entries.push(entry);
    }
    if s.stored_value.0 > 0 {
        stored_value::debit(&mut tx, new.member, s.stored_value, "spend", &payment_no, "", &actor, now).await?;
    }
    let state = if s.external.0 > 0 { PaymentState::Paying } else { PaymentState::Created };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO payments (payment_no, purpose, member_id, tenant_id, subject, amount_fen, coupon_id, coupon_fen, \
         points_used, points_fen, sv_fen, external_fen, provider, state, request_key, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(payment_no.as_str())
    .bind(new.details.purpose().as_str())
    .bind(new.member.0)
    .bind(tenant.map(|t| t.0))
    .bind(new.subject.chars().take(120).collect::<String>())
    .bind(new.amount.0)
    .bind(new.coupon)
    .bind(s.coupon.0)
    .bind(s.points_used)
    .bind(s.points_value.0)
    .bind(s.stored_value.0)
    .bind(s.external.0)
    .bind((s.external.0 > 0).then_some(provider_name))
    .bind(state.as_str())
    .bind(format!("{}:{}", new.member.0, new.request_key))
    .bind(now.millis())
    .bind(now.plus_secs(timeout).millis())
    .fetch_one(&mut **tx)
    .await?;
    new.details.record(&mut tx, id, now).await?;
    event(&mut tx, id, "created", &serde_json::to_string(&s).unwrap_or_default(), now).await?;
    let entry = Entry::new(&actor, "payment.create")
        .member(new.member)
        .tenant(tenant)
        .subject(format!("payment:{payment_no}"))
        .amount(new.amount.0)
        .details(format!("purpose={} external={}", new.details.purpose().as_str(), s.external.0));
    entries.push(entry);
    audit::append_many(&mut tx, &entries, now).await?;
    tx.commit().await?;
    Ok(Opened { payment_no, split: s, state, expires_at: now.plus_secs(timeout) })
}

/// The payment a form already started: the member's payment for `purpose` under `key` (one key
/// per form shown). A key the member already used for another purpose is refused rather than
/// answered with that other purpose's payment (keys are unique across purposes).
///
/// A payment covered by internal tenders alone that is still `created` was cut off between its
/// transaction and its completion (the server stopped, the connection dropped): its tenders are
/// taken, so the form sent again completes it, exactly as the first send would have.
pub async fn by_request_key(
    db: &Db,
    member: MemberId,
    purpose: Purpose,
    key: &str,
    now: Timestamp,
) -> Result<Option<Created>> {
    let row: Option<(String, String, Option<String>)> =
        sqlx::query_as("SELECT payment_no, purpose, pay_url FROM payments WHERE request_key = $1")
            .bind(format!("{}:{key}", member.0))
            .fetch_optional(db.pool())
            .await?;
    let Some((payment_no, stored_purpose, pay_url)) = row else { return Ok(None) };
    if stored_purpose != purpose.as_str() {
        return Err(AppError::invalid(Field::Amount).into());
    }
    let p = find(db.pool(), &payment_no).await?.ok_or_else(|| crate::Error::internal("payment vanished"))?;
    let payment_no = p.payment_no.clone();
    let split = Split {
        coupon: Fen(p.coupon_fen),
        points_used: p.points_used,
        points_value: Fen(p.points_fen),
        stored_value: Fen(p.sv_fen),
        external: Fen(p.external_fen),
    };
    let pay_url = pay_url.filter(|_| p.state == PaymentState::Paying);
    let mut state = p.state;
    if state == PaymentState::Created && p.external_fen == 0 {
        tracing::info!(%payment_no, "completing an internally covered payment its request left unfinished");
        state = match complete(db, &payment_no, &Confirmation::internal(now), now).await? {
            Completion::Completed { .. } | Completion::AlreadyComplete => PaymentState::Paid,
            _ => find(db.pool(), &payment_no).await?.map_or(state, |p| p.state),
        };
    }
    Ok(Some(Created { payment_no, split, pay_url, state }))
}
