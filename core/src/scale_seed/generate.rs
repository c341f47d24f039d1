//! One member's three years, simulated in time order with the ledger's own rules, written as rows:
//! plate payments (paid, with the sandbox provider's books, the sale, the award, its pending lot and
//! the qualifying spend; some closed unpaid; some paying partly with points), daily check-ins,
//! lots maturing when the refund window closes and expiring at the end of the next year, a coupon
//! now and then. The cached balance is whatever the simulated ledger ends at, so it equals the lots
//! and the last ledger line by construction.

use super::people::{self, Rng};
use super::write::{Table, V};
use crate::{MallTz, Timestamp};

const DAY_MS: i64 = 86_400_000;

/// What the seeder reads from the mall before it starts.
pub struct Mall {
    /// (plate id, tenant id, tenant's name): where members pay.
    pub plates: Vec<(i64, i64, String)>,
    /// (template id, valid days, valid until): templates with no stock limit.
    pub templates: Vec<(i64, Option<i64>, Option<i64>)>,
    /// (level code, minimum spend over 12 months), lowest first.
    pub levels: Vec<(String, i64)>,
    pub tz: MallTz,
    pub points_per_yuan_milli: i64,
    pub refund_window_days: i64,
    /// Start of each mall-local year (year, instant), ascending.
    pub years: Vec<(i16, i64)>,
}

impl Mall {
    fn year_of(&self, at: i64) -> usize {
        self.years.iter().rposition(|(_, start)| *start <= at).unwrap_or(0)
    }

    /// Points earned at `at` expire when the year after next begins.
    fn expiry(&self, at: i64) -> i64 {
        let y = self.year_of(at);
        self.years.get(y + 2).map(|(_, start)| *start).unwrap_or(i64::MAX / 2)
    }
}

/// The next id of each table the seeder fills.
#[derive(Clone, Debug, Default)]
pub struct Ids {
    pub member: i64,
    pub award: i64,
    pub lot: i64,
    pub movement: i64,
    pub payment: i64,
    pub payment_event: i64,
    pub sale: i64,
    pub level_spend: i64,
    pub coupon: i64,
    pub coupon_event: i64,
}

fn take(id: &mut i64) -> i64 {
    let now = *id;
    *id += 1;
    now
}

/// The rows of one chunk of members, in the order they must be written.
pub struct Tables {
    pub members: Table,
    pub accounts: Table,
    pub payments: Table,
    pub plate_payments: Table,
    pub payment_events: Table,
    pub sandbox_orders: Table,
    pub sales: Table,
    pub awards: Table,
    pub lots: Table,
    pub movements: Table,
    pub uses: Table,
    pub level_spend: Table,
    pub checkins: Table,
    pub coupons: Table,
    pub coupon_events: Table,
    pub coupon_counts: Table,
}

impl Default for Tables {
    fn default() -> Tables {
        Tables::new()
    }
}

