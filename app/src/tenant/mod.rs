//! The tenant console: the shop's own pages, for its owner and staff. A tenant sees only its
//! own data: every server function here checks the caller belongs to the tenant it names.

mod cashier_page;
mod counter_page;
mod counter_sale;
mod dining_dish;
mod dining_menu;
mod dining_orders_page;
mod dining_tables;
mod kitchen_page;
mod kitchen_screen;
mod layout;
mod member_check;
mod overview_page;
mod plates;
mod plates_page;
mod profile;
mod reports;
mod reports_page;
mod sections;
mod shop_import;
mod shop_photo_upload;
mod shop_product_edit;
mod shop_products;
mod shop_reviews;
mod shop_stock;
mod shop_storefront;
mod staff_list;

pub use cashier_page::CashierPage;
pub use counter_page::CounterPage;
pub use counter_sale::{
    award_counter_sale, counter_sales_today, reverse_counter_sale, AwardCounterSale, CounterSalesToday,
    ReverseCounterSale,
};
pub use dining_dish::{
    edit_dish_options, get_dish_edit, save_dish, set_dish_pairings, DishEditPage, EditDishOptions, GetDishEdit,
    SaveDish, SetDishPairings,
};
pub use dining_menu::{
    add_menu_category, arrange_menu, get_menu_admin, set_dish_sold_out, set_fulfilment, update_menu_category,
    AddMenuCategory, ArrangeMenu, GetMenuAdmin, MenuAdminPage, SetDishSoldOut, SetFulfilment, UpdateMenuCategory,
};
pub use dining_orders_page::{get_dining_day, DiningOrdersPage, GetDiningDay};
pub use dining_tables::{
    edit_dining_tables, get_dining_areas, EditDiningTables, GetDiningAreas, PrintButton, TableSheets, TablesPage,
    TablesPrintPage,
};
pub use kitchen_page::{
    cancel_dining_order, get_kitchen_board, get_printed_ticket, kitchen_move, kitchen_recall, print_ticket,
    CancelDiningOrder, GetKitchenBoard, GetPrintedTicket, KitchenMove, KitchenPage, KitchenRecall, PrintTicket,
    TicketPage,
};
pub use layout::{TenantLayout, TenantScope};
pub use member_check::{check_member, get_member_check, CheckMember, GetMemberCheck};
pub use overview_page::TenantOverviewPage;
pub use plates::{issue_plate, list_plates, revoke_plate, IssuePlate, ListPlates, RevokePlate};
pub use plates_page::{PlatePrintPage, PlateSheet, PlatesPage, PlatesPanel};
pub use profile::{get_tenant_profile, GetTenantProfile};
pub use reports::{
    get_commission_rates, get_tenant_report, set_commission_rate, GetCommissionRates, GetTenantReport, PeriodQuery,
    SetCommissionRate,
};
pub use reports_page::{ReportsPage, ReportsPanel};
pub use shop_import::{get_shop_imports, GetShopImports, ShopImportPage};
pub use shop_product_edit::{
    arrange_product_photo, get_shop_product, publish_product, save_product_description, save_product_info,
    save_product_skus, save_product_specs, ArrangeProductPhoto, GetShopProduct, PublishProduct, SaveProductDescription,
    SaveProductInfo, SaveProductSkus, SaveProductSpecs, ShopProductPage,
};
pub use shop_products::{
    create_shop_product, get_shop_products, status_label, CreateShopProduct, GetShopProducts, NewShopProductPage,
    ShopProductsPage,
};
pub use shop_reviews::{get_shop_reviews, reply_to_review, GetShopReviews, ReplyToReview, ReviewCard, ShopReviewsPage};
pub use shop_stock::{adjust_stock, stock_history, AdjustStock, StockHistory};
pub use shop_storefront::{
    get_storefront_profile, save_storefront_profile, GetStorefrontProfile, SaveStorefrontProfile, ShopStorefrontPage,
};
pub use staff_list::{list_tenant_staff, ListTenantStaff};
