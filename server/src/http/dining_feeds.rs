//! The live streams of scan-to-order, as server-sent events read from the event outbox (the same
//! reading as `/events/sales`: a cursor from `?after=` or `Last-Event-ID`, woken at commit on this
//! instance or — PostgreSQL — any other, a 30 s safety net, a quick second look when an older
//! transaction held events back):
//!
//! - `GET /events/kitchen` — a restaurant's paid orders as `ticket` events for its kitchen screen
//!   (owner and kitchen staff; operators with `?tenant=`). Orders a tenant's screen receives are
//!   marked accepted. The session is checked again before every batch: a signed-out screen's
//!   stream ends.
//! - `GET /events/orders/<no>` — one order's changes for its shopper (`order` events): a food
//!   order's tickets, or a mall order's changes (accepted, ready, shipped, …) as its
//!   `MallOrderChange`. Only the shopper's own order; anyone else's number is not found.
//! - `GET /events/pickup/<shop>` — a call-number restaurant's wall screen: public, so it carries
//!   numbers and their column only (`number` events).

use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream};
use plaza_app::server::{cookie_in, session_principal, AppContext};
use plaza_core::auth::{sessions, Principal, StaffPrincipal};
use plaza_core::dining::{kitchen, pickup, views};
use plaza_core::events::{self, Cursor, Filter};
use plaza_core::{mall, Timestamp};
use plaza_types::dto::DiningTicket;
use plaza_types::events::Event as BusinessEvent;
use plaza_types::{MemberId, StaffRole, TenantId};
use serde::Deserialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

const SAFETY_NET: Duration = Duration::from_secs(30);
const HELD_BACK_RETRY: Duration = Duration::from_millis(25);
const BATCH: i64 = 50;

#[derive(Deserialize)]
pub struct FeedQuery {
    tenant: Option<i64>,
    after: Option<String>,
}

/// Who follows the stream, and what they may see.
#[derive(Clone)]
enum Follower {
    /// A restaurant's screen; `acknowledges` for the restaurant's own staff (not operators).
    Kitchen {
        token: String,
        tenant: TenantId,
        acknowledges: bool,
    },
    Shopper {
        token: String,
        member: MemberId,
        order_no: String,
    },
    /// The shopper of a mall order (`mall_order` events of that order only).
    MallShopper {
        token: String,
        member: MemberId,
        order_no: String,
    },
    Wall {
        tenant: TenantId,
        since: i64,
    },
}

/// The tenant whose kitchen `staff` may follow: their own (owner, kitchen) or, for operators,
/// the one asked for.
fn kitchen_scope(staff: &StaffPrincipal, asked: Option<TenantId>) -> Option<TenantId> {
    match (staff.role, asked) {
        (StaffRole::OperatorAdmin | StaffRole::OperatorStaff, Some(tenant)) => Some(tenant),
        (StaffRole::TenantOwner | StaffRole::TenantKitchen, Some(tenant)) if staff.may_act_for(tenant) => Some(tenant),
        (StaffRole::TenantOwner | StaffRole::TenantKitchen, None) => staff.tenant_id,
        _ => None,
    }
}

fn resume(headers: &HeaderMap, after: Option<&str>) -> Option<Cursor> {
    let last = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<Cursor>().ok());
    last.or_else(|| after.and_then(|a| a.parse().ok()))
}