impl Tables {
    pub fn new() -> Tables {
        Tables {
            members: Table::new(
                "members",
                &["id", "phone", "name", "birthday", "level_code", "status", "created_at", "updated_at"],
            ),
            accounts: Table::new("points_accounts", &["member_id", "available", "pending", "debt", "updated_at"]),
            payments: Table::new(
                "payments",
                &[
                    "id",
                    "payment_no",
                    "purpose",
                    "member_id",
                    "tenant_id",
                    "subject",
                    "amount_fen",
                    "points_used",
                    "points_fen",
                    "external_fen",
                    "provider",
                    "provider_txn",
                    "state",
                    "created_at",
                    "expires_at",
                    "paid_at",
                    "closed_at",
                ],
            ),
            plate_payments: Table::new("plate_payments", &["payment_id", "plate_id", "tenant_id"]),
            payment_events: Table::new("payment_events", &["id", "payment_id", "event", "detail", "created_at"]),
            sandbox_orders: Table::new(
                "sandbox_orders",
                &["payment_no", "amount_fen", "description", "state", "transaction_id", "created_at", "paid_at"],
            ),
            sales: Table::new("tenant_sales", &["id", "tenant_id", "payment_id", "kind", "amount_fen", "created_at"]),
            awards: Table::new(
                "points_awards",
                &[
                    "id",
                    "member_id",
                    "earner_id",
                    "tenant_id",
                    "source",
                    "external_ref",
                    "amount_fen",
                    "points",
                    "created_at",
                ],
            ),
            lots: Table::new(
                "points_lots",
                &[
                    "id",
                    "member_id",
                    "award_id",
                    "source",
                    "tenant_id",
                    "earned",
                    "remaining",
                    "state",
                    "earned_at",
                    "matures_at",
                    "expires_at",
                ],
            ),
            movements: Table::new(
                "points_movements",
                &[
                    "id",
                    "member_id",
                    "kind",
                    "points",
                    "available_after",
                    "pending_after",
                    "tenant_id",
                    "source",
                    "ref",
                    "actor",
                    "created_at",
                ],
            ),
            uses: Table::new("points_lot_uses", &["movement_id", "lot_id", "points"]),
            level_spend: Table::new("level_spend", &["id", "member_id", "award_id", "amount_fen", "spent_at"]),
            checkins: Table::new("checkins", &["member_id", "day", "streak", "points", "created_at"]),
            coupons: Table::new(
                "coupons",
                &[
                    "id",
                    "template_id",
                    "member_id",
                    "code",
                    "state",
                    "channel",
                    "issued_at",
                    "valid_from",
                    "valid_until",
                ],
            ),
            coupon_events: Table::new("coupon_events", &["id", "coupon_id", "event", "ref", "actor", "created_at"]),
            coupon_counts: Table::new("coupon_member_counts", &["template_id", "member_id", "issued"]),
        }
    }

    /// Parents before children, so foreign keys hold at every statement.
    pub fn in_order(&mut self) -> [&mut Table; 16] {
        [
            &mut self.members,
            &mut self.accounts,
            &mut self.payments,
            &mut self.plate_payments,
            &mut self.payment_events,
            &mut self.sandbox_orders,
            &mut self.sales,
            &mut self.awards,
            &mut self.lots,
            &mut self.movements,
            &mut self.uses,
            &mut self.level_spend,
            &mut self.checkins,
            &mut self.coupons,
            &mut self.coupon_events,
            &mut self.coupon_counts,
        ]
    }
}

/// How much of each thing one member gets.
pub struct Quota {
    pub payments: u64,
    pub ledger: u64,
    pub coupon: bool,
}

struct Lot {
    id: i64,
    earned: i64,
    remaining: i64,
    /// 'pending' | 'available' | 'spent' | 'expired'
    state: &'static str,
    source: &'static str,
    award: Option<i64>,
    tenant: Option<i64>,
    earned_at: i64,
    matures_at: i64,
    expires_at: i64,
}

/// The member's ledger while it is being simulated.
struct Ledger<'a> {
    member: i64,
    available: i64,
    pending: i64,
    lots: Vec<Lot>,
    tables: &'a mut Tables,
    ids: &'a mut Ids,
    rows: u64,
}

