#!/usr/bin/env bash
# test.sh runs every check of every module in this repository: formatting,
# go vet (also for Windows and macOS), staticcheck, all tests with the race
# detector, the allocation tests (which need a build without it), and each
# fuzz target briefly.
# CI runs exactly this (.ci/run). It needs only Go; staticcheck is fetched
# through the module proxy.
#
#   FUZZBUDGET=5000000 scripts/test.sh   # fuzz longer (default 720000 inputs in all)
#   FUZZCOUNT=50000 scripts/test.sh      # or give every target the same count
set -euo pipefail
cd "$(dirname "$0")/.."

STATICCHECK=honnef.co/go/tools/cmd/staticcheck@v0.8.2
# Fuzzing runs a number of inputs rather than a duration: Go 1.26's fuzz
# coordinator can fail a duration-limited run with "context deadline
# exceeded" and no crasher (golang/go#75804, fixed in Go 1.27).
# The inputs are a total budget, split evenly among the targets, so CI's
# time stays bounded as targets are added (at least 10000 each).
FUZZBUDGET=${FUZZBUDGET:-720000}
# Every module: the root and the ones with their own go.mod.
MODULES=(. $(find . -mindepth 2 -name go.mod -not -path '*/testdata/*' -exec dirname {} \; | sort))

step() { printf '\n== %s\n' "$*"; }
start=$(date +%s)

step "gofmt"
unformatted=$(find . -name '*.go' -not -path '*/testdata/*' -print0 | xargs -0 gofmt -l)
if [ -n "$unformatted" ]; then
  printf 'not gofmt-clean:\n%s\n' "$unformatted"
  exit 1
fi

for m in "${MODULES[@]}"; do
  step "module $m: go vet, staticcheck, tests (-race)"
  (
    cd "$m"
    go vet ./...
    go run "$STATICCHECK" ./...
    go test -race -count=1 ./...
  )
done

# Files built only off Linux (client/alive_other.go, server/session_other.go,
# internal/iobuf/exchange_other.go, the benchmark commands' main_other.go)
# are compiled and vetted here; the tests above never build them.
for m in "${MODULES[@]}"; do
  for goos in windows darwin; do
    step "module $m: go vet with GOOS=$goos"
    (cd "$m" && GOOS=$goos go vet ./...)
  done
done

step "allocation tests (without -race)"
go test -count=1 -run 'Alloc' ./...

# nested reports whether a directory belongs to a module other than the root.
nested() {
  local n
  for n in "${MODULES[@]:1}"; do [[ "$1/" == "$n/"* ]] && return 0; done
  return 1
}
# Every fuzz target, as "module dir target".
targets=()
for m in "${MODULES[@]}"; do
  for file in $(grep -rl --include='*_test.go' '^func Fuzz' "$m" | grep -v '/testdata/' | sort); do
    dir=$(dirname "$file")
    if [ "$m" = . ] && nested "$dir"; then continue; fi
    for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
      targets+=("$m $dir $target")
    done
  done
done
count=${FUZZCOUNT:-$(( FUZZBUDGET / ${#targets[@]} ))}
if [ "$count" -lt 10000 ]; then count=10000; fi
step "fuzz targets: ${#targets[@]}, $count inputs each"
for t in "${targets[@]}"; do
  read -r m dir target <<<"$t"
  echo "-- $dir $target"
  pkg="./${dir#"$m"/}"
  if [ "$dir" = "$m" ]; then pkg=.; fi # a target in a nested module's root package
  if ! out=$(cd "$m" && go test -run='^$' -fuzz="^${target}\$" -fuzztime="${count}x" -fuzzminimizetime=5s "$pkg" 2>&1); then
    printf '%s\n' "$out"
    exit 1
  fi
done

step "all checks passed in $(( $(date +%s) - start ))s"
