# Plaza — the two commands:
#   make run    installs what is missing, builds in release mode, migrates and seeds ./data, serves :3000
#   make test   runs every test: unit, database (SQLite; PostgreSQL too with TEST_DATABASE_URL),
#               in-process HTTP, and end-to-end in Debian's Chromium (JS on and off)
.PHONY: run build site test test-rust rust-tests release-site test-e2e test-production bench clean

PLAZA := ./target/release/plaza

# The demo: the demo mall, SMS codes on screen and the payment sandbox, on 127.0.0.1 only.
run: export PLAZA_ENV = demo
run: build
	$(PLAZA) migrate
	$(PLAZA) seed-demo
	$(PLAZA) serve

build:
	scripts/setup
	cargo xtask build --release

site:
	scripts/setup
	cargo xtask site --release

# The Rust tests and the release site build run side by side (two cores: the wasm build's
# single-threaded LTO links and the tests' waits on the databases leave each other room), then
# the browser tests. xtask is built first and called directly, so the site build does not queue
# behind the test build for the debug directory's lock.
test:
	@echo "[make] test started at $$(date +%T)"
	scripts/setup --test
	cargo build --quiet --package xtask
	$(MAKE) --no-print-directory -j2 rust-tests release-site
	$(MAKE) --no-print-directory test-e2e

test-rust:
	scripts/setup --test
	$(MAKE) --no-print-directory rust-tests

rust-tests:
	cargo test --workspace --exclude plaza-frontend
	@echo "[make] rust-tests finished at $$(date +%T)"

release-site:
	target/debug/xtask site --release
	@echo "[make] release-site finished at $$(date +%T)"

# The browser tests run the release wasm (wasm-opt included: only a real browser catches a broken
# optimiser) against a debug server, which shares its build with the Rust tests: `cargo test
# --no-run` over the same packages builds target/debug/plaza with the test build's features (a
# plain `cargo build -p plaza-server` would compile core, the app and the server a second time).
TEST_BUILD := cargo test --workspace --exclude plaza-frontend --no-run --quiet

test-e2e:
	scripts/setup --test
	cargo xtask site --release
	cargo xtask sizes
	$(TEST_BUILD)
	npm run e2e
	@echo "[make] test-e2e finished at $$(date +%T)"

# Production as the README describes it, tried: two instances in production mode on one
# PostgreSQL (TEST_DATABASE_URL) behind Debian's nginx with TLS, the SMS and WeChat Pay stand-ins
# as providers; a shopper signs in, pays on one instance, the other's counter feed shows it.
# Needs nginx and PostgreSQL (.ci/run provides both); reuses the debug server, stand-ins and site
# of test-e2e.
test-production:
	cargo xtask site --release
	$(TEST_BUILD)
	deploy/smoke-test

bench: build
	bench/run

clean:
	rm -rf target/site target/e2e
