use super::Localized;
use serde::{Deserialize, Serialize};

/// The mall as every page needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MallInfo {
    pub name: Localized,
    pub timezone: String,
    /// True in the development mode: the sign-in page may show the code from the SMS outbox.
    pub dev_mode: bool,
}
