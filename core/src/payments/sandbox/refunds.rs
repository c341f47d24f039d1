//! How the sandbox answers refunds. By default at once (`SUCCESS`), as most small refunds to
//! WeChat change do; with the setting `sandbox.refunds` = `processing` it answers `PROCESSING`
//! like WeChat does for cards, and the refund stays so until [`finish`] (a test, or the demo's
//! operator) says how it ended — which the refunds job then finds by query.

use super::super::provider::RefundProgress;
use crate::settings::{self, Setting};
use crate::{Db, Result, WriteTx};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SandboxRefunds {
    /// `success` (default) or `processing`.
    pub answer: String,
}

impl Setting for SandboxRefunds {
    const KEY: &'static str = "sandbox.refunds";
}

/// The status a new sandbox refund starts in.
pub(super) async fn answer(tx: &mut WriteTx) -> Result<&'static str> {
    let setting: SandboxRefunds = settings::get(&mut ***tx).await?;
    Ok(if setting.answer == "processing" { "PROCESSING" } else { "SUCCESS" })
}

pub(super) fn progress(status: &str) -> RefundProgress {
    match status {
        "SUCCESS" => RefundProgress::Succeeded,
        "PROCESSING" => RefundProgress::Processing,
        "ABNORMAL" => RefundProgress::Abnormal,
        "CLOSED" => RefundProgress::Closed,
        _ => RefundProgress::Unknown,
    }
}

/// "WeChat" finishes a refund it answered `PROCESSING`: `SUCCESS`, `ABNORMAL` or `CLOSED`.
/// Returns whether a processing refund changed.
pub async fn finish(db: &Db, refund_no: &str, status: RefundProgress) -> Result<bool> {
    let mut tx = db.begin_write().await?;
    let changed = sqlx::query("UPDATE sandbox_refunds SET status = $1 WHERE refund_no = $2 AND status = 'PROCESSING'")
        .bind(status.as_str())
        .bind(refund_no)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(changed == 1)
}
