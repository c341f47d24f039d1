//! Typed row ids, so a tenant id can never be passed where a member id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
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

id_type!(
    /// A member (shopper) of the mall.
    MemberId
);
id_type!(
    /// A tenant shop of the mall.
    TenantId
);
id_type!(
    /// A staff account (operator or tenant staff).
    StaffId
);
