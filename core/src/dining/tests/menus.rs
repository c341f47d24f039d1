//! Menus, tables and carts: what a shopper at a table sees and may put in a cart, and every way
//! bad input is refused without changing anything.

use super::*;
use crate::dining::{menu, photos, tables};
use plaza_types::dto::DishProblem;
use plaza_types::error::Field;
use plaza_types::AppError;

/// 2026-03-10 08:00 in Shanghai: breakfast is served.
const MORNING: Timestamp = Timestamp(T0.0 - 2 * 3_600_000);

#[tokio::test]
async fn a_table_shows_its_restaurants_menu_by_category_with_serving_hours() {
    let k = kitchen().await;
    let table = tables::by_code(&k.db, &k.table).await.unwrap();
    assert_eq!((table.label.as_str(), table.shared, table.restaurants.len()), ("1", false, 1));
    let view = menu::at_table(&k.db, &k.table, k.code, None, T0).await.unwrap();
    let names: Vec<_> = view.categories.iter().map(|c| (c.name.zh.as_str(), c.serving, c.dishes.len())).collect();
    assert_eq!(names, [("面", true, 2), ("早餐", false, 1)], "breakfast is over at ten");
    let noodles = &view.categories[0].dishes[0];
    assert_eq!((noodles.price, noodles.member_price, noodles.has_options), (Fen(2_800), Some(Fen(2_500)), true));
    let morning = menu::at_table(&k.db, &k.table, k.code, Some(k.member), MORNING).await.unwrap();
    assert!(morning.categories[1].serving);
    assert_eq!((morning.cart_count, morning.member_prices), (0, false));

    let page = menu::dish(&k.db, &k.table, k.code, k.noodles, Some(k.member), T0).await.unwrap();
    assert_eq!(
        page.groups.iter().map(|g| (g.name.zh.as_str(), g.min, g.max)).collect::<Vec<_>>(),
        [("份量", 1, 1), ("加料", 0, 2)]
    );
    assert_eq!(page.groups[0].options.iter().map(|o| o.price_delta).collect::<Vec<_>>(), [Fen(0), Fen(600)]);
}

#[tokio::test]
async fn unknown_and_revoked_table_codes_are_refused() {
    let k = kitchen().await;
    assert_eq!(tables::by_code(&k.db, "nosuchcode").await.unwrap_err().user(), Some(&AppError::NotFound));
    assert_eq!(tables::by_code(&k.db, "../../etc").await.unwrap_err().user(), Some(&AppError::NotFound));
    let (table,): (i64,) = sqlx::query_as("SELECT id FROM dining_tables WHERE code = $1")
        .bind(&k.table)
        .fetch_one(k.db.pool())
        .await
        .unwrap();
    let other = restaurant(&k.db, "other").await;
    let err = tables::revoke_table(&k.db, AreaOwner::Restaurant(other), table, &Actor::System, T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::NotFound), "another restaurant cannot revoke it");
    tables::revoke_table(&k.db, AreaOwner::Restaurant(k.tenant), table, &Actor::System, T0).await.unwrap();
    assert_eq!(tables::by_code(&k.db, &k.table).await.unwrap_err().user(), Some(&AppError::NotUsable));
    let err = cart::add(&k.db, k.member, &k.add(k.tea, &[], 1), T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::NotUsable), "nothing is ordered at a revoked table");
}

#[tokio::test]
async fn a_food_court_table_offers_the_restaurants_of_its_area() {
    let k = kitchen().await;
    let roast = restaurant(&k.db, "roast").await;
    let shop = crate::testing::seed_tenant(&k.db, "boutique").await;
    let court =
        tables::create_area(&k.db, AreaOwner::Mall, &named("美食广场"), "B1", &Actor::System, T0).await.unwrap();
    for r in [k.tenant, roast] {
        tables::set_area_restaurant(&k.db, court, r, true, &Actor::System, T0).await.unwrap();
    }
    let err = tables::set_area_restaurant(&k.db, court, shop, true, &Actor::System, T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::NotFound), "only restaurants serve a food court");
    let err =
        tables::add_tables(&k.db, AreaOwner::Restaurant(k.tenant), court, "F1", &Actor::System, T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::NotFound), "a restaurant does not manage the mall's area");
    tables::add_tables(&k.db, AreaOwner::Mall, court, "F1 F2", &Actor::System, T0).await.unwrap();
    let code = table_code(&k.db, court, "F2").await;
    let table = tables::by_code(&k.db, &code).await.unwrap();
    assert!(table.shared);
    assert_eq!(table.restaurants.iter().map(|r| r.id).collect::<Vec<_>>(), [k.tenant.0, roast.0]);
    assert!(menu::at_table(&k.db, &code, "roast", None, T0).await.is_ok());
    // A restaurant that does not serve this table is not found there, nor is its own table in the court.
    let err = menu::at_table(&k.db, &code, "boutique", None, T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::NotFound));
    let err = menu::at_table(&k.db, &k.table, "roast", None, T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::NotFound));
    // The restaurant's console lists the court (read-only) after its own area.
    let areas = tables::areas_of(&k.db, k.tenant, "https://plaza.example").await.unwrap();
    assert_eq!(
        areas.iter().map(|a| (a.name.zh.as_str(), a.shared)).collect::<Vec<_>>(),
        [("美食广场", true), ("大堂", false)]
    );
    assert!(areas[1].tables[0].url.starts_with("https://plaza.example/t/"));
    tables::set_area_restaurant(&k.db, court, roast, false, &Actor::System, T0).await.unwrap();
    assert_eq!(tables::by_code(&k.db, &code).await.unwrap().restaurants.len(), 1);
}

