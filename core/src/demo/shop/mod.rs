//! The demo mall's online shop: the category tree, the four storefronts' profiles and about forty
//! products with SKUs (prices, member prices, stock, one sold-out combination where there are
//! several), parameters, tags and descriptions. Products are seeded as drafts; [`draw_photos`]
//! (run by the seeding command with the storage service) draws each a picture, publishes it, and
//! arranges the mall home: featured products, two banners and the suggested searches.

use crate::audit::Actor;
use crate::shop::categories::{self, CategoryInput};
use crate::shop::photos::ProductPhotoKind;
use crate::shop::products::{self, InfoInput, NewProduct, SkuEdit};
use crate::shop::storefront::{self, ProfileInput};
use crate::shop::{curation, input, stock};
use crate::storage::Storage;
use crate::{Db, Result, Timestamp};
use image::{Rgb, RgbImage};
use plaza_types::dto::{CategoryId, ProductId, ProductStatus, SpecDim, StockReason};
use plaza_types::{Fen, StaffId, TenantId};
use std::collections::HashMap;

/// The tree: (name, English, icon, leaves as (name, English, icon)).
type Leaf = (&'static str, &'static str, &'static str);
const TREE: [(&str, &str, &str, &[Leaf]); 6] = [
    (
        "家居生活",
        "Home",
        "home",
        &[
            ("杯壶水具", "Cups & bottles", "cup"),
            ("厨房用品", "Kitchen", "kitchen"),
            ("床上用品", "Bedding", "bed"),
            ("家居装饰", "Decor", "home"),
            ("收纳整理", "Storage", "box"),
            ("居家日用", "Household", "home"),
        ],
    ),
    ("食品茶饮", "Food & drink", "cup", &[("咖啡茶饮", "Coffee & tea", "cup")]),
    ("花艺绿植", "Plants", "plant", &[("绿植花艺", "Plants & flowers", "plant")]),
    (
        "图书文具",
        "Books & stationery",
        "book",
        &[
            ("文学小说", "Fiction", "book"),
            ("童书绘本", "Children's books", "book"),
            ("社科人文", "Humanities", "book"),
            ("工具书", "Reference", "book"),
            ("文具", "Stationery", "pen"),
        ],
    ),
    (
        "数码电器",
        "Electronics",
        "phone",
        &[
            ("手机配件", "Phone accessories", "phone"),
            ("耳机音箱", "Audio", "headphones"),
            ("电脑外设", "Computer", "laptop"),
            ("摄影摄像", "Cameras", "camera"),
        ],
    ),
    ("礼品玩具", "Gifts & toys", "gift", &[("创意礼品", "Gifts", "gift"), ("益智玩具", "Toys", "toy")]),
];

/// How a product's picture is drawn.
#[derive(Clone, Copy)]
enum Look {
    /// A tall cylinder: cups, bottles, kettles.
    Bottle(u32),
    /// A book standing with its spine.
    Book(u32),
    /// A box or a flat package.
    Package(u32),
    /// A phone-shaped slab: cases, power banks, chargers.
    Slab(u32),
    /// A round thing: pillows, headphones, plants, pans.
    Round(u32),
    /// A folded textile: quilts, blankets, rugs.
    Fabric(u32),
}

struct Item {
    shop: &'static str,
    category: &'static str,
    code: &'static str,
    title: &'static str,
    subtitle: &'static str,
    tags: &'static str,
    params: &'static str,
    specs: &'static [(&'static str, &'static str)],
    /// Fen, for the first value of the last dimension.
    price: i64,
    /// Added for each later value of the last dimension.
    step: i64,
    /// The member price as a percentage of the price.
    member_pct: Option<i64>,
    stock: i64,
    look: Look,
    about: &'static str,
}

const fn item(
    shop: &'static str,
    category: &'static str,
    code: &'static str,
    title: &'static str,
    price: i64,
    look: Look,
) -> Item {
    Item {
        shop,
        category,
        code,
        title,
        subtitle: "",
        tags: "",
        params: "",
        specs: &[],
        price,
        step: 0,
        member_pct: None,
        stock: 30,
        look,
        about: "",
    }
}

use Look::{Book, Bottle, Fabric, Package, Round, Slab};

const ITEMS: [Item; 41] = [
    // 家物集: kitchen, cups, storage, coffee and tea.
    Item {
        subtitle: "12小时保温 一键开盖 316内胆",
        tags: "保温杯 新品",
        params: "材质：316不锈钢\n保温时长：12小时\n产地：浙江永康",
        specs: &[("颜色", "雾白,墨黑,樱花粉"), ("容量", "350ml,500ml")],
        step: 1000,
        member_pct: Some(90),
        about: "真空双层不锈钢，冬天的热茶到下午还烫口。杯盖可拆洗，放进通勤包也不漏。",
        ..item("homegoods", "杯壶水具", "HG-CUP500", "不锈钢保温杯 大容量 500ml", 8900, Bottle(0xd8d4cc))
    },
    Item {
        subtitle: "现磨现封 每包10g",
        tags: "咖啡 办公室",
        params: "净含量：10g×10包\n烘焙度：中度烘焙\n保质期：12个月",
        specs: &[("口味", "哥伦比亚,埃塞俄比亚,意式拼配")],
        member_pct: Some(85),
        about: "挂在杯沿，热水慢慢注入，两分钟一杯手冲。",
        ..item("homegoods", "咖啡茶饮", "HG-DRIP", "精品挂耳咖啡 10包装", 5900, Package(0x6b4226))
    },
    Item {
        subtitle: "少油烟 电磁炉燃气通用",
        params: "材质：铝合金 麦饭石涂层\n适用炉灶：燃气灶、电磁炉",
        specs: &[("尺寸", "28cm,30cm,32cm")],
        step: 2000,
        ..item("homegoods", "厨房用品", "HG-PAN", "麦饭石不粘炒锅", 19900, Round(0x3b3b3b))
    },
    Item {
        subtitle: "主厨刀 面包刀 水果刀 剪刀 刀座",
        params: "材质：德国1.4116钢\n件数：5件",
        member_pct: Some(88),
        ..item("homegoods", "厨房用品", "HG-KNIFE", "德式不锈钢刀具五件套", 29900, Package(0x8a8f96))
    },
    Item {
        subtitle: "明火可煮 带不锈钢滤网",
        specs: &[("容量", "1.0L,1.2L,1.5L")],
        step: 1000,
        ..item("homegoods", "杯壶水具", "HG-TEAPOT", "耐热玻璃茶壶", 6900, Bottle(0xe4eef0))
    },
    Item {
        subtitle: "可叠加 带滑轮",
        tags: "收纳",
        specs: &[("颜色", "透明,奶白"), ("规格", "小号,中号,大号")],
        step: 1000,
        ..item("homegoods", "收纳整理", "HG-BOX", "透明可叠加收纳箱", 2900, Package(0xdfe8ec))
    },
    Item {
        subtitle: "手工釉色 每只都不一样",
        specs: &[("颜色", "青瓷,米黄")],
        ..item("homegoods", "杯壶水具", "HG-MUG", "陶瓷马克杯 情侣款", 3900, Bottle(0x9fc4b4))
    },
    Item {
        subtitle: "1.7L 自动断电 防干烧",
        params: "容量：1.7L\n功率：1800W\n内胆：304不锈钢",
        specs: &[("颜色", "白色,黑色")],
        member_pct: Some(90),
        ..item("homegoods", "厨房用品", "HG-KETTLE", "电热水壶 304不锈钢", 15900, Bottle(0xf2f2f2))
    },
    Item {
        subtitle: "三层 可微波 带餐具",
        specs: &[("颜色", "湖蓝,樱粉,薄荷绿")],
        ..item("homegoods", "厨房用品", "HG-BENTO", "便当盒 三层", 4900, Package(0x8fc1d4))
    },
    Item {
        subtitle: "勐海古树春茶 357g",
        params: "产地：云南勐海\n净含量：357g\n年份：2019",
        member_pct: Some(90),
        ..item("homegoods", "咖啡茶饮", "HG-PUER", "云南古树普洱茶饼", 16800, Round(0x7a5230))
    },
    // 暖暖生活馆: bedding, decor, plants.
    Item {
        subtitle: "100支长绒棉 亲肤透气",
        tags: "床品 新品",
        params: "面料：100%新疆长绒棉\n件数：被套、床单、枕套×2",
        specs: &[("颜色", "燕麦色,雾霾蓝,樱粉"), ("尺寸", "1.5m床,1.8m床")],
        step: 10000,
        member_pct: Some(88),
        about: "洗过之后越睡越软。燕麦色、雾霾蓝和樱粉，三种颜色都好搭。",
        ..item("cozy", "床上用品", "CZ-SHEETS", "新疆长绒棉四件套", 39900, Fabric(0xd9cbb4))
    },
    Item {
        subtitle: "泰国天然乳胶 护颈",
        specs: &[("高度", "低枕,中枕")],
        ..item("cozy", "床上用品", "CZ-PILLOW", "天然乳胶枕头", 16900, Round(0xf4f0e6))
    },
    Item {
        subtitle: "加厚 不掉毛",
        specs: &[("尺寸", "150×200,180×220")],
        step: 3000,
        ..item("cozy", "床上用品", "CZ-BLANKET", "珊瑚绒毛毯", 9900, Fabric(0xb7c6d9))
    },
    Item {
        subtitle: "大豆蜡 燃烧40小时",
        tags: "礼物 香薰",
        specs: &[("香味", "白茶,雪松,无花果")],
        member_pct: Some(90),
        ..item("cozy", "家居装饰", "CZ-CANDLE", "香薰蜡烛礼盒", 12800, Bottle(0xefe2cf))
    },
    Item {
        specs: &[("颜色", "白色,灰色"), ("尺寸", "小号,大号")],
        step: 2000,
        ..item("cozy", "家居装饰", "CZ-VASE", "北欧陶瓷花瓶", 5900, Bottle(0xcfd2d4))
    },
    Item {
        subtitle: "净化空气 好养活",
        tags: "绿植",
        specs: &[("规格", "小盆,中盆,大盆")],
        step: 5000,
        ..item("cozy", "绿植花艺", "CZ-MONSTERA", "龟背竹 客厅大型绿植", 8800, Round(0x3f7d4a))
    },
    Item {
        subtitle: "6株不重样 送陶盆",
        ..item("cozy", "绿植花艺", "CZ-SUCCULENT", "多肉植物组合", 3900, Round(0x7fae7a))
    },
    Item {
        subtitle: "防滑静音 四季可穿",
        specs: &[("颜色", "米白,浅灰"), ("尺码", "36-37,38-39,40-41,42-43")],
        ..item("cozy", "居家日用", "CZ-SLIPPER", "居家拖鞋", 3900, Fabric(0xe8e2d6))
    },
    Item {
        specs: &[("尺寸", "120×170,160×230")],
        step: 10000,
        ..item("cozy", "家居装饰", "CZ-RUG", "棉麻客厅地毯", 19900, Fabric(0xc9b79c))
    },
    Item {
        specs: &[("香味", "白茶,柑橘")],
        ..item("cozy", "家居装饰", "CZ-DIFFUSER", "无火香薰 藤条扩香", 6800, Bottle(0xd8c7a8))
    },
    // 书香阁: books and stationery.
    Item {
        subtitle: "刘慈欣 雨果奖获奖作品",
        tags: "科幻 畅销",
        params: "作者：刘慈欣\n出版社：重庆出版社\n册数：3册",
        specs: &[("版本", "平装,精装")],
        step: 6000,
        member_pct: Some(85),
        about: "地球往事三部曲，一套读完。",
        ..item("bookworm", "文学小说", "BW-3BODY", "三体 全集", 9300, Book(0x1d2a44))
    },
    Item {
        subtitle: "余华 代表作",
        params: "作者：余华\n出版社：作家出版社",
        ..item("bookworm", "文学小说", "BW-ALIVE", "活着", 3500, Book(0x9a2f2a))
    },
    Item {
        subtitle: "中英双语 附赠音频",
        ..item("bookworm", "童书绘本", "BW-PRINCE", "小王子 绘本", 3900, Book(0x2f5f8a))
    },
    Item {
        subtitle: "洞洞书 0-3岁",
        ..item("bookworm", "童书绘本", "BW-CATERPILLAR", "好饿的毛毛虫", 2980, Book(0x4c9a3a))
    },
    Item {
        subtitle: "顺滑速干 0.5mm",
        tags: "文具 学生",
        specs: &[("颜色", "黑色,蓝色,红色,绿色")],
        ..item("bookworm", "文具", "BW-JUICE", "百乐 JUICE 果汁笔", 800, Slab(0x222222))
    },
    Item {
        subtitle: "A5 点阵 192页",
        specs: &[("颜色", "牛皮,藏青,墨绿")],
        ..item("bookworm", "文具", "BW-NOTEBOOK", "手账本 A5", 3600, Book(0xa9815a))
    },
    Item {
        specs: &[("笔尖", "EF,F")],
        ..item("bookworm", "文具", "BW-FOUNTAIN", "英雄 616 钢笔", 2500, Slab(0x1f3b2c))
    },
    Item {
        subtitle: "第12版 双色本", ..item("bookworm", "工具书", "BW-DICT", "新华字典", 2990, Book(0xb2302c))
    },
    Item {
        subtitle: "尤瓦尔·赫拉利",
        member_pct: Some(90),
        ..item("bookworm", "社科人文", "BW-SAPIENS", "人类简史 从动物到上帝", 6800, Book(0xd6b04c))
    },
    Item {
        specs: &[("款式", "银杏,竹叶")],
        ..item("bookworm", "创意礼品", "BW-BOOKMARK", "黄铜书签 礼盒装", 4800, Slab(0xc9a24a))
    },
    // 极客数码: phone accessories, audio, computer.
    Item {
        subtitle: "透明防摔 不发黄",
        tags: "手机壳 苹果",
        params: "适用机型：iPhone 15 系列\n材质：TPU+PC",
        specs: &[("型号", "iPhone 15,iPhone 15 Pro,iPhone 15 Pro Max"), ("颜色", "透明,磨砂黑")],
        about: "四角气囊，1.5 米跌落不碎屏。支持 MagSafe 磁吸。",
        ..item("geek", "手机配件", "GK-CASE15", "iPhone 15 手机壳", 4900, Slab(0x9fb8d6))
    },
    Item {
        subtitle: "旗舰降噪 30小时续航",
        tags: "耳机 降噪",
        params: "型号：WH-1000XM5\n续航：30小时\n连接：蓝牙5.2",
        specs: &[("颜色", "黑色,铂金银")],
        member_pct: Some(95),
        ..item("geek", "耳机音箱", "GK-XM5", "索尼 WH-1000XM5 头戴式降噪耳机", 249900, Round(0x2b2b2b))
    },
    Item {
        subtitle: "主动降噪 蓝牙5.2",
        tags: "耳机",
        specs: &[("颜色", "星光白,曜石黑,海岛蓝")],
        ..item("geek", "耳机音箱", "GK-BUDS", "华为 FreeBuds 5i 蓝牙耳机", 44900, Round(0xf0f0f0))
    },
    Item {
        subtitle: "氮化镓 小巧不烫手",
        tags: "充电器 快充",
        specs: &[("接口", "2C1A,3C1A")],
        step: 3000,
        ..item("geek", "手机配件", "GK-GAN65", "65W 氮化镓快充充电器", 12900, Package(0xf5f5f5))
    },
    Item {
        specs: &[("长度", "1米,2米")],
        step: 1000,
        ..item("geek", "手机配件", "GK-CABLE", "USB-C 编织数据线", 2900, Slab(0x5a5a5a))
    },
    Item {
        subtitle: "22.5W 双向快充",
        specs: &[("颜色", "白色,黑色")],
        member_pct: Some(90),
        ..item("geek", "手机配件", "GK-POWER", "20000mAh 移动电源", 15900, Slab(0xe6e6e6))
    },
    Item {
        subtitle: "87键 热插拔 三模",
        specs: &[("轴体", "红轴,茶轴,青轴")],
        ..item("geek", "电脑外设", "GK-KB87", "机械键盘", 29900, Package(0x30343a))
    },
    Item {
        specs: &[("颜色", "石墨黑,珍珠白")],
        ..item("geek", "电脑外设", "GK-MX3S", "罗技 MX Master 3S 无线鼠标", 69900, Round(0x3c3f44))
    },
    Item {
        subtitle: "Type-C 读速1050MB/s",
        specs: &[("容量", "500GB,1TB,2TB")],
        step: 30000,
        ..item("geek", "电脑外设", "GK-SSD", "移动固态硬盘", 39900, Slab(0x4a5560))
    },
    Item {
        subtitle: "IP67防水 便携",
        specs: &[("颜色", "黑色,蓝色")],
        ..item("geek", "耳机音箱", "GK-SPEAKER", "小米蓝牙音箱", 19900, Bottle(0x2e4a7a))
    },
    Item {
        subtitle: "全屏覆盖 2片装",
        specs: &[("型号", "iPhone 15,iPhone 15 Pro")],
        ..item("geek", "手机配件", "GK-FILM15", "iPhone 15 钢化膜", 1990, Slab(0xcfe3f0))
    },
];

/// The storefronts' profiles: (shop, name, introduction, hours, delivers).
const PROFILES: [(&str, &str, &str, &str, bool); 4] = [
    ("homegoods", "家物集", "厨房、杯壶和收纳的好物小店，也卖咖啡和茶。", "10:00-22:00", true),
    ("cozy", "暖暖生活馆", "床品、香薰和绿植，让家里暖一点。", "10:00-22:00", true),
    ("bookworm", "书香阁", "新书、童书和文具。周末有亲子读书会。", "09:30-21:30", false),
    ("geek", "极客数码", "手机配件、耳机音箱、电脑外设，支持到店自提。", "10:00-22:00", true),
];

async fn owner_of(db: &Db, shop: &str) -> Result<StaffId> {
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM staff WHERE username = $1")
        .bind(format!("{shop}.owner"))
        .fetch_one(db.pool())
        .await?;
    Ok(StaffId(id))
}

/// Seeds the category tree, the storefront profiles and the products (as drafts).
pub(super) async fn seed(db: &Db, ids: &HashMap<&'static str, TenantId>, now: Timestamp) -> Result<()> {
    let system = Actor::System;
    let mut leaves: HashMap<&str, CategoryId> = HashMap::new();
    for (sort, (zh, en, icon, children)) in TREE.iter().enumerate() {
        let input = CategoryInput {
            parent: None,
            name_zh: zh.to_string(),
            name_en: en.to_string(),
            icon: icon.to_string(),
            sort: sort as i64,
        };
        let parent = categories::create(db, &input, &system, now).await?;
        for (i, (zh, en, icon)) in children.iter().enumerate() {
            let input = CategoryInput {
                parent: Some(parent),
                name_zh: zh.to_string(),
                name_en: en.to_string(),
                icon: icon.to_string(),
                sort: i as i64,
            };
            leaves.insert(zh, categories::create(db, &input, &system, now).await?);
        }
    }
    for (shop, name, intro, hours, delivers) in PROFILES {
        let tenant = ids[shop];
        let unit: (String,) =
            sqlx::query_as("SELECT unit_no FROM tenants WHERE id = $1").bind(tenant.0).fetch_one(db.pool()).await?;
        let profile = ProfileInput {
            name: name.into(),
            intro: intro.into(),
            opening_hours: hours.into(),
            pickup_unit: unit.0,
            delivers,
        };
        storefront::update(db, tenant, &profile, &system, now).await?;
    }
    for item in &ITEMS {
        seed_item(db, ids[item.shop], leaves[item.category], item, now).await?;
    }
    Ok(())
}

async fn seed_item(db: &Db, tenant: TenantId, category: CategoryId, item: &Item, now: Timestamp) -> Result<()> {
    let by = owner_of(db, item.shop).await?;
    let rows: Vec<(String, String)> = item.specs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    let specs: Vec<SpecDim> = input::specs(&rows)?;
    let new = NewProduct {
        title: item.title.into(),
        code: item.code.into(),
        category,
        specs: specs.clone(),
        price: Fen(item.price).yuan_input(),
        stock: item.stock.to_string(),
    };
    let id = products::create(db, tenant, &new, by, now).await?;
    let info = InfoInput {
        title: item.title.into(),
        subtitle: item.subtitle.into(),
        code: item.code.into(),
        category,
        tags: input::tags(item.tags)?,
        params: input::params(item.params)?,
    };
    products::update_info(db, tenant, id, &info, now).await?;
    if !item.about.is_empty() {
        products::set_description(db, tenant, id, &format!("<p>{}</p>", item.about), now).await?;
    }
    let product = products::console_get(db, tenant, id).await?;
    let last = specs.last().map(|d| d.values.clone()).unwrap_or_default();
    let edits: Vec<SkuEdit> = product
        .skus
        .iter()
        .map(|sku| {
            let step = sku.values.last().and_then(|v| last.iter().position(|l| l == v)).unwrap_or(0) as i64;
            let price = item.price + step * item.step;
            SkuEdit {
                id: sku.id,
                price: Fen(price).yuan_input(),
                member_price: item.member_pct.map(|pct| Fen(price * pct / 100).yuan_input()).unwrap_or_default(),
                barcode: String::new(),
                photo_id: None,
                enabled: true,
            }
        })
        .collect();
    products::update_skus(db, tenant, id, &edits, now).await?;
    // Where there is a choice, the last combination has sold out: the picker shows it.
    if let (true, Some(last)) = (product.skus.len() > 1, product.skus.last()) {
        let delta = format!("-{}", last.stock);
        stock::adjust(db, tenant, last.id, &delta, StockReason::Count, "", by, now).await?;
    }
    Ok(())
}

/// Draws a picture for every demo product that has none and puts it on sale, then arranges the
/// mall home (featured products, banners and suggested searches) if nobody has yet. Run after
/// seeding; again it does nothing. Returns how many pictures it drew.
pub async fn draw_photos(db: &Db, storage: &Storage, now: Timestamp) -> Result<usize> {
    let mut drawn = 0;
    for (n, item) in ITEMS.iter().enumerate() {
        let row: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT p.id, p.tenant_id, p.status FROM shop_products p JOIN tenants t ON t.id = p.tenant_id \
             WHERE t.code = $1 AND p.code = $2 \
             AND NOT EXISTS (SELECT 1 FROM shop_product_photos f WHERE f.product_id = p.id)",
        )
        .bind(item.shop)
        .bind(item.code)
        .fetch_optional(db.pool())
        .await?;
        let Some((id, tenant, status)) = row else { continue };
        let (tenant, id) = (TenantId(tenant), ProductId(id));
        let look = item.look;
        let png = tokio::task::spawn_blocking(move || picture(look, n as u32))
            .await
            .map_err(|e| crate::Error::internal(format!("drawing a product: {e}")))?;
        crate::shop::photos::add_to_product(db, storage, tenant, id, ProductPhotoKind::Gallery, png, now).await?;
        drawn += 1;
        if status == ProductStatus::Draft.as_str() {
            products::publish(db, tenant, id, now).await?;
        }
    }
    arrange_home(db, storage, now).await?;
    Ok(drawn)
}