impl Ledger<'_> {
    #[allow(clippy::too_many_arguments)]
    fn movement(
        &mut self,
        kind: &'static str,
        points: i64,
        tenant: Option<i64>,
        source: &'static str,
        reference: String,
        actor: String,
        at: i64,
    ) -> i64 {
        let id = take(&mut self.ids.movement);
        self.tables.movements.push([
            V::I(id),
            V::I(self.member),
            V::S(kind),
            V::I(points),
            V::I(self.available),
            V::I(self.pending),
            V::from(tenant),
            V::S(source),
            V::T(reference),
            V::T(actor),
            V::I(at),
        ]);
        self.rows += 1;
        id
    }

    /// Lots maturing or expiring up to `until`, in time order (the jobs run every ten minutes;
    /// the ledger says when they were due).
    fn catch_up(&mut self, until: i64) {
        loop {
            let next = self
                .lots
                .iter()
                .enumerate()
                .filter_map(|(i, l)| match l.state {
                    "pending" if l.matures_at <= until => Some((l.matures_at, i)),
                    "available" if l.remaining > 0 && l.expires_at <= until => Some((l.expires_at, i)),
                    _ => None,
                })
                .min();
            let Some((at, i)) = next else { return };
            let (lot, remaining, source, tenant) =
                (self.lots[i].id, self.lots[i].remaining, self.lots[i].source, self.lots[i].tenant);
            if self.lots[i].state == "pending" {
                self.lots[i].state = "available";
                self.available += remaining;
                self.pending -= remaining;
                let m = self.movement("mature", remaining, tenant, source, String::new(), "system".into(), at);
                self.tables.uses.push([V::I(m), V::I(lot), V::I(remaining)]);
            } else {
                self.lots[i].state = "expired";
                self.lots[i].remaining = 0;
                self.available -= remaining;
                let m = self.movement("expire", -remaining, None, "expiry", String::new(), "system".into(), at);
                self.tables.uses.push([V::I(m), V::I(lot), V::I(remaining)]);
            }
        }
    }

    /// Spends from available lots, closest expiry first (as `points::spend` draws them).
    fn spend(&mut self, points: i64, tenant: Option<i64>, reference: String, at: i64) {
        let mut order: Vec<usize> =
            (0..self.lots.len()).filter(|&i| self.lots[i].state == "available" && self.lots[i].remaining > 0).collect();
        order.sort_by_key(|&i| (self.lots[i].expires_at, self.lots[i].id));
        let mut left = points;
        let mut uses = Vec::new();
        for i in order {
            if left == 0 {
                break;
            }
            let took = self.lots[i].remaining.min(left);
            self.lots[i].remaining -= took;
            if self.lots[i].remaining == 0 {
                self.lots[i].state = "spent";
            }
            uses.push((self.lots[i].id, took));
            left -= took;
        }
        self.available -= points;
        let actor = format!("member:{}", self.member);
        let m = self.movement("spend", -points, tenant, "payment", reference, actor, at);
        for (lot, took) in uses {
            self.tables.uses.push([V::I(m), V::I(lot), V::I(took)]);
        }
    }
}

fn base36(mut n: i64, width: usize) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = DIGITS[(n % 36) as usize];
        n /= 36;
    }
    String::from_utf8(out).unwrap_or_default()
}

enum Event {
    Payment,
    Checkin,
}

