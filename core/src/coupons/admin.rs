//! Coupon templates for operators: the list with its pick lists, creating a template from the
//! form, pausing, resuming and ending one, and issuing a batch to a list of phone numbers.

use crate::audit::Actor;
use crate::coupons::{self, NewTemplate, Validity};
use crate::input::{date, invalid, number, optional_number, yuan_or_zero};
use crate::MallTz;
use crate::{mall, Db, Result, Timestamp};
use plaza_types::dto::{BatchOutcome, CouponKind, CouponsAdmin, Localized, TemplateForm};
use plaza_types::error::Field;
use plaza_types::AppError;

/// Most lines one batch may hold.
pub const BATCH_LIMIT: usize = 1_000;

pub async fn page(db: &Db) -> Result<CouponsAdmin> {
    let tz = mall::timezone(db).await?;
    Ok(CouponsAdmin {
        templates: coupons::templates::list_templates(db, &tz).await?,
        categories: crate::tenants::choices::categories(db.pool()).await?,
        tenants: crate::tenants::choices::tenants(db.pool()).await?,
    })
}

/// Reads the create-template form; `create_template` checks the values themselves.
pub fn parse_template(form: &TemplateForm, tz: &MallTz) -> Result<NewTemplate> {
    let kind = CouponKind::parse(form.kind.trim()).ok_or_else(|| invalid(Field::Coupon))?;
    let (scope_kind, scope_ids) = match form.scope.as_str() {
        "mall" => ("mall", Vec::new()),
        "category" => ("category", form.category_ids.clone().unwrap_or_default()),
        "tenant" => ("tenant", form.tenant_ids.clone().unwrap_or_default()),
        _ => return Err(invalid(Field::Tenant)),
    };
    let validity = match form.validity.as_str() {
        "days" => Validity::DaysAfterIssue(number(&form.valid_days, Field::Date)?),
        "fixed" => {
            let last = date(&form.valid_until)?.tomorrow().map_err(|_| invalid(Field::Date))?;
            Validity::Fixed { from: tz.start_of_date(date(&form.valid_from)?)?, until: tz.start_of_date(last)? }
        }
        _ => return Err(invalid(Field::Date)),
    };
    Ok(NewTemplate {
        code: form.code.trim().to_ascii_lowercase(),
        name: Localized::new(form.name_zh.trim(), form.name_en.trim()),
        kind,
        value: yuan_or_zero(&form.value, Field::Amount)?,
        percent_off: optional_number(&form.percent_off, Field::Amount)?.unwrap_or(0),
        threshold: yuan_or_zero(&form.threshold, Field::Amount)?,
        parking_minutes: optional_number(&form.parking_minutes, Field::Amount)?.unwrap_or(0),
        scope_kind: scope_kind.to_string(),
        scope_ids,
        validity,
        per_member_limit: number(&form.per_member_limit, Field::Coupon)?,
        total_stock: optional_number(&form.total_stock, Field::Coupon)?,
        claimable: form.claimable.is_some(),
        description: Localized::new(form.description_zh.trim(), form.description_en.trim()),
    })
}

