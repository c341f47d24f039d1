//! Online-mall search with 100,000 products: latency of a shopper's search (the page-1 list with
//! relevance order, and the suggestions when nothing is found), one search at a time, on the
//! database named by the first argument (a `sqlite://` file or a `postgres://` server URL; for
//! PostgreSQL a fresh database `plaza_bench_<pid>` is created beside the one named and dropped).
//!
//! `cargo run --release -p plaza-core --example shop_search_bench -- <url> [products] [searches]`
//! prints one line: `backend products p50_ms p99_ms searches/s`.
//!
//! The products are written straight into their tables (one SKU each) and indexed by the same
//! function every product change calls (`shop::search::index_product`). Titles are made from
//! brands, words, nouns, sizes and model numbers the way Chinese shops write them.

#[path = "support/fresh_database.rs"]
mod fresh_database;

use fresh_database::{fresh_database, BoxError};
use plaza_core::shop::browse;
use plaza_core::shop::categories::{self, CategoryInput};
use plaza_core::{Db, Timestamp};
use plaza_types::dto::{BrowseFilter, CategoryId, Localized, Sort, TenantKind};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Instant;

const BRANDS: [&str; 40] = [
    "小米",
    "华为",
    "Apple",
    "索尼",
    "美的",
    "九阳",
    "苏泊尔",
    "膳魔师",
    "象印",
    "乐扣",
    "宜家",
    "无印良品",
    "得力",
    "晨光",
    "国誉",
    "三顿半",
    "雀巢",
    "星巴克",
    "隅田川",
    "罗技",
    "绿联",
    "倍思",
    "Anker安克",
    "飞利浦",
    "戴森",
    "小熊",
    "南极人",
    "水星家纺",
    "富安娜",
    "乐高",
    "泡泡玛特",
    "闪迪",
    "联想",
    "佳能",
    "大疆",
    "漫步者",
    "倍轻松",
    "双立人",
    "康宁",
    "摩飞",
];
const WORDS: [&str; 36] = [
    "加厚",
    "便携",
    "大容量",
    "家用",
    "迷你",
    "简约",
    "北欧风",
    "复古",
    "日式",
    "无线",
    "智能",
    "静音",
    "防水",
    "折叠",
    "创意",
    "高颜值",
    "ins风",
    "网红",
    "新款",
    "升级版",
    "儿童",
    "学生",
    "男女通用",
    "办公室",
    "户外",
    "车载",
    "不锈钢",
    "陶瓷",
    "玻璃",
    "纯棉",
    "真皮",
    "磁吸",
    "透明",
    "防摔",
    "快充",
    "超薄",
];
/// Nouns by category (the category index into `TREE`'s leaves).
const NOUNS: [(&str, usize); 48] = [
    ("保温杯", 0),
    ("马克杯", 0),
    ("玻璃杯", 0),
    ("水杯", 0),
    ("保温壶", 0),
    ("茶壶", 0),
    ("咖啡杯", 0),
    ("挂耳咖啡", 1),
    ("咖啡豆", 1),
    ("速溶咖啡", 1),
    ("冷萃咖啡", 1),
    ("手机壳", 2),
    ("充电器", 2),
    ("数据线", 2),
    ("充电宝", 2),
    ("手机支架", 2),
    ("钢化膜", 2),
    ("蓝牙耳机", 3),
    ("降噪耳机", 3),
    ("蓝牙音箱", 3),
    ("无线鼠标", 4),
    ("机械键盘", 4),
    ("扩展坞", 4),
    ("显示器支架", 4),
    ("四件套", 5),
    ("乳胶枕", 5),
    ("毛毯", 5),
    ("床垫", 5),
    ("炒锅", 6),
    ("不粘锅", 6),
    ("菜刀", 6),
    ("保鲜盒", 6),
    ("收纳盒", 7),
    ("置物架", 7),
    ("台灯", 8),
    ("加湿器", 8),
    ("电热水壶", 8),
    ("吸尘器", 8),
    ("中性笔", 9),
    ("笔记本", 9),
    ("便利贴", 9),
    ("科幻小说", 10),
    ("绘本", 10),
    ("积木", 11),
    ("盲盒", 11),
    ("拼图", 11),
    ("龟背竹", 12),
    ("多肉盆栽", 12),
];
const SIZES: [&str; 14] = [
    "500ml", "1.5L", "350ml", "20000mAh", "65W", "32cm", "1.8m床", "128GB", "A4", "B5", "12支装", "10包", "2米", "大号",
];
const LEAVES: [&str; 13] = [
    "杯壶",
    "咖啡",
    "手机配件",
    "耳机音箱",
    "电脑外设",
    "床品",
    "厨具",
    "收纳",
    "家电",
    "文具",
    "图书",
    "玩具",
    "绿植",
];

