//! Products and SKUs as a spreadsheet: one row per SKU, rows of one product sharing its code
//! (商品编码). Export writes every current SKU (UTF-8 with a BOM, so Excel opens it in Chinese);
//! import reads UTF-8 or GB18030 (what Excel saves in China), checks every row, and applies the
//! whole file in one transaction or nothing at all, with a report of every bad cell.

mod export;
mod import;

pub use export::export;
pub use import::{import, imports, MAX_BYTES, MAX_ROWS};

/// The columns, with the Chinese header written on export and the English one also accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Code,
    Title,
    Subtitle,
    Category,
    Tags,
    Spec1,
    Value1,
    Spec2,
    Value2,
    Spec3,
    Value3,
    Price,
    MemberPrice,
    Stock,
    Barcode,
    Enabled,
    Status,
}

pub const COLUMNS: [(Column, &str, &str); 17] = [
    (Column::Code, "商品编码", "code"),
    (Column::Title, "标题", "title"),
    (Column::Subtitle, "副标题", "subtitle"),
    (Column::Category, "类目", "category"),
    (Column::Tags, "标签", "tags"),
    (Column::Spec1, "规格1", "spec1"),
    (Column::Value1, "规格1值", "spec1_value"),
    (Column::Spec2, "规格2", "spec2"),
    (Column::Value2, "规格2值", "spec2_value"),
    (Column::Spec3, "规格3", "spec3"),
    (Column::Value3, "规格3值", "spec3_value"),
    (Column::Price, "价格", "price"),
    (Column::MemberPrice, "会员价", "member_price"),
    (Column::Stock, "库存", "stock"),
    (Column::Barcode, "条码", "barcode"),
    (Column::Enabled, "启用", "enabled"),
    (Column::Status, "状态", "status"),
];

/// Columns a file must have.
pub const REQUIRED: [Column; 5] = [Column::Code, Column::Title, Column::Category, Column::Price, Column::Stock];

pub fn header(column: Column) -> &'static str {
    COLUMNS.iter().find(|(c, _, _)| *c == column).map(|(_, zh, _)| *zh).unwrap_or_default()
}