pub async fn kitchen_feed(ctx: AppContext, headers: HeaderMap, Query(query): Query<FeedQuery>) -> Response {
    let Some(token) = cookie_in(&headers, sessions::COOKIE) else { return StatusCode::UNAUTHORIZED.into_response() };
    let staff = match session_principal(&ctx, &token).await {
        Ok(Some(Principal::Staff(staff))) => staff,
        Ok(Some(Principal::Member(_))) => return StatusCode::FORBIDDEN.into_response(),
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let Some(tenant) = kitchen_scope(&staff, query.tenant.map(TenantId)) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let follower = Follower::Kitchen { token, tenant, acknowledges: !staff.role.is_operator() };
    let filter = Filter { kinds: &[BusinessEvent::DINING], tenant: Some(tenant), member: None };
    start(ctx, follower, filter, resume(&headers, query.after.as_deref())).await
}

pub async fn order_feed(
    ctx: AppContext,
    headers: HeaderMap,
    Path(order_no): Path<String>,
    Query(query): Query<FeedQuery>,
) -> Response {
    let Some(token) = cookie_in(&headers, sessions::COOKIE) else { return StatusCode::UNAUTHORIZED.into_response() };
    let member = match session_principal(&ctx, &token).await {
        Ok(Some(Principal::Member(member))) => member,
        Ok(Some(Principal::Staff(_))) => return StatusCode::FORBIDDEN.into_response(),
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let (follower, kinds): (Follower, &'static [&'static str]) = match views::owns(&ctx.db, member, &order_no).await {
        Ok(true) => (Follower::Shopper { token, member, order_no }, &[BusinessEvent::DINING]),
        Ok(false) => match plaza_core::mall_orders::views::owns(&ctx.db, member, &order_no).await {
            Ok(true) => (Follower::MallShopper { token, member, order_no }, &[BusinessEvent::MALL_ORDER]),
            Ok(false) => return StatusCode::NOT_FOUND.into_response(),
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let filter = Filter { kinds, tenant: None, member: Some(member) };
    start(ctx, follower, filter, resume(&headers, query.after.as_deref())).await
}

pub async fn pickup_feed(
    ctx: AppContext,
    headers: HeaderMap,
    Path(shop): Path<String>,
    Query(query): Query<FeedQuery>,
) -> Response {
    let tenant = match pickup::restaurant_of(&ctx.db, &shop).await {
        Ok(tenant) => tenant,
        Err(e) if e.user().is_some() => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let tz = mall::timezone(&ctx.db).await.unwrap_or_else(|_| plaza_core::MallTz::shanghai());
    let since = tz.start_of_day(Timestamp::now()).millis();
    let filter = Filter { kinds: &[BusinessEvent::DINING], tenant: Some(tenant), member: None };
    start(ctx, Follower::Wall { tenant, since }, filter, resume(&headers, query.after.as_deref())).await
}

async fn start(ctx: AppContext, follower: Follower, filter: Filter, cursor: Option<Cursor>) -> Response {
    let cursor = match cursor {
        Some(cursor) => cursor,
        None => match events::head(&ctx.db).await {
            Ok(cursor) => cursor,
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    };
    let feed = Feed { ctx, follower, filter, cursor, pending: VecDeque::new(), first: true, held_back: false };
    let mut response = Sse::new(follow(feed)).keep_alive(KeepAlive::default()).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response.headers_mut().insert("x-accel-buffering", header::HeaderValue::from_static("no"));
    response
}

struct Feed {
    ctx: AppContext,
    follower: Follower,
    filter: Filter,
    cursor: Cursor,
    pending: VecDeque<Event>,
    first: bool,
    held_back: bool,
}

impl Feed {
    /// The session still stands and still allows this stream (the wall has none).
    async fn still_allowed(&self) -> bool {
        match &self.follower {
            Follower::Kitchen { token, tenant, .. } => match session_principal(&self.ctx, token).await {
                Ok(Some(Principal::Staff(staff))) => kitchen_scope(&staff, Some(*tenant)) == Some(*tenant),
                _ => false,
            },
            Follower::Shopper { token, member, .. } | Follower::MallShopper { token, member, .. } => {
                matches!(session_principal(&self.ctx, token).await, Ok(Some(Principal::Member(m))) if m == *member)
            }
            Follower::Wall { .. } => true,
        }
    }

    async fn read(&mut self) {
        let batch = match events::read_after(&self.ctx.db, self.cursor, &self.filter, BATCH).await {
            Ok(batch) => batch,
            Err(error) => {
                tracing::warn!(%error, "reading a dining stream");
                return;
            }
        };
        self.held_back = batch.held_back;
        self.cursor = batch.cursor;
        let mut received = Vec::new();
        for stored in batch.events {
            let id = stored.cursor.to_string();
            let ticket = match stored.event {
                BusinessEvent::Dining(ticket) => ticket,
                BusinessEvent::MallOrder(change) => {
                    if let Follower::MallShopper { order_no, .. } = &self.follower {
                        if change.order_no == *order_no {
                            self.pending.push_back(Event::default().event("order").data(to_json(&change)).id(id));
                        }
                    }
                    continue;
                }
                _ => continue,
            };
            if let Some(event) = self.event(&ticket) {
                self.pending.push_back(event.id(id));
                if ticket.state == plaza_types::dto::DiningState::Paid {
                    received.push(ticket.order_id);
                }
            }
        }
        if let Follower::Kitchen { tenant, acknowledges: true, .. } = self.follower {
            if !received.is_empty() {
                if let Err(error) = kitchen::acknowledge(&self.ctx.db, tenant, &received, Timestamp::now()).await {
                    tracing::warn!(%error, "acknowledging kitchen tickets");
                }
            }
        }
        self.first = false;
    }

    /// What this follower is sent of a ticket, if anything.
    fn event(&self, ticket: &DiningTicket) -> Option<Event> {
        match &self.follower {
            // Only paid orders reach a kitchen (an unpaid order's events are its shopper's alone).
            Follower::Kitchen { tenant, .. } => (ticket.tenant_id == tenant.0 && ticket.paid_at.is_some())
                .then(|| Event::default().event("ticket").data(to_json(ticket))),
            Follower::Shopper { order_no, .. } => {
                (ticket.order_no == *order_no).then(|| Event::default().event("order").data(to_json(ticket)))
            }
            Follower::MallShopper { .. } => None,
            Follower::Wall { tenant, since } => {
                let today = ticket.paid_at.is_some_and(|at| at >= *since);
                let change = pickup::change(ticket).filter(|_| today && ticket.tenant_id == tenant.0)?;
                Some(Event::default().event("number").data(to_json(&change)))
            }
        }
    }
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn follow(feed: Feed) -> impl Stream<Item = Result<Event, Infallible>> {
    let wake = feed.ctx.db.events().subscribe();
    stream::unfold((feed, wake), |(mut feed, mut wake)| async move {
        loop {
            if let Some(event) = feed.pending.pop_front() {
                return Some((Ok(event), (feed, wake)));
            }
            if !feed.first {
                let wait = if feed.held_back { HELD_BACK_RETRY } else { SAFETY_NET };
                let _ = tokio::time::timeout(wait, wake.changed()).await;
            }
            if !feed.still_allowed().await {
                return None;
            }
            feed.read().await;
        }
    })
}
