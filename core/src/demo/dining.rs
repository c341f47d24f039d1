//! The demo restaurants' scan-to-order: a menu for each of the five (categories, dishes with
//! options, member prices, a breakfast window, one dish sold out), their tables, and tables in
//! the B1 food court shared by 面面俱到, 港式烧腊 and 甜品时光. Photos are drawn here and stored
//! through the storage service by [`draw_photos`] (the seeding command calls it; tests need none).

use crate::audit::Actor;
use crate::dining::menu_admin::{self, DishInput};
use crate::dining::tables::{self, AreaOwner};
use crate::dining::{photos, settings};
use crate::storage::Storage;
use crate::{Db, Result, Timestamp};
use image::{Rgb, RgbImage};
use plaza_types::dto::{Fulfilment, Localized, ServingWindow};
use plaza_types::{Fen, TenantId};
use std::collections::HashMap;

/// How a dish's picture is drawn: the vessel and the food's colour.
#[derive(Clone, Copy)]
enum Look {
    Bowl(u32),
    Plate(u32),
    Cup(u32),
    Glass(u32),
}

struct Group {
    zh: &'static str,
    en: &'static str,
    min: i64,
    max: i64,
    options: &'static [(&'static str, &'static str, i64)],
}

struct Dish {
    zh: &'static str,
    en: &'static str,
    about: (&'static str, &'static str),
    ingredients: (&'static str, &'static str),
    taste: (&'static str, &'static str),
    price: i64,
    member: Option<i64>,
    look: Look,
    groups: &'static [Group],
    sold_out: bool,
}

struct Category {
    zh: &'static str,
    en: &'static str,
    window: Option<(i64, i64)>,
    dishes: &'static [Dish],
}

struct Menu {
    tenant: &'static str,
    fulfilment: Fulfilment,
    categories: &'static [Category],
    /// Dish → the dishes recommended with it (Chinese names).
    pairings: &'static [(&'static str, &'static [&'static str])],
}

const SPICE: Group = Group {
    zh: "辣度",
    en: "Spice",
    min: 1,
    max: 1,
    options: &[("微辣", "Mild", 0), ("中辣", "Medium", 0), ("特辣", "Hot", 0)],
};
const TEMPERATURE: Group =
    Group { zh: "温度", en: "Temperature", min: 1, max: 1, options: &[("热", "Hot", 0), ("冰", "Iced", 0)] };
const SWEETNESS: Group = Group {
    zh: "甜度",
    en: "Sweetness",
    min: 0,
    max: 1,
    options: &[("少糖", "Less sugar", 0), ("无糖", "No sugar", 0)],
};
const CUP: Group =
    Group { zh: "杯型", en: "Size", min: 1, max: 1, options: &[("中杯", "Medium", 0), ("大杯", "Large", 400)] };

const fn dish(zh: &'static str, en: &'static str, price: i64, member: Option<i64>, look: Look) -> Dish {
    Dish {
        zh,
        en,
        about: ("", ""),
        ingredients: ("", ""),
        taste: ("", ""),
        price,
        member,
        look,
        groups: &[],
        sold_out: false,
    }
}

