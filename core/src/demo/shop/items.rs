//! The demo shop's table: the category tree, the products (with how each is drawn) and the
//! storefronts' profiles and pictures.

use super::pictures::Mark;

/// The tree: (name, English, icon, leaves as (name, English, icon)).
pub(super) type Leaf = (&'static str, &'static str, &'static str);
pub(super) const TREE: [(&str, &str, &str, &[Leaf]); 6] = [
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
pub(super) enum Look {
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

pub(super) struct Item {
    pub shop: &'static str,
    pub category: &'static str,
    pub code: &'static str,
    pub title: &'static str,
    pub subtitle: &'static str,
    pub tags: &'static str,
    pub params: &'static str,
    pub specs: &'static [(&'static str, &'static str)],
    /// Fen, for the first value of the last dimension.
    pub price: i64,
    /// Added for each later value of the last dimension.
    pub step: i64,
    /// The member price as a percentage of the price.
    pub member_pct: Option<i64>,
    pub stock: i64,
    pub look: Look,
    pub about: &'static str,
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

pub(super) use Look::{Book, Bottle, Fabric, Package, Round, Slab};

pub(super) const ITEMS: [Item; 41] = [
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
pub(super) const PROFILES: [(&str, &str, &str, &str, bool); 4] = [
    ("homegoods", "家物集", "厨房、杯壶和收纳的好物小店，也卖咖啡和茶。", "10:00-22:00", true),
    ("cozy", "暖暖生活馆", "床品、香薰和绿植，让家里暖一点。", "10:00-22:00", true),
    ("bookworm", "书香阁", "新书、童书和文具。周末有亲子读书会。", "09:30-21:30", false),
    ("geek", "极客数码", "手机配件、耳机音箱、电脑外设，支持到店自提。", "10:00-22:00", true),
];

/// How each storefront's logo and banner are drawn: (shop, logo mark, logo colour, banner colours).
pub(super) const STOREFRONT_LOOKS: [(&str, Mark, u32, (u32, u32)); 4] = [
    ("homegoods", Mark::Cup, 0x81b29a, (0x81b29a, 0xf2cc8f)),
    ("cozy", Mark::House, 0xe07a5f, (0xe07a5f, 0xf4d6c6)),
    ("bookworm", Mark::Book, 0x3d405b, (0x3d405b, 0xa8b5d1)),
    ("geek", Mark::Chip, 0x3d5a80, (0x293241, 0x98c1d9)),
];
