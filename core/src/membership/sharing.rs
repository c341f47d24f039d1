//! What the sub-card pages read: the main holder's open invitation (so reopening the page shows
//! the same link instead of minting a new one), and the invitation as the invitee sees it.

use super::tiers;
use crate::MallTz;
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{Localized, MembershipPage, SubcardInviteView, SubcardOffer};
use plaza_types::{AppError, MemberId, PhoneNumber};

/// The newest invitation of `main` that is neither used nor expired: (code, expires_at).
pub async fn open_invite(db: &Db, main: MemberId, now: Timestamp) -> Result<Option<(String, Timestamp)>> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT code, expires_at FROM subcard_invites WHERE main_member_id = $1 AND accepted_by IS NULL AND expires_at > $2 \
         ORDER BY created_at DESC, code LIMIT 1",
    )
    .bind(main.0)
    .bind(now.millis())
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(code, expires_at)| (code, Timestamp(expires_at))))
}

/// The invitation behind `code`, for the invitee's landing page.
pub async fn offer(db: &Db, viewer: MemberId, code: &str, now: Timestamp, tz: &MallTz) -> Result<SubcardOffer> {
    let code = code.trim();
    if code.is_empty() || code.len() > 32 {
        return Err(AppError::NotFound.into());
    }
    let row: Option<(i64, i64, Option<i64>, String)> = sqlx::query_as(
        "SELECT i.main_member_id, i.expires_at, i.accepted_by, m.phone FROM subcard_invites i \
         JOIN members m ON m.id = i.main_member_id WHERE i.code = $1",
    )
    .bind(code)
    .fetch_optional(db.pool())
    .await?;
    let (main, expires_at, accepted_by, phone) = row.ok_or(AppError::NotFound)?;
    let running: Option<(i64,)> =
        sqlx::query_as("SELECT tier_id FROM memberships WHERE member_id = $1 AND ends_at > $2")
            .bind(main)
            .bind(now.millis())
            .fetch_optional(db.pool())
            .await?;
    let tier = match running {
        Some((tier,)) => tiers::load(db.pool(), tier).await?.map(|t| Localized::new(t.name_zh, t.name_en)),
        None => None,
    };
    Ok(SubcardOffer {
        code: code.to_string(),
        main_holder: PhoneNumber::parse(&phone).map(|p| p.masked()).unwrap_or_default(),
        open: accepted_by.is_none() && expires_at > now.millis() && tier.is_some(),
        mine: main == viewer.0,
        tier,
        expires_on: Timestamp(expires_at - 1).local_date(tz),
    })
}

