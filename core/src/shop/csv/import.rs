use super::{header, Column, COLUMNS, REQUIRED};
use crate::shop::input;
use crate::shop::products::{self, InfoInput, NewProduct, SkuEdit};
use crate::shop::{categories, stock, storefront};
use crate::{Db, Result, Timestamp};
use plaza_types::dto::{
    CategoryId, CategoryNode, CsvImportView, CsvRowError, ProductId, ProductStatus, ShopProblem, SkuId, SpecDim,
    StockReason,
};
use plaza_types::{AppError, StaffId, TenantId};
use std::collections::HashMap;

/// The largest file and the most rows read.
pub const MAX_BYTES: usize = 2 << 20;
pub const MAX_ROWS: usize = 5_000;

/// One SKU row, checked.
#[derive(Clone, Debug)]
struct Row {
    line: i64,
    code: String,
    title: String,
    subtitle: Option<String>,
    category: CategoryId,
    tags: Option<Vec<String>>,
    spec_names: Vec<String>,
    values: Vec<String>,
    price: i64,
    member_price: Option<i64>,
    stock: i64,
    barcode: String,
    enabled: bool,
    status: Option<ProductStatus>,
}

/// Errors found so far, in file order.
struct Report {
    errors: Vec<CsvRowError>,
}

impl Report {
    fn add(&mut self, line: i64, column: Column, value: &str, problem: ShopProblem) {
        self.errors.push(CsvRowError {
            line,
            column: header(column).to_string(),
            value: value.chars().take(60).collect(),
            problem,
        });
    }

    /// Reads one cell, noting its refusal.
    fn cell<T>(&mut self, line: i64, column: Column, value: &str, read: impl FnOnce(&str) -> Result<T>) -> Option<T> {
        match read(value) {
            Ok(v) => Some(v),
            Err(e) => {
                let problem = match e.user() {
                    Some(AppError::Shop { problem }) => *problem,
                    _ => ShopProblem::CsvFile,
                };
                self.add(line, column, value, problem);
                None
            }
        }
    }
}

/// The text of the file: UTF-8 (a BOM is dropped) or, failing that, GB18030.
fn decode(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.to_string()),
        Err(_) => {
            let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            (!had_errors).then(|| text.into_owned())
        }
    }
}

/// A category cell: `一级/二级` names (Chinese or English), a second-level name alone when it is
/// unique, or the category's number.
fn category(tree: &[CategoryNode], text: &str) -> Result<CategoryId> {
    let text = text.trim();
    let wrong = || input::refused(ShopProblem::CategoryLevel);
    if let Ok(id) = text.parse::<i64>() {
        return tree.iter().flat_map(|n| &n.children).find(|c| c.id.0 == id).map(|c| c.id).ok_or_else(wrong);
    }
    let named =
        |name: &str, c: &plaza_types::dto::CategoryView| c.name.zh == name || c.name.en.eq_ignore_ascii_case(name);
    let found: Vec<CategoryId> = match text.split_once(['/', '>', '／']) {
        Some((parent, child)) => tree
            .iter()
            .filter(|n| named(parent.trim(), &n.category))
            .flat_map(|n| &n.children)
            .filter(|c| named(child.trim(), c))
            .map(|c| c.id)
            .collect(),
        None => tree.iter().flat_map(|n| &n.children).filter(|c| named(text, c)).map(|c| c.id).collect(),
    };
    match found.as_slice() {
        [one] => Ok(*one),
        _ => Err(wrong()),
    }
}

fn yes_no(text: &str) -> Result<bool> {
    match text.trim().to_lowercase().as_str() {
        "" | "是" | "y" | "yes" | "1" | "true" | "启用" => Ok(true),
        "否" | "n" | "no" | "0" | "false" | "停用" | "禁用" => Ok(false),
        _ => Err(input::refused(ShopProblem::CsvFile)),
    }
}

fn status(text: &str) -> Result<Option<ProductStatus>> {
    match text.trim().to_lowercase().as_str() {
        "" => Ok(None),
        "上架" | "published" => Ok(Some(ProductStatus::Published)),
        "下架" | "unpublished" => Ok(Some(ProductStatus::Unpublished)),
        "草稿" | "draft" => Ok(Some(ProductStatus::Draft)),
        _ => Err(input::refused(ShopProblem::CsvFile)),
    }
}

