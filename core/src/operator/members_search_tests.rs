//! The operator's member search by name: the surname first, then the given name alone.

use super::search;
use crate::testing::{seed_member, test_db};
use crate::Db;

async fn named(db: &Db, phone: &str, name: &str) {
    let member = seed_member(db, phone).await;
    let mut tx = db.begin_write().await.unwrap();
    sqlx::query("UPDATE members SET name = $1 WHERE id = $2")
        .bind(name)
        .bind(member.0)
        .execute(&mut **tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn names(db: &Db, query: &str) -> Vec<String> {
    search(db, query).await.unwrap().into_iter().map(|r| r.name).collect()
}

#[tokio::test]
async fn a_name_search_finds_surnames_first_then_given_names() {
    let db = test_db().await;
    for (phone, name) in [
        ("13800000001", "王小明"),
        ("13800000002", "欧阳小明"),
        ("13800000003", "小明华"),
        ("13800000004", "李大明"),
        ("13800000005", "王小"),
        ("13800000006", "张晓明"),
        ("13800000007", "司马相如"),
    ] {
        named(&db, phone, name).await;
    }
    // The names starting with it, then the given names after one- and two-character surnames.
    assert_eq!(names(&db, "小明").await, ["小明华", "王小明", "欧阳小明"]);
    assert_eq!(names(&db, "小").await, ["小明华", "王小", "王小明", "欧阳小明"]);
    assert_eq!(names(&db, "王").await, ["王小", "王小明"]);
    assert_eq!(names(&db, "王小明").await, ["王小明"]);
    assert_eq!(names(&db, "晓明").await, ["张晓明"]);
    // Every name's second and third characters are starts (a one- or two-character surname).
    assert_eq!(names(&db, "明").await, ["小明华", "王小明", "李大明", "张晓明"]);
    assert_eq!(names(&db, "相如").await, ["司马相如"]);
    assert_eq!(names(&db, "如").await, Vec::<String>::new(), "the fourth character is not a start");
}

/// However many match, a search answers at most its limit, each member once (a member can match
/// both as a surname and as a given name: 王王).
#[tokio::test]
async fn a_wide_name_search_is_cut_at_its_limit_with_each_member_once() {
    let db = test_db().await;
    for i in 0..40 {
        named(&db, &format!("1380000{i:04}"), "王王").await;
        named(&db, &format!("1390000{i:04}"), &format!("李王{i}")).await;
    }
    let found = search(&db, "王").await.unwrap();
    assert_eq!(found.len(), super::SEARCH_LIMIT as usize);
    let mut ids: Vec<_> = found.iter().map(|r| r.member_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), found.len(), "each member once");
    assert!(found[..40].iter().all(|r| r.name == "王王"), "the surname's matches first");
}