const MENUS: [Menu; 5] = [
    Menu {
        tenant: "sichuan",
        fulfilment: Fulfilment::TableDelivery,
        categories: &[
            Category {
                zh: "招牌菜",
                en: "Signatures",
                window: None,
                dishes: &[
                    Dish {
                        about: (
                            "鲜鱼片滑嫩，花椒辣椒热油一泼，麻辣鲜香。",
                            "Tender fish slices under sizzling chilli and Sichuan pepper oil.",
                        ),
                        ingredients: (
                            "草鱼、豆芽、干辣椒、花椒",
                            "Grass carp, bean sprouts, dried chilli, Sichuan pepper",
                        ),
                        taste: ("麻辣", "Numbing and hot"),
                        groups: &[
                            SPICE,
                            Group {
                                zh: "份量",
                                en: "Portion",
                                min: 1,
                                max: 1,
                                options: &[("标准份", "Regular", 0), ("大份", "Large", 3000)],
                            },
                        ],
                        ..dish("水煮鱼", "Boiled fish in chilli oil", 8800, Some(7800), Look::Bowl(0xc8_3a_1e))
                    },
                    Dish {
                        about: (
                            "嫩豆腐配牛肉末，麻、辣、烫、香。",
                            "Silken tofu with minced beef: numbing, hot and fragrant.",
                        ),
                        ingredients: ("豆腐、牛肉末、郫县豆瓣", "Tofu, minced beef, Pixian bean paste"),
                        taste: ("麻辣", "Numbing and hot"),
                        groups: &[SPICE],
                        ..dish("麻婆豆腐", "Mapo tofu", 3200, Some(2800), Look::Plate(0xd0_5a_2a))
                    },
                    Dish {
                        about: (
                            "鸡丁、花生，糊辣荔枝味。",
                            "Diced chicken and peanuts, sweet-and-sour with scorched chilli.",
                        ),
                        ingredients: ("鸡腿肉、花生、干辣椒", "Chicken thigh, peanuts, dried chilli"),
                        taste: ("微辣 · 酸甜", "Mild, sweet and sour"),
                        ..dish("宫保鸡丁", "Kung Pao chicken", 4200, Some(3800), Look::Plate(0xb8_6a_2c))
                    },
                    Dish {
                        about: ("五花肉先煮后炒，配蒜苗。", "Pork belly boiled, then stir-fried with garlic shoots."),
                        taste: ("咸鲜微辣", "Savoury, mildly hot"),
                        ..dish("回锅肉", "Twice-cooked pork", 4800, None, Look::Plate(0xa8_4a_2a))
                    },
                ],
            },
            Category {
                zh: "凉菜",
                en: "Cold dishes",
                window: None,
                dishes: &[
                    Dish {
                        about: ("牛肉牛杂薄切，红油拌。", "Thin-sliced beef in red chilli oil."),
                        taste: ("麻辣", "Numbing and hot"),
                        ..dish("夫妻肺片", "Fuqi feipian", 3600, None, Look::Plate(0x9a_3a_22))
                    },
                    Dish {
                        taste: ("麻辣鲜香", "Hot and fragrant"),
                        ..dish("口水鸡", "Mouth-watering chicken", 3800, Some(3400), Look::Plate(0xe0_b0_80))
                    },
                    Dish {
                        taste: ("蒜香", "Garlic"),
                        ..dish("拍黄瓜", "Smashed cucumber", 1600, None, Look::Plate(0x5a_a0_4a))
                    },
                ],
            },
            Category {
                zh: "主食",
                en: "Rice and noodles",
                window: None,
                dishes: &[
                    Dish {
                        groups: &[SPICE], ..dish("担担面", "Dan dan noodles", 2200, None, Look::Bowl(0xc0_7a_3a))
                    },
                    dish("米饭", "Steamed rice", 300, None, Look::Bowl(0xf4_f0_e6)),
                ],
            },
            Category {
                zh: "饮品",
                en: "Drinks",
                window: None,
                dishes: &[
                    dish("酸梅汤", "Sour plum drink", 1200, None, Look::Glass(0x6a_2a_22)),
                    Dish { sold_out: true, ..dish("冰粉", "Ice jelly", 1000, None, Look::Glass(0xe8_d8_c0)) },
                ],
            },
        ],
        pairings: &[("水煮鱼", &["米饭", "酸梅汤"]), ("麻婆豆腐", &["米饭"]), ("宫保鸡丁", &["米饭", "拍黄瓜"])],
    },
    Menu {
        tenant: "noodle",
        fulfilment: Fulfilment::CallNumber,
        categories: &[
            Category {
                zh: "早餐",
                en: "Breakfast",
                window: Some((7 * 60, 10 * 60)),
                dishes: &[
                    dish("豆浆油条", "Soy milk and youtiao", 1200, None, Look::Glass(0xf2_e6_c8)),
                    dish("鲜肉小笼包", "Xiaolongbao", 1600, Some(1400), Look::Plate(0xf0_e0_c0)),
                ],
            },
            Category {
                zh: "招牌面",
                en: "Noodles",
                window: None,
                dishes: &[
                    Dish {
                        about: (
                            "慢炖八小时的牛腱，手工拉面，清亮牛骨汤。",
                            "Beef shank braised for eight hours, hand-pulled noodles, clear bone broth.",
                        ),
                        ingredients: ("牛腱、拉面、白萝卜、香菜", "Beef shank, pulled noodles, radish, coriander"),
                        taste: ("咸鲜", "Savoury"),
                        groups: &[
                            Group {
                                zh: "份量",
                                en: "Size",
                                min: 1,
                                max: 1,
                                options: &[("标准", "Regular", 0), ("加大", "Large", 600)],
                            },
                            Group {
                                zh: "加料",
                                en: "Extras",
                                min: 0,
                                max: 3,
                                options: &[
                                    ("卤蛋", "Braised egg", 300),
                                    ("加牛肉", "More beef", 1200),
                                    ("加面", "More noodles", 400),
                                ],
                            },
                            Group {
                                zh: "辣度",
                                en: "Spice",
                                min: 0,
                                max: 1,
                                options: &[("不辣", "Not hot", 0), ("微辣", "Mild", 0), ("辣", "Hot", 0)],
                            },
                        ],
                        ..dish("红烧牛肉面", "Braised beef noodles", 3200, Some(2900), Look::Bowl(0xa0_4a_22))
                    },
                    Dish {
                        taste: ("酸甜", "Sweet and sour"),
                        ..dish("番茄鸡蛋面", "Tomato and egg noodles", 2200, None, Look::Bowl(0xe0_5a_2a))
                    },
                    Dish {
                        taste: ("酱香", "Bean sauce"),
                        ..dish("老北京炸酱面", "Zhajiang noodles", 2600, Some(2300), Look::Bowl(0x6a_4a_2a))
                    },
                ],
            },
            Category {
                zh: "小吃",
                en: "Sides",
                window: None,
                dishes: &[
                    dish("卤蛋", "Braised egg", 400, None, Look::Plate(0x9a_6a_3a)),
                    dish("凉拌木耳", "Wood-ear salad", 1200, None, Look::Plate(0x2a_22_1e)),
                    dish("酸梅汤", "Sour plum drink", 800, None, Look::Glass(0x6a_2a_22)),
                ],
            },
        ],
        pairings: &[("红烧牛肉面", &["卤蛋", "凉拌木耳"])],
    },
    Menu {
        tenant: "roast",
        fulfilment: Fulfilment::CallNumber,
        categories: &[
            Category {
                zh: "烧腊饭",
                en: "Roast meat rice",
                window: None,
                dishes: &[
                    Dish {
                        about: (
                            "蜜汁叉烧，配油菜与例汤。",
                            "Honey-glazed char siu with greens and the soup of the day.",
                        ),
                        ingredients: ("猪梅肉、米饭、菜心", "Pork shoulder, rice, choy sum"),
                        taste: ("甜咸", "Sweet and savoury"),
                        ..dish("蜜汁叉烧饭", "Char siu rice", 3600, Some(3200), Look::Plate(0xb0_3a_2a))
                    },
                    Dish {
                        taste: ("咸鲜", "Savoury"),
                        ..dish("烧鹅饭", "Roast goose rice", 4600, Some(4200), Look::Plate(0x8a_4a_1e))
                    },
                    Dish {
                        about: ("任选两样烧味。", "Any two roast meats."),
                        groups: &[Group {
                            zh: "双拼",
                            en: "Two meats",
                            min: 2,
                            max: 2,
                            options: &[
                                ("叉烧", "Char siu", 0),
                                ("烧鹅", "Roast goose", 600),
                                ("白切鸡", "White-cut chicken", 0),
                                ("脆皮烧肉", "Crispy pork", 0),
                            ],
                        }],
                        ..dish("双拼饭", "Two-meat rice", 4800, None, Look::Plate(0xa0_5a_2a))
                    },
                    dish("老火例汤", "Soup of the day", 800, None, Look::Bowl(0xc0_8a_4a)),
                    dish("白灼菜心", "Blanched choy sum", 1800, None, Look::Plate(0x3a_8a_3a)),
                ],
            },
            Category {
                zh: "港式饮品",
                en: "Hong Kong drinks",
                window: None,
                dishes: &[
                    Dish {
                        groups: &[TEMPERATURE, SWEETNESS],
                        ..dish("港式奶茶", "Milk tea", 1600, Some(1400), Look::Cup(0xc0_8a_5a))
                    },
                    Dish {
                        groups: &[TEMPERATURE, SWEETNESS],
                        ..dish("柠檬茶", "Lemon tea", 1600, None, Look::Glass(0xd8_a0_3a))
                    },
                ],
            },
        ],
        pairings: &[("蜜汁叉烧饭", &["港式奶茶", "老火例汤"]), ("烧鹅饭", &["柠檬茶"])],
    },
    Menu {
        tenant: "dessert",
        fulfilment: Fulfilment::CallNumber,
        categories: &[Category {
            zh: "招牌甜品",
            en: "Desserts",
            window: None,
            dishes: &[
                Dish {
                    about: ("芒果、西柚、西米与椰浆。", "Mango, pomelo, sago and coconut milk."),
                    ingredients: ("芒果、西柚、西米、椰浆", "Mango, pomelo, sago, coconut milk"),
                    taste: ("香甜", "Sweet"),
                    ..dish("杨枝甘露", "Mango pomelo sago", 2600, Some(2200), Look::Glass(0xf0_b0_2a))
                },
                dish("双皮奶", "Double-skin milk pudding", 1800, Some(1600), Look::Bowl(0xf6_f0_e0)),
                dish("芒果班戟", "Mango pancake", 2200, None, Look::Plate(0xf4_c0_3a)),
                Dish {
                    groups: &[TEMPERATURE], ..dish("红豆沙", "Red bean soup", 1500, None, Look::Bowl(0x7a_2a_2a))
                },
                Dish {
                    sold_out: true, ..dish("榴莲千层", "Durian crêpe cake", 3200, None, Look::Plate(0xf0_e0_8a))
                },
            ],
        }],
        pairings: &[("杨枝甘露", &["芒果班戟"])],
    },
    Menu {
        tenant: "coffee",
        fulfilment: Fulfilment::CallNumber,
        categories: &[
            Category {
                zh: "早餐",
                en: "Breakfast",
                window: Some((7 * 60, 11 * 60)),
                dishes: &[
                    dish("黄油牛角包", "Butter croissant", 1600, None, Look::Plate(0xd8_a0_4a)),
                    dish("早餐套餐", "Breakfast set", 3200, Some(2800), Look::Plate(0xe0_c0_8a)),
                ],
            },
            Category {
                zh: "咖啡",
                en: "Coffee",
                window: None,
                dishes: &[
                    Dish {
                        groups: &[TEMPERATURE, CUP],
                        ..dish("美式咖啡", "Americano", 2200, Some(1800), Look::Cup(0x3a2216))
                    },
                    Dish {
                        about: ("双份浓缩与丝滑奶泡。", "A double espresso with silky milk."),
                        groups: &[
                            TEMPERATURE,
                            CUP,
                            Group { zh: "奶", en: "Milk", min: 0, max: 1, options: &[("燕麦奶", "Oat milk", 400)] },
                        ],
                        ..dish("拿铁", "Latte", 2800, Some(2400), Look::Cup(0xc8_9a_6a))
                    },
                    dish("澳白", "Flat white", 3000, None, Look::Cup(0xb0_80_5a)),
                ],
            },
            Category {
                zh: "甜点",
                en: "Cakes",
                window: None,
                dishes: &[dish("提拉米苏", "Tiramisu", 3200, None, Look::Plate(0x8a_5a_3a))],
            },
        ],
        pairings: &[("拿铁", &["黄油牛角包", "提拉米苏"])],
    },
];

