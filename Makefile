# Suara — two commands: `make run` and `make test`. Each installs what is
# missing, at the pinned versions, and does nothing twice.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)
# cargo-leptos sets this for its builds; setting it for every cargo command
# keeps tests, clippy and builds from recompiling leptos for each other.
export LEPTOS_OUTPUT_NAME := suara

CARGO_LEPTOS_VERSION := 0.3.10
# The wasm-bindgen CLI must equal the crate in Cargo.lock (pinned in Cargo.toml).
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/version = "\(.*\)"/\1/p}' Cargo.lock)
# binaryen 116 from crates.io; Debian's binaryen (108) produces wasm that breaks at runtime.
WASM_OPT_VERSION := 116

# frictionless (PyPI) checks the Data Package export in the tests.
FRICTIONLESS_VERSION := 5.21.0
FRICTIONLESS := $(CURDIR)/target/py/bin/frictionless
# schemathesis (PyPI) fuzzes the API against its OpenAPI document.
SCHEMATHESIS_VERSION := 4.32.5
# The real SMTP server of the notification tests (server/tests/api/helpers/smtp.rs).
AIOSMTPD_VERSION := 1.4.6
SCHEMATHESIS := $(CURDIR)/target/py/bin/st
# mdbook (crates.io) builds the documentation book in docs/.
MDBOOK_VERSION := 0.5.4
# cargo-deny (crates.io) checks the licences of what Suara ships.
CARGO_DENY_VERSION := 0.20.2

ADDR ?= 127.0.0.1:3000
DATABASE_URL ?= sqlite://data/suara.db

.PHONY: run test tools tools-release npm chromium frictionless aiosmtpd schemathesis build build-release test-rust test-browser test-api-fuzz bundle-size test-abuse-release lighthouse lint fmt docs mdbook licences test-licences cargo-deny

## make run: build a release and serve the demo at http://$(ADDR) (the first
## time, a year of demo responses is loaded so the dashboard has something to show)
run: tools-release build-release
	@target/release/suara --database-url '$(DATABASE_URL)' seed-demo
	@echo
	@echo "  Suara:          http://$(ADDR)"
	@echo "  Demo sign-in:   admin@suara.test / suara-demo-2026   (also auditor@suara.test,"
	@echo "                  kepala.jaksel@suara.test — a unit head — with the same password)"
	@echo
	target/release/suara --database-url '$(DATABASE_URL)' serve --addr '$(ADDR)'

## make test: Rust tests (SQLite and PostgreSQL), the browser suite, the API
## fuzzed against its OpenAPI document, then the size budget of what a
## citizen's phone downloads on a first visit
test: tools npm chromium frictionless schemathesis lint test-licences docs test-rust build test-browser test-api-fuzz bundle-size test-abuse-release

tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q ' $(CARGO_LEPTOS_VERSION)$$' \
	  || cargo install cargo-leptos --locked --version $(CARGO_LEPTOS_VERSION)
	@wasm-bindgen --version 2>/dev/null | grep -q ' $(WASM_BINDGEN_VERSION)$$' \
	  || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

tools-release: tools
	@$(HOME)/.cargo/bin/wasm-opt --version 2>/dev/null | grep -q 'version $(WASM_OPT_VERSION)' \
	  || cargo install wasm-opt --locked --version '^0.$(WASM_OPT_VERSION)'

npm:
	@if [ ! -x end2end/node_modules/.bin/playwright ] || [ end2end/package.json -nt end2end/node_modules/.installed ]; then \
	  cd end2end && npm install --no-audit --no-fund && touch node_modules/.installed; fi

chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" -eq 0 ]; then apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; \
	  else sudo apt-get install -y chromium; fi; }

frictionless:
	@$(FRICTIONLESS) --version 2>/dev/null | grep -qx '$(FRICTIONLESS_VERSION)' \
	  || { python3 -m venv target/py && target/py/bin/pip install --quiet 'frictionless==$(FRICTIONLESS_VERSION)'; }

