use super::*;

fn line(shop: i64, sku: i64, list: i64, member: Option<i64>, quantity: i64) -> PriceLine {
    PriceLine { shop, sku, list: Fen(list), member: member.map(Fen), quantity }
}

fn limited(sku: i64, shop: i64, price: i64) -> LimitedPrice {
    LimitedPrice { id: sku, shop, sku, price: Fen(price), ends_at: 0 }
}

fn tiers(shop: i64, tiers: &[(i64, i64)]) -> SpendOff {
    SpendOff {
        id: shop,
        shop,
        tiers: tiers.iter().map(|(t, o)| Tier { threshold: Fen(*t), off: Fen(*o) }).collect(),
        ends_at: 0,
    }
}

#[test]
fn member_and_limited_time_prices_are_not_combined_the_lower_applies() {
    let lines = [line(1, 10, 10_000, Some(9_000), 1), line(1, 11, 10_000, Some(7_000), 1)];
    let promos = Promotions { limited: vec![limited(10, 1, 8_000), limited(11, 1, 8_000)], ..Default::default() };
    let e = price(&lines, true, &promos);
    assert_eq!((e.shops[0].lines[0].rule, e.shops[0].lines[0].unit_price), (UnitRule::LimitedTime, Fen(8_000)));
    assert_eq!((e.shops[0].lines[1].rule, e.shops[0].lines[1].unit_price), (UnitRule::Member, Fen(7_000)));
    // Without member prices the limited-time price applies to both.
    let e = price(&lines, false, &promos);
    assert_eq!(e.total, Fen(16_000));
    assert_eq!(e.shops[0].lines[1].member_price, None);
}

#[test]
fn spend_off_takes_the_best_tier_reached_shared_over_the_lines() {
    let lines = [line(1, 10, 6_000, None, 2), line(1, 11, 3_000, None, 1), line(2, 20, 1_000, None, 1)];
    let promos = Promotions { spend_off: vec![tiers(1, &[(10_000, 1_000), (15_000, 2_500)])], ..Default::default() };
    let e = price(&lines, false, &promos);
    let shop = &e.shops[0];
    assert_eq!(shop.tier, Some(Tier { threshold: Fen(15_000), off: Fen(2_500) }));
    assert_eq!(shop.lines.iter().map(|l| l.spend_off.0).collect::<Vec<_>>(), vec![2_000, 500]);
    assert_eq!((shop.total, e.shops[1].total, e.total), (Fen(12_500), Fen(1_000), Fen(13_500)));
    // Short of the first tier: nothing off, and the page says what is left to reach it.
    let e = price(&lines[1..], false, &promos);
    assert_eq!((e.shops[0].tier, e.shops[0].next_tier.map(|t| t.threshold)), (None, Some(Fen(10_000))));
}

#[test]
fn a_tier_is_reached_on_the_everyday_price_so_a_limited_price_never_loses_it() {
    let lines = [line(1, 10, 10_000, None, 1)];
    let mut promos = Promotions { spend_off: vec![tiers(1, &[(10_000, 1_000)])], ..Default::default() };
    assert_eq!(price(&lines, false, &promos).total, Fen(9_000));
    promos.limited.push(limited(10, 1, 9_500));
    let e = price(&lines, false, &promos);
    assert_eq!((e.shops[0].goods_total, e.shops[0].spend_off, e.total), (Fen(9_500), Fen(1_000), Fen(8_500)));
}

#[test]
fn bundles_price_whole_sets_and_leave_the_rest() {
    let lines = [line(1, 10, 5_000, None, 3), line(1, 11, 2_000, None, 1)];
    let bundle = Bundle {
        id: 7,
        shop: 1,
        name: "杯+盖".into(),
        items: vec![BundleItem { sku: 10, quantity: 1 }, BundleItem { sku: 11, quantity: 1 }],
        price: Fen(6_000),
        ends_at: 0,
    };
    let e = price(&lines, false, &Promotions { bundles: vec![bundle.clone()], ..Default::default() });
    let shop = &e.shops[0];
    assert_eq!(
        shop.bundles,
        vec![AppliedBundle { id: 7, name: "杯+盖".into(), sets: 1, price: Fen(6_000), saved: Fen(1_000) }]
    );
    assert_eq!((shop.lines[0].bundle_units, shop.lines[0].bundle_off), (1, Fen(714)));
    assert_eq!((shop.lines[1].bundle_units, shop.lines[1].bundle_off), (1, Fen(286)));
    assert_eq!(e.total, Fen(16_000));
    // A bundle dearer than its parts is not applied.
    let dear = Bundle { price: Fen(8_000), ..bundle };
    assert_eq!(price(&lines, false, &Promotions { bundles: vec![dear], ..Default::default() }).total, Fen(17_000));
}