/// Seeds the five menus, each restaurant's fulfilment mode and tables, and tables in the food
/// court (its restaurants were listed with the area).
pub(super) async fn seed(db: &Db, ids: &HashMap<&'static str, TenantId>, now: Timestamp) -> Result<()> {
    let system = Actor::System;
    for menu in &MENUS {
        let tenant = ids[menu.tenant];
        settings::set_fulfilment(db, tenant, menu.fulfilment, &system, now).await?;
        let mut by_name: HashMap<&str, i64> = HashMap::new();
        for c in menu.categories {
            let window = c.window.map(|(from, until)| ServingWindow { from, until });
            let category = menu_admin::add_category(db, tenant, &Localized::new(c.zh, c.en), window, now).await?;
            for d in c.dishes {
                let input = DishInput {
                    category_id: category,
                    name: Localized::new(d.zh, d.en),
                    description: Localized::new(d.about.0, d.about.1),
                    ingredients: Localized::new(d.ingredients.0, d.ingredients.1),
                    taste: Localized::new(d.taste.0, d.taste.1),
                    price: Fen(d.price),
                    member_price: d.member.map(Fen),
                };
                let id = menu_admin::save_dish(db, tenant, None, &input, now).await?;
                for g in d.groups {
                    let group =
                        menu_admin::add_group(db, tenant, id, &Localized::new(g.zh, g.en), g.min, g.max, now).await?;
                    for (zh, en, delta) in g.options {
                        menu_admin::add_option(db, tenant, group, &Localized::new(*zh, *en), Fen(*delta), now).await?;
                    }
                }
                if d.sold_out {
                    menu_admin::set_sold_out(db, tenant, id, true, &system, now).await?;
                }
                by_name.insert(d.zh, id);
            }
        }
        for (dish, paired) in menu.pairings {
            let paired: Vec<i64> = paired.iter().filter_map(|p| by_name.get(p).copied()).collect();
            menu_admin::set_pairings(db, tenant, by_name[dish], &paired).await?;
        }
    }
    let sichuan = AreaOwner::Restaurant(ids["sichuan"]);
    let hall = tables::create_area(db, sichuan, &Localized::new("大堂", "Dining room"), "", &system, now).await?;
    tables::add_tables(db, sichuan, hall, "1-12", &system, now).await?;
    let rooms = tables::create_area(db, sichuan, &Localized::new("包间", "Private rooms"), "", &system, now).await?;
    tables::add_tables(db, sichuan, rooms, "V1 V2", &system, now).await?;
    let coffee = AreaOwner::Restaurant(ids["coffee"]);
    let cafe = tables::create_area(db, coffee, &Localized::new("店内", "Café"), "", &system, now).await?;
    tables::add_tables(db, coffee, cafe, "1-8", &system, now).await?;
    let (court,): (i64,) =
        sqlx::query_as("SELECT id FROM dining_areas WHERE code = 'food-court'").fetch_one(db.pool()).await?;
    tables::add_tables(db, AreaOwner::Mall, court, "1-20", &system, now).await?;
    Ok(())
}

