//! Real product titles as Chinese shops write them (brands, models, sizes, Latin and Chinese
//! mixed), the leaf category each sits in, and searches a shopper would type to find each.

/// (title, category, sold by the electronics shop rather than the home shop, searches).
pub const TITLES: [(&str, &str, bool, &[&str]); 36] = [
    ("304不锈钢保温杯 500ml 男女学生便携水杯", "杯壶", false, &["保温杯", "不锈钢保温杯", "水杯", "500ml", "杯"]),
    ("象印不锈钢真空保温杯 480ml 男女通用 SM-SA48", "杯壶", false, &["保温杯", "象印", "SM-SA48", "sa48"]),
    ("膳魔师 THERMOS 保温壶 1.5L 家用大容量暖水瓶", "杯壶", false, &["保温壶", "膳魔师", "thermos", "暖水瓶"]),
    ("三顿半 超即溶精品咖啡 3号 中度烘焙 12颗装", "咖啡", false, &["咖啡", "三顿半", "精品咖啡", "即溶"]),
    ("隅田川 挂耳咖啡 意式拼配 10g×30包", "咖啡", false, &["咖啡", "挂耳咖啡", "挂耳", "隅田川"]),
    ("雀巢 Nescafe 1+2 原味速溶咖啡 15g×30条", "咖啡", false, &["速溶咖啡", "雀巢", "nescafe", "咖啡"]),
    (
        "Apple iPhone 15 Pro 磁吸透明手机壳 MagSafe 防摔",
        "手机配件",
        true,
        &["iPhone 15 手机壳", "手机壳", "magsafe", "iphone15"],
    ),
    ("倍思 Baseus 65W 氮化镓充电器 GaN 三口快充", "手机配件", true, &["充电器", "65W", "氮化镓", "baseus"]),
    ("小米 Xiaomi 充电宝 20000mAh 22.5W 快充移动电源", "手机配件", true, &["充电宝", "移动电源", "20000mAh", "小米"]),
    ("索尼 WH-1000XM5 头戴式无线降噪耳机", "耳机音箱", true, &["降噪耳机", "1000XM5", "索尼 耳机", "WH-1000XM5"]),
    ("华为 FreeBuds Pro 3 真无线蓝牙耳机", "耳机音箱", true, &["蓝牙耳机", "freebuds", "华为耳机"]),
    ("罗技 MX Master 3S 无线蓝牙鼠标 静音", "电脑外设", true, &["鼠标", "mx master", "罗技"]),
    ("《三体》全集 刘慈欣 科幻小说 重庆出版社", "小说", false, &["三体", "刘慈欣", "科幻小说"]),
    ("活着 余华 作家出版社 2012新版", "小说", false, &["余华", "活着"]),
    ("百年孤独 加西亚·马尔克斯 南海出版公司", "小说", false, &["百年孤独", "马尔克斯"]),
    ("得力 deli 33338 中性笔 0.5mm 黑色 12支装", "文具", false, &["中性笔", "得力", "0.5mm", "deli"]),
    ("国誉 KOKUYO 活页本 B5 方格 80页", "文具", false, &["活页本", "国誉", "kokuyo b5"]),
    ("宜家 IKEA 365+ 玻璃保鲜盒 带盖 1.8L", "厨具", false, &["保鲜盒", "宜家", "ikea"]),
    ("苏泊尔 不粘锅 炒锅 32cm 家用燃气电磁炉通用", "厨具", false, &["不粘锅", "炒锅", "苏泊尔", "32cm"]),
    ("双立人 Zwilling 刀具套装 不锈钢菜刀五件套", "厨具", false, &["刀具", "菜刀", "双立人"]),
    ("水星家纺 纯棉四件套 1.8m床 床单被套", "床品", false, &["四件套", "纯棉", "家纺"]),
    ("富安娜 泰国天然乳胶枕 护颈枕", "床品", false, &["乳胶枕", "枕", "富安娜"]),
    ("南极人 珊瑚绒毛毯 加厚冬季午睡毯", "床品", false, &["毛毯", "珊瑚绒", "午睡毯"]),
    ("小熊 Bear 电热饭盒 上班族可插电加热", "家电", false, &["饭盒", "小熊", "电热饭盒"]),
    ("九阳 Joyoung 豆浆机 DJ13B-D08D 家用全自动", "家电", false, &["豆浆机", "九阳", "DJ13B"]),
    ("飞利浦 Philips 电动牙刷 HX6730 声波震动", "家电", false, &["电动牙刷", "HX6730", "飞利浦"]),
    ("戴森 Dyson V12 Detect Slim 无线吸尘器", "家电", false, &["吸尘器", "dyson v12", "戴森"]),
    ("乐高 LEGO 42115 兰博基尼 机械组拼插积木", "积木", false, &["乐高", "积木", "42115", "兰博基尼"]),
    ("泡泡玛特 POP MART Molly 盲盒手办", "潮玩", false, &["盲盒", "泡泡玛特", "pop mart", "molly"]),
    ("无印良品 MUJI 超声波香薰机 加湿器", "家电", false, &["香薰机", "无印良品", "muji", "加湿器"]),
    ("龟背竹 大盆栽 客厅室内绿植", "绿植", false, &["龟背竹", "盆栽", "绿植"]),
    ("多肉植物组合盆栽 办公桌桌面绿植", "绿植", false, &["多肉", "绿植", "盆栽"]),
    ("Kindle Paperwhite 5 电子书阅读器 6.8英寸墨水屏", "电脑外设", true, &["kindle", "阅读器", "墨水屏", "电子书"]),
    ("闪迪 SanDisk 128GB TF卡 内存卡 A2 U3", "存储", true, &["内存卡", "128GB", "闪迪", "tf卡"]),
    ("绿联 Type-C 扩展坞 USB-C转HDMI拓展坞", "电脑外设", true, &["扩展坞", "type-c", "hdmi", "绿联"]),
    ("ＡＢＣ全角 Ｔ恤 纯棉短袖", "床品", false, &["abc", "t恤", "Ｔ恤"]),
];

/// Searches that must not find a title (words that look alike but are other things).
pub const NOT_FOUND: [(&str, &str); 6] = [
    ("保温杯", "膳魔师 THERMOS 保温壶 1.5L 家用大容量暖水瓶"),
    ("咖啡", "304不锈钢保温杯 500ml 男女学生便携水杯"),
    ("保温壶", "304不锈钢保温杯 500ml 男女学生便携水杯"),
    ("蓝牙鼠标", "华为 FreeBuds Pro 3 真无线蓝牙耳机"),
    ("iPhone 14", "Apple iPhone 15 Pro 磁吸透明手机壳 MagSafe 防摔"),
    ("绿植 鼠标", "龟背竹 大盆栽 客厅室内绿植"),
];