#[tokio::test]
async fn table_labels_expand_ranges_and_refuse_duplicates() {
    assert_eq!(tables::parse_labels("1-3, A1 包间2").unwrap(), ["1", "2", "3", "A1", "包间2"]);
    assert!(tables::parse_labels("").is_err());
    assert!(tables::parse_labels("1-500").is_err());
    assert!(tables::parse_labels("5-1").is_err());
    assert!(tables::parse_labels("一二三四五六七八九十一二三").is_err(), "13 characters");
    let k = kitchen().await;
    let (area,): (i64,) = sqlx::query_as("SELECT area_id FROM dining_tables WHERE code = $1")
        .bind(&k.table)
        .fetch_one(k.db.pool())
        .await
        .unwrap();
    let err =
        tables::add_tables(&k.db, AreaOwner::Restaurant(k.tenant), area, "4 5", &Actor::System, T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::AlreadyExists));
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM dining_tables WHERE area_id = $1")
        .bind(area)
        .fetch_one(k.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 4, "table 5 was not added either");
}

#[tokio::test]
async fn bad_cart_input_is_refused_and_changes_nothing() {
    let k = kitchen().await;
    let other = restaurant(&k.db, "other").await;
    let category = menu_admin::add_category(&k.db, other, &named("别家"), None, T0).await.unwrap();
    let foreign = dish(&k.db, other, category, "别家的菜", 1_000, None).await;
    let invalid = |field| Some(AppError::invalid(field));
    for (add, expected) in [
        (k.add(foreign, &[], 1), invalid(Field::Dish)),
        (k.add(999_999, &[], 1), invalid(Field::Dish)),
        (k.add(k.noodles, &[], 1), invalid(Field::DishOptions)),
        (k.add(k.noodles, &[k.small, k.large], 1), invalid(Field::DishOptions)),
        (k.add(k.tea, &[k.egg], 1), invalid(Field::DishOptions)),
        (k.add(k.tea, &[], 0), invalid(Field::Quantity)),
        (k.add(k.tea, &[], -2), invalid(Field::Quantity)),
        (k.add(k.tea, &[], 1_000_000), invalid(Field::Quantity)),
        (k.add(k.breakfast, &[], 1), Some(AppError::DishUnavailable)),
        (AddDish { remark: "长".repeat(41), ..k.add(k.tea, &[], 1) }, invalid(Field::Remark)),
        (AddDish { restaurant_code: "other".into(), ..k.add(k.tea, &[], 1) }, Some(AppError::NotFound)),
        (AddDish { table_code: "nosuchtable".into(), ..k.add(k.tea, &[], 1) }, Some(AppError::NotFound)),
    ] {
        let err = cart::add(&k.db, k.member, &add, T0).await.unwrap_err();
        assert_eq!(err.user(), expected.as_ref(), "{add:?}");
    }
    let view = cart::view(&k.db, k.member, k.code, Some(&k.table), T0).await.unwrap();
    assert!(view.lines.is_empty());
}

