//! What a dish with its chosen options costs, always computed here from the menu (never taken from
//! a browser), and whether the choice fits the dish's option groups.

use super::menu_admin::groups;
use crate::{MallTz, Result, Timestamp};
use plaza_types::dto::{DishOption, DishOptionGroup, DishProblem, Localized, ServingWindow};
use plaza_types::error::Field;
use plaza_types::{AppError, Fen, TenantId};
use sqlx::AnyConnection;

/// The most of one dish (with the same options and remark) in one cart line.
pub const MAX_QUANTITY: i64 = 99;

/// The chosen options' ids as stored: ascending, unique, comma-separated.
pub fn option_key(ids: &[i64]) -> String {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// The ids back from a stored key.
pub fn parse_option_key(key: &str) -> Vec<i64> {
    key.split(',').filter_map(|id| id.parse().ok()).collect()
}

/// The chosen options, checked against the dish's groups: each chosen option belongs to one of
/// them, and each group gets between its `min` and `max`. Returned in group order.
pub fn check_choice<'g>(
    groups: &'g [DishOptionGroup],
    chosen: &[i64],
) -> std::result::Result<Vec<&'g DishOption>, AppError> {
    let bad = || AppError::invalid(Field::DishOptions);
    let mut chosen = chosen.to_vec();
    chosen.sort_unstable();
    if chosen.windows(2).any(|w| w[0] == w[1]) {
        return Err(bad());
    }
    let mut picked = Vec::with_capacity(chosen.len());
    for group in groups {
        let in_group: Vec<&DishOption> = group.options.iter().filter(|o| chosen.contains(&o.id)).collect();
        let n = in_group.len() as i64;
        if n < group.min || n > group.max {
            return Err(bad());
        }
        picked.extend(in_group);
    }
    if picked.len() != chosen.len() {
        // An option of no group of this dish (another dish's, or removed).
        return Err(bad());
    }
    Ok(picked)
}

/// The unit price: the member price for those who pay member prices (when the dish has one),
/// plus the options' deltas.
pub fn unit_price(price: Fen, member_price: Option<Fen>, member_prices: bool, options: &[&DishOption]) -> Fen {
    let base = match (member_prices, member_price) {
        (true, Some(m)) => m,
        _ => price,
    };
    Fen(base.0 + options.iter().map(|o| o.price_delta.0).sum::<i64>())
}

/// "大份 · 微辣 · 加蛋", in both languages.
pub fn options_text(options: &[&DishOption]) -> Localized {
    let zh = options.iter().map(|o| o.name.zh.as_str()).collect::<Vec<_>>().join(" · ");
    let en = options.iter().map(|o| o.name.get(plaza_types::Lang::En)).collect::<Vec<_>>().join(" · ");
    Localized::new(zh, en)
}

/// A dish as pricing and availability need it.
#[derive(Clone, Debug)]
pub struct DishRecord {
    pub id: i64,
    pub tenant: TenantId,
    pub name: Localized,
    pub price: Fen,
    pub member_price: Option<Fen>,
    pub sold_out: bool,
    pub active: bool,
    pub window: Option<ServingWindow>,
    pub groups: Vec<DishOptionGroup>,
}

impl DishRecord {
    /// Why it cannot be ordered at `minute` (after midnight, mall time), if it cannot.
    pub fn problem(&self, minute: i64) -> Option<DishProblem> {
        if !self.active {
            Some(DishProblem::Changed)
        } else if self.sold_out {
            Some(DishProblem::SoldOut)
        } else if self.window.is_some_and(|w| !w.contains(minute)) {
            Some(DishProblem::NotNow)
        } else {
            None
        }
    }
}

/// The minute of the mall's day `now` falls in.
pub fn minute_of_day(now: Timestamp, tz: &MallTz) -> i64 {
    let local = tz.zoned(now);
    i64::from(local.hour()) * 60 + i64::from(local.minute())
}

/// A dish by id, with its category's window and its option groups (`None`: no such dish at all).
pub async fn load(conn: &mut AnyConnection, dish: i64) -> Result<Option<DishRecord>> {
    type Row = (i64, i64, String, String, i64, Option<i64>, i64, String, String, Option<i64>, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT d.id, d.tenant_id, d.name_zh, d.name_en, d.price_fen, d.member_price_fen, d.sold_out, d.status, c.status, \
         c.available_from, c.available_until FROM dishes d JOIN menu_categories c ON c.id = d.category_id WHERE d.id = $1",
    )
    .bind(dish)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, tenant, zh, en, price, member, sold_out, status, category_status, from, until)) = row else {
        return Ok(None);
    };
    Ok(Some(DishRecord {
        id,
        tenant: TenantId(tenant),
        name: Localized::new(zh, en),
        price: Fen(price),
        member_price: member.map(Fen),
        sold_out: sold_out == 1,
        active: status == "active" && category_status == "active",
        window: from.zip(until).map(|(from, until)| ServingWindow { from, until }),
        groups: groups(conn, id).await?,
    }))
}

/// Checks a quantity a shopper sent.
pub fn check_quantity(quantity: i64) -> std::result::Result<i64, AppError> {
    if (1..=MAX_QUANTITY).contains(&quantity) {
        Ok(quantity)
    } else {
        Err(AppError::invalid(Field::Quantity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(id: i64, min: i64, max: i64, options: &[(i64, i64)]) -> DishOptionGroup {
        DishOptionGroup {
            id,
            name: Localized::new(format!("组{id}"), ""),
            min,
            max,
            options: options
                .iter()
                .map(|(oid, delta)| DishOption {
                    id: *oid,
                    name: Localized::new(format!("项{oid}"), ""),
                    price_delta: Fen(*delta),
                })
                .collect(),
        }
    }

    #[test]
    fn choices_must_fit_every_group() {
        let groups = [group(1, 1, 1, &[(10, 0), (11, 600)]), group(2, 0, 2, &[(20, 200), (21, 300), (22, 100)])];
        let ok = check_choice(&groups, &[11, 20, 22]).unwrap();
        assert_eq!(unit_price(Fen(2800), Some(Fen(2500)), false, &ok), Fen(2800 + 600 + 200 + 100));
        assert_eq!(unit_price(Fen(2800), Some(Fen(2500)), true, &ok), Fen(2500 + 900));
        assert_eq!(unit_price(Fen(2800), None, true, &ok), Fen(2800 + 900));
        let refused = AppError::invalid(Field::DishOptions);
        assert_eq!(check_choice(&groups, &[]).unwrap_err(), refused, "the required size is missing");
        assert_eq!(check_choice(&groups, &[10, 11]).unwrap_err(), refused, "two sizes");
        assert_eq!(check_choice(&groups, &[10, 20, 21, 22]).unwrap_err(), refused, "three add-ons of at most two");
        assert_eq!(check_choice(&groups, &[10, 99]).unwrap_err(), refused, "an option of another dish");
        assert_eq!(check_choice(&groups, &[10, 10]).unwrap_err(), refused, "the same option twice");
        assert_eq!(options_text(&ok).zh, "项11 · 项20 · 项22");
    }

    #[test]
    fn option_keys_are_canonical() {
        assert_eq!(option_key(&[7, 3, 7]), "3,7");
        assert_eq!(parse_option_key("3,7"), vec![3, 7]);
        assert_eq!(parse_option_key(""), Vec::<i64>::new());
        assert!(check_quantity(0).is_err() && check_quantity(100).is_err() && check_quantity(-1).is_err());
        assert_eq!(check_quantity(99), Ok(99));
    }
}
