//! One after-sales request as everyone sees it — the lines and amount, the shopper's reason and
//! photos, the shop's, the dispute's and the mall's words, and its history — with room below for
//! the actions of whoever is looking; and the words for its states, reasons and refusals.

use crate::i18n::{fill, use_lang, use_tr, Tr};
use leptos::prelude::*;
use plaza_types::dto::{AfterSalesParty, AfterSalesProblem, AfterSalesReason, AfterSalesState, AfterSalesView};

pub fn state_label(t: &Tr, s: AfterSalesState) -> &'static str {
    match s {
        AfterSalesState::Requested => t.as_state_requested,
        AfterSalesState::Refunding => t.as_state_refunding,
        AfterSalesState::Refunded => t.as_state_refunded,
        AfterSalesState::Rejected => t.as_state_rejected,
        AfterSalesState::Disputed => t.as_state_disputed,
        AfterSalesState::Upheld => t.as_state_upheld,
    }
}

pub fn reason_label(t: &Tr, r: AfterSalesReason) -> &'static str {
    match r {
        AfterSalesReason::Damaged => t.as_reason_damaged,
        AfterSalesReason::NotAsDescribed => t.as_reason_not_as_described,
        AfterSalesReason::WrongItem => t.as_reason_wrong_item,
        AfterSalesReason::Missing => t.as_reason_missing,
        AfterSalesReason::Quality => t.as_reason_quality,
        AfterSalesReason::NoLongerWanted => t.as_reason_no_longer_wanted,
        AfterSalesReason::Other => t.as_reason_other,
    }
}

fn party_label(t: &Tr, p: AfterSalesParty) -> &'static str {
    match p {
        AfterSalesParty::Shopper => t.as_by_shopper,
        AfterSalesParty::Shop => t.as_by_shop,
        AfterSalesParty::Operator => t.as_by_operator,
        AfterSalesParty::System => t.as_by_system,
    }
}

pub fn problem_text(t: &Tr, p: AfterSalesProblem) -> &'static str {
    match p {
        AfterSalesProblem::AlreadyOpen => t.as_problem_already_open,
        AfterSalesProblem::NotEligible => t.as_problem_not_eligible,
        AfterSalesProblem::Lines => t.as_problem_lines,
        AfterSalesProblem::Reason => t.as_problem_reason,
        AfterSalesProblem::TooManyPhotos => t.as_problem_too_many_photos,
        AfterSalesProblem::AlreadyDecided => t.as_problem_already_decided,
        AfterSalesProblem::NotDisputable => t.as_problem_not_disputable,
        AfterSalesProblem::Note => t.as_problem_note,
    }
}

/// The request; `children` (the viewer's actions) go at the bottom.
#[component]
pub fn AfterSalesCard(r: AfterSalesView, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let t = use_tr();
    let lang = use_lang();
    let said = |label: &'static str, words: String| {
        (!words.is_empty()).then(|| view! { <p><strong>{label}"："</strong>{words}</p> })
    };
    view! {
        <article class="panel as-card" data-testid="aftersales" data-state=r.state.as_str() data-id=r.id>
            <p class="as-head">
                <span class="badge" data-testid="aftersales-state">{state_label(t, r.state)}</span>" "
                <span class="muted small">"AS"{r.id}" · "{r.created_at.clone()}</span>
            </p>
            <p class="muted small">{t.as_order}" "{r.order_no.clone()}" · "{r.shop.get(lang).to_string()}
                {(!r.buyer.is_empty()).then(|| format!(" · {} {}", t.as_buyer, r.buyer))}</p>
            <ul class="mo-lines">
                {r.lines.iter().map(|l| view! {
                    <li><span>{l.title.clone()}{(!l.spec.is_empty()).then(|| format!(" · {}", l.spec))}" × "{l.quantity}</span>
                        <span>{l.amount.to_string()}</span></li>
                }).collect_view()}
            </ul>
            <p>{t.as_amount}" "<strong data-testid="aftersales-amount">{r.amount.to_string()}</strong>" · "
                {if r.returning { t.as_goods_back } else { t.as_goods_kept }}</p>
            <p><strong>{t.as_reason}"："</strong>{reason_label(t, r.reason)}
                {(!r.reason_text.is_empty()).then(|| format!(" — {}", r.reason_text))}</p>
            {(!r.photos.is_empty()).then(|| view! {
                <p class="as-photos">
                    {r.photos.iter().map(|p| view! {
                        <a href=p.url.clone() target="_blank"><img src=p.thumb.clone() width="80" height="80" alt="" loading="lazy" data-testid="aftersales-photo" /></a>
                    }).collect_view()}
                </p>
            })}
            {said(t.as_shop_said, r.shop_note.clone())}
            {said(t.as_dispute_said, r.dispute_note.clone())}
            {said(t.as_operator_said, r.operator_note.clone())}
            {r.refund_no.clone().map(|no| view! { <p class="muted small">{t.as_refund_no}" "{no}</p> })}
            <details>
                <summary>{t.as_history}</summary>
                <ol class="mo-steps">
                    {r.steps.iter().map(|s| view! {
                        <li><span>{state_label(t, s.state)}</span>" · "{party_label(t, s.by)}" "
                            <span class="muted small">{s.at.clone()}</span>
                            {(!s.note.is_empty()).then(|| view! { <br /><span class="small">{s.note.clone()}</span> })}</li>
                    }).collect_view()}
                </ol>
            </details>
            {children.map(|c| c())}
        </article>
    }
}

/// "{n} refundable, {price} each".
pub fn left_text(t: &Tr, n: i64, price: plaza_types::Fen) -> String {
    fill(t.as_left, &[("n", &n.to_string()), ("price", &price.to_string())])
}