aiosmtpd:
	@target/py/bin/python -c 'import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != "$(AIOSMTPD_VERSION)")' 2>/dev/null \
	  || { python3 -m venv target/py && target/py/bin/pip install --quiet 'aiosmtpd==$(AIOSMTPD_VERSION)'; }

schemathesis:
	@$(SCHEMATHESIS) --version 2>/dev/null | grep -q ' $(SCHEMATHESIS_VERSION)$$' \
	  || { python3 -m venv target/py && target/py/bin/pip install --quiet 'schemathesis==$(SCHEMATHESIS_VERSION)'; }

# schemathesis against the debug server (scripts/fuzz-api.sh): no 5xx, and
# every answer as the OpenAPI document describes it.
test-api-fuzz: schemathesis build
	ST='$(SCHEMATHESIS)' scripts/fuzz-api.sh target/debug/suara

build: tools
	cargo leptos build

# Release: the site's files precompressed (brotli and gzip) beside each file.
build-release: tools-release
	cargo leptos build --release --precompress

## make docs: the documentation book (docs/) into target/book, and a check
## that no link in it, the README, CHANGELOG.md or ARCHITECTURE.md is broken
docs: mdbook
	mdbook build docs
	python3 scripts/check-links.py

mdbook:
	@mdbook --version 2>/dev/null | grep -q 'v$(MDBOOK_VERSION)$$' \
	  || cargo install mdbook --locked --version $(MDBOOK_VERSION) --no-default-features --features search

## make licences: list the licences of what Suara ships in the book
## (docs/src/operations/licences.md); make test checks them and the list
licences: cargo-deny
	scripts/licences.py

test-licences: cargo-deny
	cargo deny --offline check licenses
	scripts/licences.py --check

cargo-deny:
	@cargo deny --version 2>/dev/null | grep -q ' $(CARGO_DENY_VERSION)$$' \
	  || cargo install cargo-deny --locked --version $(CARGO_DENY_VERSION)

lint:
	cargo fmt --all -- --check
	cargo clippy -p server --all-targets -- -D warnings
	cargo clippy -p app --features ssr --all-targets -- -D warnings
	cargo clippy -p app --lib --target wasm32-unknown-unknown --no-default-features --features csr -- -D warnings

fmt:
	cargo fmt --all

test-rust: frictionless aiosmtpd
	@export SUARA_TEST_PG_URL="$$(scripts/test-postgres.sh)"; \
	  export SUARA_FRICTIONLESS='$(FRICTIONLESS)'; \
	  echo "PostgreSQL for tests: $${SUARA_TEST_PG_URL%%:*}://…"; \
	  cargo test -p app --features ssr && cargo test -p server

# The abuse suite (server/tests/api/abuse.rs) again on the release build,
# where a citizen's request must be answered within 1 s (3 s in debug) while
# every attack of issue 30 runs at once, with no 5xx.
test-abuse-release: frictionless aiosmtpd
	@export SUARA_TEST_PG_URL="$$(scripts/test-postgres.sh)"; \
	  export SUARA_FRICTIONLESS='$(FRICTIONLESS)'; \
	  cargo test --release -p server --test api abuse::

# What a first visit to a citizen page transfers on the wire from the running
# release server (its own site root: the debug site the browser suite runs
# against stays as it is); fails over budget (see scripts/bundle-size.sh).
bundle-size: tools-release npm chromium
	LEPTOS_SITE_ROOT=target/site-release cargo leptos build --release --precompress
	scripts/bundle-size.sh target/site-release

## make lighthouse: Lighthouse (mobile) on /, /s/{code} and /k/{code} of the
## release build, three runs each; prints scores and LCP
lighthouse: build-release npm chromium
	scripts/lighthouse.sh target/site

test-browser:
	@rm -rf end2end/test-results
	@export E2E_PORT="$$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"; \
	  cd end2end && status=0; npx playwright test || status=$$?; node summary.mjs; exit $$status
