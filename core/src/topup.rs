//! Topping up stored value through the payment engine, with the operator's bonus tiers (e.g. top
//! up ¥500, get ¥30): the top-up purpose. The bonus is decided when the payment is created and
//! written into its `topup_payments` row, so the completion credits exactly what the shopper was
//! shown, whatever the tiers say by the time the money arrives.

use crate::audit::{self, Actor, Entry};
use crate::payments::{self, Created, Details, Fulfilled, NewPayment, Payment, PaymentProvider, Purpose, MAX_PAYMENT};
use crate::settings::{self, Setting};
use crate::{Db, Result, Timestamp, WriteTx};
use async_trait::async_trait;
use plaza_types::dto::{BonusTier, TopupOptions, TopupPolicyView, TopupPreset};
use plaza_types::error::Field;
use plaza_types::money::AmountError;
use plaza_types::{AppError, Fen, MemberId, TenantId};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// At most this many bonus tiers and ready-made amounts.
const MAX_TIERS: usize = 10;

/// The operator's top-up rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TopupPolicy {
    /// Ascending by `from_fen`; the highest tier reached applies.
    pub tiers: Vec<TierRule>,
    /// The amounts the page offers as buttons.
    pub presets_fen: Vec<i64>,
    pub min_fen: i64,
    pub max_fen: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierRule {
    pub from_fen: i64,
    pub bonus_fen: i64,
}

impl Default for TopupPolicy {
    fn default() -> Self {
        TopupPolicy {
            tiers: vec![
                TierRule { from_fen: 20_000, bonus_fen: 1_000 },
                TierRule { from_fen: 50_000, bonus_fen: 3_000 },
                TierRule { from_fen: 100_000, bonus_fen: 8_000 },
            ],
            presets_fen: vec![10_000, 20_000, 50_000, 100_000],
            min_fen: 1_000,
            max_fen: 500_000,
        }
    }
}

impl Setting for TopupPolicy {
    const KEY: &'static str = "stored_value.topup";
}

impl TopupPolicy {
    /// The bonus a top-up of `amount` gets: the highest tier it reaches.
    pub fn bonus_for(&self, amount: Fen) -> Fen {
        plaza_types::dto::topup_bonus(&self.bonus_tiers(), amount)
    }

    pub fn bonus_tiers(&self) -> Vec<BonusTier> {
        self.tiers.iter().map(|t| BonusTier { from: Fen(t.from_fen), bonus: Fen(t.bonus_fen) }).collect()
    }

    /// Refuses a policy that would make no sense to a shopper: tiers out of order, a bonus as
    /// large as its threshold, bounds crossed or beyond what one payment may be.
    pub fn validate(&self) -> std::result::Result<(), AppError> {
        let amount = AppError::invalid(Field::Amount);
        if self.min_fen < 1 || self.max_fen < self.min_fen || Fen(self.max_fen) > MAX_PAYMENT {
            return Err(amount);
        }
        if self.tiers.len() > MAX_TIERS || self.presets_fen.is_empty() || self.presets_fen.len() > MAX_TIERS {
            return Err(amount);
        }
        let ordered = self.tiers.windows(2).all(|w| w[0].from_fen < w[1].from_fen && w[0].bonus_fen < w[1].bonus_fen);
        let sane = self.tiers.iter().all(|t| t.from_fen > 0 && t.bonus_fen > 0 && t.bonus_fen < t.from_fen);
        if !ordered || !sane {
            return Err(amount);
        }
        let presets_ok = self.presets_fen.windows(2).all(|w| w[0] < w[1])
            && self.presets_fen.iter().all(|p| (self.min_fen..=self.max_fen).contains(p));
        if !presets_ok {
            return Err(amount);
        }
        Ok(())
    }

    /// Reads an amount the shopper typed (yuan, at most two decimals) within the bounds.
    pub fn parse_amount(&self, input: &str) -> std::result::Result<Fen, AppError> {
        let range = AppError::AmountOutOfRange { min_fen: self.min_fen, max_fen: self.max_fen };
        match Fen::from_yuan_str(input) {
            Ok(fen) if (self.min_fen..=self.max_fen).contains(&fen.0) => Ok(fen),
            Ok(_) | Err(AmountError::TooLarge) | Err(AmountError::Negative) => Err(range),
            Err(AmountError::TooPrecise) => Err(AppError::AmountTooPrecise),
            Err(AmountError::NotANumber) => Err(AppError::invalid(Field::Amount)),
        }
    }