/// Writes member `index` (id `ids.member`) and everything that member did.
pub fn member(mall: &Mall, seed: u64, index: u64, quota: &Quota, now: Timestamp, ids: &mut Ids, tables: &mut Tables) {
    let now = now.millis();
    let mut rng = Rng::new(seed, index);
    let member = take(&mut ids.member);
    let joined = now - rng.range(DAY_MS, 3 * 365 * DAY_MS);
    let name = people::name(&mut rng);
    let this_year = mall.years.last().map(|(y, _)| *y).unwrap_or(2026);
    let birthday = people::birthday(&mut rng, this_year);
    // A few members spend a lot: they are the silver, gold and diamond cards.
    let big_spender = rng.chance(4);

    // What happens, in time order.
    let checkins = quota.ledger.saturating_sub(2 * quota.payments + 1);
    let mut events: Vec<(i64, Event)> = Vec::with_capacity((quota.payments + checkins) as usize);
    for _ in 0..quota.payments {
        events.push((rng.range(joined + 60_000, now - 600_000), Event::Payment));
    }
    for _ in 0..checkins {
        events.push((rng.range(joined + 60_000, now - 60_000), Event::Checkin));
    }
    events.sort_by_key(|(at, _)| *at);

    let mut ledger = Ledger { member, available: 0, pending: 0, lots: Vec::new(), tables, ids, rows: 0 };
    let mut spend_12_months = 0;
    let mut last_checkin: Option<(String, i64, i64)> = None; // day, streak, day number
    for (at, event) in events {
        ledger.catch_up(at);
        match event {
            Event::Payment => {
                let (plate, tenant, tenant_name) = &mall.plates[rng.below(mall.plates.len() as u64) as usize];
                let amount = if big_spender { rng.range(20_000, 600_000) } else { rng.range(1_500, 40_000) };
                let id = take(&mut ledger.ids.payment);
                let no = format!("P{}{}", mall.tz.zoned(Timestamp(at)).strftime("%Y%m%d%H%M%S"), base36(id, 8));
                let expires = at + 15 * 60_000;
                let paid = rng.chance(94);
                // Some pay part with points: at most half, in whole hundreds.
                let points_used = if paid && ledger.available >= 1_000 && rng.chance(15) {
                    (ledger.available.min(amount / 2) / 100) * 100
                } else {
                    0
                };
                let external = amount - points_used;
                let paid_at = at + rng.range(5_000, 120_000);
                let txn = paid.then(|| format!("SBX{}", base36(id, 12)));
                let t = &mut ledger.tables;
                t.payments.push([
                    V::I(id),
                    V::T(no.clone()),
                    V::S("plate"),
                    V::I(member),
                    V::I(*tenant),
                    V::T(tenant_name.clone()),
                    V::I(amount),
                    V::I(points_used),
                    V::I(points_used),
                    V::I(external),
                    V::S("sandbox"),
                    V::from(txn.clone()),
                    V::S(if paid { "paid" } else { "closed" }),
                    V::I(at),
                    V::I(expires),
                    V::from(paid.then_some(paid_at)),
                    V::from((!paid).then_some(expires)),
                ]);
                t.plate_payments.push([V::I(id), V::I(*plate), V::I(*tenant)]);
                let detail = format!(
                    "{{\"coupon\":0,\"points_used\":{points_used},\"points_value\":{points_used},\"stored_value\":0,\"external\":{external}}}"
                );
                t.payment_events.push([
                    V::I(take(&mut ledger.ids.payment_event)),
                    V::I(id),
                    V::S("created"),
                    V::T(detail),
                    V::I(at),
                ]);
                t.sandbox_orders.push([
                    V::T(no.clone()),
                    V::I(external),
                    V::T(tenant_name.clone()),
                    V::S(if paid { "paid" } else { "closed" }),
                    V::from(txn.clone()),
                    V::I(at),
                    V::from(paid.then_some(paid_at)),
                ]);
                if !paid {
                    t.payment_events.push([
                        V::I(take(&mut ledger.ids.payment_event)),
                        V::I(id),
                        V::S("closed"),
                        V::S("expired"),
                        V::I(expires),
                    ]);
                    continue;
                }
                t.payment_events.push([
                    V::I(take(&mut ledger.ids.payment_event)),
                    V::I(id),
                    V::S("paid"),
                    V::from(txn),
                    V::I(paid_at),
                ]);
                t.sales.push([
                    V::I(take(&mut ledger.ids.sale)),
                    V::I(*tenant),
                    V::I(id),
                    V::S("sale"),
                    V::I(amount),
                    V::I(paid_at),
                ]);
                if points_used > 0 {
                    ledger.spend(points_used, Some(*tenant), no.clone(), at);
                }
                // The award: what the shopper paid earns points, pending through the refund window.
                let points = amount / 100 * mall.points_per_yuan_milli / 1_000;
                if now - paid_at < 365 * DAY_MS {
                    spend_12_months += amount;
                }
                if points <= 0 {
                    continue;
                }
                let award = take(&mut ledger.ids.award);
                let t = &mut ledger.tables;
                t.awards.push([
                    V::I(award),
                    V::I(member),
                    V::I(member),
                    V::I(*tenant),
                    V::S("plate_pay"),
                    V::T(no.clone()),
                    V::I(amount),
                    V::I(points),
                    V::I(paid_at),
                ]);
                t.level_spend.push([
                    V::I(take(&mut ledger.ids.level_spend)),
                    V::I(member),
                    V::I(award),
                    V::I(amount),
                    V::I(paid_at),
                ]);
                let lot = take(&mut ledger.ids.lot);
                ledger.lots.push(Lot {
                    id: lot,
                    earned: points,
                    remaining: points,
                    state: "pending",
                    source: "plate_pay",
                    award: Some(award),
                    tenant: Some(*tenant),
                    earned_at: paid_at,
                    matures_at: paid_at + mall.refund_window_days * DAY_MS,
                    expires_at: mall.expiry(paid_at),
                });
                ledger.pending += points;
                ledger.movement("earn", points, Some(*tenant), "plate_pay", no, "system".into(), paid_at);
            }
            Event::Checkin => {
                let day_number = (at + 8 * 3_600_000) / DAY_MS;
                if last_checkin.as_ref().is_some_and(|(_, _, d)| *d == day_number) {
                    continue;
                }
                let day = mall.tz.date(Timestamp(at));
                let streak = match &last_checkin {
                    Some((_, streak, d)) if *d + 1 == day_number => (streak % 7) + 1,
                    _ => 1,
                };
                let points = 5 * streak;
                ledger.tables.checkins.push([V::I(member), V::T(day.clone()), V::I(streak), V::I(points), V::I(at)]);
                let lot = take(&mut ledger.ids.lot);
                ledger.lots.push(Lot {
                    id: lot,
                    earned: points,
                    remaining: points,
                    state: "available",
                    source: "checkin",
                    award: None,
                    tenant: None,
                    earned_at: at,
                    matures_at: at,
                    expires_at: mall.expiry(at),
                });
                ledger.available += points;
                ledger.movement("earn", points, None, "checkin", day.clone(), "system".into(), at);
                last_checkin = Some((day, streak, day_number));
            }
        }
    }
    ledger.catch_up(now);

    let (available, pending, lots) = (ledger.available, ledger.pending, std::mem::take(&mut ledger.lots));
    let tables = ledger.tables;
    let ids = ledger.ids;
    for lot in lots {
        tables.lots.push([
            V::I(lot.id),
            V::I(member),
            V::from(lot.award),
            V::S(lot.source),
            V::from(lot.tenant),
            V::I(lot.earned),
            V::I(lot.remaining),
            V::S(lot.state),
            V::I(lot.earned_at),
            V::I(lot.matures_at),
            V::I(lot.expires_at),
        ]);
    }
    tables.accounts.push([V::I(member), V::I(available), V::I(pending), V::I(0), V::I(now)]);
    let level = mall.levels.iter().rev().find(|(_, min)| *min <= spend_12_months).map(|(code, _)| code.clone());
    tables.members.push([
        V::I(member),
        V::T(people::phone(seed, index)),
        V::T(name),
        V::from(birthday),
        V::T(level.unwrap_or_else(|| "normal".into())),
        V::S("active"),
        V::I(joined),
        V::I(joined),
    ]);

    if quota.coupon && !mall.templates.is_empty() {
        let (template, days, until) = mall.templates[rng.below(mall.templates.len() as u64) as usize];
        let issued = rng.range(joined, now);
        let valid_until = match (days, until) {
            (Some(days), _) => issued + days * DAY_MS,
            (None, Some(until)) => until,
            (None, None) => issued + 30 * DAY_MS,
        };
        let coupon = take(&mut ids.coupon);
        tables.coupons.push([
            V::I(coupon),
            V::I(template),
            V::I(member),
            V::T(format!("S{}", base36(coupon, 11))),
            V::S("available"),
            V::S("claim"),
            V::I(issued),
            V::I(issued),
            V::I(valid_until),
        ]);
        tables.coupon_events.push([
            V::I(take(&mut ids.coupon_event)),
            V::I(coupon),
            V::S("issued"),
            V::S("claim"),
            V::T(format!("member:{member}")),
            V::I(issued),
        ]);
        tables.coupon_counts.push([V::I(template), V::I(member), V::I(1)]);
    }
}
