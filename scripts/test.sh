#!/usr/bin/env bash
# The whole test suite, as README.md and .ci/run call it: installs what is missing, builds,
# lints, type-checks, runs every vitest suite, and prints a per-suite summary.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh

ensure_debian_packages "${TEST_DEBIAN_PACKAGES[@]}" || exit 1
ensure_npm_packages || exit 1

mkdir -p test-results
declare -a step_names=() step_results=()
run_step() {
  local name=$1; shift
  echo "── $name: $*"
  local started=$SECONDS
  if "$@"; then step_results+=("pass ($((SECONDS - started)) s)"); else step_results+=("FAIL ($((SECONDS - started)) s)"); fi
  step_names+=("$name")
}

run_step build npm run --silent build
run_step lint npx eslint --max-warnings 0 .
run_step tsc npx tsc -p tsconfig.json --noEmit
run_step svelte-check npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings --output human
run_step vitest npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json

echo
echo "Summary"
for i in "${!step_names[@]}"; do printf '  %-14s %s\n' "${step_names[$i]}" "${step_results[$i]}"; done
node scripts/summarize-tests.mjs test-results/vitest.json
summary_status=$?

for result in "${step_results[@]}"; do [[ $result == pass* ]] || exit 1; done
exit "$summary_status"
