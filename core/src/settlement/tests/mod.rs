//! Reports and statements from real sales of every channel, on both databases
//! (`TEST_DATABASE_URL` for PostgreSQL): plate payments with coupons of either funder, points,
//! stored value and the provider; a scan-to-order order; a mall checkout across two shops; and
//! refunds a day after their sales.

mod reconcile;
mod setup;
mod top_items;