const FEATURED: [&str; 6] = ["HG-CUP500", "CZ-SHEETS", "GK-XM5", "BW-3BODY", "HG-DRIP", "GK-CASE15"];

async fn arrange_home(db: &Db, storage: &Storage, now: Timestamp) -> Result<()> {
    let (admin,): (i64,) = sqlx::query_as("SELECT id FROM staff WHERE username = 'admin'").fetch_one(db.pool()).await?;
    let admin = StaffId(admin);
    let (featured,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM shop_featured").fetch_one(db.pool()).await?;
    if featured == 0 {
        for code in FEATURED {
            let found: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM shop_products WHERE code = $1 AND status = 'published'")
                    .bind(code)
                    .fetch_optional(db.pool())
                    .await?;
            if let Some((id,)) = found {
                curation::set_featured(db, ProductId(id), true, admin, now).await?;
            }
        }
    }
    if curation::banners(db, true).await?.is_empty() {
        let warm: Option<(i64,)> = sqlx::query_as("SELECT id FROM shop_categories WHERE name_zh = '床上用品'")
            .fetch_optional(db.pool())
            .await?;
        let warm_link = warm.map(|(id,)| format!("/mall/c/{id}")).unwrap_or_else(|| "/mall".into());
        for (title, link, colours) in [
            ("冬日暖心好物", warm_link.as_str(), (0xe07a5f, 0xf2cc8f)),
            ("数码焕新季", "/mall/s/geek", (0x3d5a80, 0x98c1d9)),
        ] {
            let png = tokio::task::spawn_blocking(move || banner(colours.0, colours.1))
                .await
                .map_err(|e| crate::Error::internal(format!("drawing a banner: {e}")))?;
            curation::add_banner(db, storage, title, link, png, admin, now).await?;
        }
    }
    if curation::hot_words(db).await?.is_empty() {
        curation::set_hot_words(db, "保温杯 咖啡 手机壳 降噪耳机 四件套 绘本", admin, now).await?;
    }
    Ok(())
}

fn rgb(hex: u32) -> Rgb<u8> {
    Rgb([(hex >> 16) as u8, (hex >> 8) as u8, hex as u8])
}

fn mix(a: Rgb<u8>, b: Rgb<u8>, t: f32) -> Rgb<u8> {
    let t = t.clamp(0.0, 1.0);
    Rgb([0, 1, 2].map(|i| (a.0[i] as f32 * (1.0 - t) + b.0[i] as f32 * t) as u8))
}

fn png(img: RgbImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Png).expect("a PNG in memory");
    out.into_inner()
}

