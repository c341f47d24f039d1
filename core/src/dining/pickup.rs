//! The wall screen of a call-number restaurant (叫号屏): today's numbers being prepared and the
//! numbers to collect. Public — it shows numbers and nothing else.

use crate::{events, mall, Db, Result, Timestamp};
use plaza_types::dto::{DiningState, DiningTicket, Fulfilment, PickupBoard, PickupChange, PickupColumn};
use plaza_types::AppError;

/// The board of the restaurant `code` (a table-delivery restaurant has none).
pub async fn board(db: &Db, code: &str, now: Timestamp) -> Result<PickupBoard> {
    let cursor = events::head(db).await?;
    let mut conn = db.pool().acquire().await?;
    let restaurant = super::restaurant_by_code(&mut conn, code).await?;
    if restaurant.fulfilment != Fulfilment::CallNumber {
        return Err(AppError::NotFound.into());
    }
    let tz = mall::timezone_in(&mut conn).await?;
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT pickup_no, state FROM dining_orders WHERE tenant_id = $1 AND service_date = $2 AND pickup_no IS NOT NULL \
         AND state IN ('paid', 'accepted', 'preparing', 'ready') ORDER BY pickup_no",
    )
    .bind(restaurant.id)
    .bind(tz.date(now))
    .fetch_all(&mut *conn)
    .await?;
    let mut board = PickupBoard {
        restaurant: restaurant.name,
        code: restaurant.code,
        cursor: cursor.to_string(),
        ..Default::default()
    };
    for (no, state) in rows {
        match DiningState::parse(&state).map(PickupColumn::of) {
            Some(PickupColumn::Preparing) => board.preparing.push(no),
            Some(PickupColumn::Ready) => board.ready.push(no),
            _ => {}
        }
    }
    Ok(board)
}

/// What the wall shows of a ticket: its number and column (nothing for an order without one).
pub fn change(ticket: &DiningTicket) -> Option<PickupChange> {
    let number = ticket.pickup_no?;
    Some(PickupChange { number, column: PickupColumn::of(ticket.state) })
}

/// The call-number restaurant `code` whose wall this is (a table-delivery restaurant has none).
pub async fn restaurant_of(db: &Db, code: &str) -> Result<plaza_types::TenantId> {
    let mut conn = db.pool().acquire().await?;
    let restaurant = super::restaurant_by_code(&mut conn, code).await?;
    if restaurant.fulfilment != Fulfilment::CallNumber {
        return Err(AppError::NotFound.into());
    }
    Ok(plaza_types::TenantId(restaurant.id))
}
