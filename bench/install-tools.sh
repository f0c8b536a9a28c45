#!/usr/bin/env bash
# Optional comparison tools for npm run bench (not needed by inserjeunes): GNU time and Miller from Debian,
# DuckDB's Node binding into bench/.tools (git-ignored).
set -euo pipefail
cd "$(dirname "$0")"
need=()
[ -x /usr/bin/time ] || need+=(time)
command -v mlr >/dev/null || need+=(miller)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}"; fi
mkdir -p .tools
[ -d .tools/node_modules/@duckdb/node-api ] || npm install --prefix .tools --no-audit --no-fund --no-save @duckdb/node-api@1.5.6-r.1