#[tokio::test]
async fn the_cart_merges_lines_prices_on_the_server_and_marks_what_cannot_be_ordered() {
    let k = kitchen().await;
    cart::add(&k.db, k.member, &k.add(k.noodles, &[k.large, k.egg], 1), T0).await.unwrap();
    cart::add(&k.db, k.member, &k.add(k.noodles, &[k.egg, k.large], 2), T0).await.unwrap();
    cart::add(&k.db, k.member, &AddDish { remark: "少冰".into(), ..k.add(k.tea, &[], 98) }, T0).await.unwrap();
    cart::add(&k.db, k.member, &AddDish { remark: "少冰".into(), ..k.add(k.tea, &[], 5) }, T0).await.unwrap();
    let view = cart::view(&k.db, k.member, k.code, Some(&k.table), T0).await.unwrap();
    let lines: Vec<_> = view.lines.iter().map(|l| (l.quantity, l.unit_price, l.remark.as_str())).collect();
    assert_eq!(lines, [(3, Fen(3_600), ""), (99, Fen(800), "少冰")], "same choice merged, at most 99");
    assert_eq!(view.total, Fen(3 * 3_600 + 99 * 800));
    assert_eq!(view.lines[0].options.iter().map(|o| o.zh.as_str()).collect::<Vec<_>>(), ["大份", "加蛋"]);

    // The kitchen sells the tea out: the line is marked and the total leaves it out.
    menu_admin::set_sold_out(&k.db, k.tenant, k.tea, true, &Actor::System, T0).await.unwrap();
    let view = cart::view(&k.db, k.member, k.code, None, T0).await.unwrap();
    assert_eq!((view.blocked, view.lines[1].problem, view.total), (true, Some(DishProblem::SoldOut), Fen(10_800)));
    // An option removed from the menu: the noodles' line no longer fits.
    menu_admin::delete_option(&k.db, k.tenant, k.egg, T0).await.unwrap();
    let view = cart::view(&k.db, k.member, k.code, None, T0).await.unwrap();
    assert_eq!(view.lines[0].problem, Some(DishProblem::Changed));

    // Someone else's line is not found; 0 removes one's own.
    let stranger = seed_member(&k.db, "13300000999").await;
    let line = view.lines[1].id;
    assert_eq!(cart::set_quantity(&k.db, stranger, line, 0).await.unwrap_err().user(), Some(&AppError::NotFound));
    cart::set_quantity(&k.db, k.member, line, 0).await.unwrap();
    assert_eq!(cart::view(&k.db, k.member, k.code, None, T0).await.unwrap().lines.len(), 1);
}

#[tokio::test]
async fn paid_members_see_and_pay_member_prices() {
    let k = kitchen().await;
    let mut tx = k.db.begin_write().await.unwrap();
    let tier = crate::membership::tiers::NewTier {
        code: "plus".into(),
        name: named("会员"),
        price: Fen(9_900),
        term_days: 365,
        benefits: Localized::default(),
        member_prices: true,
        first_pack: None,
        renewal_pack: None,
    };
    let tier = crate::membership::tiers::create(&mut tx, &tier, &Actor::System, T0).await.unwrap();
    tx.commit().await.unwrap();
    crate::membership_purchase::buy(&k.db, &sandbox(), k.member, tier, true, "plus", T0).await.unwrap();
    let view = menu::at_table(&k.db, &k.table, k.code, Some(k.member), T0).await.unwrap();
    assert!(view.member_prices);
    cart::add(&k.db, k.member, &k.add(k.noodles, &[k.large], 1), T0).await.unwrap();
    let cart = cart::view(&k.db, k.member, k.code, None, T0).await.unwrap();
    assert_eq!(cart.lines[0].unit_price, Fen(2_500 + 600));
    let no = checkout::place(&k.db, &sandbox(), k.member, &k.order("m"), T0).await.unwrap().payment_no;
    let (total,): (i64,) = sqlx::query_as("SELECT amount_fen FROM payments WHERE payment_no = $1")
        .bind(no.as_str())
        .fetch_one(k.db.pool())
        .await
        .unwrap();
    assert_eq!(total, 3_100);
}