#[test]
fn refunds_per_unit_add_up_to_what_was_paid() {
    assert_eq!(refund_for_units(Fen(1_000), 3, 0, 1), Fen(333));
    assert_eq!(refund_for_units(Fen(1_000), 3, 1, 2), Fen(667));
    assert_eq!(refund_for_units(Fen(1_000), 3, 0, 3), Fen(1_000));
    assert_eq!(refund_for_units(Fen(1_000), 3, 2, 2), Fen(0));
}

#[test]
fn tier_and_limited_checks() {
    let t = |v: &[(i64, i64)]| v.iter().map(|(a, b)| Tier { threshold: Fen(*a), off: Fen(*b) }).collect::<Vec<_>>();
    assert!(check_tiers(&t(&[(10_000, 1_000), (20_000, 3_000)])).is_ok());
    assert!(check_tiers(&t(&[(20_000, 1_000), (10_000, 3_000)])).is_err());
    assert!(check_tiers(&t(&[(10_000, 10_000)])).is_err());
    assert!(check_tiers(&[]).is_err());
    assert_eq!(check_limited(Fen(10_000), Fen(10_000), 50), Err(PromotionProblem::Price));
    assert_eq!(check_limited(Fen(10_000), Fen(0), 50), Err(PromotionProblem::Price));
    assert_eq!(check_limited(Fen(10_000), Fen(4_999), 50), Err(PromotionProblem::BeyondCap { max_off_pct: 50 }));
    assert!(check_limited(Fen(10_000), Fen(5_000), 50).is_ok());
}

#[test]
fn the_cap_floor_is_the_lowest_price_the_cap_allows() {
    for list in [1, 7, 99, 3_900, 10_000, 12_345, 99_999_999] {
        for max in [1, 30, 50, 70, 99] {
            let floor = cap_floor(Fen(list), max);
            assert!(off_pct(Fen(list), floor) <= max, "{list} {max}");
            if floor.0 > 1 {
                assert!(off_pct(Fen(list), Fen(floor.0 - 1)) > max, "{list} {max}: one fen lower is beyond");
            }
            let off = cap_off(Fen(list), max);
            assert!(off_pct(Fen(list), Fen(list - off.0)) <= max);
        }
    }
    assert_eq!((cap_floor(Fen(10_000), 50), cap_off(Fen(30_000), 5)), (Fen(5_000), Fen(1_500)));
}

/// A small deterministic generator (xorshift), so the property runs need no extra crate and
/// a failure names its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: i64) -> i64 {
        (self.next() % n.max(1) as u64) as i64
    }
}

fn random_cart(rng: &mut Rng) -> Vec<PriceLine> {
    let n = 1 + rng.below(6);
    (0..n)
        .map(|i| {
            let list = 1 + rng.below(50_000);
            let member = (rng.below(2) == 0).then(|| 1 + rng.below(list));
            line(1 + rng.below(3), 100 + i, list, member, 1 + rng.below(5))
        })
        .collect()
}