/// Creates a template from the form; returns its id.
pub async fn create(db: &Db, form: &TemplateForm, operator: &Actor, now: Timestamp) -> Result<i64> {
    let tz = mall::timezone(db).await?;
    let new = parse_template(form, &tz)?;
    let mut tx = db.begin_write().await?;
    let id = coupons::create_template(&mut tx, &new, operator, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// `active`, `paused` (no new issues) or `ended`. Ending is final: an ended template stays ended,
/// so a campaign that was stopped cannot quietly start issuing again.
pub async fn set_status(db: &Db, template: i64, status: &str, operator: &Actor, now: Timestamp) -> Result<()> {
    let mut tx = db.begin_write().await?;
    let current: Option<(String,)> = sqlx::query_as("SELECT status FROM coupon_templates WHERE id = $1")
        .bind(template)
        .fetch_optional(&mut **tx)
        .await?;
    match current {
        None => return Err(AppError::NotFound.into()),
        Some((current,)) if current == "ended" => return Err(AppError::NotUsable.into()),
        Some(_) => {}
    }
    coupons::set_template_status(&mut tx, template, status, operator, now).await?;
    tx.commit().await
}

/// Issues one coupon of `template` to each phone number in `text` (one per line; blank lines are
/// ignored). Each member is its own transaction; the outcome says who was skipped and why.
pub async fn batch(db: &Db, template: i64, text: &str, operator: &Actor, now: Timestamp) -> Result<BatchOutcome> {
    let phones: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    if phones.is_empty() || phones.len() > BATCH_LIMIT {
        return Err(invalid(Field::Phone));
    }
    let report = coupons::issue_batch(db, operator, template, &phones, now).await?;
    Ok(BatchOutcome { issued: report.issued, skipped: report.skipped })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{seed_member, seed_tenant, test_db};
    use plaza_types::dto::CouponScope;
    use plaza_types::{Fen, StaffId};

    const NOW: Timestamp = Timestamp(1_773_108_000_000); // 2026-03-10 10:00 Shanghai
    const OP: Actor = Actor::Staff(StaffId(1));

    fn form() -> TemplateForm {
        TemplateForm {
            code: "Spring-50".into(),
            kind: "threshold_off".into(),
            name_zh: "春季满300减50".into(),
            name_en: "Spring: ¥50 off ¥300".into(),
            value: "50".into(),
            threshold: "300".into(),
            scope: "mall".into(),
            validity: "fixed".into(),
            valid_from: "2026-03-10".into(),
            valid_until: "2026-03-31".into(),
            per_member_limit: "1".into(),
            total_stock: "2".into(),
            claimable: Some("on".into()),
            ..TemplateForm::default()
        }
    }

    #[test]
    fn the_form_becomes_a_template() {
        let new = parse_template(&form(), &MallTz::shanghai()).unwrap();
        assert_eq!(new.code, "spring-50");
        assert_eq!((new.kind, new.value, new.threshold), (CouponKind::ThresholdOff, Fen(5_000), Fen(30_000)));
        // 2026-03-10 00:00 Shanghai until 2026-04-01 00:00 Shanghai (the 31st is the last day).
        assert_eq!(
            new.validity,
            Validity::Fixed { from: Timestamp(1_773_072_000_000), until: Timestamp(1_774_972_800_000) }
        );
        assert_eq!((new.total_stock, new.claimable), (Some(2), true));
        let days = TemplateForm { validity: "days".into(), valid_days: "30".into(), total_stock: "".into(), ..form() };
        let new = parse_template(&days, &MallTz::shanghai()).unwrap();
        assert_eq!((new.validity, new.total_stock), (Validity::DaysAfterIssue(30), None));
        for (bad, field) in [
            (TemplateForm { kind: "free_lunch".into(), ..form() }, Field::Coupon),
            (TemplateForm { value: "5o".into(), ..form() }, Field::Amount),
            (TemplateForm { valid_until: "31/03/2026".into(), ..form() }, Field::Date),
            (TemplateForm { scope: "galaxy".into(), ..form() }, Field::Tenant),
            (TemplateForm { per_member_limit: "".into(), ..form() }, Field::Coupon),
        ] {
            let err = parse_template(&bad, &MallTz::shanghai()).unwrap_err();
            assert!(matches!(err, crate::Error::User(AppError::Invalid { field: f }) if f == field), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn templates_are_created_scoped_paused_and_issued_in_batches() {
        let db = test_db().await;
        let tenant = seed_tenant(&db, "shoe").await;
        let id = create(&db, &form(), &OP, NOW).await.unwrap();
        let scoped = TemplateForm {
            code: "shoe-10".into(),
            kind: "cash".into(),
            value: "10".into(),
            scope: "tenant".into(),
            tenant_ids: Some(vec![tenant.0]),
            ..form()
        };
        create(&db, &scoped, &OP, NOW).await.unwrap();
        let err = create(&db, &form(), &OP, NOW).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::AlreadyExists)), "the code is unique");
        let unscoped = TemplateForm { code: "none-10".into(), tenant_ids: None, ..scoped.clone() };
        assert!(create(&db, &unscoped, &OP, NOW).await.is_err(), "a tenant scope names at least one tenant");

        let admin = page(&db).await.unwrap();
        assert_eq!(admin.templates.len(), 2);
        assert_eq!(admin.templates[0].terms.scope, CouponScope::Tenants(vec![Localized::new("测试shoe", "Test shoe")]));
        assert_eq!(admin.tenants.len(), 1);

        seed_member(&db, "13800138000").await;
        seed_member(&db, "13900139000").await;
        seed_member(&db, "13700137000").await;
        let text = "13800138000\n\n 139 0013 9000 \nhello\n13600000000\n13800138000\n13700137000\n";
        let outcome = batch(&db, id, text, &OP, NOW).await.unwrap();
        assert_eq!(outcome.issued, 2, "the stock of two runs out");
        assert_eq!(
            outcome.skipped,
            vec![
                ("hello".to_string(), "invalid".to_string()),
                ("136****0000".to_string(), "unknown".to_string()),
                ("137****7000".to_string(), "sold_out".to_string()),
            ]
        );
        assert!(batch(&db, id, "\n \n", &OP, NOW).await.is_err());

        set_status(&db, id, "paused", &OP, NOW).await.unwrap();
        assert_eq!(page(&db).await.unwrap().templates[1].status, "paused");
        assert!(set_status(&db, id, "deleted", &OP, NOW).await.is_err());
        assert!(matches!(set_status(&db, 999, "ended", &OP, NOW).await, Err(crate::Error::User(AppError::NotFound))));
        set_status(&db, id, "ended", &OP, NOW).await.unwrap();
        let err = set_status(&db, id, "active", &OP, NOW).await.unwrap_err();
        assert!(matches!(err, crate::Error::User(AppError::NotUsable)), "ending is final");
    }
}