/// Draws and stores a photo for every demo dish without one (run once after seeding; again it
/// does nothing). Returns how many it drew.
pub async fn draw_photos(db: &Db, storage: &Storage, now: Timestamp) -> Result<usize> {
    let mut drawn = 0;
    for menu in &MENUS {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT d.id, d.tenant_id, d.name_zh FROM dishes d JOIN tenants t ON t.id = d.tenant_id \
             WHERE t.code = $1 AND d.photo_key IS NULL AND d.status = 'active'",
        )
        .bind(menu.tenant)
        .fetch_all(db.pool())
        .await?;
        for (id, tenant, name) in rows {
            let Some(look) = menu.categories.iter().flat_map(|c| c.dishes).find(|d| d.zh == name).map(|d| d.look)
            else {
                continue;
            };
            let png = tokio::task::spawn_blocking(move || picture(look, id))
                .await
                .map_err(|e| crate::Error::internal(format!("drawing a dish: {e}")))?;
            photos::set_photo(db, storage, TenantId(tenant), id, png, now).await?;
            drawn += 1;
        }
    }
    Ok(drawn)
}

fn rgb(hex: u32) -> Rgb<u8> {
    Rgb([(hex >> 16) as u8, (hex >> 8) as u8, hex as u8])
}

fn mix(a: Rgb<u8>, b: Rgb<u8>, t: f32) -> Rgb<u8> {
    let t = t.clamp(0.0, 1.0);
    Rgb([0, 1, 2].map(|i| (a.0[i] as f32 * (1.0 - t) + b.0[i] as f32 * t) as u8))
}