#[tokio::test]
async fn menu_administration_checks_its_input_and_its_restaurant() {
    let k = kitchen().await;
    let other = restaurant(&k.db, "other").await;
    let (mains,): (i64,) = sqlx::query_as("SELECT category_id FROM dishes WHERE id = $1")
        .bind(k.tea)
        .fetch_one(k.db.pool())
        .await
        .unwrap();
    let input = |price: i64, member: Option<i64>| DishInput {
        category_id: mains,
        name: named("新菜"),
        price: Fen(price),
        member_price: member.map(Fen),
        ..Default::default()
    };
    for (bad, field) in [
        (input(0, None), Field::Price),
        (input(-5, None), Field::Price),
        (input(100_000_001, None), Field::Price),
        (input(1_000, Some(1_200)), Field::Price),
        (DishInput { name: named(""), ..input(1_000, None) }, Field::Name),
    ] {
        let err = menu_admin::save_dish(&k.db, k.tenant, None, &bad, T0).await.unwrap_err();
        assert_eq!(err.user(), Some(&AppError::invalid(field)));
    }
    let err = menu_admin::save_dish(&k.db, other, None, &input(1_000, None), T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::invalid(Field::Category)), "not into another restaurant's category");
    let err =
        menu_admin::save_dish(&k.db, other, Some(k.tea), &DishInput { category_id: mains, ..input(1, None) }, T0).await;
    assert!(err.is_err(), "not another restaurant's dish");
    let err = menu_admin::set_sold_out(&k.db, other, k.tea, true, &Actor::System, T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::NotFound));
    assert!(menu_admin::add_group(&k.db, k.tenant, k.tea, &named("辣度"), 2, 1, T0).await.is_err(), "min above max");
    assert!(menu_admin::add_option(&k.db, other, 1, &named("x"), Fen(0), T0).await.is_err());
    assert_eq!(
        menu_admin::delete_category(&k.db, k.tenant, mains).await.unwrap_err().user(),
        Some(&AppError::NotUsable),
        "a category with dishes stays"
    );
    // Order: the tea moves above the noodles, the breakfast category above the mains.
    menu_admin::move_dish(&k.db, k.tenant, k.tea, true).await.unwrap();
    let admin = menu_admin::overview(&k.db, k.tenant, "https://plaza.example").await.unwrap();
    assert_eq!(admin.categories[0].dishes.iter().map(|d| d.id).collect::<Vec<_>>(), [k.tea, k.noodles]);
    let breakfast = admin.categories[1].id;
    menu_admin::move_category(&k.db, k.tenant, breakfast, true).await.unwrap();
    let admin = menu_admin::overview(&k.db, k.tenant, "https://plaza.example").await.unwrap();
    assert_eq!(admin.categories[0].id, breakfast);
    assert_eq!(admin.settings.pickup_url, "https://plaza.example/pickup/noodle");
    menu_admin::set_pairings(&k.db, k.tenant, k.noodles, &[k.tea]).await.unwrap();
    assert!(menu_admin::set_pairings(&k.db, k.tenant, k.noodles, &[999_999]).await.is_err());
    let page = menu::dish(&k.db, &k.table, k.code, k.noodles, None, T0).await.unwrap();
    assert_eq!(page.pairings.iter().map(|d| d.id).collect::<Vec<_>>(), [k.tea]);
}

#[tokio::test]
async fn dish_photos_are_re_encoded_in_two_sizes_and_replaced_cleanly() {
    let k = kitchen().await;
    let folder =
        std::env::temp_dir().join(format!("plaza-dish-photos-{}-{}", std::process::id(), rand::random::<u32>()));
    let storage = crate::storage::Storage::local(&folder).unwrap();
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::new_rgb8(1600, 1200).write_to(&mut png, image::ImageFormat::Png).unwrap();
    let url = photos::set_photo(&k.db, &storage, k.tenant, k.tea, png.into_inner(), T0).await.unwrap();
    let key = url.strip_prefix("/photos/").unwrap().to_string();
    let photo = photos::read(&storage, &key).await.unwrap().unwrap();
    let decoded = image::load_from_memory(&photo).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (800, 600));
    let view = menu::at_table(&k.db, &k.table, k.code, None, T0).await.unwrap();
    let thumb = view.categories[0].dishes.iter().find(|d| d.id == k.tea).unwrap().thumb.clone().unwrap();
    let small = photos::read(&storage, thumb.strip_prefix("/photos/").unwrap()).await.unwrap().unwrap();
    assert_eq!(image::load_from_memory(&small).unwrap().width(), 320);
    assert_eq!(photos::read(&storage, "receipts/ab/x.jpg").await.unwrap(), None, "only dish photos are public");
    let err = photos::set_photo(&k.db, &storage, k.tenant, k.tea, b"GIF89a....".to_vec(), T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::PhotoUnsupported { heic: false }));
    let other = restaurant(&k.db, "other").await;
    let err = photos::set_photo(&k.db, &storage, other, k.tea, photo.clone(), T0).await.unwrap_err();
    assert_eq!(err.user(), Some(&AppError::NotFound));
    // A new photo replaces the old, whose files go.
    let mut second = std::io::Cursor::new(Vec::new());
    image::DynamicImage::new_rgb8(400, 400).write_to(&mut second, image::ImageFormat::Png).unwrap();
    photos::set_photo(&k.db, &storage, k.tenant, k.tea, second.into_inner(), T0).await.unwrap();
    assert_eq!(photos::read(&storage, &key).await.unwrap(), None);
    let _ = std::fs::remove_dir_all(folder);
}
