#!/usr/bin/env node
// DuckDB left join keeping catalogue order (perf-anchors g-ord), on (uai, cfd). Needs @duckdb/node-api,
// installed apart by bench/install-tools.sh (not a dependency of inserjeunes).
// usage: NODE_PATH=bench/.tools/node_modules node bench/join-duckdb.mjs CATALOGUE INDICATEURS OUT
import { createRequire } from "node:module";

const require = createRequire(`${process.env.NODE_PATH ?? "."}/`);
const { DuckDBInstance } = require("@duckdb/node-api");
const [cat, ind, out] = process.argv.slice(2);
const instance = await DuckDBInstance.create(":memory:", { threads: "2" });
const conn = await instance.connect();
const lit = (s) => `'${s.replaceAll("'", "''")}'`;
await conn.run(`COPY (
  SELECT c.* EXCLUDE (rn), i.* EXCLUDE (uai, cfd)
  FROM (SELECT *, row_number() OVER () AS rn
        FROM read_csv(${lit(cat)}, delim=';', header=true, quote='"', escape='"', all_varchar=true, null_padding=true, strict_mode=false)) c
  LEFT JOIN read_csv(${lit(ind)}, delim=';', header=true, all_varchar=true) i ON i.uai = c.uai AND i.cfd = c.cfd
  ORDER BY c.rn
) TO ${lit(out)} (HEADER, DELIMITER ';')`);
