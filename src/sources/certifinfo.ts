import { parseCertifInfo, parseCfd, parseOnisepFor, parseRncp, parseSise } from "../match/identifiers.js";
import type { CertifInfoRecord, CodeType, LinkRecord } from "./records.js";
import {
  FileWarnings,
  invalidCodes,
  normalizeHeader,
  readHeader,
  readTable,
  type TableSpec,
} from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * Certif Info (Réseau des Carif-Oref). `Code_Diplome` is the Certif Info id and is not unique (one row per
 * ancien diplôme): rows are kept as they are, the index de-duplicates links. Two families of files:
 * - the open-data / Orion export (37 columns, `Code_Diplome`…`codeIdeo2`, never quoted, literal `"`);
 * - the RCO bucket copies (`inserJeune-certifinfo.csv`: `Code Certifinfo;…;Code Sise;Code scolarité`,
 *   RFC-quoted, whose first line comes before the header and is skipped), which also carry the SISE code.
 * The RCO `inserJeune-sise-rncp.csv` (`Code RNCP;Code Sise`) may sit in the same folder: recognised by its
 * header, it yields RNCP → SISE links. Formats: research/source-formats.md §3.1, trajectoires-pro.md §1.9.
 */
export const certifInfoSpec = {
  table: "Certif Info",
  quote: "none",
  preambleLines: 1,
  columns: {
    id: { names: ["Code_Diplome", "Code Certifinfo"], required: true },
    libelle: { names: ["Libelle_Diplome", "Intitule Certifinfo"] },
    type: { names: ["Libelle_Type_Diplome"] },
    niveau: { names: ["Code_Niveau_Europeen"] },
    rncp: { names: ["Code_RNCP", "Code RNCP"], required: true },
    cfd: { names: ["Code_Scolarité", "Code scolarité"], required: true },
    certificateur: { names: ["certificateur"] },
    valideur: { names: ["valideur"] },
    ideo: { names: ["codeIdeo2", "Code Onisep Ideo"] },
    sise: { names: ["Code Sise"] },
    ancienId: { names: ["Code_Ancien_Diplome"] },
    ancienRncp: { names: ["Code_Ancien_RNCP"] },
    ancienCfd: { names: ["Code_Ancien_Scolarité"] },
  },
  known: [
    "Date_MaJ",
    "Code_FormaCode",
    "Libelle_FormaCode",
    "Code_Rome_1",
    "Code_Rome_2",
    "Code_Rome_3",
    "Code_Rome_4",
    "Code_Rome_5",
    "Code_Nsf",
    "Code_RS",
    "Annee_Premiere_Session",
    "Annee_Derniere_Session",
    "Intitulé_Ancien_Diplome",
    "Options",
    "Etat",
    "Etat_Libelle",
    "Etat_Ancien_Diplome",
    "Etat_Ancien_Diplome_Libelle",
    "accessibilite_fi",
    "accessibilite_ca",
    "accessibilite_fc",
    "accessibilite_cp",
    "accessibilite_vae",
    "accessibilite_ind",
    "code_type_diplome",
    "Code Onisep",
    "Code Certifinfo remplaçant",
    "Formacode principal",
  ],
  vintages: [
    { name: "Certif Info open data / Orion export (37 columns)", test: (h) => h.has("codeideo2") },
    { name: "RCO bucket inserJeune-certifinfo", test: (h) => h.has("code_certifinfo") },
    { name: "Certif Info (other columns)", test: () => true },
  ],
} satisfies TableSpec<string>;

/** RCO `inserJeune-sise-rncp.csv`: which SISE diplomas an RNCP fiche corresponds to. */
export const siseRncpSpec = {
  table: "RCO inserJeune-sise-rncp",
  quote: "none",
  preambleLines: 1,
  columns: {
    rncp: { names: ["Code RNCP"], required: true },
    sise: { names: ["Code Sise"], required: true },
  },
  vintages: [{ name: "RCO bucket inserJeune-sise-rncp", test: () => true }],
} satisfies TableSpec<string>;

/** `codeIdeo2` holds FOR ids, and sometimes other Idéo ids (`TYPDISP.nn`, a type of dispositif): not links. */
const OTHER_IDEO_ID = /^TYPDISP\./i;

