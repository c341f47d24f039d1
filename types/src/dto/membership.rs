//! Paid membership, sub-cards and stored-value top-up as pages show them.

use super::{Choice, Localized, MembershipView, TierView};
use crate::Fen;
use serde::{Deserialize, Serialize};

/// From `from` on, a top-up gets `bonus` on top.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BonusTier {
    pub from: Fen,
    pub bonus: Fen,
}

/// A ready-made amount on the top-up page, with the bonus it brings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopupPreset {
    pub amount: Fen,
    pub bonus: Fen,
}

/// Everything the top-up page offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopupOptions {
    pub balance: Fen,
    pub presets: Vec<TopupPreset>,
    /// Lowest threshold first.
    pub tiers: Vec<BonusTier>,
    pub min: Fen,
    pub max: Fen,
    /// One per page shown: a resubmitted form returns the payment it already started.
    pub request_key: String,
}

/// The bonus a top-up of `amount` gets: the highest tier it reaches (the page shows it live,
/// the server credits it).
pub fn topup_bonus(tiers: &[BonusTier], amount: Fen) -> Fen {
    tiers.iter().filter(|t| t.from <= amount).map(|t| t.bonus).max().unwrap_or(Fen::ZERO)
}

/// An open sub-card invitation, ready to share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubcardInviteView {
    pub code: String,
    pub link: String,
    pub qr_svg: String,
    /// The last day it can be accepted (mall time).
    pub expires_on: String,
}

/// The shopper's membership page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembershipPage {
    pub tiers: Vec<TierView>,
    pub status: MembershipView,
    pub invite: Option<SubcardInviteView>,
    /// Stored value that may pay for a membership.
    pub stored_value: Fen,
    /// How long after an unbinding before a new sub-card may be bound.
    pub subcard_cooldown_days: i64,
    pub request_key: String,
}

/// What the invitee sees before accepting a sub-card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubcardOffer {
    pub code: String,
    /// The main card's masked phone.
    pub main_holder: String,
    pub tier: Option<Localized>,
    pub expires_on: String,
    /// Still open: not used, not expired, the main card running.
    pub open: bool,
    /// The viewer's own invitation.
    pub mine: bool,
}

/// A gift pack with its coupons.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GiftPackView {
    pub id: i64,
    pub code: String,
    pub name: Localized,
    pub items: Vec<GiftPackItem>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GiftPackItem {
    pub template_code: String,
    pub name: Localized,
    pub quantity: i64,
}

/// A tier as the operator edits it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpsTier {
    pub tier: TierView,
    pub first_pack_id: Option<i64>,
    pub renewal_pack_id: Option<i64>,
    /// Members whose membership of this tier is running now.
    pub active_members: i64,
}

/// The top-up settings as the operator's form shows them (yuan).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopupPolicyView {
    /// `500:30, 1000:80`.
    pub tiers: String,
    /// `100, 200, 500, 1000`.
    pub presets: String,
    pub min: Fen,
    pub max: Fen,
}

/// The operator's paid-membership page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpsMembership {
    pub tiers: Vec<OpsTier>,
    pub packs: Vec<GiftPackView>,
    pub topup: TopupPolicyView,
    /// Coupon templates a pack may hold.
    pub templates: Vec<Choice>,
}

/// The operator's tier form as posted (`form[price]=99` …); the core reads it into a checked
/// change. `code` is read only when creating.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TierForm {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Yuan.
    pub price: String,
    pub term_days: String,
    pub benefits_zh: String,
    pub benefits_en: String,
    /// Present (any value) when the box is ticked.
    pub member_prices: Option<String>,
    /// A pack id, or empty for none.
    pub first_pack: String,
    pub renewal_pack: String,
}