/// A 640 × 480 picture of the dish: a tablecloth, the vessel and the food, lit from the top left.
fn picture(look: Look, seed: i64) -> Vec<u8> {
    let (w, h) = (640u32, 480u32);
    let cloths = [0xe9_dc_c9, 0xd9_e4_e8, 0xe6_e0_d4, 0xdd_d6_c8, 0xe4_d4_cc];
    let cloth = rgb(cloths[(seed as usize) % cloths.len()]);
    let mut img = RgbImage::from_fn(w, h, |x, y| {
        // A soft check pattern on the cloth.
        let stripe = ((x / 40 + y / 40) % 2) as f32 * 0.04;
        mix(cloth, Rgb([255, 255, 255]), stripe)
    });
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0 + 10.0);
    let white = Rgb([250, 250, 248]);
    let shade =
        |x: f32, y: f32, r: f32| 1.0 - ((x - cx + r * 0.4).powi(2) + (y - cy + r * 0.4).powi(2)).sqrt() / (r * 2.4);
    for y in 0..h {
        for x in 0..w {
            let (fx, fy) = (x as f32, y as f32);
            let d = |rx: f32, ry: f32| ((fx - cx) / rx).powi(2) + ((fy - cy) / ry).powi(2);
            let shadow = ((fx - cx - 14.0) / 230.0).powi(2) + ((fy - cy - 18.0) / 175.0).powi(2);
            let px = img.get_pixel_mut(x, y);
            if shadow < 1.0 {
                *px = mix(*px, Rgb([60, 50, 40]), 0.18 * (1.0 - shadow));
            }
            let colour = match look {
                Look::Plate(food) => {
                    if d(200.0, 150.0) < 1.0 {
                        let rim = d(200.0, 150.0) > 0.78;
                        let food_here = d(130.0, 95.0) < 1.0 && !rim;
                        Some(if food_here {
                            mix(rgb(food), Rgb([255, 255, 255]), 0.25 * shade(fx, fy, 130.0))
                        } else {
                            white
                        })
                    } else {
                        None
                    }
                }
                Look::Bowl(food) => {
                    if d(175.0, 135.0) < 1.0 {
                        let inside = d(150.0, 112.0) < 1.0;
                        Some(if inside {
                            mix(rgb(food), Rgb([255, 240, 220]), 0.3 * shade(fx, fy, 150.0))
                        } else {
                            white
                        })
                    } else {
                        None
                    }
                }
                Look::Cup(drink) => {
                    let saucer = d(190.0, 140.0) < 1.0;
                    let cup = d(120.0, 90.0) < 1.0;
                    let handle = ((fx - cx - 135.0) / 30.0).powi(2) + ((fy - cy) / 22.0).powi(2) < 1.0;
                    if cup {
                        let surface = d(100.0, 74.0) < 1.0;
                        Some(if surface {
                            mix(rgb(drink), Rgb([255, 255, 255]), 0.35 * shade(fx, fy, 100.0))
                        } else {
                            white
                        })
                    } else if saucer || handle {
                        Some(mix(white, Rgb([200, 200, 200]), 0.2))
                    } else {
                        None
                    }
                }
                Look::Glass(drink) => {
                    let glass = (fx - cx).abs() < 95.0 - (fy - cy + 150.0) * 0.08 && (fy - cy).abs() < 160.0;
                    if glass {
                        let liquid = fy > cy - 110.0;
                        let base = if liquid { rgb(drink) } else { Rgb([235, 240, 242]) };
                        Some(mix(base, Rgb([255, 255, 255]), if (fx - cx + 55.0).abs() < 10.0 { 0.45 } else { 0.05 }))
                    } else {
                        None
                    }
                }
            };
            if let Some(c) = colour {
                *px = c;
            }
        }
    }
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png).expect("a PNG in memory");
    out.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_look_draws_a_picture() {
        for look in [Look::Bowl(0xa04a22), Look::Plate(0x3a8a3a), Look::Cup(0x3a2216), Look::Glass(0xf0b02a)] {
            let png = picture(look, 3);
            let image = image::load_from_memory(&png).unwrap();
            assert_eq!((image.width(), image.height()), (640, 480));
        }
    }
}
