#!/usr/bin/env bash
# Runs one fuzz target for a number of seconds, building it first if needed.
#
#   scripts/fuzz.sh TARGET SECONDS [LIBFUZZER-OPTION...]
#   scripts/fuzz.sh --list
#
# Targets: see TARGETS below and docs/fuzzing.md. The corpus (fuzz/corpus/TARGET) is seeded at
# every run from examples/, cases/, the tests' input files and ../shared/reference (whose files
# must never be committed, which is why the corpus is not); what the fuzzer finds stays there
# between runs. A crash or a broken contract is written to fuzz/artifacts/TARGET/ and the
# script fails.
#
# Needs cargo-fuzz (cargo install cargo-fuzz --version 0.13.2 --locked) and a C++ compiler
# (libFuzzer is C++). Builds on the stable toolchain: without a sanitizer (--sanitizer none;
# akkoord forbids unsafe code, so AddressSanitizer would only slow the search) cargo-fuzz asks
# rustc for no unstable flag. Set AKKOORD_FUZZ_TARGET_DIR to build elsewhere than fuzz/target.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fuzz="$root/fuzz"
shared="$root/../shared"

TARGETS=(toml_scenario decide bdm_table deu_table consensus_forecast exchange expected_utility)

usage() {
  echo "usage: scripts/fuzz.sh TARGET SECONDS [LIBFUZZER-OPTION...]" >&2
  echo "targets: ${TARGETS[*]}" >&2
  exit 2
}

if [[ "${1:-}" == "--list" ]]; then
  printf '%s\n' "${TARGETS[@]}"
  exit 0
fi
[[ $# -ge 2 ]] || usage
target="$1"
seconds="$2"
shift 2
[[ " ${TARGETS[*]} " == *" $target "* ]] || { echo "unknown target: $target" >&2; usage; }
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "SECONDS must be a whole number, found $seconds" >&2; usage; }
if ! cargo fuzz --version > /dev/null 2>&1; then
  echo "cargo-fuzz is not installed: cargo install cargo-fuzz --version 0.13.2 --locked" >&2
  exit 3
fi

corpus="$fuzz/corpus/$target"
mkdir -p "$corpus" "$fuzz/artifacts/$target"

# Copies each file given into the corpus under a name made from its path (existing entries
# are kept: the corpus grows).
seed() {
  local file name
  for file in "$@"; do
    [[ -f "$file" ]] || continue
    name="seed-$(realpath --relative-to="$root/.." "$file" | tr '/' '_')"
    [[ -e "$corpus/$name" ]] || cp "$file" "$corpus/$name"
  done
}

# The test inputs of every crate (malformed files, fixtures), found by what they hold.
test_inputs() { find "$root"/crates/*/tests -type f ! -name '*.rs' ! -name '*.snap' | sort; }

case "$target" in
  toml_scenario)
    seed "$root"/examples/*.toml "$root"/cases/*.toml $(test_inputs | grep '\.toml$')
    ;;
  decide)
    seed $(test_inputs | xargs grep -l "#A" 2> /dev/null) "$shared"/reference/decide/inputs/*
    ;;
  bdm_table)
    seed $(test_inputs | xargs grep -li "^actor" 2> /dev/null) "$shared"/reference/bdm/inputs/*.csv
    ;;
  deu_table)
    seed $(test_inputs | xargs grep -l "prnrnmc" 2> /dev/null)
    # The DEU III table is large: its header and first rows are seed enough.
    if [[ -f "$shared/data/validation/deu3.csv" ]]; then
      head -n 30 "$shared/data/validation/deu3.csv" > "$corpus/seed-deu3-head.csv"
    fi
    ;;
  *) ;; # The model targets build their scenarios from raw bytes: no text seeds.
esac
if [[ ! -d "$shared/reference" ]]; then
  echo "note: $shared/reference is missing; seeding $target from the project's files only" >&2
fi

dict=()
if [[ -f "$fuzz/dict/$target.dict" ]]; then
  dict=("-dict=$fuzz/dict/$target.dict")
fi

cd "$root"
exec cargo fuzz run "$target" \
  --fuzz-dir "$fuzz" \
  --sanitizer none \
  --debug-assertions \
  --target-dir "${AKKOORD_FUZZ_TARGET_DIR:-$fuzz/target}" \
  "$corpus" \
  -- \
  -max_total_time="$seconds" \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -artifact_prefix="$fuzz/artifacts/$target/" \
  -print_final_stats=1 \
  "${dict[@]}" \
  "$@"
