//! Which of the mall's tenants printed the receipt: by name or alias, and by unit number.

use super::numbers::mentions_unit;
use super::text::squeeze;
use crate::Line;
use serde::{Deserialize, Serialize};

/// A tenant as the matcher needs it (the caller reads these from the database).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantEntry {
    pub id: i64,
    pub name: String,
    pub aliases: Vec<String>,
    /// Unit numbers as the mall writes them, e.g. `B1-16`.
    pub units: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TenantMatch {
    pub id: i64,
    pub name: String,
    /// 0–1: a name read exactly counts 0.7, a unit number 0.3; a name read with a wrong
    /// character counts in proportion.
    pub score: f32,
    pub by_name: bool,
    pub by_unit: bool,
    /// The next-best tenant's score: close to `score` means the receipt could be either.
    pub runner_up: f32,
}

impl TenantMatch {
    /// Strong enough to approve on without a person looking: the name was read (a unit alone
    /// is a few characters, easily misread or printed by a neighbour) and no other tenant
    /// comes close.
    pub fn is_confident(&self) -> bool {
        self.by_name && self.score >= AUTO_SCORE && self.score - self.runner_up >= 0.2
    }
}

const NAME_WEIGHT: f32 = 0.7;
const UNIT_WEIGHT: f32 = 0.3;
/// Below this nothing is reported as a match.
const MATCH_SCORE: f32 = 0.45;
/// An exact name (0.7) or a name with one wrong character in five plus the unit.
const AUTO_SCORE: f32 = 0.69;
/// Lines searched for the name: the header, where the shop prints it.
const HEADER_LINES: usize = 6;

/// The best-matching tenant, if any scores at least [`MATCH_SCORE`].
pub fn match_tenant(lines: &[Line], tenants: &[TenantEntry]) -> Option<TenantMatch> {
    let header: Vec<String> = lines.iter().take(HEADER_LINES).map(|l| squeeze(&l.text).to_lowercase()).collect();
    let mut scored: Vec<(f32, bool, bool, &TenantEntry)> = tenants
        .iter()
        .map(|t| {
            let name = std::iter::once(&t.name)
                .chain(&t.aliases)
                .map(|n| name_similarity(&squeeze(n).to_lowercase(), &header))
                .fold(0.0, f32::max);
            let unit = t.units.iter().any(|u| mentions_unit(lines, u));
            let score = NAME_WEIGHT * name + if unit { UNIT_WEIGHT } else { 0.0 };
            (score, name > 0.0, unit, t)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let runner_up = scored.get(1).map_or(0.0, |s| s.0);
    let &(score, by_name, by_unit, best) = scored.first()?;
    (score >= MATCH_SCORE).then(|| TenantMatch {
        id: best.id,
        name: best.name.clone(),
        score,
        by_name,
        by_unit,
        runner_up,
    })
}

/// 1 when `name` appears in a line; else the best share of its characters found in order in
/// one line (面面俱到 read as 面面具到: 0.75), counted only from 0.6 up and for names of at
/// least three characters (two-character names are too easily found by chance).
fn name_similarity(name: &str, lines: &[String]) -> f32 {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() < 2 {
        return 0.0;
    }
    if lines.iter().any(|l| l.contains(name)) {
        return 1.0;
    }
    if chars.len() < 3 {
        return 0.0;
    }
    let best = lines
        .iter()
        .map(|l| lcs(&chars, &l.chars().collect::<Vec<_>>()) as f32 / chars.len() as f32)
        .fold(0.0, f32::max);
    if best >= 0.6 {
        best
    } else {
        0.0
    }
}

/// Longest common subsequence length.
fn lcs(a: &[char], b: &[char]) -> usize {
    let mut row = vec![0usize; b.len() + 1];
    for &ca in a {
        let mut diagonal = 0;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == cb { diagonal + 1 } else { row[j + 1].max(row[j]) };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_tenants() -> Vec<TenantEntry> {
        let t = |id, name: &str, aliases: &[&str], unit: &str| TenantEntry {
            id,
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            units: vec![unit.into()],
        };
        vec![
            t(1, "面面俱到", &[], "B1-16"),
            t(2, "港式烧腊", &["烧腊"], "B1-17"),
            t(3, "甜品时光", &[], "B1-18"),
            t(4, "转角咖啡", &["CORNER COFFEE"], "L1-02"),
            t(5, "衣尚精品", &["衣尚", "YISHANG"], "L1-08"),
        ]
    }

    fn lines(texts: &[&str]) -> Vec<Line> {
        texts.iter().map(|t| Line::plain(*t)).collect()
    }

    #[test]
    fn name_and_unit() {
        let m = match_tenant(&lines(&["面面俱到", "星汇广场店B1-16"]), &demo_tenants()).unwrap();
        assert_eq!((m.id, m.by_name, m.by_unit), (1, true, true));
        assert!((m.score - 1.0).abs() < 1e-6 && m.is_confident());
    }

    #[test]
    fn a_misread_character_and_a_misread_unit() {
        let m = match_tenant(&lines(&["面面具到", "星汇广场店 81-16"]), &demo_tenants()).unwrap();
        assert_eq!(m.id, 1);
        assert!(m.by_unit && m.score > 0.8 && m.is_confident(), "{m:?}");
    }

    #[test]
    fn an_alias_in_latin_letters() {
        let m = match_tenant(&lines(&["Corner Coffee", "谢谢"]), &demo_tenants()).unwrap();
        assert_eq!(m.id, 4);
    }

    #[test]
    fn a_unit_alone_is_not_enough_to_approve() {
        let m = match_tenant(&lines(&["某某小吃", "B1-18"]), &demo_tenants());
        assert!(m.is_none_or(|m| !m.is_confident()));
    }

    #[test]
    fn a_shop_the_mall_does_not_have() {
        assert_eq!(match_tenant(&lines(&["鲜果时间", "解放路店"]), &demo_tenants()), None);
    }

    #[test]
    fn name_of_one_unit_of_another_is_not_confident() {
        let m = match_tenant(&lines(&["甜品时光", "B1-17"]), &demo_tenants()).unwrap();
        assert_eq!(m.id, 3);
        assert!(m.is_confident(), "a name beats a unit: {m:?}");
        let m = match_tenant(&lines(&["甜品时光 港式烧腊", "谢谢"]), &demo_tenants()).unwrap();
        assert!(!m.is_confident(), "two names, nothing to tell them apart: {m:?}");
    }

    #[test]
    fn longest_common_subsequence() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(lcs(&c("面面俱到"), &c("星汇面面具到店")), 3);
        assert_eq!(lcs(&c("abc"), &c("")), 0);
    }
}
