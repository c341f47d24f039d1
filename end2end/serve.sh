#!/usr/bin/env bash
# Starts a throw-away Plaza for the browser tests: a fresh SQLite database with the demo mall.
# It trusts X-Forwarded-For so each test can act from its own client address (rate limits are
# per address, and the tests sign in many times).
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAZA_ENV=demo
export PLAZA_DATA_DIR="${PLAZA_E2E_DATA:-target/e2e/data}"
export LEPTOS_SITE_ADDR="127.0.0.1:${PLAZA_E2E_PORT:-3100}"
export LEPTOS_SITE_ROOT=target/site
export PLAZA_TRUST_PROXY=1
export RUST_LOG="${RUST_LOG:-warn}"
bin="${PLAZA_BIN:-target/debug/plaza}"
rm -rf "$PLAZA_DATA_DIR"
"$bin" seed-demo >/dev/null
exec "$bin" serve
