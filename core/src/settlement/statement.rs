//! The settlement statement of a period: what the tenant sold through Plaza, what was given
//! back, the mall's commission, how the shoppers paid and who funds each part, and the net the
//! mall owes the tenant. Each sale's commission is at the rate in force on its mall date; a
//! refund takes back the commission of its sale at that sale's rate, in the period it happened.

use super::commission::{self, Schedule};
use super::lines::{lines, Line};
use super::{commission_of, Period};
use crate::{mall, Db, MallTz, Result};
use plaza_types::dto::{CommissionPart, Localized, Statement};
use plaza_types::{Fen, TenantId};
use std::collections::BTreeMap;

/// The statement of `tenant` for `period`.
pub async fn statement(db: &Db, tenant: TenantId, period: &Period) -> Result<Statement> {
    let tz = mall::timezone(db).await?;
    let (start, end) = period.bounds(&tz)?;
    let schedule = commission::schedule(db, tenant).await?;
    let lines = lines(db, tenant, start, end).await?;
    let name = super::report::tenant_name(db, tenant).await?;
    Ok(compute(name, period, &lines, &schedule, &tz))
}

pub(super) fn compute(tenant: Localized, period: &Period, lines: &[Line], rates: &Schedule, tz: &MallTz) -> Statement {
    let mut s = Statement {
        tenant,
        period: period.view(),
        sale_count: 0,
        sales: Fen(0),
        refund_count: 0,
        refunds: Fen(0),
        net_sales: Fen(0),
        commission: Fen(0),
        commission_parts: Vec::new(),
        coupons_mall: Fen(0),
        coupons_tenant: Fen(0),
        points: Fen(0),
        stored_value: Fen(0),
        provider: Fen(0),
        net_owed: Fen(0),
    };
    // Per rate: (net base, commission).
    let mut parts: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for line in lines {
        let sign = if line.refund { -1 } else { 1 };
        if line.refund {
            s.refund_count += 1;
            s.refunds.0 += line.amount;
        } else {
            s.sale_count += 1;
            s.sales.0 += line.amount;
        }
        let bps = rates.on(tz.civil_date(crate::Timestamp(line.sold_at)));
        let part = parts.entry(bps).or_default();
        part.0 += sign * line.amount;
        part.1 += sign * commission_of(line.amount, bps);
        if line.coupon_by_tenant {
            s.coupons_tenant.0 += sign * line.coupon;
        } else {
            s.coupons_mall.0 += sign * line.coupon;
        }
        s.points.0 += sign * line.points;
        s.stored_value.0 += sign * line.stored_value;
        s.provider.0 += sign * line.provider;
    }
    s.net_sales = Fen(s.sales.0 - s.refunds.0);
    s.commission_parts = parts
        .into_iter()
        .map(|(rate_bps, (base, commission))| CommissionPart { rate_bps, base: Fen(base), commission: Fen(commission) })
        .collect();
    s.commission = Fen(s.commission_parts.iter().map(|p| p.commission.0).sum());
    s.net_owed = Fen(s.net_sales.0 - s.commission.0 - s.coupons_tenant.0);
    s
}
