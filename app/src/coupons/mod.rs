//! The member's coupons: the wallet and the claim centre.

mod claim_page;
mod terms;
mod wallet_page;

pub use claim_page::{claim_coupon, get_claim_centre, ClaimCoupon, ClaimPage, GetClaimCentre};
pub use terms::{headline, scope, stub};
pub use wallet_page::{get_my_coupons, CouponsPage, GetMyCoupons};