fn random_promotion(rng: &mut Rng, lines: &[PriceLine], id: i64) -> Promotions {
    let mut p = Promotions::default();
    let pick = &lines[rng.below(lines.len() as i64) as usize];
    match rng.below(3) {
        0 => p.limited.push(LimitedPrice {
            id,
            shop: pick.shop,
            sku: pick.sku,
            price: Fen(1 + rng.below(pick.list.0)),
            ends_at: 0,
        }),
        1 => {
            let threshold = 1 + rng.below(100_000);
            let mut tiers = vec![Tier { threshold: Fen(threshold), off: Fen(1 + rng.below(threshold - 1)) }];
            if rng.below(2) == 0 {
                let t2 = threshold + 1 + rng.below(100_000);
                let o1 = tiers[0].off.0;
                tiers.push(Tier { threshold: Fen(t2), off: Fen(o1 + 1 + rng.below(t2 - o1 - 1)) });
            }
            p.spend_off.push(SpendOff { id, shop: pick.shop, tiers, ends_at: 0 });
        }
        _ => {
            let mut items = Vec::new();
            for l in lines.iter().filter(|l| l.shop == pick.shop) {
                if rng.below(2) == 0 {
                    items.push(BundleItem { sku: l.sku, quantity: 1 + rng.below(2) });
                }
            }
            let value: i64 =
                items.iter().map(|i| lines.iter().find(|l| l.sku == i.sku).unwrap().list.0 * i.quantity).sum();
            p.bundles.push(Bundle {
                id,
                shop: pick.shop,
                name: format!("b{id}"),
                items,
                price: Fen(1 + rng.below(value.max(1))),
                ends_at: 0,
            });
        }
    }
    p
}

fn merge(mut a: Promotions, b: Promotions) -> Promotions {
    a.limited.extend(b.limited);
    a.spend_off.extend(b.spend_off);
    a.bundles.extend(b.bundles);
    a
}

fn check_explained(e: &Explained, lines: &[PriceLine], seed: u64) {
    let mut sum = 0;
    for shop in &e.shops {
        let shop_sum: i64 = shop.lines.iter().map(|l| l.paid.0).sum();
        assert_eq!(shop_sum, shop.total.0, "seed {seed}: a shop's total is the sum of its lines");
        sum += shop_sum;
        for l in &shop.lines {
            assert!(l.paid.0 >= 0, "seed {seed}: never negative: {l:?}");
            assert!(l.paid <= l.list_total(), "seed {seed}: never above list: {l:?}");
            assert!(l.unit_price <= l.list_price, "seed {seed}: {l:?}");
            assert_eq!(l.paid.0, l.unit_total().0 - l.bundle_off.0 - l.spend_off.0, "seed {seed}: {l:?}");
        }
    }
    assert_eq!(sum, e.total.0, "seed {seed}: the order total is the sum of its lines");
    assert_eq!(e.shops.iter().map(|s| s.lines.len()).sum::<usize>(), lines.len(), "seed {seed}");
}

#[test]
fn properties_hold_on_random_carts() {
    for seed in 1..=3_000u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let lines = random_cart(&mut rng);
        let member = rng.below(2) == 0;
        let mut promos = Promotions::default();
        let mut before = price(&lines, member, &promos);
        check_explained(&before, &lines, seed);
        for id in 0..(1 + rng.below(6)) {
            promos = merge(promos, random_promotion(&mut rng, &lines, id));
            let after = price(&lines, member, &promos);
            check_explained(&after, &lines, seed);
            // More promotions never raise a price: each unit price, each shop, the order.
            assert!(after.total <= before.total, "seed {seed}: {before:?} -> {after:?}");
            for (a, b) in after.shops.iter().zip(&before.shops) {
                assert!(a.total <= b.total, "seed {seed}: shop {} rose", a.shop);
                for (la, lb) in a.lines.iter().zip(&b.lines) {
                    assert!(la.unit_price <= lb.unit_price, "seed {seed}");
                }
            }
            before = after;
        }
    }
}

#[test]
fn allocate_parts_add_up_and_never_exceed_their_weight() {
    let mut rng = Rng(42);
    for _ in 0..2_000 {
        let weights: Vec<i64> = (0..1 + rng.below(6)).map(|_| rng.below(10_000)).collect();
        let total: i64 = weights.iter().sum();
        let amount = rng.below(total.max(1));
        let parts = allocate(amount, &weights);
        if total > 0 {
            assert_eq!(parts.iter().sum::<i64>(), amount);
        }
        assert!(parts.iter().zip(&weights).all(|(p, w)| *p >= 0 && p <= w), "{weights:?} {amount} {parts:?}");
    }
}
