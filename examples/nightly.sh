#!/usr/bin/env bash
# Nightly refresh of an InserJeunes publication, for cron (install once with `npm install inserjeunes` in
# this directory, so that npx uses that version):
#
#   15 3 * * *  cd /srv/inserjeunes && ./nightly.sh >>nightly.log 2>&1
#
# fetch → build-index → export all. The first command that fails stops the run, and its exit code is the
# script's (DESIGN.md: 2 usage/input, 3 missing data, 4 upstream, 5 too many errors): cron mails it, a
# supervisor alerts on it. A failed or interrupted run never touches the previous publication: export
# swaps its output directory in one step, only once every file of the new one is written.
set -euo pipefail

# The data directory is the cache between runs: keep it, and fetch only refreshes what changed.
export INSERJEUNES_DATA_DIR="${INSERJEUNES_DATA_DIR:-$HOME/.cache/inserjeunes-data}"
out="${INSERJEUNES_EXPORT_DIR:-./publication}"
# Extra fetch arguments, e.g. a source with no public URL: INSERJEUNES_FETCH_ARGS="--file acce=/data/acce.csv".
# Credentials (INSERJEUNES_API_USERNAME, INSERJEUNES_API_PASSWORD) come from the environment, never from here.
read -r -a fetch_args <<<"${INSERJEUNES_FETCH_ARGS:-}"

previous="$(cat "$out/SHA256SUMS" 2>/dev/null || true)"

# `|| exit $?`: under `set -e` a failure inside an && chain (other than its last command) does not stop
# the script by itself.
npx inserjeunes fetch ${fetch_args[@]+"${fetch_args[@]}"} &&
  npx inserjeunes build-index &&
  npx inserjeunes export all --out "$out" --lookup || exit $?

# Monitoring: fail (exit 3) when a source has not been refreshed for more than 8 days.
npx inserjeunes status --max-age 8 >/dev/null

# The datasets are byte-identical when the sources did not change: publish only on change.
if [ "$(cat "$out/SHA256SUMS")" = "$previous" ]; then
  echo "nightly: datasets unchanged"
else
  echo "nightly: datasets changed"
  # Publish here, e.g.: rsync -a --delete "$out/" publication-host:/srv/www/inserjeunes/
fi
