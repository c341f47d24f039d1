//! Coupons: templates with their terms in words, creating, pausing and ending them, and batches.

mod batch;
mod create_form;
mod page;

pub use batch::{issue_coupon_batch, IssueCouponBatch};
pub use create_form::{create_coupon_template, CreateCouponTemplate};
pub use page::{get_coupon_templates, set_template_status, GetCouponTemplates, OpsCouponsPage, SetTemplateStatus};
