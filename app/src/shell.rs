//! The HTML document and the route table.

use crate::auth::{SignInPage, StaffSignInPage};
use crate::components::NotFoundPage;
use crate::components::{NotYetPage, ShopperLayout};
use crate::coupons::{ClaimPage, CouponsPage};
use crate::dining::{CartPage, DishPage, MenuPage, MyOrdersPage, OrderPage, PickupScreenPage, TablePage};
use crate::home::HomePage;
use crate::i18n::{self, use_tr};
use crate::mall_orders::{
    AfterSalesRequestPage, MallCartPage, MallCheckoutPage, MallOrderPage, MyMallOrdersPage, ShopOrderPage,
    ShopOrdersPage,
};
use crate::mall_promotions::{PromotionCapPage, PromotionsPage};
use crate::member::{CardPage, LevelsPage, MePage};
use crate::membership::{MembershipPage, SubcardLandingPage, TopupPage};
use crate::operator::OpsReconcilePage;
use crate::operator::OpsTenantReportsPage;
use crate::operator::{
    OperatorLayout, OperatorOverviewPage, OperatorTenantsPage, OpsAnomaliesPage, OpsAuditPage, OpsCouponsPage,
    OpsFoodCourtPrintPage, OpsFoodCourtsPage, OpsMemberPage, OpsMembersPage, OpsMembershipPage, OpsPlatePrintPage,
    OpsReceiptPage, OpsReceiptRulesPage, OpsReceiptsPage, OpsRewardsPage, OpsRulesPage, OpsSalesPage,
    OpsStoredValuePage, OpsTenantPlatesPage,
};
use crate::operator::{
    OpsAfterSalesPage, OpsShopCategoriesPage, OpsShopHomePage, OpsShopProductsPage, OpsShopReviewsPage,
};
use crate::payments::{PayResultPage, PaymentsPage, PlatePage, PlatePayPage, SandboxPayPage};
use crate::points::{InviteLandingPage, InvitePage, MyRewardsPage, PointsPage, RewardsPage};
use crate::receipts::{MyReceiptsPage, ReceiptPage, ReceiptsPage};
use crate::scan::ScanPage;
use crate::shop::{
    CategoryPage, MallHomePage, MyReviewsPage, ProductPage, ProductReviewsPage, SearchPage, ShopPage, StorefrontPage,
    WriteReviewPage,
};
use crate::stored_value::BalancePage;
use crate::tenant::ReportsPage;
use crate::tenant::{CashierPage, CounterPage, PlatePrintPage, PlatesPage, TenantLayout, TenantOverviewPage};
use crate::tenant::{
    DiningOrdersPage, DishEditPage, KitchenPage, MenuAdminPage, TablesPage, TablesPrintPage, TicketPage,
};
use crate::tenant::{
    NewShopProductPage, ShopImportPage, ShopProductPage, ShopProductsPage, ShopReviewsPage, ShopStorefrontPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The document around every page. Rendered per request, so `<html lang>` follows the device's
/// language cookie.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = i18n::request_lang();
    #[cfg(feature = "ssr")]
    crate::server::set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8" />
                // This response's nonce, first in <head> on every page (pages of the online mall
                // have no hydration script to carry it): the server's last look at the page sets
                // the policy from it when rendering lost the header (server/src/http/page_finish.rs).
                <meta name="csp-nonce" nonce=leptos::nonce::use_nonce() />
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
                <meta name="theme-color" content="#b4232a" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/icon-192.png" />
                <link rel="stylesheet" href="/pkg/plaza.css" />
                <AutoReload options=options.clone() />
                {page_bundle().map(|bundle| {
                    let mut options = options;
                    options.output_name = bundle.into();
                    view! { <HydrationScripts options islands=true /> }
                })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The browser bundle a page loads (docs/decisions/0024-bundles-by-area.md), by its area: the
/// staff screens' islands (`plaza`), the member card's one (`plaza-card`), the other shopper
/// pages' (`plaza-shopper`). Pages of the online mall have no island and load no WebAssembly.
/// Each bundle hydrates only its own group of islands (`islands-*` features of this crate), so a
/// page must load the bundle its islands are in: a new island on a page of another area needs
/// its group added to that area's bundle, or the page's path here.
#[cfg(any(feature = "ssr", test))]
fn bundle_for(path: &str) -> Option<&'static str> {
    let within = |area: &str| path == area || path.strip_prefix(area).is_some_and(|rest| rest.starts_with('/'));
    if crate::shop::loads_no_wasm(path) {
        None
    } else if within("/tenant") || within("/ops") || within("/pickup") {
        Some("plaza")
    } else if path.trim_end_matches('/') == "/card" {
        Some("plaza-card")
    } else {
        Some("plaza-shopper")
    }
}

#[cfg(feature = "ssr")]
fn page_bundle() -> Option<&'static str> {
    use_context::<http::request::Parts>().map_or(Some("plaza"), |parts| bundle_for(parts.uri.path()))
}

