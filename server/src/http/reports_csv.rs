//! `GET /tenant/reports/statement.csv` and `GET /tenant/reports/sales.csv` (`tenant`, and the
//! period as the reports page names it: `preset`, `date`, `from`, `to`): a tenant's settlement
//! statement and sales by day as spreadsheet files. The tenant's own owner, or an operator;
//! anyone else is refused before anything is read.

use axum::extract::Query;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use plaza_app::server::AppContext;
use plaza_core::auth::Principal;
use plaza_core::settlement::{csv, period, report, statement};
use plaza_core::Timestamp;
use plaza_types::{AppError, StaffRole, TenantId};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct CsvQuery {
    tenant: Option<i64>,
    #[serde(default)]
    preset: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// Which file.
#[derive(Clone, Copy, Debug)]
pub enum File {
    Statement,
    Sales,
}

async fn may_read(ctx: &AppContext, headers: &HeaderMap, tenant: TenantId) -> Result<(), AppError> {
    match plaza_app::server::principal_of(ctx, headers).await? {
        Some(Principal::Staff(staff)) if staff.role.is_operator() => Ok(()),
        Some(Principal::Staff(staff)) if staff.role == StaffRole::TenantOwner && staff.tenant_id == Some(tenant) => {
            Ok(())
        }
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::Unauthenticated),
    }
}

pub async fn file(ctx: AppContext, headers: HeaderMap, Query(q): Query<CsvQuery>, which: File) -> Response {
    let result = async {
        // Who is asking comes first: an anonymous caller learns nothing, not even a bad id.
        if plaza_app::server::principal_of(&ctx, &headers).await?.is_none() {
            return Err(AppError::Unauthenticated);
        }
        let tenant = TenantId(q.tenant.ok_or(AppError::NotFound)?);
        may_read(&ctx, &headers, tenant).await?;
        let core = |e: plaza_core::Error| e.into_app_error();
        let p = period::from_form(&ctx.db, &q.preset, &q.date, &q.from, &q.to, Timestamp::now()).await.map_err(core)?;
        let (bytes, name) = match which {
            File::Statement => {
                let s = statement::statement(&ctx.db, tenant, &p).await.map_err(core)?;
                (csv::statement(&s), format!("statement-{}-{}.csv", s.period.from, s.period.to))
            }
            File::Sales => {
                let r = report::report(&ctx.db, tenant, &p).await.map_err(core)?;
                (csv::sales_by_day(&r), format!("sales-{}-{}.csv", r.period.from, r.period.to))
            }
        };
        Ok((bytes, name))
    }
    .await;
    match result {
        Ok((bytes, name)) => {
            let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
            (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                ],
                bytes,
            )
                .into_response()
        }
        Err(error) => StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST).into_response(),
    }
}
