//! The online mall (商城) as pages see it: the catalogue, browsing and search, the SKU picker,
//! reviews, the tenant's console and the operator's curation. Ids and the refusals
//! ([`ShopProblem`]) too.

mod browse;
mod catalog;
mod console;
mod curation;
mod ids;
mod picker;
mod problem;
mod promotions;
mod reviews;

pub use browse::*;
pub use catalog::*;
pub use console::*;
pub use curation::*;
pub use ids::*;
pub use picker::*;
pub use problem::*;
pub use promotions::*;
pub use reviews::*;