/// In the browser the shell is never rendered.
#[cfg(not(feature = "ssr"))]
fn page_bundle() -> Option<&'static str> {
    Some("plaza")
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    i18n::provide_lang(i18n::request_lang());
    crate::components::flash::provide_flashed_error();
    let t = use_tr();
    view! {
        <Title formatter=move |page: String| {
            if page.is_empty() { t.app_name.to_string() } else { format!("{page} · {}", t.app_name) }
        } />
        // Every route renders completely before it is sent (SsrMode::Async): pages are whole
        // without JavaScript, and a page that needs a signed-in user can still answer with a redirect.
        <Router>
            <Routes fallback=NotFoundPage>
                <ParentRoute path=path!("") view=ShopperLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("card") view=CardPage ssr=SsrMode::Async />
                    <Route path=path!("levels") view=LevelsPage ssr=SsrMode::Async />
                    <Route path=path!("scan") view=ScanPage ssr=SsrMode::Async />
                    <Route path=path!("shop") view=ShopPage ssr=SsrMode::Async />
                    <Route path=path!("mall") view=MallHomePage ssr=SsrMode::Async />
                    <Route path=path!("mall/search") view=SearchPage ssr=SsrMode::Async />
                    <Route path=path!("mall/c/:id") view=CategoryPage ssr=SsrMode::Async />
                    <Route path=path!("mall/s/:code") view=StorefrontPage ssr=SsrMode::Async />
                    <Route path=path!("mall/p/:id") view=ProductPage ssr=SsrMode::Async />
                    <Route path=path!("mall/p/:id/reviews") view=ProductReviewsPage ssr=SsrMode::Async />
                    <Route path=path!("mall/reviews") view=MyReviewsPage ssr=SsrMode::Async />
                    <Route path=path!("mall/reviews/:line") view=WriteReviewPage ssr=SsrMode::Async />
                    <Route path=path!("me") view=MePage ssr=SsrMode::Async />
                    <Route path=path!("points") view=PointsPage ssr=SsrMode::Async />
                    <Route path=path!("coupons") view=CouponsPage ssr=SsrMode::Async />
                    <Route path=path!("coupons/claim") view=ClaimPage ssr=SsrMode::Async />
                    <Route path=path!("rewards") view=RewardsPage ssr=SsrMode::Async />
                    <Route path=path!("rewards/mine") view=MyRewardsPage ssr=SsrMode::Async />
                    <Route path=path!("invite") view=InvitePage ssr=SsrMode::Async />
                    <Route path=path!("balance") view=BalancePage ssr=SsrMode::Async />
                    <Route path=path!("balance/topup") view=TopupPage ssr=SsrMode::Async />
                    <Route path=path!("membership") view=MembershipPage ssr=SsrMode::Async />
                    <Route path=path!("sub/:code") view=SubcardLandingPage ssr=SsrMode::Async />
                    <Route path=path!("p/:code") view=PlatePage ssr=SsrMode::Async />
                    <Route path=path!("p/:code/pay") view=PlatePayPage ssr=SsrMode::Async />
                    <Route path=path!("pay/result/:no") view=PayResultPage ssr=SsrMode::Async />
                    <Route path=path!("me/payments") view=PaymentsPage ssr=SsrMode::Async />
                    <Route path=path!("receipts") view=ReceiptsPage ssr=SsrMode::Async />
                    <Route path=path!("receipts/mine") view=MyReceiptsPage ssr=SsrMode::Async />
                    <Route path=path!("receipts/:id") view=ReceiptPage ssr=SsrMode::Async />
                    <Route path=path!("dining/orders") view=MyOrdersPage ssr=SsrMode::Async />
                    <Route path=path!("dining/order/:no") view=OrderPage ssr=SsrMode::Async />
                    <Route path=path!("mall/cart") view=MallCartPage ssr=SsrMode::Async />
                    <Route path=path!("mall/checkout") view=MallCheckoutPage ssr=SsrMode::Async />
                    <Route path=path!("mall/orders") view=MyMallOrdersPage ssr=SsrMode::Async />
                    <Route path=path!("mall/order/:no") view=MallOrderPage ssr=SsrMode::Async />
                    <Route path=path!("mall/order/:no/aftersales") view=AfterSalesRequestPage ssr=SsrMode::Async />
                </ParentRoute>
                <Route path=path!("t/:code") view=TablePage ssr=SsrMode::Async />
                <Route path=path!("t/:code/:shop") view=MenuPage ssr=SsrMode::Async />
                <Route path=path!("t/:code/:shop/dish/:dish") view=DishPage ssr=SsrMode::Async />
                <Route path=path!("t/:code/:shop/cart") view=CartPage ssr=SsrMode::Async />
                <Route path=path!("pickup/:shop") view=PickupScreenPage ssr=SsrMode::Async />
                <Route path=path!("i/:code") view=InviteLandingPage ssr=SsrMode::Async />
                <Route path=path!("login") view=SignInPage ssr=SsrMode::Async />
                <Route path=path!("sandbox/pay/:no") view=SandboxPayPage ssr=SsrMode::Async />
                <Route path=path!("staff/login") view=StaffSignInPage ssr=SsrMode::Async />
                <ParentRoute path=path!("tenant") view=TenantLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=TenantOverviewPage ssr=SsrMode::Async />
                    <Route path=path!("cashier") view=CashierPage ssr=SsrMode::Async />
                    <Route path=path!("counter") view=CounterPage ssr=SsrMode::Async />
                    <Route path=path!("plates") view=PlatesPage ssr=SsrMode::Async />
                    <Route path=path!("plates/:id/print") view=PlatePrintPage ssr=SsrMode::Async />
                    <Route path=path!("reports") view=ReportsPage ssr=SsrMode::Async />
                    <Route path=path!("kitchen") view=KitchenPage ssr=SsrMode::Async />
                    <Route path=path!("kitchen/ticket/:order/:copy") view=TicketPage ssr=SsrMode::Async />
                    <Route path=path!("menu") view=MenuAdminPage ssr=SsrMode::Async />
                    <Route path=path!("menu/dish/new") view=DishEditPage ssr=SsrMode::Async />
                    <Route path=path!("menu/dish/:id") view=DishEditPage ssr=SsrMode::Async />
                    <Route path=path!("tables") view=TablesPage ssr=SsrMode::Async />
                    <Route path=path!("tables/:area/print") view=TablesPrintPage ssr=SsrMode::Async />
                    <Route path=path!("dining-orders") view=DiningOrdersPage ssr=SsrMode::Async />
                    <Route path=path!("orders") view=ShopOrdersPage ssr=SsrMode::Async />
                    <Route path=path!("orders/:no") view=ShopOrderPage ssr=SsrMode::Async />
                    <Route path=path!("promotions") view=PromotionsPage ssr=SsrMode::Async />
                    <Route path=path!("products") view=ShopProductsPage ssr=SsrMode::Async />
                    <Route path=path!("products/new") view=NewShopProductPage ssr=SsrMode::Async />
                    <Route path=path!("products/import") view=ShopImportPage ssr=SsrMode::Async />
                    <Route path=path!("products/import/:id") view=ShopImportPage ssr=SsrMode::Async />
                    <Route path=path!("products/reviews") view=ShopReviewsPage ssr=SsrMode::Async />
                    <Route path=path!("products/storefront") view=ShopStorefrontPage ssr=SsrMode::Async />
                    <Route path=path!("products/:id") view=ShopProductPage ssr=SsrMode::Async />
                    <Route path=path!(":feature") view=NotYetPage ssr=SsrMode::Async />
                </ParentRoute>
                <ParentRoute path=path!("ops") view=OperatorLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=OperatorOverviewPage ssr=SsrMode::Async />
                    <Route path=path!("tenants") view=OperatorTenantsPage ssr=SsrMode::Async />
                    <Route path=path!("sales") view=OpsSalesPage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/plates") view=OpsTenantPlatesPage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/reports") view=OpsTenantReportsPage ssr=SsrMode::Async />
                    <Route path=path!("dining") view=OpsFoodCourtsPage ssr=SsrMode::Async />
                    <Route path=path!("dining/:area/print") view=OpsFoodCourtPrintPage ssr=SsrMode::Async />
                    <Route path=path!("shop") view=OpsShopHomePage ssr=SsrMode::Async />
                    <Route path=path!("shop/categories") view=OpsShopCategoriesPage ssr=SsrMode::Async />
                    <Route path=path!("shop/products") view=OpsShopProductsPage ssr=SsrMode::Async />
                    <Route path=path!("shop/reviews") view=OpsShopReviewsPage ssr=SsrMode::Async />
                    <Route path=path!("shop/promotions") view=PromotionCapPage ssr=SsrMode::Async />
                    <Route path=path!("aftersales") view=OpsAfterSalesPage ssr=SsrMode::Async />
                    <Route path=path!("tenants/:id/plates/:plate/print") view=OpsPlatePrintPage ssr=SsrMode::Async />
                    <Route path=path!("members") view=OpsMembersPage ssr=SsrMode::Async />
                    <Route path=path!("members/:id") view=OpsMemberPage ssr=SsrMode::Async />
                    <Route path=path!("points") view=OpsRulesPage ssr=SsrMode::Async />
                    <Route path=path!("coupons") view=OpsCouponsPage ssr=SsrMode::Async />
                    <Route path=path!("rewards") view=OpsRewardsPage ssr=SsrMode::Async />
                    <Route path=path!("stored-value") view=OpsStoredValuePage ssr=SsrMode::Async />
                    <Route path=path!("membership") view=OpsMembershipPage ssr=SsrMode::Async />
                    <Route path=path!("anomalies") view=OpsAnomaliesPage ssr=SsrMode::Async />
                    <Route path=path!("audit") view=OpsAuditPage ssr=SsrMode::Async />
                    <Route path=path!("reconcile") view=OpsReconcilePage ssr=SsrMode::Async />
                    <Route path=path!("receipts") view=OpsReceiptsPage ssr=SsrMode::Async />
                    <Route path=path!("receipts/rules") view=OpsReceiptRulesPage ssr=SsrMode::Async />
                    <Route path=path!("receipts/:id") view=OpsReceiptPage ssr=SsrMode::Async />
                    <Route path=path!(":feature") view=NotYetPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

#[cfg(test)]
mod tests {
    use super::bundle_for;

    #[test]
    fn pages_load_the_bundle_of_their_area() {
        assert_eq!(bundle_for("/tenant/cashier"), Some("plaza"));
        assert_eq!(bundle_for("/tenant"), Some("plaza"));
        assert_eq!(bundle_for("/ops/sales"), Some("plaza"));
        assert_eq!(bundle_for("/pickup/sichuan"), Some("plaza"));
        assert_eq!(bundle_for("/card"), Some("plaza-card"));
        assert_eq!(bundle_for("/p/ABC/pay"), Some("plaza-shopper"));
        assert_eq!(bundle_for("/tenants-and-more"), Some("plaza-shopper"));
        assert_eq!(bundle_for("/mall/p/3"), None);
    }
}
