//! The ledgers on a member's profile: lots, points, coupons, stored value and audit entries.

use crate::coupons::headline;
use crate::i18n::{use_lang, use_tr, Tr};
use crate::operator::labels::{action_label, actor_label, amount_text, reason_text};
use crate::points::{kind_label, line_title, source_label};
use leptos::prelude::*;
use plaza_types::dto::{AuditLine, CouponStatus, ExpiringLot, PointsLine, SvMovementLine, WalletCoupon};

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

fn coupon_status(t: &Tr, s: CouponStatus) -> &'static str {
    match s {
        CouponStatus::Usable => t.coupon_status_usable,
        CouponStatus::Reserved => t.coupon_status_reserved,
        CouponStatus::Used => t.coupon_status_used,
        CouponStatus::Expired => t.coupon_status_expired,
        CouponStatus::Upcoming => t.coupon_status_upcoming,
    }
}

fn sv_kind(t: &Tr, kind: &str) -> &'static str {
    match kind {
        "topup" => t.sv_kind_topup,
        "bonus" => t.sv_kind_bonus,
        "spend" => t.sv_kind_spend,
        "refund" => t.sv_kind_refund,
        _ => t.sv_kind_adjust,
    }
}

/// A titled panel holding a table, or a line saying there is nothing yet.
#[component]
fn Ledger(title: &'static str, empty: bool, testid: &'static str, children: Children) -> impl IntoView {
    let t = use_tr();
    view! {
        <section class="panel" data-testid=testid>
            <h2>{title}</h2>
            {if empty {
                view! { <p class="muted">{t.ops_nothing_yet}</p> }.into_any()
            } else {
                view! { <div class="ops-table-wrap">{children()}</div> }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
pub fn LotsTable(lots: Vec<ExpiringLot>) -> impl IntoView {
    let t = use_tr();
    view! {
        <Ledger title=t.ops_lots_title empty=lots.is_empty() testid="lots">
            <table class="table">
                <thead><tr><th>{t.ops_col_expires_on}</th><th class="ops-num">{t.ops_col_points}</th></tr></thead>
                <tbody>
                    {lots.iter().map(|lot| view! {
                        <tr><td>{lot.expires_on.clone()}</td><td class="ops-num">{lot.points}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Ledger>
    }
    .into_any()
}

#[component]
pub fn PointsTable(lines: Vec<PointsLine>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    view! {
        <Ledger title=t.ops_points_ledger_title empty=lines.is_empty() testid="points-ledger">
            <table class="table">
                <thead><tr>
                    <th>{t.ops_col_time}</th><th>{t.ops_col_kind}</th><th>{t.ops_col_source}</th>
                    <th class="ops-num">{t.ops_col_points}</th><th>{t.field_reason}</th>
                </tr></thead>
                <tbody>
                    {lines.iter().map(|line| {
                        let what = match (line.kind.as_str(), line.source.as_str()) {
                            ("spend", "payment") | ("restore", "payment") => line_title(t, &line.kind, &line.source),
                            _ => source_label(t, &line.source).to_string(),
                        };
                        let source = match &line.tenant {
                            Some(tenant) => format!("{what} · {}", tenant.get(lang)),
                            None => what,
                        };
                        view! {
                            <tr>
                                <td class="ops-nowrap">{line.at.clone()}</td>
                                <td>{kind_label(t, &line.kind)}</td>
                                <td>{source}</td>
                                <td class="ops-num">{signed(line.points)}</td>
                                <td>{reason_text(t, "points.", &line.reason)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </Ledger>
    }
    .into_any()
}

#[component]
pub fn CouponsTable(coupons: Vec<WalletCoupon>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    view! {
        <Ledger title=t.ops_coupons_title empty=coupons.is_empty() testid="member-coupons">
            <table class="table">
                <thead><tr>
                    <th>{t.field_coupon}</th><th>{t.ops_col_terms}</th><th>{t.ops_col_code}</th>
                    <th>{t.ops_col_valid}</th><th>{t.status}</th>
                </tr></thead>
                <tbody>
                    {coupons.iter().map(|c| view! {
                        <tr>
                            <td>{c.terms.name.get(lang).to_string()}</td>
                            <td>{headline(t, &c.terms)}</td>
                            <td class="ops-mono">{c.code.clone()}</td>
                            <td class="ops-nowrap">{format!("{} – {}", c.valid_from, c.valid_until)}</td>
                            <td><span class="badge">{coupon_status(t, c.status)}</span></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Ledger>
    }
    .into_any()
}

#[component]
pub fn SvTable(lines: Vec<SvMovementLine>) -> impl IntoView {
    let t = use_tr();
    view! {
        <Ledger title=t.ops_sv_ledger_title empty=lines.is_empty() testid="sv-ledger">
            <table class="table">
                <thead><tr>
                    <th>{t.ops_col_time}</th><th>{t.ops_col_kind}</th><th class="ops-num">{t.field_amount}</th>
                    <th class="ops-num">{t.ops_col_balance_after}</th><th>{t.ops_col_reference}</th><th>{t.field_reason}</th>
                </tr></thead>
                <tbody>
                    {lines.iter().map(|line| view! {
                        <tr>
                            <td class="ops-nowrap">{line.at.clone()}</td>
                            <td>{sv_kind(t, &line.kind)}</td>
                            <td class="ops-num">{line.amount.to_string()}</td>
                            <td class="ops-num">{line.balance_after.to_string()}</td>
                            <td class="ops-mono">{line.reference.clone()}</td>
                            <td>{line.reason.clone()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Ledger>
    }
    .into_any()
}

/// Audit entries; `member_links` adds a link to each entry's member (the log page).
#[component]
pub fn AuditTable(lines: Vec<AuditLine>, #[prop(optional)] member_links: bool) -> impl IntoView {
    let t = use_tr();
    view! {
        <Ledger title=t.ops_audit_title empty=lines.is_empty() testid="audit-lines">
            <table class="table">
                <thead><tr>
                    <th>"#"</th><th>{t.ops_col_time}</th><th>{t.ops_col_actor}</th><th>{t.ops_col_action}</th>
                    {member_links.then(|| view! { <th>{t.ops_col_member}</th> })}
                    <th>{t.ops_col_subject}</th><th class="ops-num">{t.ops_col_amount}</th><th>{t.field_reason}</th>
                </tr></thead>
                <tbody>
                    {lines.iter().map(|line| view! {
                        <tr>
                            <td class="muted">{line.seq}</td>
                            <td class="ops-nowrap">{line.at.clone()}</td>
                            <td>{actor_label(t, &line.actor)}</td>
                            <td>{action_label(t, &line.action)}</td>
                            {member_links.then(|| view! {
                                <td>{line.member.map(|m| view! { <a href=format!("/ops/members/{m}")>{format!("#{m}")}</a> })}</td>
                            })}
                            <td class="ops-mono ops-break">{line.subject.clone()}</td>
                            <td class="ops-num">{amount_text(t, line.unit, line.amount)}</td>
                            <td>{reason_text(t, &line.action, &line.reason)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Ledger>
    }
    .into_any()
}
