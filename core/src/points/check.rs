//! The whole points ledger held against itself, in four set-wise queries (no member at a time):
//! the cached balances against the lots, the cached balances against each member's last ledger
//! line, every line's running balance against the line before it, and the lots every spend,
//! maturing and expiry says it drew on. A healthy ledger has no disagreement of any kind; the
//! scale seeder's tests and its bench run it over everything.

use crate::{Db, Result};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LedgerCheck {
    pub accounts: i64,
    /// Accounts whose `available` is not Σ available lots − debt, or `pending` not Σ pending lots.
    pub cache_vs_lots: i64,
    /// Accounts whose balance is not what their last ledger line says.
    pub cache_vs_ledger: i64,
    /// Lines whose change of balance is not their points (a maturing moves pending to available).
    pub running_lines: i64,
    /// Spends, maturings and expiries whose lot uses do not add up to their points.
    pub uses: i64,
}

impl LedgerCheck {
    pub fn holds(&self) -> bool {
        self.cache_vs_lots == 0 && self.cache_vs_ledger == 0 && self.running_lines == 0 && self.uses == 0
    }
}

pub async fn ledger(db: &Db) -> Result<LedgerCheck> {
    let one = |sql: &'static str| async move {
        let (n,): (i64,) = sqlx::query_as(sql).fetch_one(db.pool()).await?;
        Ok::<i64, crate::Error>(n)
    };
    Ok(LedgerCheck {
        accounts: one("SELECT COUNT(*) FROM points_accounts").await?,
        cache_vs_lots: one(
            "SELECT COUNT(*) FROM points_accounts a LEFT JOIN ( \
               SELECT member_id, \
                 CAST(SUM(CASE WHEN state = 'available' THEN remaining ELSE 0 END) AS BIGINT) AS available, \
                 CAST(SUM(CASE WHEN state = 'pending' THEN remaining ELSE 0 END) AS BIGINT) AS pending \
               FROM points_lots GROUP BY member_id) l ON l.member_id = a.member_id \
             WHERE a.available <> COALESCE(l.available, 0) - a.debt OR a.pending <> COALESCE(l.pending, 0)",
        )
        .await?,
        cache_vs_ledger: one(
            "SELECT COUNT(*) FROM points_accounts a \
             JOIN (SELECT member_id, MAX(id) AS last FROM points_movements GROUP BY member_id) l ON l.member_id = a.member_id \
             JOIN points_movements m ON m.id = l.last \
             WHERE m.available_after <> a.available OR m.pending_after <> a.pending",
        )
        .await?,
        running_lines: one(
            "SELECT COUNT(*) FROM ( \
               SELECT kind, points, \
                 available_after + pending_after \
                   - COALESCE(LAG(available_after + pending_after) OVER (PARTITION BY member_id ORDER BY id), 0) AS moved, \
                 available_after - COALESCE(LAG(available_after) OVER (PARTITION BY member_id ORDER BY id), 0) AS moved_available \
               FROM points_movements) x \
             WHERE (kind = 'mature' AND (moved <> 0 OR moved_available <> points)) \
                OR (kind NOT IN ('mature', 'debt') AND moved <> points)",
        )
        .await?,
        uses: one(
            "SELECT COUNT(*) FROM points_movements m \
             LEFT JOIN (SELECT movement_id, CAST(SUM(points) AS BIGINT) AS drawn FROM points_lot_uses GROUP BY movement_id) u \
               ON u.movement_id = m.id \
             WHERE m.kind IN ('spend', 'mature', 'expire') AND COALESCE(u.drawn, 0) <> ABS(m.points)",
        )
        .await?,
    })
}
