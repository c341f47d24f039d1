//! `GET /events/sales`: the live counter feed as server-sent events. A tenant's staff get their
//! own tenant's sales and refunds; operators every tenant's (or one, with `?tenant=`). Each line
//! is a `sale` event whose id is its position, so a reconnecting browser (`Last-Event-ID`) gets
//! exactly what it missed; a `totals` event follows every batch with today's figures.

use axum::extract::Query;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, Stream};
use plaza_app::server::AppContext;
use plaza_core::auth::{sessions, Principal};
use plaza_core::payments::sales;
use plaza_core::{mall, Timestamp};
use plaza_types::{StaffRole, TenantId};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;

/// How often the feed looks for sales other server instances recorded.
const POLL: Duration = Duration::from_secs(3);
const BATCH: i64 = 50;

#[derive(Deserialize)]
pub struct FeedQuery {
    tenant: Option<i64>,
    /// The last line the page already shows.
    after: Option<i64>,
}

pub async fn sales(ctx: AppContext, headers: HeaderMap, Query(query): Query<FeedQuery>) -> Response {
    let token = cookie(&headers, sessions::COOKIE).unwrap_or_default();
    let principal = match sessions::authenticate(&ctx.db, &token, Timestamp::now()).await {
        Ok(p) => p,
        Err(error) => {
            tracing::error!(%error, "authenticating a sales feed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let staff = match principal {
        Some(Principal::Staff(staff)) => staff,
        Some(Principal::Member(_)) => return StatusCode::FORBIDDEN.into_response(),
        None => return StatusCode::UNAUTHORIZED.into_response(),
    };
    let scope = match (staff.role, query.tenant.map(TenantId)) {
        (StaffRole::OperatorAdmin | StaffRole::OperatorStaff, tenant) => tenant,
        (StaffRole::TenantOwner | StaffRole::TenantCashier, Some(tenant)) if staff.may_act_for(tenant) => Some(tenant),
        (StaffRole::TenantOwner | StaffRole::TenantCashier, None) => staff.tenant_id,
        _ => return StatusCode::FORBIDDEN.into_response(),
    };
    let resume = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<i64>().ok());
    let cursor = match resume.or(query.after) {
        Some(after) => after.max(0),
        None => match sales::latest(&ctx.db, scope, 1, "UTC").await {
            Ok(lines) => lines.last().map(|l| l.id).unwrap_or(0),
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    };
    let tz = mall::timezone(&ctx.db).await.unwrap_or_else(|_| "Asia/Shanghai".to_string());
    let mut response = Sse::new(feed(ctx, scope, cursor, tz)).keep_alive(KeepAlive::default()).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    // Proxies must not buffer the stream.
    response.headers_mut().insert("x-accel-buffering", header::HeaderValue::from_static("no"));
    response
}

struct Feed {
    ctx: AppContext,
    scope: Option<TenantId>,
    cursor: i64,
    tz: String,
    ticks: tokio::sync::watch::Receiver<u64>,
    pending: std::collections::VecDeque<Event>,
    first: bool,
}

fn feed(
    ctx: AppContext,
    scope: Option<TenantId>,
    cursor: i64,
    tz: String,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let ticks = ctx.payments.ticker.subscribe();
    let state = Feed { ctx, scope, cursor, tz, ticks, pending: Default::default(), first: true };
    stream::unfold(state, |mut feed| async move {
        loop {
            if let Some(event) = feed.pending.pop_front() {
                return Some((Ok(event), feed));
            }
            if !feed.first {
                // Woken by a sale on this instance, or look again after a while.
                let _ = tokio::time::timeout(POLL, feed.ticks.changed()).await;
            }
            let first = std::mem::replace(&mut feed.first, false);
            match sales::lines_after(&feed.ctx.db, feed.scope, feed.cursor, BATCH, &feed.tz).await {
                Ok(lines) => {
                    let fresh = !lines.is_empty();
                    for line in lines {
                        feed.cursor = line.id;
                        let data = serde_json::to_string(&line).unwrap_or_default();
                        feed.pending.push_back(Event::default().event("sale").id(line.id.to_string()).data(data));
                    }
                    if fresh || first {
                        if let Ok(totals) = sales::today(&feed.ctx.db, feed.scope, Timestamp::now(), &feed.tz).await {
                            let data = serde_json::to_string(&totals).unwrap_or_default();
                            feed.pending.push_back(Event::default().event("totals").data(data));
                        }
                    }
                }
                Err(error) => tracing::warn!(%error, "reading the sales feed"),
            }
        }
    })
}

pub(super) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|line| {
        line.split(';').find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
    })
}
