//! Member levels (普卡 / 银卡 / 金卡 / 钻石卡 by default). Rules for moving between them arrive
//! with the member-wallet feature; here: which level a new member starts at.

use crate::Result;
use sqlx::AnyConnection;

/// The lowest-ranked level: where every new member starts.
pub async fn entry_level_code(conn: &mut AnyConnection) -> Result<String> {
    let (code,): (String,) =
        sqlx::query_as("SELECT code FROM levels ORDER BY rank LIMIT 1").fetch_one(&mut *conn).await?;
    Ok(code)
}