    pub fn view(&self) -> TopupPolicyView {
        TopupPolicyView {
            tiers: self
                .tiers
                .iter()
                .map(|t| format!("{}:{}", Fen(t.from_fen).yuan_input(), Fen(t.bonus_fen).yuan_input()))
                .collect::<Vec<_>>()
                .join(", "),
            presets: self.presets_fen.iter().map(|p| Fen(*p).yuan_input()).collect::<Vec<_>>().join(", "),
            min: Fen(self.min_fen),
            max: Fen(self.max_fen),
        }
    }
}

fn yuan(input: &str) -> Result<i64> {
    Fen::from_yuan_str(input).map(|f| f.0).map_err(|_| AppError::invalid(Field::Amount).into())
}

/// Reads the operator's form: tiers as `500:30, 1000:80` (yuan, threshold:bonus; empty for
/// none), ready-made amounts as `100, 200, 500`, and the bounds in yuan.
pub fn parse_policy(tiers: &str, presets: &str, min: &str, max: &str) -> Result<TopupPolicy> {
    let pieces = |text: &str| -> Vec<String> {
        text.split([',', '，', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
    };
    let mut rules = Vec::new();
    for piece in pieces(tiers) {
        let (from, bonus) = piece.split_once([':', '：']).ok_or(AppError::invalid(Field::Amount))?;
        rules.push(TierRule { from_fen: yuan(from)?, bonus_fen: yuan(bonus)? });
    }
    let presets = pieces(presets).iter().map(|p| yuan(p)).collect::<Result<Vec<_>>>()?;
    let policy = TopupPolicy { tiers: rules, presets_fen: presets, min_fen: yuan(min)?, max_fen: yuan(max)? };
    policy.validate()?;
    Ok(policy)
}

/// Saves the operator's rules (validated), with an audit entry.
pub async fn save_policy(db: &Db, policy: &TopupPolicy, operator: &Actor, now: Timestamp) -> Result<()> {
    policy.validate()?;
    let mut tx = db.begin_write().await?;
    settings::put(&mut **tx, policy, now).await?;
    let view = policy.view();
    let entry = Entry::new(operator, "settings.topup")
        .subject(TopupPolicy::KEY)
        .details(format!("tiers={} presets={} min={} max={}", view.tiers, view.presets, view.min, view.max));
    audit::append(&mut tx, entry, now).await?;
    tx.commit().await
}

/// What the top-up page offers this member now.
pub async fn options(db: &Db, member: MemberId) -> Result<TopupOptions> {
    let policy: TopupPolicy = settings::get(db.pool()).await?;
    Ok(TopupOptions {
        balance: crate::stored_value::balance(db.pool(), member).await?,
        presets: policy
            .presets_fen
            .iter()
            .map(|p| TopupPreset { amount: Fen(*p), bonus: policy.bonus_for(Fen(*p)) })
            .collect(),
        tiers: policy.bonus_tiers(),
        min: Fen(policy.min_fen),
        max: Fen(policy.max_fen),
        request_key: crate::codes::random_key(),
    })
}

/// Starts a top-up of `amount` for `member`: a `Topup` payment paid wholly through the provider
/// (stored value cannot buy stored value, nor can points), carrying the bonus it will credit.
/// The same `request_key` (one per form shown) returns the payment it already created.
pub async fn topup(
    db: &Db,
    provider: &dyn PaymentProvider,
    member: MemberId,
    amount: Fen,
    request_key: &str,
    now: Timestamp,
) -> Result<Created> {
    let policy: TopupPolicy = settings::get(db.pool()).await?;
    if !(policy.min_fen..=policy.max_fen).contains(&amount.0) {
        return Err(AppError::AmountOutOfRange { min_fen: policy.min_fen, max_fen: policy.max_fen }.into());
    }
    let bonus = policy.bonus_for(amount);
    let new = NewPayment {
        member,
        details: Arc::new(TopupDetails { bonus }),
        subject: format!("储值充值 {}", amount.short()),
        amount,
        coupon: None,
        use_points: false,
        use_stored_value: false,
        request_key: request_key.to_string(),
    };
    payments::create(db, provider, &new, now).await
}

/// A top-up payment's own row: the bonus it will credit.
#[derive(Debug)]
pub struct TopupDetails {
    pub bonus: Fen,
}

#[async_trait]
impl Details for TopupDetails {
    fn purpose(&self) -> Purpose {
        Purpose::Topup
    }

    fn tenant(&self) -> Option<TenantId> {
        None
    }

    async fn record(&self, tx: &mut WriteTx, payment_id: i64, _now: Timestamp) -> Result<()> {
        sqlx::query("INSERT INTO topup_payments (payment_id, bonus_fen) VALUES ($1, $2)")
            .bind(payment_id)
            .bind(self.bonus.0)
            .execute(&mut ***tx)
            .await?;
        Ok(())
    }
}

/// Paid: the amount and the bonus shown at creation are credited (each keyed by the payment, so
/// once).
pub async fn fulfil(tx: &mut WriteTx, p: &Payment, now: Timestamp) -> Result<Fulfilled> {
    let (bonus,): (i64,) = sqlx::query_as("SELECT bonus_fen FROM topup_payments WHERE payment_id = $1")
        .bind(p.id)
        .fetch_optional(&mut ***tx)
        .await?
        .ok_or_else(|| crate::Error::internal(format!("top-up {} has no row", p.payment_no)))?;
    let member = p.member();
    crate::stored_value::credit(tx, member, Fen(p.amount_fen), "topup", &p.payment_no, "", &Actor::Member(member), now)
        .await?;
    if bonus > 0 {
        crate::stored_value::credit(tx, member, Fen(bonus), "bonus", &p.payment_no, "", &Actor::System, now).await?;
    }
    Ok(Fulfilled::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payments::sandbox::{self, Delivery, Sandbox};
    use crate::payments::{complete, Completion, Confirmation, ProviderStatus};
    use crate::testing::{seed_member, test_db};

    const T0: Timestamp = Timestamp(1_773_108_000_000);

    fn provider() -> Sandbox {
        Sandbox { notify_url: "http://127.0.0.1:9/notify/wechat".into(), delivery: Delivery::Normal }
    }

    async fn confirm(db: &Db, payment_no: &str) -> Completion {
        sandbox::confirm(db, &provider(), payment_no, T0).await.unwrap();
        let ProviderStatus::Paid { transaction_id, amount, paid_at } = provider().query(db, payment_no).await.unwrap()
        else {
            panic!("the sandbox took the money")
        };
        let confirmation = Confirmation { provider: Some("sandbox".into()), transaction_id, amount, paid_at };
        complete(db, payment_no, &confirmation, T0).await.unwrap()
    }

    #[test]
    fn the_highest_tier_reached_gives_the_bonus() {
        let p = TopupPolicy::default();
        assert_eq!(p.bonus_for(Fen(19_999)), Fen(0));
        assert_eq!(p.bonus_for(Fen(20_000)), Fen(1_000));
        assert_eq!(p.bonus_for(Fen(50_000)), Fen(3_000));
        assert_eq!(p.bonus_for(Fen(99_999)), Fen(3_000));
        assert_eq!(p.bonus_for(Fen(500_000)), Fen(8_000));
        assert!(p.validate().is_ok());
    }

    #[test]
    fn reads_the_operators_form_and_refuses_nonsense() {
        let p = parse_policy("200:10， 500：30, 1000:80", "100, 500", "10", "5000").unwrap();
        assert_eq!(p.tiers[1], TierRule { from_fen: 50_000, bonus_fen: 3_000 });
        assert_eq!(p.presets_fen, vec![10_000, 50_000]);
        assert_eq!(p.view().tiers, "200:10, 500:30, 1000:80");
        assert!(parse_policy("", "100", "10", "5000").unwrap().tiers.is_empty(), "no bonus at all is allowed");
        for (tiers, presets, min, max) in [
            ("500:30, 200:10", "100", "10", "5000"),  // out of order
            ("500:500", "100", "10", "5000"),         // bonus as large as the top-up
            ("500:30, 1000:20", "100", "10", "5000"), // a higher tier giving less
            ("500", "100", "10", "5000"),             // no bonus given
            ("500:30", "", "10", "5000"),             // no ready-made amount
            ("500:30", "100", "200", "5000"),         // a preset below the minimum
            ("500:30", "100", "10", "60000"),         // above what one payment may be
            ("500:30", "100", "0", "5000"),
            ("500:3.333", "100", "10", "5000"),
        ] {
            assert!(parse_policy(tiers, presets, min, max).is_err(), "{tiers} | {presets} | {min} | {max}");
        }
    }

    #[test]
    fn typed_amounts_are_bounded_with_clear_errors() {
        let p = TopupPolicy::default();
        assert_eq!(p.parse_amount("500"), Ok(Fen(50_000)));
        assert_eq!(p.parse_amount("¥88.8"), Ok(Fen(8_880)));
        assert_eq!(p.parse_amount("5"), Err(AppError::AmountOutOfRange { min_fen: 1_000, max_fen: 500_000 }));
        assert_eq!(p.parse_amount("5001"), Err(AppError::AmountOutOfRange { min_fen: 1_000, max_fen: 500_000 }));
        assert_eq!(p.parse_amount("-50"), Err(AppError::AmountOutOfRange { min_fen: 1_000, max_fen: 500_000 }));
        assert_eq!(p.parse_amount("12.345"), Err(AppError::AmountTooPrecise));
        assert_eq!(p.parse_amount("abc"), Err(AppError::invalid(Field::Amount)));
    }

    #[tokio::test]
    async fn a_paid_top_up_credits_the_amount_and_its_bonus_once() {
        let db = test_db().await;
        let m = seed_member(&db, "13200000301").await;
        let created = topup(&db, &provider(), m, Fen(50_000), "t1", T0).await.unwrap();
        assert_eq!(created.split.external, Fen(50_000), "paid wholly through the provider");
        assert!(created.pay_url.is_some());
        assert_eq!(
            crate::stored_value::balance(db.pool(), m).await.unwrap(),
            Fen(0),
            "nothing before the money arrives"
        );
        // The client retries the same form: the same payment, not a second one.
        let again = topup(&db, &provider(), m, Fen(50_000), "t1", T0).await.unwrap();
        assert_eq!(again.payment_no, created.payment_no);

        // The operator lowers the bonus meanwhile: the shopper still gets what they were shown.
        let lower =
            TopupPolicy { tiers: vec![TierRule { from_fen: 50_000, bonus_fen: 500 }], ..TopupPolicy::default() };
        save_policy(&db, &lower, &Actor::System, T0).await.unwrap();

        assert!(matches!(confirm(&db, &created.payment_no).await, Completion::Completed { .. }));
        assert_eq!(crate::stored_value::balance(db.pool(), m).await.unwrap(), Fen(53_000));
        // A repeated notification credits nothing more.
        assert_eq!(confirm(&db, &created.payment_no).await, Completion::AlreadyComplete);
        assert_eq!(crate::stored_value::balance(db.pool(), m).await.unwrap(), Fen(53_000));
        let kinds: Vec<(String, i64)> = crate::stored_value::movements(&db, m, 10)
            .await
            .unwrap()
            .into_iter()
            .map(|mv| (mv.kind, mv.amount_fen))
            .rev()
            .collect();
        assert_eq!(kinds, vec![("topup".to_string(), 50_000), ("bonus".to_string(), 3_000)]);

        // Under the lowered tiers a new top-up gets the new bonus; below every tier, none.
        let small = topup(&db, &provider(), m, Fen(10_000), "t2", T0).await.unwrap();
        confirm(&db, &small.payment_no).await;
        let big = topup(&db, &provider(), m, Fen(60_000), "t3", T0).await.unwrap();
        confirm(&db, &big.payment_no).await;
        assert_eq!(crate::stored_value::balance(db.pool(), m).await.unwrap(), Fen(53_000 + 10_000 + 60_500));
    }

    #[tokio::test]
    async fn out_of_bounds_top_ups_change_nothing() {
        let db = test_db().await;
        let m = seed_member(&db, "13200000302").await;
        for amount in [Fen(0), Fen(999), Fen(500_001), Fen(-100)] {
            let err = topup(&db, &provider(), m, amount, "bad", T0).await.unwrap_err();
            assert!(matches!(err, crate::Error::User(AppError::AmountOutOfRange { .. })), "{amount:?}");
        }
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM payments").fetch_one(db.pool()).await.unwrap();
        assert_eq!(n, 0);
        let bad = TopupPolicy { min_fen: 0, ..TopupPolicy::default() };
        assert!(save_policy(&db, &bad, &Actor::System, T0).await.is_err());
        let stored: TopupPolicy = settings::get(db.pool()).await.unwrap();
        assert_eq!(stored, TopupPolicy::default(), "a refused policy is not stored");
    }

    #[tokio::test]
    async fn the_page_shows_presets_with_their_bonus() {
        let db = test_db().await;
        let m = seed_member(&db, "13200000303").await;
        let o = options(&db, m).await.unwrap();
        let figures: Vec<(i64, i64)> = o.presets.iter().map(|p| (p.amount.0, p.bonus.0)).collect();
        assert_eq!(figures, vec![(10_000, 0), (20_000, 1_000), (50_000, 3_000), (100_000, 8_000)]);
        assert_eq!((o.min, o.max, o.balance), (Fen(1_000), Fen(500_000), Fen(0)));
    }
}