/// A 600 × 600 studio picture: a soft backdrop, a shadow and the product's shape, lit from the
/// top left.
fn picture(look: Look, seed: u32) -> Vec<u8> {
    let (w, h) = (600u32, 600u32);
    let backdrops = [0xf3_ee_e7, 0xe9_ef_f2, 0xf0_ec_f4, 0xee_f2_ea, 0xf5_ef_e6];
    let back = rgb(backdrops[seed as usize % backdrops.len()]);
    let (cx, cy) = (300.0f32, 310.0f32);
    let img = RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let mut px = mix(back, Rgb([255, 255, 255]), 1.0 - fy / h as f32 * 0.6);
        let shadow = ((fx - cx - 16.0) / 200.0).powi(2) + ((fy - 500.0) / 36.0).powi(2);
        if shadow < 1.0 {
            px = mix(px, Rgb([70, 60, 50]), 0.25 * (1.0 - shadow));
        }
        let light = |colour: u32, t: f32| mix(rgb(colour), Rgb([255, 255, 255]), t);
        let shaded = |colour: u32, dx: f32| mix(rgb(colour), Rgb([0, 0, 0]), 0.25 * dx.clamp(0.0, 1.0));
        let shape = match look {
            Look::Bottle(c) => {
                let body = (fx - cx).abs() < 95.0 && fy > 150.0 && fy < 500.0;
                let lid = (fx - cx).abs() < 80.0 && fy > 110.0 && fy <= 150.0;
                if lid {
                    Some(shaded(c, 0.8))
                } else if body {
                    let t = (fx - cx + 95.0) / 190.0;
                    Some(if (t - 0.25).abs() < 0.05 { light(c, 0.5) } else { shaded(c, t) })
                } else {
                    None
                }
            }
            Look::Book(c) => {
                let cover = fx > 180.0 && fx < 430.0 && fy > 130.0 && fy < 500.0;
                let spine = fx > 160.0 && fx <= 180.0 && fy > 135.0 && fy < 500.0;
                let band = cover && fy > 380.0 && fy < 410.0;
                if spine {
                    Some(shaded(c, 0.9))
                } else if band {
                    Some(light(c, 0.7))
                } else if cover {
                    Some(shaded(c, (fx - 180.0) / 500.0))
                } else {
                    None
                }
            }
            Look::Package(c) => {
                let front = fx > 150.0 && fx < 400.0 && fy > 230.0 && fy < 500.0;
                let top = fy > 170.0 && fy <= 230.0 && fx > 150.0 + (230.0 - fy) && fx < 400.0 + (230.0 - fy);
                let side = (400.0..460.0).contains(&fx) && fy > 230.0 - (fx - 400.0) && fy < 500.0 - (fx - 400.0);
                if front {
                    Some(rgb(c))
                } else if top {
                    Some(light(c, 0.35))
                } else if side {
                    Some(shaded(c, 1.0))
                } else {
                    None
                }
            }
            Look::Slab(c) => {
                let (dx, dy) = ((fx - cx).abs() - 90.0, (fy - 310.0).abs() - 180.0);
                let corner = dx > 0.0 && dy > 0.0 && dx * dx + dy * dy > 400.0;
                let inside = (fx - cx).abs() < 110.0 && (fy - 310.0).abs() < 200.0 && !corner;
                let lens = ((fx - 240.0).powi(2) + (fy - 170.0).powi(2)).sqrt() < 22.0;
                if lens {
                    Some(Rgb([40, 40, 44]))
                } else if inside {
                    Some(shaded(c, (fx - cx + 110.0) / 400.0))
                } else {
                    None
                }
            }
            Look::Round(c) => {
                let d = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt();
                (d < 180.0).then(|| {
                    let lit = ((fx - cx + 70.0).powi(2) + (fy - cy + 70.0).powi(2)).sqrt() / 320.0;
                    mix(light(c, 0.3), rgb(c), lit)
                })
            }
            Look::Fabric(c) => {
                let layer = ((fy - 200.0) / 60.0).floor();
                let inside = fx > 110.0 && fx < 490.0 && fy > 200.0 && fy < 500.0;
                inside.then(|| if (fy - 200.0) % 60.0 < 8.0 { shaded(c, 0.8) } else { light(c, 0.05 * layer) })
            }
        };
        shape.unwrap_or(px)
    });
    png(img)
}