/// The shopper's membership page: the tiers on sale, their own status, and their open sub-card
/// invitation rendered as a link (`link_for(code)`) and its QR code.
pub async fn page(
    db: &Db,
    member: MemberId,
    now: Timestamp,
    tz: &MallTz,
    link_for: &(dyn Fn(&str) -> String + Send + Sync),
) -> Result<MembershipPage> {
    let status = super::status(db, member, now, tz).await?;
    let invite = match open_invite(db, member, now).await? {
        Some((code, expires_at)) if status.active && status.subcard_holder.is_none() => {
            let link = link_for(&code);
            Some(SubcardInviteView {
                qr_svg: crate::codes::qr_svg(&link),
                link,
                code,
                expires_on: Timestamp(expires_at.millis() - 1).local_date(tz),
            })
        }
        _ => None,
    };
    let policy: super::MembershipPolicy = crate::settings::get(db.pool()).await?;
    Ok(MembershipPage {
        subcard_cooldown_days: policy.subcard_cooldown_days,
        tiers: tiers::list(db, false).await?,
        status,
        invite,
        stored_value: crate::stored_value::balance(db.pool(), member).await?,
        request_key: crate::codes::random_key(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::Actor;
    use crate::membership::admin::{create_tier, TierChange};
    use crate::membership::subcards;
    use crate::membership_purchase::buy;
    use crate::payments::sandbox::{self, Delivery, Sandbox};
    use crate::payments::{complete, Confirmation, PaymentProvider, ProviderStatus};
    use crate::testing::{seed_member, test_db};
    use plaza_types::Fen;

    const T0: Timestamp = Timestamp(1_773_108_000_000);
    fn tz() -> MallTz {
        MallTz::shanghai()
    }

    #[tokio::test]
    async fn the_invitation_is_shown_again_until_used_and_the_invitee_sees_whose_it_is() {
        let db = test_db().await;
        let main = seed_member(&db, "13200000501").await;
        let friend = seed_member(&db, "13200000502").await;
        let change = TierChange {
            name: Localized::new("个人会员卡", "Personal"),
            price: Fen(9_900),
            term_days: 365,
            benefits: Localized::default(),
            member_prices: true,
            first_pack: None,
            renewal_pack: None,
        };
        let tier = create_tier(&db, "personal", &change, &Actor::System, T0).await.unwrap();
        let provider = Sandbox { notify_url: "http://127.0.0.1:9/notify/wechat".into(), delivery: Delivery::Normal };
        let created = buy(&db, &provider, main, tier, false, "b", T0).await.unwrap();
        sandbox::confirm(&db, &provider, &created.payment_no, T0).await.unwrap();
        let ProviderStatus::Paid { transaction_id, amount, paid_at } =
            provider.query(&db, &created.payment_no).await.unwrap()
        else {
            panic!()
        };
        let confirmation = Confirmation { provider: Some("sandbox".into()), transaction_id, amount, paid_at };
        complete(&db, &created.payment_no, &confirmation, T0).await.unwrap();

        assert_eq!(open_invite(&db, main, T0).await.unwrap(), None);
        let code = subcards::invite(&db, main, T0).await.unwrap();
        let (open, expires) = open_invite(&db, main, T0).await.unwrap().unwrap();
        assert_eq!(open, code);
        assert_eq!(expires, T0.plus_secs(7 * 86_400));
        let seen = offer(&db, friend, &code, T0, &tz()).await.unwrap();
        assert!(seen.open && !seen.mine);
        assert!(offer(&db, main, &code, T0, &tz()).await.unwrap().mine);
        assert_eq!(seen.main_holder, "132****0501");
        assert_eq!(seen.tier.map(|t| t.zh), Some("个人会员卡".to_string()));
        assert_eq!(seen.expires_on, "2026-03-17");
        assert!(matches!(
            offer(&db, friend, "nope", T0, &tz()).await.unwrap_err(),
            crate::Error::User(AppError::NotFound)
        ));

        let link = |code: &str| format!("https://plaza.test/sub/{code}");
        let shown = page(&db, main, T0, &tz(), &link).await.unwrap();
        let invite = shown.invite.expect("the open invitation is on the page");
        assert_eq!((invite.code.as_str(), invite.expires_on.as_str()), (code.as_str(), "2026-03-17"));
        assert!(invite.link.ends_with(&code) && invite.qr_svg.starts_with("<svg"));
        assert_eq!(shown.tiers.len(), 1);
        subcards::accept(&db, friend, &code, T0).await.unwrap();
        let shown = page(&db, main, T0, &tz(), &link).await.unwrap();
        assert!(shown.invite.is_none() && shown.status.subcard_holder.as_deref() == Some("132****0502"));
        assert_eq!(open_invite(&db, main, T0).await.unwrap(), None, "a used invitation is gone");
        assert!(!offer(&db, friend, &code, T0, &tz()).await.unwrap().open);
        // An unused one expires.
        subcards::unbind(&db, main, T0).await.unwrap();
        let later = T0.plus_secs(40 * 86_400);
        let code = subcards::invite(&db, main, later).await.unwrap();
        assert!(!offer(&db, main, &code, later.plus_secs(8 * 86_400), &tz()).await.unwrap().open);
        assert_eq!(open_invite(&db, main, later.plus_secs(8 * 86_400)).await.unwrap(), None);
    }
}
