//! What a shop types, read into checked values once: texts within their bounds, prices in fen,
//! stock, spec dimensions, parameters, tags, codes. Every refusal is a [`ShopProblem`] naming
//! the box.

use plaza_types::dto::{Param, ShopProblem, SpecDim};
use plaza_types::{AppError, Fen};

pub fn refused(problem: ShopProblem) -> crate::Error {
    AppError::Shop { problem }.into()
}

/// `text` trimmed, with its length in characters within `min..=max`, and no control characters
/// (a newline is allowed where `multiline`).
pub fn text(text: &str, min: usize, max: usize, multiline: bool, problem: ShopProblem) -> crate::Result<String> {
    let trimmed = text.trim();
    let count = trimmed.chars().count();
    let clean = trimmed.chars().all(|c| !c.is_control() || (multiline && (c == '\n' || c == '\r' || c == '\t')));
    if count < min || count > max || !clean {
        return Err(refused(problem));
    }
    Ok(trimmed.replace("\r\n", "\n"))
}

/// The largest price: ¥999,999.99.
pub const MAX_PRICE_FEN: i64 = 99_999_999;
/// The largest stock of one SKU.
pub const MAX_STOCK: i64 = 9_999_999;

/// A price as typed (`59`, `59.9`, `¥59.90`): from ¥0.01 to ¥999,999.99.
pub fn price(text: &str) -> crate::Result<i64> {
    let fen = Fen::from_yuan_str(text).map_err(|_| refused(ShopProblem::Price))?.0;
    if !(1..=MAX_PRICE_FEN).contains(&fen) {
        return Err(refused(ShopProblem::Price));
    }
    Ok(fen)
}

/// A member price: empty for none, else a price no higher than `price_fen`.
pub fn member_price(text: &str, price_fen: i64) -> crate::Result<Option<i64>> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let fen = Fen::from_yuan_str(text).map_err(|_| refused(ShopProblem::MemberPrice))?.0;
    if fen < 1 || fen > price_fen {
        return Err(refused(ShopProblem::MemberPrice));
    }
    Ok(Some(fen))
}

/// A stock count: a whole number from 0 to [`MAX_STOCK`].
pub fn stock(text: &str) -> crate::Result<i64> {
    let n: i64 = text.trim().parse().map_err(|_| refused(ShopProblem::Stock))?;
    if !(0..=MAX_STOCK).contains(&n) {
        return Err(refused(ShopProblem::Stock));
    }
    Ok(n)
}

/// A barcode: empty, or 8–32 letters and digits (EAN-13, UPC, a shop's own).
pub fn barcode(text: &str) -> crate::Result<String> {
    let code = text.trim();
    if code.is_empty() {
        return Ok(String::new());
    }
    if !(8..=32).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(refused(ShopProblem::Barcode));
    }
    Ok(code.to_string())
}

/// A product code (货号): 1–32 letters, digits, `-`, `_`.
pub fn product_code(text: &str) -> crate::Result<String> {
    let code = text.trim();
    if code.is_empty() || code.len() > 32 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(refused(ShopProblem::ProductCode));
    }
    Ok(code.to_string())
}

/// Separators people use between values in one box: commas (either width), 、, semicolons,
/// new lines.
fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '，', '、', ';', '；', '\n']).map(str::trim).filter(|v| !v.is_empty())
}

pub const MAX_DIMS: usize = 3;
pub const MAX_VALUES: usize = 30;
pub const MAX_SKUS: usize = 200;

/// Spec dimensions from (name, values) boxes; a row with both empty is skipped. Names 1–10
/// characters, 1–30 distinct values of 1–20 characters (`/` is the separator shown between
/// values, so it is refused), distinct names, at most 3 dimensions and 200 combinations.
pub fn specs(rows: &[(String, String)]) -> crate::Result<Vec<SpecDim>> {
    let mut dims: Vec<SpecDim> = Vec::new();
    for (name, values) in rows {
        if name.trim().is_empty() && values.trim().is_empty() {
            continue;
        }
        let name = text(name, 1, 10, false, ShopProblem::Specs)?;
        let mut list: Vec<String> = Vec::new();
        for value in split_list(values) {
            let value = text(value, 1, 20, false, ShopProblem::Specs)?;
            if value.contains('/') {
                return Err(refused(ShopProblem::Specs));
            }
            if list.contains(&value) {
                return Err(refused(ShopProblem::DuplicateCombination));
            }
            list.push(value);
        }
        if list.is_empty() || list.len() > MAX_VALUES || dims.iter().any(|d| d.name == name) {
            return Err(refused(ShopProblem::Specs));
        }
        dims.push(SpecDim { name, values: list });
    }
    if dims.len() > MAX_DIMS {
        return Err(refused(ShopProblem::Specs));
    }
    if dims.iter().map(|d| d.values.len()).product::<usize>() > MAX_SKUS {
        return Err(refused(ShopProblem::TooManySkus));
    }
    Ok(dims)
}

