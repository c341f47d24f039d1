//! Who the seeded members are: Chinese names (a common surname, then one or two given-name
//! characters), unique mobile numbers, birthdays. Everything follows from the seed and the
//! member's index, so a run is repeatable and any member can be found again.

/// The common surnames, most frequent first: the draw favours the front, as real names do.
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于",
    "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆",
    "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛",
    "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武",
    "戴", "莫", "孔", "向", "汤", "欧阳", "司马", "上官",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞",
    "平", "刚", "桂", "英", "华", "玉", "萍", "红", "鹏", "辉", "建", "国", "文", "斌", "宇", "浩", "凯", "晨", "欣",
    "怡", "佳", "琪", "雪", "婷", "雨", "萱", "子", "涵", "梓", "轩", "博", "思", "晓", "小", "天", "一", "诺", "嘉",
    "宁", "安", "乐", "悦", "然", "泽", "睿", "俊", "峰", "志", "海", "波", "亮", "春", "梅", "兰", "燕", "丹", "琳",
    "颖", "慧", "婧", "瑶", "晴", "阳", "鑫", "昊", "航", "皓", "铭", "烨", "彤", "可", "心", "诗", "语", "沐", "景",
    "瑞", "欢", "露", "满", "桐", "想", "晗", "冉", "舒", "卓", "航", "逸", "凡",
];

/// China's mobile prefixes, minus 135–139 (the demo mall's shoppers live there).
const PREFIXES: &[u16] = &[
    130, 131, 132, 133, 134, 145, 147, 150, 151, 152, 153, 155, 156, 157, 158, 159, 166, 170, 171, 172, 173, 175, 176,
    177, 178, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 191, 198, 199,
];

/// The prefixes a seeded number may start with, for the refusal when the mall already uses them.
pub fn prefixes() -> impl Iterator<Item = String> {
    PREFIXES.iter().map(|p| p.to_string())
}

/// A small, fast, seedable generator (SplitMix64): plenty for test data, and the same on every
/// machine.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next_u64();
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as u64
    }

    pub fn range(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low).max(1) as u64) as i64
    }

    /// True with `percent` % probability.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// An index in `0..n` favouring the front (the square of a uniform draw).
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = self.below(1 << 20) as f64 / (1u64 << 20) as f64;
        ((u * u) * n as f64) as usize
    }
}

/// A name: surname plus one (a third of the time) or two given-name characters.
pub fn name(rng: &mut Rng) -> String {
    let mut name = SURNAMES[rng.skewed(SURNAMES.len())].to_string();
    let given = if rng.chance(33) { 1 } else { 2 };
    for _ in 0..given {
        name.push_str(GIVEN[rng.below(GIVEN.len() as u64) as usize]);
    }
    name
}

/// The given name of a seeded `name`: what follows its surname.
pub fn given_name(name: &str) -> &str {
    SURNAMES.iter().filter(|s| name.starts_with(**s)).max_by_key(|s| s.len()).map_or(name, |s| &name[s.len()..])
}

/// Member `index`'s mobile number: unique for every index below 38 × 10⁸, because the last eight
/// digits are an affine bijection of `index / prefixes` modulo 10⁸ (the multiplier is odd and not
/// a multiple of 5, so it is invertible).
pub fn phone(seed: u64, index: u64) -> String {
    const MODULUS: u64 = 100_000_000;
    let prefix = PREFIXES[(index % PREFIXES.len() as u64) as usize];
    let k = index / PREFIXES.len() as u64;
    let offset = seed % MODULUS;
    let digits = (k.wrapping_mul(48_271_731) % MODULUS + offset) % MODULUS;
    format!("{prefix}{digits:08}")
}

/// A birthday for an adult of 18 to 65, or none (some members never give one).
pub fn birthday(rng: &mut Rng, this_year: i16) -> Option<String> {
    if rng.chance(30) {
        return None;
    }
    let year = this_year - rng.range(18, 66) as i16;
    let month = rng.range(1, 13);
    let day = rng.range(1, 29);
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plaza_types::PhoneNumber;
    use std::collections::HashSet;

    #[test]
    fn numbers_are_valid_and_unique() {
        let mut seen = HashSet::new();
        for index in 0..200_000 {
            let number = phone(7, index);
            assert!(PhoneNumber::parse(&number).is_ok(), "{number}");
            assert!(!number.starts_with("13") || number[..3].parse::<u16>().unwrap() < 135, "{number}");
            assert!(seen.insert(number), "index {index} repeats a number");
        }
    }

    #[test]
    fn names_are_chinese_and_repeatable() {
        let mut a = Rng::new(42, 9);
        let mut b = Rng::new(42, 9);
        for _ in 0..1_000 {
            let name = name(&mut a);
            assert_eq!(name, super::name(&mut b));
            assert!((2..=4).contains(&name.chars().count()), "{name}");
        }
    }
}
