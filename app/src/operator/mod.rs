//! The operator console: the mall's own staff steer the whole mall from here.

mod aftersales_disputes;
mod anomalies;
mod audit;
mod coupons;
mod food_courts;
mod labels;
mod layout;
mod members;
mod membership;
mod notices;
mod overview;
mod receipt_rules;
mod receipts;
mod reconcile;
mod rewards;
mod rules;
mod sales;
mod shop_categories;
mod shop_home;
mod shop_products;
mod shop_reviews;
mod stored_value;
mod sv_credits;
mod tenant_plates;
mod tenant_reports;
mod tenants;

pub use aftersales_disputes::{
    arbitrate_aftersales, get_ops_disputes, ArbitrateAftersales, GetOpsDisputes, OpsAfterSalesPage,
};
pub use anomalies::{get_anomalies, GetAnomalies, OpsAnomaliesPage};
pub use audit::{get_audit_log, GetAuditLog, OpsAuditPage};
pub use coupons::*;
pub use food_courts::{
    edit_food_court, get_food_courts, EditFoodCourt, GetFoodCourts, OpsFoodCourtPrintPage, OpsFoodCourtsPage,
};
pub use layout::OperatorLayout;
pub use members::*;
pub use membership::{
    create_gift_pack, create_tier, get_ops_membership, set_tier_active, set_topup_policy, update_gift_pack,
    update_tier, CreateGiftPack, CreateTier, GetOpsMembership, OpsMembershipPage, SetTierActive, SetTopupPolicy,
    UpdateGiftPack, UpdateTier,
};
pub use overview::{get_operator_overview, GetOperatorOverview, OperatorOverviewPage};
pub use receipt_rules::{get_receipt_rules, set_receipt_rules, GetReceiptRules, OpsReceiptRulesPage, SetReceiptRules};
pub use receipts::{
    approve_receipt, get_review_queue, get_review_receipt, reject_receipt, ApproveReceipt, GetReviewQueue,
    GetReviewReceipt, OpsReceiptPage, OpsReceiptsPage, RejectReceipt,
};
pub use reconcile::{
    get_bill_reconciliation, mark_refund_handled, rerun_reconciliation, retry_refund_query, GetBillReconciliation,
    MarkRefundHandled, OpsReconcilePage, RerunReconciliation, RetryRefundQuery,
};
pub use rewards::{
    create_reward, get_rewards_admin, set_reward_status, CreateReward, GetRewardsAdmin, OpsRewardsPage, SetRewardStatus,
};
pub use rules::*;
pub use sales::OpsSalesPage;
pub use shop_categories::{edit_category, get_ops_categories, EditCategory, GetOpsCategories, OpsShopCategoriesPage};
pub use shop_home::{
    edit_banner, feature_product, get_ops_shop_home, set_hot_words, EditBanner, FeatureProduct, GetOpsShopHome,
    OpsShopHomePage, SetHotWords,
};
pub use shop_products::{get_ops_products, take_down_product, GetOpsProducts, OpsShopProductsPage, TakeDownProduct};
pub use shop_reviews::{get_ops_reviews, hide_review, GetOpsReviews, HideReview, OpsShopReviewsPage};
pub use stored_value::{get_reconciliation, GetReconciliation, OpsStoredValuePage};
pub use sv_credits::{
    approve_sv_credit, get_sv_credits, reject_sv_credit, ApproveSvCredit, GetSvCredits, RejectSvCredit,
};
pub use tenant_plates::{OpsPlatePrintPage, OpsTenantPlatesPage};
pub use tenant_reports::OpsTenantReportsPage;
pub use tenants::{list_tenants, ListTenants, OperatorTenantsPage};
