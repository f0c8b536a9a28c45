#!/usr/bin/env bash
# The npm package as a user gets it: `npm pack`, install the tarball into a clean directory, then run the
# installed bin (--help, --version, the fixture pipeline) and the programmatic API (import from
# "inserjeunes", typed). Run by .ci/run after npm test (dist/ must be built).
#
# better-sqlite3 is not compiled a second time: its own install script (prebuild-install) is pointed at a
# local "prebuild" made of the binary the repository's `npm ci` already compiled for this Node, which it
# unpacks and loads like a downloaded one. Every other dependency comes from the npm cache.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/inserjeunes-pack-XXXXXX")"
trap 'rm -rf "$work"' EXIT
started=$(date +%s)

tarball="$work/$(cd "$repo" && npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "pack-test: $(basename "$tarball"), $(wc -c <"$tarball") bytes, $(tar -tzf "$tarball" | wc -l) files"
if tar -tzf "$tarball" | grep -Ev '^package/(bin/|dist/.*\.(js|d\.ts)$|README\.md$|package\.json$|LICENSE)'; then
  echo "pack-test: unexpected files in the package (above)" >&2
  exit 1
fi

sqlite="$repo/node_modules/better-sqlite3"
version="$(node -p "require('$sqlite/package.json').version")"
mkdir -p "$work/prebuilds"
tar -czf "$work/prebuilds/better-sqlite3-v$version-node-v$(node -p process.versions.modules)-$(node -p process.platform)-$(node -p process.arch).tar.gz" \
  -C "$sqlite" build/Release/better_sqlite3.node

app="$work/app"
mkdir -p "$app"
cd "$app"
echo '{ "name": "pack-test", "private": true, "type": "module" }' >package.json
npm_config_better_sqlite3_local_prebuilds="$work/prebuilds" \
  npm install --prefer-offline --no-audit --no-fund --loglevel=error "$tarball" >/dev/null

npx --no-install inserjeunes --help >"$work/help.txt"
grep -q "Usage: inserjeunes" "$work/help.txt"
test "$(npx --no-install inserjeunes --version)" = "$(node -p "require('$repo/package.json').version")"

# The CLI pipeline on the fixtures, from the installed package.
f="$repo/fixtures"
data="$work/data"
npx --no-install inserjeunes --data-dir "$data" --quiet fetch \
  --file "bcn-n-mef=$f/bcn-n-mef/N_MEF.csv" \
  --file "bcn-n-formation-diplome=$f/bcn-n-formation-diplome/N_FORMATION_DIPLOME.csv" \
  --file "onisep-formations-initiales=$f/onisep-formations-initiales/ideo-formations_initiales_en_france.csv" \
  --file "certifinfo=$f/certifinfo/certifinfo.csv" \
  --file "inserjeunes-api=$f/inserjeunes-api"
npx --no-install inserjeunes --data-dir "$data" --quiet build-index
npx --no-install inserjeunes --data-dir "$data" --quiet export all --out "$work/export" --lookup
(cd "$work/export" && sha256sum --quiet -c SHA256SUMS)
cmp "$work/export/certifications.csv" "$repo/test/export/expected/certifications.csv"

# The programmatic API, from the package entry, at run time and for the type checker.
cat >api.mjs <<'JS'
import { buildIndex, enrichCatalogue, exportDatasets, fetchSources, matchCatalogue } from "inserjeunes";
for (const f of [buildIndex, enrichCatalogue, exportDatasets, fetchSources, matchCatalogue])
  if (typeof f !== "function") throw new Error(`${f} is not a function`);
const [data, out] = process.argv.slice(2);
const result = await exportDatasets({ dataDir: data, out, datasets: ["certifications"], format: "ndjson" });
console.log(result.datasets.map((d) => `${d.name} ${d.rows}`).join(","));
JS
test "$(node api.mjs "$data" "$work/api-export")" = "certifications 12"
cat >api.ts <<'TS'
import { type ExportResult, exportDatasets, InserJeunesError } from "inserjeunes";
const result: Promise<ExportResult> = exportDatasets({ out: "x", datasets: ["regionales"], filters: { regions: ["84"] } });
export const rows: Promise<number> = result.then((r) => r.datasets[0]?.rows ?? 0);
export const code: number = new InserJeunesError(2, "x").exitCode;
TS
node "$repo/node_modules/typescript/bin/tsc" --noEmit --strict --module nodenext --moduleResolution nodenext \
  --target es2022 --typeRoots "$repo/node_modules/@types" --types node api.ts

echo "pack-test: installed from the tarball, bin and API checked in $(($(date +%s) - started)) s"