fn title(rng: &mut StdRng) -> (String, usize) {
    let (noun, leaf) = NOUNS[rng.gen_range(0..NOUNS.len())];
    let mut parts = vec![BRANDS[rng.gen_range(0..BRANDS.len())].to_string()];
    for _ in 0..rng.gen_range(1..=3) {
        parts.push(WORDS[rng.gen_range(0..WORDS.len())].to_string());
    }
    if noun == "手机壳" && rng.gen_bool(0.5) {
        parts.push(format!("iPhone {}", rng.gen_range(12..=16)));
    }
    parts.push(noun.to_string());
    if rng.gen_bool(0.7) {
        parts.push(SIZES[rng.gen_range(0..SIZES.len())].to_string());
    }
    if rng.gen_bool(0.4) {
        let letters: String = (0..2).map(|_| rng.gen_range(b'A'..=b'Z') as char).collect();
        parts.push(format!("{letters}-{}", rng.gen_range(100..9999)));
    }
    (parts.join(" "), leaf)
}

const QUERIES: [&str; 40] = [
    "保温杯",
    "手机壳",
    "咖啡",
    "蓝牙耳机",
    "四件套",
    "充电宝",
    "小米充电宝",
    "华为耳机",
    "膳魔师保温杯",
    "iPhone 15 手机壳",
    "杯",
    "壳",
    "iph",
    "anker",
    "无线鼠标",
    "机械键盘",
    "不锈钢保温杯 500ml",
    "挂耳咖啡",
    "三顿半",
    "乐高积木",
    "北欧风台灯",
    "儿童绘本",
    "科幻小说",
    "龟背竹",
    "加湿器 静音",
    "65W 充电器",
    "128GB",
    "大容量 水杯",
    "不粘锅 32cm",
    "收纳",
    "火箭发动机",
    "量子计算机 手机壳",
    "宜家",
    "无印良品 收纳盒",
    "电热水壶",
    "数据线",
    "透明 手机壳 磁吸",
    "毛毯",
    "降噪",
    "便利贴",
];

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = args.first().cloned().unwrap_or_else(|| "sqlite:///tmp/plaza-search-bench.db".into());
    let products: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let searches: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2_000);

    let (db, cleanup) = fresh_database(&url, "plaza_bench").await?;
    db.migrate().await?;
    let now = Timestamp::now();
    let leaves = seed_tree(&db, now).await?;
    let tenants = seed_shops(&db, now).await?;
    let mut rng = StdRng::seed_from_u64(12);
    let started = Instant::now();
    let mut next = 0;
    while next < products {
        let mut tx = db.begin_write().await?;
        for i in next..(next + 1000).min(products) {
            let (title, leaf) = title(&mut rng);
            let tenant = tenants[i % tenants.len()];
            let price: i64 = rng.gen_range(500..200_000);
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO shop_products (tenant_id, category_id, code, title, status, min_price_fen, max_price_fen, \
                 sales_count, rating_x100, cover_key, created_at, updated_at, published_at) \
                 VALUES ($1, $2, $3, $4, 'published', $5, $5, $6, $7, 'products/p/0/bench-thumb.jpg', $8, $8, $9) RETURNING id",
            )
            .bind(tenant)
            .bind(leaves[leaf].0)
            .bind(format!("B{i}"))
            .bind(&title)
            .bind(price)
            .bind(rng.gen_range(0..5000_i64))
            .bind(rng.gen_range(0..500_i64))
            .bind(now.millis())
            .bind(now.millis() - i as i64)
            .fetch_one(&mut **tx)
            .await?;
            sqlx::query(
                "INSERT INTO shop_skus (product_id, tenant_id, price_fen, stock, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
            )
            .bind(id)
            .bind(tenant)
            .bind(price)
            .bind(rng.gen_range(0..50_i64))
            .bind(now.millis())
            .execute(&mut **tx)
            .await?;
            plaza_core::shop::search::index_product(&mut tx, plaza_types::dto::ProductId(id)).await?;
        }
        tx.commit().await?;
        next += 1000;
    }
    let seeded = started.elapsed().as_secs_f64();
    if url.starts_with("postgres") {
        sqlx::query("ANALYZE").execute(db.pool()).await?;
    }

    let mut times = Vec::with_capacity(searches);
    // The slowest run of each query and variant, for stderr: where the time goes.
    let mut slowest = std::collections::HashMap::new();
    let run_started = Instant::now();
    for i in 0..searches {
        let query = QUERIES[rng.gen_range(0..QUERIES.len())];
        let mut filter = BrowseFilter { query: query.to_string(), page: 1, ..BrowseFilter::default() };
        // Some shoppers narrow and re-sort what they found.
        match i % 10 {
            7 => filter.sort = Sort::PriceAsc,
            8 => filter.in_stock = true,
            9 => {
                filter.min_price_fen = Some(5_000);
                filter.max_price_fen = Some(50_000);
                filter.sort = Sort::Sales;
            }
            _ => {}
        }
        let started = Instant::now();
        let page = browse::browse(&db, &filter).await?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        times.push(ms);
        let worst = slowest.entry((query, i % 10)).or_insert(0.0_f64);
        *worst = worst.max(ms);
        std::hint::black_box(page);
    }
    let elapsed = run_started.elapsed().as_secs_f64();
    times.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| times[((times.len() as f64 * p / 100.0).ceil() as usize).clamp(1, times.len()) - 1];
    let backend = if url.starts_with("sqlite") { "sqlite" } else { "postgres" };
    eprintln!("seeded {products} products in {seeded:.1} s; slowest searches (query, variant, ms):");
    let mut worst: Vec<_> = slowest.into_iter().collect();
    worst.sort_by(|a, b| b.1.total_cmp(&a.1));
    for ((query, variant), ms) in worst.into_iter().take(8) {
        eprintln!("  {query:?} {variant} {ms:.1}");
    }
    println!("{backend} {products} {:.1} {:.1} {:.0}", pct(50.0), pct(99.0), searches as f64 / elapsed);
    db.close().await;
    cleanup.await;
    Ok(())
}