/// A 1,200 × 480 banner: a diagonal gradient with a few soft circles.
fn banner(from: u32, to: u32) -> Vec<u8> {
    let (w, h) = (1200u32, 480u32);
    let img = RgbImage::from_fn(w, h, |x, y| {
        let t = (x as f32 / w as f32) * 0.7 + (y as f32 / h as f32) * 0.3;
        let mut px = mix(rgb(from), rgb(to), t);
        for (cx, cy, r) in [(980.0f32, 120.0f32, 160.0f32), (1100.0, 400.0, 110.0), (160.0, 430.0, 90.0)] {
            if ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt() < r {
                px = mix(px, Rgb([255, 255, 255]), 0.18);
            }
        }
        px
    });
    png(img)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shop::browse;
    use plaza_types::dto::{BrowseFilter, Sort};

    #[test]
    fn every_look_draws_a_picture() {
        for look in [Bottle(1), Book(2), Package(3), Slab(4), Round(5), Fabric(6)] {
            let image = image::load_from_memory(&picture(look, 1)).unwrap();
            assert_eq!((image.width(), image.height()), (600, 600));
        }
        assert_eq!(image::load_from_memory(&banner(0, 0xffffff)).unwrap().width(), 1200);
    }

    #[test]
    fn every_item_fits_the_tree_and_its_shop() {
        let leaves: Vec<&str> = TREE.iter().flat_map(|(_, _, _, l)| l.iter().map(|(n, _, _)| *n)).collect();
        for item in &ITEMS {
            assert!(leaves.contains(&item.category), "{}", item.code);
            assert!(PROFILES.iter().any(|p| p.0 == item.shop), "{}", item.code);
        }
        for (shop, ..) in PROFILES {
            assert!(ITEMS.iter().filter(|i| i.shop == shop).count() >= 8, "{shop}");
        }
    }

    /// The whole demo seeding with photos: every product is on sale with its SKUs, the home is
    /// arranged, and shoppers' words find the products (on both databases).
    #[tokio::test]
    async fn the_demo_mall_has_a_shop_to_browse() {
        let db = crate::testing::test_db().await;
        let now = Timestamp::now();
        assert!(super::super::seed(&db, now).await.unwrap());
        let dir = std::env::temp_dir().join(format!("plaza-demo-shop-{}", rand::random::<u64>()));
        let storage = Storage::local(dir.clone()).unwrap();
        assert_eq!(draw_photos(&db, &storage, now).await.unwrap(), ITEMS.len());
        assert_eq!(draw_photos(&db, &storage, now).await.unwrap(), 0, "a second run draws nothing");
        let home = browse::home(&db).await.unwrap();
        assert_eq!(home.featured.len(), FEATURED.len());
        assert_eq!(home.banners.len(), 2);
        assert!(!home.hot_words.is_empty());
        assert_eq!(home.storefronts.iter().filter(|s| s.products >= 8).count(), 4);
        for (words, expected) in [
            ("保温杯", "不锈钢保温杯 大容量 500ml"),
            ("咖啡", "精品挂耳咖啡 10包装"),
            ("iPhone 15 手机壳", "iPhone 15 手机壳"),
            ("WH-1000XM5", "索尼 WH-1000XM5 头戴式降噪耳机"),
            ("暖暖生活馆", "新疆长绒棉四件套"),
        ] {
            let filter =
                BrowseFilter { query: words.into(), sort: Sort::Relevance, page: 1, ..BrowseFilter::default() };
            let page = browse::browse(&db, &filter).await.unwrap();
            assert!(page.items.iter().any(|p| p.title == expected), "{words}: {:?}", page.items);
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
