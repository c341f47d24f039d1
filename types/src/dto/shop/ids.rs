use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! shop_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

shop_id!(
    /// A product (SPU) in the online mall.
    ProductId
);
shop_id!(
    /// One sellable combination of a product's spec values, with its own price and stock.
    SkuId
);
shop_id!(
    /// A node of the mall's two-level category tree.
    CategoryId
);
shop_id!(
    /// A member's review of one order line.
    ReviewId
);
shop_id!(
    /// One line of a mall order: a SKU bought by a member.
    OrderLineId
);