async fn seed_tree(db: &Db, now: Timestamp) -> Result<Vec<CategoryId>, BoxError> {
    let actor = plaza_core::audit::Actor::System;
    let top =
        CategoryInput { parent: None, name_zh: "全部".into(), name_en: String::new(), icon: "box".into(), sort: 0 };
    let parent = categories::create(db, &top, &actor, now).await?;
    let mut leaves = Vec::new();
    for (i, name) in LEAVES.iter().enumerate() {
        let input = CategoryInput {
            parent: Some(parent),
            name_zh: name.to_string(),
            name_en: String::new(),
            icon: "box".into(),
            sort: i as i64,
        };
        leaves.push(categories::create(db, &input, &actor, now).await?);
    }
    Ok(leaves)
}

async fn seed_shops(db: &Db, now: Timestamp) -> Result<Vec<i64>, BoxError> {
    let mut tx = db.begin_write().await?;
    plaza_core::tenants::create_category(&mut tx, "home", &Localized::new("家居", "Home"), 0).await?;
    let mut ids = Vec::new();
    for (code, name) in [("homegoods", "家物集"), ("cozy", "暖暖生活馆"), ("bookworm", "书香阁"), ("geek", "极客数码")]
    {
        let new = plaza_core::tenants::NewTenant {
            code,
            name: Localized::new(name, code),
            unit_no: "L3-01",
            floor: "L3",
            category_code: "home",
            kind: TenantKind::Store,
            aliases: &[],
        };
        ids.push(plaza_core::tenants::create(&mut tx, &new, now).await?.0);
    }
    tx.commit().await?;
    Ok(ids)
}
