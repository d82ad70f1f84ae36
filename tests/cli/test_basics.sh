#!/usr/bin/env bash
# The command-line surface: help, version, unknown commands and flags.
. "$VOUCH_SRC/tests/support/lib.sh"

run "$VOUCH" --help
expect_rc 0 "--help"
expect_match "$OUT" "^usage: vouch COMMAND" "--help prints usage"
run "$VOUCH"
expect_rc 2 "no command"
run "$VOUCH" frobnicate
expect_rc 2 "unknown command"
expect_match "$ERR" "^vouch: unknown command 'frobnicate'" "unknown command message"
run "$VOUCH" version
expect_rc 0 "version"
expect_match "$OUT" "^vouch [0-9]+\.[0-9]+\.[0-9]+" "version line"
expect_match "$OUT" "OpenSSL 3" "version lists OpenSSL"
expect_match "$OUT" "libsodium" "version lists libsodium"
expect_match "$OUT" "^  libvouch-sign 0\.1\.0, libvouch-sbom 0\.1\.0, libvouch-slsa 0\.1\.0$" "version lists the three libraries"
run "$VOUCH" help version
expect_rc 0 "help version"
expect_match "$OUT" "usage: vouch version" "help CMD prints its usage"
run "$VOUCH" version --help
expect_rc 0 "CMD --help"
run "$VOUCH" help nope
expect_rc 2 "help for unknown command"
run "$VOUCH" version extra
expect_rc 2 "version with extra argument"
finish
