//! `GET /events/sales`: the live counter feed as server-sent events, read from the event outbox.
//! A tenant's staff get their own tenant's sales and refunds; operators every tenant's (or one,
//! with `?tenant=`). Each line is a `sale` event whose id is its outbox position, so a
//! reconnecting browser (`Last-Event-ID`) gets exactly what it missed; a `totals` event follows
//! every batch with today's figures.
//!
//! The stream wakes when a sale commits on this instance or (PostgreSQL) any other; there is no
//! polling on the live path, only a slow safety net. Before every batch, and at least every
//! [`SAFETY_NET`], it checks its session again: a signed-out or disabled account's stream ends and
//! receives nothing more.

use axum::extract::Query;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream};
use plaza_app::server::{cookie_in, session_principal, AppContext};
use plaza_core::auth::{sessions, Principal, StaffPrincipal};
use plaza_core::events::{self, Cursor, Filter};
use plaza_core::payments::sales;
use plaza_core::{mall, MallTz, Timestamp};
use plaza_types::events::Event as BusinessEvent;
use plaza_types::{StaffRole, TenantId};
use serde::Deserialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

/// A stream looks again this often even when nothing woke it (a lost notification, a session
/// that ended without a sign-out request).
const SAFETY_NET: Duration = Duration::from_secs(30);
/// How soon to look again when an older transaction held events back (PostgreSQL).
const HELD_BACK_RETRY: Duration = Duration::from_millis(25);
const BATCH: i64 = 50;

#[derive(Deserialize)]
pub struct FeedQuery {
    tenant: Option<i64>,
    /// Where the page's first view stands in the outbox.
    after: Option<String>,
}

pub async fn sales(ctx: AppContext, headers: HeaderMap, Query(query): Query<FeedQuery>) -> Response {
    let Some(token) = cookie_in(&headers, sessions::COOKIE) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let staff = match session_principal(&ctx, &token).await {
        Ok(Some(Principal::Staff(staff))) => staff,
        Ok(Some(Principal::Member(_))) => return StatusCode::FORBIDDEN.into_response(),
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let Some(scope) = scope_of(&staff, query.tenant.map(TenantId)) else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let resume = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<Cursor>().ok());
    let cursor = match resume.or_else(|| query.after.as_deref().and_then(|a| a.parse().ok())) {
        Some(cursor) => cursor,
        None => match events::head(&ctx.db).await {
            Ok(cursor) => cursor,
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    };
    let tz = mall::timezone(&ctx.db).await.unwrap_or_else(|_| MallTz::shanghai());
    let filter = Filter { kinds: &[BusinessEvent::SALE], tenant: scope, member: None };
    let feed = Feed { ctx, token, filter, cursor, tz, pending: VecDeque::new(), first: true, held_back: false };
    let mut response = Sse::new(follow(feed)).keep_alive(KeepAlive::default()).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    // Proxies must not buffer the stream.
    response.headers_mut().insert("x-accel-buffering", header::HeaderValue::from_static("no"));
    response
}

/// Whose sales `staff` may follow: `Some(None)` every tenant's (operators), `Some(Some(t))` one
/// tenant's, `None` not allowed.
fn scope_of(staff: &StaffPrincipal, asked: Option<TenantId>) -> Option<Option<TenantId>> {
    match (staff.role, asked) {
        (StaffRole::OperatorAdmin | StaffRole::OperatorStaff, tenant) => Some(tenant),
        (StaffRole::TenantOwner | StaffRole::TenantCashier, Some(tenant)) if staff.may_act_for(tenant) => {
            Some(Some(tenant))
        }
        (StaffRole::TenantOwner | StaffRole::TenantCashier, None) => staff.tenant_id.map(Some),
        _ => None,
    }
}

struct Feed {
    ctx: AppContext,
    token: String,
    filter: Filter,
    cursor: Cursor,
    tz: MallTz,
    pending: VecDeque<Event>,
    first: bool,
    held_back: bool,
}

impl Feed {
    /// The session still stands and still allows this scope.
    async fn still_allowed(&self) -> bool {
        match session_principal(&self.ctx, &self.token).await {
            Ok(Some(Principal::Staff(staff))) => scope_of(&staff, self.filter.tenant) == Some(self.filter.tenant),
            _ => false,
        }
    }

    async fn read(&mut self) {
        let batch = match events::read_after(&self.ctx.db, self.cursor, &self.filter, BATCH).await {
            Ok(batch) => batch,
            Err(error) => {
                tracing::warn!(%error, "reading the sales feed");
                return;
            }
        };
        self.held_back = batch.held_back;
        let fresh = !batch.events.is_empty();
        self.cursor = batch.cursor;
        for stored in batch.events {
            if let BusinessEvent::Sale(line) = stored.event {
                let data = serde_json::to_string(&line).unwrap_or_default();
                self.pending.push_back(Event::default().event("sale").id(stored.cursor.to_string()).data(data));
            }
        }
        if fresh || self.first {
            if let Ok(totals) = sales::today(&self.ctx.db, self.filter.tenant, Timestamp::now(), &self.tz).await {
                let data = serde_json::to_string(&totals).unwrap_or_default();
                self.pending.push_back(Event::default().event("totals").data(data));
            }
        }
        self.first = false;
    }
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
