//! The SKU picker of the product page, worked out on the server: which value of each spec is
//! chosen, which values can still lead to a SKU in stock given the others chosen (the rest are
//! shown disabled), and the SKU once every dimension is chosen. Pages render it as links, so it
//! works the same without JavaScript.

use super::{SkuView, SpecDim};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PickerOption {
    pub value: String,
    pub selected: bool,
    /// Some SKU in stock has this value and every other chosen one.
    pub possible: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PickerDim {
    pub name: String,
    pub options: Vec<PickerOption>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Picker {
    pub dims: Vec<PickerDim>,
    /// Every dimension chosen: that SKU (it may be out of stock; the page says so).
    pub chosen: Option<SkuView>,
    /// Lowest and highest price among the SKUs still possible.
    pub min_price_fen: i64,
    pub max_price_fen: i64,
}

fn available(sku: &SkuView) -> bool {
    sku.sellable && sku.stock > 0
}

/// The picker for `selection` (one entry per dimension; values that are not among the
/// dimension's values count as not chosen). A dimension with a single value is chosen for the
/// shopper.
pub fn picker(specs: &[SpecDim], skus: &[SkuView], selection: &[Option<String>]) -> Picker {
    let chosen_values: Vec<Option<&str>> = specs
        .iter()
        .enumerate()
        .map(|(d, dim)| {
            if dim.values.len() == 1 {
                return Some(dim.values[0].as_str());
            }
            selection.get(d).cloned().flatten().and_then(|v| dim.values.iter().find(|x| **x == v)).map(|s| s.as_str())
        })
        .collect();
    let matches_others = |sku: &SkuView, skip: usize| {
        chosen_values
            .iter()
            .enumerate()
            .all(|(e, chosen)| e == skip || chosen.is_none_or(|c| sku.values.get(e).map(String::as_str) == Some(c)))
    };
    let dims = specs
        .iter()
        .enumerate()
        .map(|(d, dim)| PickerDim {
            name: dim.name.clone(),
            options: dim
                .values
                .iter()
                .map(|value| PickerOption {
                    value: value.clone(),
                    selected: chosen_values[d] == Some(value.as_str()),
                    possible: skus
                        .iter()
                        .any(|sku| available(sku) && sku.values.get(d) == Some(value) && matches_others(sku, d)),
                })
                .collect(),
        })
        .collect();
    let chosen = if chosen_values.iter().all(Option::is_some) {
        skus.iter()
            .find(|sku| chosen_values.iter().enumerate().all(|(d, c)| sku.values.get(d).map(String::as_str) == *c))
            .cloned()
    } else {
        None
    };
    let prices: Vec<i64> =
        skus.iter().filter(|s| s.sellable && matches_others(s, usize::MAX)).map(|s| s.price_fen).collect();
    let prices =
        if prices.is_empty() { skus.iter().filter(|s| s.sellable).map(|s| s.price_fen).collect() } else { prices };
    Picker {
        dims,
        chosen,
        min_price_fen: prices.iter().copied().min().unwrap_or(0),
        max_price_fen: prices.iter().copied().max().unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::SkuId;

    fn sku(id: i64, values: &[&str], stock: i64, sellable: bool) -> SkuView {
        SkuView {
            id: SkuId(id),
            values: values.iter().map(|v| v.to_string()).collect(),
            price_fen: 1000 * id,
            member_price_fen: None,
            stock,
            sellable,
            photo: None,
        }
    }

    fn specs() -> Vec<SpecDim> {
        vec![
            SpecDim { name: "颜色".into(), values: vec!["红".into(), "蓝".into()] },
            SpecDim { name: "尺码".into(), values: vec!["S".into(), "M".into()] },
        ]
    }

    fn possible(p: &Picker, d: usize) -> Vec<bool> {
        p.dims[d].options.iter().map(|o| o.possible).collect()
    }

    #[test]
    fn values_that_cannot_lead_to_stock_are_disabled() {
        // 红/S in stock, 红/M sold out, 蓝/S disabled, 蓝/M in stock.
        let skus = vec![
            sku(1, &["红", "S"], 3, true),
            sku(2, &["红", "M"], 0, true),
            sku(3, &["蓝", "S"], 9, false),
            sku(4, &["蓝", "M"], 1, true),
        ];
        let none = picker(&specs(), &skus, &[None, None]);
        assert_eq!(possible(&none, 0), [true, true]);
        assert_eq!(possible(&none, 1), [true, true]);
        assert_eq!(none.chosen, None);
        assert_eq!((none.min_price_fen, none.max_price_fen), (1000, 4000));

        let red = picker(&specs(), &skus, &[Some("红".into()), None]);
        assert_eq!(possible(&red, 1), [true, false], "红/M is sold out");
        assert_eq!(possible(&red, 0), [true, true], "the other colour stays choosable");
        let red_m = picker(&specs(), &skus, &[Some("红".into()), Some("M".into())]);
        assert_eq!(red_m.chosen.as_ref().map(|s| (s.id, s.stock)), Some((SkuId(2), 0)), "chosen, shown as sold out");
        assert_eq!(possible(&red_m, 0), [false, true], "with M only 蓝 has stock");

        let blue = picker(&specs(), &skus, &[Some("蓝".into()), None]);
        assert_eq!(possible(&blue, 1), [false, true], "蓝/S is disabled");
    }

    #[test]
    fn single_values_and_unknown_choices() {
        let specs = vec![SpecDim { name: "容量".into(), values: vec!["500ml".into()] }];
        let skus = vec![sku(1, &["500ml"], 2, true)];
        let p = picker(&specs, &skus, &[]);
        assert_eq!(p.chosen.map(|s| s.id), Some(SkuId(1)));
        let p = picker(&self::specs(), &[sku(1, &["红", "S"], 1, true)], &[Some("绿".into()), Some("S".into())]);
        assert!(!p.dims[0].options.iter().any(|o| o.selected), "a value that is not offered is not chosen");
        assert_eq!(p.chosen, None);
        let none = picker(&[], &[sku(7, &[], 5, true)], &[]);
        assert_eq!(none.chosen.map(|s| s.id), Some(SkuId(7)), "a product without specs has its one SKU");
    }
}