async function isSiseRncpTable(file: SourceFile): Promise<boolean> {
  // The RCO preamble line may come first: the names of the first two lines are looked at.
  const headers = (await readHeader(file, 1)).map(normalizeHeader);
  return (
    headers.includes("code_sise") && !headers.some((h) => h === "code_certifinfo" || h === "code_diplome")
  );
}

async function* parse(
  files: readonly SourceFile[],
  ctx: ParseContext,
): AsyncGenerator<CertifInfoRecord | LinkRecord> {
  for (const file of files) {
    if (await isSiseRncpTable(file)) yield* parseSiseRncp(file, ctx);
    else yield* parseCertifications(file, ctx);
  }
}

/**
 * A row also names the certification it replaced (`Code_Ancien_Diplome`, `Code_Ancien_RNCP`,
 * `Code_Ancien_Scolarité`): catalogues still carry those old codes, so they are linked too.
 */
function* ancienLinks(ci: string | null, rncp: string | null, cfd: string | null): Generator<LinkRecord> {
  const link = (fromType: CodeType, fromCode: string, toType: CodeType, toCode: string): LinkRecord => ({
    kind: "link",
    fromType,
    fromCode,
    toType,
    toCode,
  });
  if (ci && cfd) yield link("certifinfo", ci, "cfd", cfd);
  if (ci && rncp) yield link("certifinfo", ci, "rncp", rncp);
  if (rncp && cfd) yield link("rncp", rncp, "cfd", cfd);
  if (rncp && ci) yield link("rncp", rncp, "certifinfo", ci);
}

async function* parseCertifications(
  file: SourceFile,
  ctx: ParseContext,
): AsyncGenerator<CertifInfoRecord | LinkRecord> {
  const warnings = new FileWarnings(file.relPath);
  for await (const row of readTable(file, certifInfoSpec, ctx)) {
    const id = parseCertifInfo(row.get("id"));
    if (!id.ok) {
      ctx.reject(file.relPath, row.line, "invalid Certif Info id", invalidCodes({ Code_Diplome: id }));
      continue;
    }
    ctx.kept();
    yield {
      kind: "certifinfo",
      certifinfo: id.value,
      libelle: row.get("libelle"),
      typeDiplome: row.get("type"),
      niveauEuropeen: row.get("niveau") || null,
      certificateur: row.get("certificateur"),
      valideur: row.get("valideur"),
      cfd: warnings.code(row.get("cfd"), parseCfd, "Code_Scolarité", row.line),
      rncp: warnings.code(row.get("rncp"), parseRncp, "Code_RNCP", row.line),
      forId: OTHER_IDEO_ID.test(row.get("ideo"))
        ? null
        : warnings.code(row.get("ideo"), parseOnisepFor, "codeIdeo2", row.line),
      sise: warnings.code(row.get("sise"), parseSise, "Code Sise", row.line),
    };
    yield* ancienLinks(
      warnings.code(row.get("ancienId"), parseCertifInfo, "Code_Ancien_Diplome", row.line),
      warnings.code(row.get("ancienRncp"), parseRncp, "Code_Ancien_RNCP", row.line),
      warnings.code(row.get("ancienCfd"), parseCfd, "Code_Ancien_Scolarité", row.line),
    );
  }
  warnings.flush(ctx);
}

async function* parseSiseRncp(file: SourceFile, ctx: ParseContext): AsyncGenerator<LinkRecord> {
  for await (const row of readTable(file, siseRncpSpec, ctx)) {
    const rncp = parseRncp(row.get("rncp"));
    const sise = parseSise(row.get("sise"));
    if (!rncp.ok || !sise.ok) {
      ctx.reject(
        file.relPath,
        row.line,
        "invalid code",
        invalidCodes({ "Code RNCP": rncp, "Code Sise": sise }),
      );
      continue;
    }
    ctx.kept();
    yield { kind: "link", fromType: "rncp", fromCode: rncp.value, toType: "sise", toCode: sise.value };
  }
}

export const certifinfo: Source = {
  id: "certifinfo",
  title: "Certif Info — référentiel national des certifications (Carif-Oref)",
  licence: "Licence Ouverte 2.0",
  homepage: "https://www.data.gouv.fr/fr/datasets/referentiel-national-des-certifications/",
  access: {
    kind: "http",
    files: [
      {
        url: "https://www.data.gouv.fr/api/1/datasets/r/f2981d6f-e55c-42cd-8eba-3e891777e222",
        fileName: "certifinfo.csv",
      },
    ],
  },
  parse,
};