/// Every combination of the dimensions' values, in order (one empty combination without specs).
pub fn combinations(dims: &[SpecDim]) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = vec![Vec::new()];
    for dim in dims {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                dim.values.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push(v.clone());
                    next
                })
            })
            .collect();
    }
    out
}

/// Parameters, one `name: value` a line (either colon, or a tab); at most 30.
pub fn params(text: &str) -> crate::Result<Vec<Param>> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once([':', '：', '\t']).ok_or_else(|| refused(ShopProblem::Params))?;
        out.push(Param {
            name: self::text(name, 1, 20, false, ShopProblem::Params)?,
            value: self::text(value, 1, 100, false, ShopProblem::Params)?,
        });
    }
    if out.len() > 30 {
        return Err(refused(ShopProblem::Params));
    }
    Ok(out)
}

/// Tags separated by commas, 、 or spaces; at most 10 of 1–12 characters, duplicates dropped.
pub fn tags(text: &str) -> crate::Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for tag in text.split([',', '，', '、', ' ', '\u{3000}', ';', '；']).map(str::trim).filter(|t| !t.is_empty()) {
        let tag = self::text(tag, 1, 12, false, ShopProblem::Tags)?;
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    if out.len() > 10 {
        return Err(refused(ShopProblem::Tags));
    }
    Ok(out)
}

/// A reason an operator or a shop gives: 1–200 characters.
pub fn reason(text: &str) -> crate::Result<String> {
    self::text(text, 1, 200, false, ShopProblem::Reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(result: crate::Result<impl std::fmt::Debug>) -> ShopProblem {
        match result.unwrap_err().user() {
            Some(AppError::Shop { problem }) => *problem,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn prices_and_stock_stay_in_range() {
        assert_eq!(price("59.9").unwrap(), 5990);
        assert_eq!(price("¥0.01").unwrap(), 1);
        for bad in ["0", "-1", "abc", "1.234", "1000000", "1e3", ""] {
            assert_eq!(problem(price(bad)), ShopProblem::Price, "{bad}");
        }
        assert_eq!(member_price("", 100).unwrap(), None);
        assert_eq!(member_price("0.99", 100).unwrap(), Some(99));
        assert_eq!(problem(member_price("1.01", 100)), ShopProblem::MemberPrice);
        assert_eq!(stock(" 12 ").unwrap(), 12);
        for bad in ["-1", "1.5", "10000000", "many"] {
            assert_eq!(problem(stock(bad)), ShopProblem::Stock, "{bad}");
        }
    }

    #[test]
    fn specs_are_named_distinct_and_bounded() {
        let rows = |r: &[(&str, &str)]| r.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
        let dims = specs(&rows(&[("颜色", "红色，蓝色、黑色"), ("", ""), ("尺码", "S,M,L,XL")])).unwrap();
        assert_eq!(dims.len(), 2);
        assert_eq!(dims[0].values, ["红色", "蓝色", "黑色"]);
        assert_eq!(combinations(&dims).len(), 12);
        assert_eq!(combinations(&dims)[1], ["红色", "M"]);
        assert_eq!(combinations(&[]), vec![Vec::<String>::new()]);
        assert_eq!(problem(specs(&rows(&[("颜色", "红,红")]))), ShopProblem::DuplicateCombination);
        assert_eq!(problem(specs(&rows(&[("颜色", "红"), ("颜色", "蓝")]))), ShopProblem::Specs);
        assert_eq!(problem(specs(&rows(&[("颜色", "")]))), ShopProblem::Specs);
        assert_eq!(problem(specs(&rows(&[("", "红")]))), ShopProblem::Specs);
        assert_eq!(problem(specs(&rows(&[("a", "1"), ("b", "1"), ("c", "1"), ("d", "1")]))), ShopProblem::Specs);
        assert_eq!(problem(specs(&rows(&[("尺寸", "1/2")]))), ShopProblem::Specs);
        let many = (0..15).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
        assert_eq!(problem(specs(&rows(&[("a", &many), ("b", &many)]))), ShopProblem::TooManySkus);
    }

    #[test]
    fn params_tags_and_codes() {
        let p = params("材质：304不锈钢\n容量: 500ml\n\n产地\t浙江").unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!((p[1].name.as_str(), p[1].value.as_str()), ("容量", "500ml"));
        assert_eq!(problem(params("just text")), ShopProblem::Params);
        assert_eq!(tags("新品, 包邮 新品").unwrap(), ["新品", "包邮"]);
        assert_eq!(problem(tags("一个特别特别特别长的标签文字")), ShopProblem::Tags);
        assert_eq!(product_code(" CUP-500_a ").unwrap(), "CUP-500_a");
        assert_eq!(problem(product_code("杯子")), ShopProblem::ProductCode);
        assert_eq!(barcode("6901234567892").unwrap(), "6901234567892");
        assert_eq!(problem(barcode("12-34")), ShopProblem::Barcode);
        assert_eq!(problem(text("a\u{0}b", 1, 10, false, ShopProblem::Title)), ShopProblem::Title);
    }
}
