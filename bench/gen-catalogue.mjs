#!/usr/bin/env node
// Partner catalogues for the benchmarks: a realistic mix of identifiers (CFD + durée, Onisep URLs, RNCP,
// MEFSTAT11, Certif Info), UAIs (mostly valid, some invalid), and bad rows (unknown codes, truncated CFDs,
// empty identifiers, a stray delimiter), deterministic.
// usage: node bench/gen-catalogue.mjs SOURCES_DIR OUT.csv ROWS [--dialect semicolon|comma-crlf-cp1252]
import { createWriteStream, readFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { tools } from "./lib/random.mjs";

const [sourcesDir, out, rowsArg, , dialectArg] = process.argv.slice(2);
const rows = Number(rowsArg);
if (!sourcesDir || !out || !rows)
  throw new Error("usage: node bench/gen-catalogue.mjs SOURCES_DIR OUT.csv ROWS");
const dialect = dialectArg ?? "semicolon";
const codes = JSON.parse(readFileSync(join(sourcesDir, "codes.json"), "utf8"));
const { int, pick, chance, digits } = tools(424242);
const d = dialect === "semicolon" ? ";" : ",";
const eol = dialect === "semicolon" ? "\n" : "\r\n";
const q = (v) => (v.includes(d) || v.includes('"') || v.includes("\n") ? `"${v.replaceAll('"', '""')}"` : v);
const LIBELLES = [
  "Bac pro maintenance des véhicules",
  "CAP cuisine",
  "BTS comptabilité et gestion",
  "CAP fleuriste",
  "Titre professionnel agent de sûreté",
  "Bac pro logistique; option transport",
  'BTS "négociation et digitalisation"',
  "MC cuisinier en desserts de restaurant",
  "Bac pro électricité, environnements connectés",
];
const DESCRIPTIONS = [
  "Former des professionnels capables d'intervenir sur l'ensemble des véhicules, en atelier comme en dépannage.",
  "Préparer aux métiers de la restauration : production culinaire, organisation du poste, hygiène et sécurité.",
  "Acquérir les compétences comptables et de gestion attendues dans les PME, cabinets et services administratifs.",
  "Une formation en alternance : deux semaines en entreprise, une semaine au centre de formation (CFA).",
  "Accès après une classe de 3e ; poursuite d'études possible en bac pro ou en BTS, selon le dossier.",
];
const COMMUNES = [
  "Lyon",
  "Saint-Étienne",
  "Besançon",
  "Évry-Courcouronnes",
  "Nîmes",
  "Orléans",
  "Aix-en-Provence",
];

const stream = createWriteStream(out);
const encode = (text) => (dialect === "semicolon" ? text : iconv.encode(text, "win1252"));
let buffer =
  [
    "id",
    "intitule",
    "uai",
    "url_onisep",
    "cfd",
    "mefstat11",
    "code_rncp",
    "certifinfo",
    "duree",
    "voie",
    "commune",
    "description",
  ].join(d) + eol;
for (let i = 1; i <= rows; i++) {
  const t = pick(codes.terminals);
  const uai = chance(0.6) ? pick(codes.schools) : chance(0.95) ? pick(codes.uais) : `0${digits(6)}X`;
  const cells = [
    String(i),
    pick(LIBELLES),
    uai,
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    pick(COMMUNES),
    `Rentrée ${2024 + int(3)}. ${pick(DESCRIPTIONS)}`,
  ];
  const kind = int(100);
  if (kind < 35) {
    cells[4] = t[1];
    cells[8] = `${t[2]} ans`;
    cells[9] = chance(0.5) ? "scolaire" : "apprentissage";
  } else if (kind < 55)
    cells[3] = `https://www.onisep.fr/http/redirection/formation/slug/${pick(codes.forIds)}`;
  else if (kind < 68) cells[6] = `RNCP${pick(codes.rncps)}`;
  else if (kind < 80) cells[5] = t[0];
  else if (kind < 90) cells[7] = pick(codes.certifinfos);
  else if (kind < 94)
    cells[4] = `${digits(7)}`; // a zero-stripped CFD
  else if (kind < 97) cells[4] = `99${digits(6)}`; // unknown
  // else: no identifier at all
  let line = cells.map(q).join(d);
  if (i % 5000 === 0) line += `${d}stray`; // one field too many
  buffer += line + eol;
  if (buffer.length > 1 << 20) {
    if (!stream.write(encode(buffer))) await new Promise((r) => stream.once("drain", r));
    buffer = "";
  }
}
stream.end(encode(buffer));
await new Promise((r) => stream.once("finish", r));