/// Reads and checks the file: the rows, or every refusal.
fn read(text: &str, tree: &[CategoryNode]) -> std::result::Result<(Vec<Row>, Vec<Column>), Vec<CsvRowError>> {
    let mut report = Report { errors: Vec::new() };
    let mut reader = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let head = match records.next() {
        Some(Ok(head)) => head,
        _ => {
            report.add(1, Column::Code, "", ShopProblem::CsvHeader);
            return Err(report.errors);
        }
    };
    let mut at: HashMap<usize, Column> = HashMap::new();
    for (i, cell) in head.iter().enumerate() {
        let cell = cell.trim();
        if let Some((column, _, _)) = COLUMNS.iter().find(|(_, zh, en)| cell == *zh || cell.eq_ignore_ascii_case(en)) {
            at.insert(i, *column);
        }
    }
    let present: Vec<Column> = at.values().copied().collect();
    for column in REQUIRED {
        if !present.contains(&column) {
            report.add(1, column, "", ShopProblem::CsvHeader);
        }
    }
    if !report.errors.is_empty() {
        return Err(report.errors);
    }
    let mut rows = Vec::new();
    for (n, record) in records.enumerate() {
        let line = n as i64 + 2;
        let Ok(record) = record else {
            report.add(line, Column::Code, "", ShopProblem::CsvFile);
            continue;
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.len() >= super::MAX_ROWS {
            report.add(line, Column::Code, "", ShopProblem::CsvFile);
            break;
        }
        let get = |column: Column| -> &str {
            at.iter().find(|(_, c)| **c == column).and_then(|(i, _)| record.get(*i)).unwrap_or("")
        };
        let has = |column: Column| present.contains(&column);
        let code = report.cell(line, Column::Code, get(Column::Code), input::product_code);
        let title =
            report.cell(line, Column::Title, get(Column::Title), |t| input::text(t, 1, 60, false, ShopProblem::Title));
        let subtitle = if has(Column::Subtitle) {
            report
                .cell(line, Column::Subtitle, get(Column::Subtitle), |t| {
                    input::text(t, 0, 80, false, ShopProblem::Subtitle)
                })
                .map(Some)
        } else {
            Some(None)
        };
        let category = report.cell(line, Column::Category, get(Column::Category), |t| category(tree, t));
        let tags = if has(Column::Tags) {
            report.cell(line, Column::Tags, get(Column::Tags), input::tags).map(Some)
        } else {
            Some(None)
        };
        let mut spec_names = Vec::new();
        let mut values = Vec::new();
        let mut specs_ok = true;
        for (name_col, value_col) in
            [(Column::Spec1, Column::Value1), (Column::Spec2, Column::Value2), (Column::Spec3, Column::Value3)]
        {
            let (name, value) = (get(name_col).trim(), get(value_col).trim());
            if name.is_empty() && value.is_empty() {
                continue;
            }
            let name = report.cell(line, name_col, name, |t| input::text(t, 1, 10, false, ShopProblem::Specs));
            let value = report.cell(line, value_col, value, |t| {
                let v = input::text(t, 1, 20, false, ShopProblem::Specs)?;
                if v.contains('/') {
                    Err(input::refused(ShopProblem::Specs))
                } else {
                    Ok(v)
                }
            });
            match (name, value) {
                (Some(n), Some(v)) if spec_names.len() == values.len() => {
                    spec_names.push(n);
                    values.push(v);
                }
                _ => specs_ok = false,
            }
        }
        let price = report.cell(line, Column::Price, get(Column::Price), input::price);
        let member_price = match price {
            Some(p) => report.cell(line, Column::MemberPrice, get(Column::MemberPrice), |t| input::member_price(t, p)),
            None => None,
        };
        let stock = report.cell(line, Column::Stock, get(Column::Stock), input::stock);
        let barcode = report.cell(line, Column::Barcode, get(Column::Barcode), input::barcode);
        let enabled = report.cell(line, Column::Enabled, get(Column::Enabled), yes_no);
        let status = report.cell(line, Column::Status, get(Column::Status), status);
        if let (
            Some(code),
            Some(title),
            Some(subtitle),
            Some(category),
            Some(tags),
            true,
            Some(price),
            Some(member_price),
            Some(stock),
            Some(barcode),
            Some(enabled),
            Some(status),
        ) = (code, title, subtitle, category, tags, specs_ok, price, member_price, stock, barcode, enabled, status)
        {
            rows.push(Row {
                line,
                code,
                title,
                subtitle,
                category,
                tags,
                spec_names,
                values,
                price,
                member_price,
                stock,
                barcode,
                enabled,
                status,
            });
        }
    }
    // Rows of one product agree, and name each combination once.
    let mut first: HashMap<&str, &Row> = HashMap::new();
    let mut combos: HashMap<(&str, &Vec<String>), i64> = HashMap::new();
    let mut per_product: HashMap<&str, usize> = HashMap::new();
    for row in &rows {
        let lead = *first.entry(row.code.as_str()).or_insert(row);
        let checks = [
            (Column::Title, row.title != lead.title, row.title.as_str()),
            (Column::Category, row.category != lead.category, ""),
            (Column::Subtitle, row.subtitle != lead.subtitle, ""),
            (Column::Tags, row.tags != lead.tags, ""),
            (Column::Spec1, row.spec_names != lead.spec_names, ""),
            (Column::Status, row.status != lead.status, ""),
        ];
        for (column, differs, value) in checks {
            if differs {
                report.add(row.line, column, value, ShopProblem::CsvInconsistent);
            }
        }
        if combos.insert((row.code.as_str(), &row.values), row.line).is_some() {
            report.add(row.line, Column::Value1, &row.values.join(" / "), ShopProblem::DuplicateCombination);
        }
        let n = per_product.entry(row.code.as_str()).or_default();
        *n += 1;
        if *n == input::MAX_SKUS + 1 {
            report.add(row.line, Column::Value1, "", ShopProblem::TooManySkus);
        }
    }
    if report.errors.is_empty() {
        Ok((rows, present))
    } else {
        Err(report.errors)
    }
}

/// The specs of a product from its rows: names from the first, values in order of appearance.
fn specs_of(rows: &[&Row]) -> Vec<SpecDim> {
    let names = &rows[0].spec_names;
    names
        .iter()
        .enumerate()
        .map(|(d, name)| {
            let mut values: Vec<String> = Vec::new();
            for row in rows {
                if !values.contains(&row.values[d]) {
                    values.push(row.values[d].clone());
                }
            }
            SpecDim { name: name.clone(), values }
        })
        .collect()
}

/// Imports a CSV file into `tenant`'s shop: every row is checked first; then the whole file is
/// applied in one transaction — products created or updated by code, SKUs by their spec values
/// (combinations the file does not list are disabled), stock set through adjustments
/// ("import") — or, if anything is refused, nothing is written. Either way the outcome is kept
/// and returned.
pub async fn import(
    db: &Db,
    tenant: TenantId,
    by: StaffId,
    file_name: &str,
    bytes: &[u8],
    now: Timestamp,
) -> Result<CsvImportView> {
    {
        let mut conn = db.pool().acquire().await?;
        storefront::require(&mut conn, tenant).await?;
    }
    let file_name: String = file_name.chars().filter(|c| !c.is_control()).take(100).collect();
    let refusal = |problem| vec![CsvRowError { line: 0, column: String::new(), value: String::new(), problem }];
    if bytes.len() > MAX_BYTES {
        return record(db, tenant, by, &file_name, 0, Err(refusal(ShopProblem::CsvFile)), now).await;
    }
    let Some(text) = decode(bytes) else {
        return record(db, tenant, by, &file_name, 0, Err(refusal(ShopProblem::CsvFile)), now).await;
    };
    let tree = categories::tree(db, false).await?;
    let (rows, present) = match read(&text, &tree) {
        Ok(read) => read,
        Err(errors) => return record(db, tenant, by, &file_name, 0, Err(errors), now).await,
    };
    if rows.is_empty() {
        return record(db, tenant, by, &file_name, 0, Err(refusal(ShopProblem::CsvFile)), now).await;
    }
    let count = rows.len() as i64;
    let mut tx = db.begin_write().await?;
    match apply(&mut tx, tenant, by, &rows, &present, now).await {
        Ok(done) => {
            tx.commit().await?;
            record(db, tenant, by, &file_name, count, Ok(done), now).await
        }
        Err(Refused(errors)) => {
            tx.rollback().await?;
            record(db, tenant, by, &file_name, count, Err(errors), now).await
        }
        Err(Failed(e)) => Err(e),
    }
}

enum ApplyError {
    Refused(Vec<CsvRowError>),
    Failed(crate::Error),
}
use ApplyError::{Failed, Refused};

impl From<crate::Error> for ApplyError {
    fn from(e: crate::Error) -> Self {
        Failed(e)
    }
}

impl From<sqlx::Error> for ApplyError {
    fn from(e: sqlx::Error) -> Self {
        Failed(e.into())
    }
}

/// A refusal met while applying, pinned to the product's first line.
fn at_line(line: i64, column: Column, e: crate::Error) -> ApplyError {
    match e.user() {
        Some(AppError::Shop { problem }) => Refused(vec![CsvRowError {
            line,
            column: header(column).to_string(),
            value: String::new(),
            problem: *problem,
        }]),
        _ => Failed(e),
    }
}

async fn apply(
    tx: &mut sqlx::AnyConnection,
    tenant: TenantId,
    by: StaffId,
    rows: &[Row],
    present: &[Column],
    now: Timestamp,
) -> std::result::Result<(i64, i64), ApplyError> {
    let mut order: Vec<&str> = Vec::new();
    let mut groups: HashMap<&str, Vec<&Row>> = HashMap::new();
    for row in rows {
        if !groups.contains_key(row.code.as_str()) {
            order.push(&row.code);
        }
        groups.entry(&row.code).or_default().push(row);
    }
    let (mut created, mut updated) = (0, 0);
    for code in order {
        let group = &groups[code];
        let lead = group[0];
        let specs = specs_of(group);
        let price = format!("{}.{:02}", lead.price / 100, lead.price % 100);
        let existing: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM shop_products WHERE tenant_id = $1 AND code = $2")
                .bind(tenant.0)
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
        let id = match existing {
            None => {
                let new = NewProduct {
                    title: lead.title.clone(),
                    code: code.to_string(),
                    category: lead.category,
                    specs: specs.clone(),
                    price,
                    stock: "0".into(),
                };
                let id = products::create::create_in(tx, tenant, &new, by, now)
                    .await
                    .map_err(|e| at_line(lead.line, Column::Code, e))?;
                created += 1;
                id
            }
            Some((id,)) => {
                let id = ProductId(id);
                let current = products::load(tx, tenant, id).await?;
                let info = InfoInput {
                    title: lead.title.clone(),
                    subtitle: lead.subtitle.clone().unwrap_or(current.subtitle),
                    code: code.to_string(),
                    category: lead.category,
                    tags: lead.tags.clone().unwrap_or(current.tags),
                    params: current.params,
                };
                products::edit::update_info_in(tx, tenant, id, &info, now)
                    .await
                    .map_err(|e| at_line(lead.line, Column::Title, e))?;
                products::edit::set_specs_in(tx, tenant, id, &specs, &price, "0", by, now)
                    .await
                    .map_err(|e| at_line(lead.line, Column::Spec1, e))?;
                updated += 1;
                id
            }
        };
        if lead.subtitle.is_some() || lead.tags.is_some() {
            let current = products::load(tx, tenant, id).await?;
            let info = InfoInput {
                title: current.title,
                subtitle: lead.subtitle.clone().unwrap_or(current.subtitle),
                code: current.code,
                category: CategoryId(current.category_id),
                tags: lead.tags.clone().unwrap_or(current.tags),
                params: current.params,
            };
            products::edit::update_info_in(tx, tenant, id, &info, now)
                .await
                .map_err(|e| at_line(lead.line, Column::Subtitle, e))?;
        }
        let skus: Vec<(i64, String, String, String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, v1, v2, v3, stock, photo_id FROM shop_skus WHERE product_id = $1 AND removed_at IS NULL",
        )
        .bind(id.0)
        .fetch_all(&mut *tx)
        .await?;
        let mut edits = Vec::new();
        let mut stock_changes = Vec::new();
        for (sku, v1, v2, v3, current_stock, photo) in skus {
            let values = products::value_columns(&[v1, v2, v3]);
            let row = group.iter().find(|r| products::value_columns(&r.values) == values);
            let (price, member, barcode, enabled) = match row {
                Some(r) => (r.price, r.member_price, r.barcode.clone(), r.enabled),
                // A combination the file does not list: not for sale.
                None => (lead.price, None, String::new(), false),
            };
            edits.push(SkuEdit {
                id: SkuId(sku),
                price: format!("{}.{:02}", price / 100, price % 100),
                member_price: member.map(|m| format!("{}.{:02}", m / 100, m % 100)).unwrap_or_default(),
                barcode,
                photo_id: photo,
                enabled,
            });
            if let Some(r) = row {
                if r.stock != current_stock {
                    stock_changes.push((SkuId(sku), r.stock - current_stock, r.line));
                }
            }
        }
        products::skus::update_skus_in(tx, tenant, id, &edits, now)
            .await
            .map_err(|e| at_line(lead.line, Column::Price, e))?;
        for (sku, delta, line) in stock_changes {
            stock::record(tx, tenant, sku, delta, StockReason::Import, "", Some(by), now)
                .await
                .map_err(|e| at_line(line, Column::Stock, e))?;
        }
        if present.contains(&Column::Status) {
            match lead.status {
                Some(ProductStatus::Published) => products::publish::publish_in(tx, tenant, id, now)
                    .await
                    .map_err(|e| at_line(lead.line, Column::Status, e))?,
                Some(ProductStatus::Unpublished | ProductStatus::Draft) => {
                    products::publish::unpublish_in(tx, tenant, id, now).await?
                }
                None => {}
            }
        }
    }
    Ok((created, updated))
}

/// Keeps the outcome and returns it as the shop sees it.
async fn record(
    db: &Db,
    tenant: TenantId,
    by: StaffId,
    file_name: &str,
    rows: i64,
    outcome: std::result::Result<(i64, i64), Vec<CsvRowError>>,
    now: Timestamp,
) -> Result<CsvImportView> {
    let (status, report) = match &outcome {
        Ok((created, updated)) => ("applied", serde_json::json!({"created": created, "updated": updated})),
        Err(errors) => ("refused", serde_json::json!({"errors": errors})),
    };
    let mut tx = db.begin_write().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO shop_csv_imports (tenant_id, staff_id, file_name, rows, status, report, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(tenant.0)
    .bind(by.0)
    .bind(file_name)
    .bind(rows)
    .bind(status)
    .bind(report.to_string())
    .bind(now.millis())
    .fetch_one(&mut **tx)
    .await?;
    tx.commit().await?;
    Ok(view(
        id,
        file_name.to_string(),
        rows,
        status,
        &report.to_string(),
        now.millis(),
        &crate::mall::timezone(db).await?,
    ))
}

fn view(
    id: i64,
    file_name: String,
    rows: i64,
    status: &str,
    report: &str,
    at: i64,
    tz: &crate::time::MallTz,
) -> CsvImportView {
    let report: serde_json::Value = serde_json::from_str(report).unwrap_or_default();
    CsvImportView {
        id,
        file_name,
        rows,
        applied: status == "applied",
        created: report["created"].as_i64().unwrap_or(0),
        updated: report["updated"].as_i64().unwrap_or(0),
        errors: serde_json::from_value(report["errors"].clone()).unwrap_or_default(),
        at: tz.format(Timestamp(at)),
    }
}

/// The shop's imports, newest first (`id`: only that one).
pub async fn imports(db: &Db, tenant: TenantId, id: Option<i64>) -> Result<Vec<CsvImportView>> {
    let tz = crate::mall::timezone(db).await?;
    let rows: Vec<(i64, String, i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, file_name, rows, status, report, created_at FROM shop_csv_imports \
         WHERE tenant_id = $1 AND ($2 = 0 OR id = $2) ORDER BY id DESC LIMIT 20",
    )
    .bind(tenant.0)
    .bind(id.unwrap_or(0))
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(id, name, n, status, report, at)| view(id, name, n, &status, &report, at, &tz)).collect())
}
