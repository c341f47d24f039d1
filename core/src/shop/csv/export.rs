use super::{header, Column, COLUMNS};
use crate::{Db, Result};
use plaza_types::TenantId;

/// Every current SKU of the shop's products as CSV (UTF-8 with a BOM, CRLF lines).
pub async fn export(db: &Db, tenant: TenantId) -> Result<Vec<u8>> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
        Option<i64>,
        i64,
        String,
        i64,
        String,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT p.code, p.title, p.subtitle, COALESCE(pc.name_zh || '/', '') || c.name_zh, p.tags, p.specs, \
         k.v1, k.v2, k.v3, k.price_fen, k.member_price_fen, k.stock, k.barcode, k.enabled, p.status, \
         CASE WHEN p.blocked_at IS NULL THEN '' ELSE 'blocked' END \
         FROM shop_products p JOIN shop_skus k ON k.product_id = p.id AND k.removed_at IS NULL \
         JOIN shop_categories c ON c.id = p.category_id LEFT JOIN shop_categories pc ON pc.id = c.parent_id \
         WHERE p.tenant_id = $1 ORDER BY p.id, k.id",
    )
    .bind(tenant.0)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(&mut out);
        let csv_error = |e: ::csv::Error| crate::Error::internal(format!("writing CSV: {e}"));
        writer.write_record(COLUMNS.iter().map(|(c, _, _)| header(*c))).map_err(csv_error)?;
        for (
            code,
            title,
            subtitle,
            category,
            tags,
            specs,
            v1,
            v2,
            v3,
            price,
            member,
            stock,
            barcode,
            enabled,
            status,
            _,
        ) in rows
        {
            let tags: Vec<String> = serde_json::from_str(&tags).unwrap_or_default();
            let specs: Vec<plaza_types::dto::SpecDim> = serde_json::from_str(&specs).unwrap_or_default();
            let name = |i: usize| specs.get(i).map(|d| d.name.clone()).unwrap_or_default();
            let record: Vec<String> = COLUMNS
                .iter()
                .map(|(column, _, _)| match column {
                    Column::Code => code.clone(),
                    Column::Title => title.clone(),
                    Column::Subtitle => subtitle.clone(),
                    Column::Category => category.clone(),
                    Column::Tags => tags.join(","),
                    Column::Spec1 => name(0),
                    Column::Value1 => v1.clone(),
                    Column::Spec2 => name(1),
                    Column::Value2 => v2.clone(),
                    Column::Spec3 => name(2),
                    Column::Value3 => v3.clone(),
                    Column::Price => yuan(price),
                    Column::MemberPrice => member.map(yuan).unwrap_or_default(),
                    Column::Stock => stock.to_string(),
                    Column::Barcode => barcode.clone(),
                    Column::Enabled => if enabled == 1 { "是" } else { "否" }.to_string(),
                    Column::Status => match status.as_str() {
                        "published" => "上架",
                        "unpublished" => "下架",
                        _ => "草稿",
                    }
                    .to_string(),
                })
                .collect();
            writer.write_record(&record).map_err(csv_error)?;
        }
        writer.flush().map_err(|e| crate::Error::internal(format!("writing CSV: {e}")))?;
    }
    Ok(out)
}

/// `1290` → `12.90`.
fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}
