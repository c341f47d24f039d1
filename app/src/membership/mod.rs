//! 付费会员: the tiers on sale and my status (buy, renew), the sub-card (invite by link and QR,
//! unbind with the cool-down; the holder may leave it), the invitee's landing page, and
//! stored-value top-up.

mod buy;
mod leave;
mod page;
mod sub_landing;
mod subcard;
mod topup_page;

pub use buy::{buy_membership, BuyMembership};
pub use leave::{leave_subcard, LeaveSection, LeaveSubcard};
pub use page::{get_membership_page, GetMembershipPage, MembershipPage};
pub use sub_landing::{accept_subcard, get_subcard_offer, AcceptSubcard, GetSubcardOffer, SubcardLandingPage};
pub use subcard::{invite_subcard, unbind_subcard, InviteSubcard, SubcardSection, UnbindSubcard};
pub use topup_page::{get_topup_options, start_topup, GetTopupOptions, StartTopup, TopupPage};
