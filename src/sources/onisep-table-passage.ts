import { parseCertifInfo, parseCfd, parseOnisepFor, parseRncp, splitList } from "../match/identifiers.js";
import { onisepDownload } from "./onisep.js";
import type { LinkRecord } from "./records.js";
import { FileWarnings, invalidCodes, readTable, type TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * Onisep table de passage codes certifications et formations (dataset 6152ccdf850ef): one Certif Info
 * certification with its RNCP code, its code scolarité (CFD) and the Idéo formation(s) (FOR id) it
 * corresponds to. Yields the links between those codes (research/source-formats.md §2.4). No real file
 * was available: the four code columns are required.
 */
export const tablePassageSpec = {
  table: "Onisep table de passage",
  columns: {
    certifinfo: { names: ["Certif Info (CI) Identifiant"], required: true },
    rncp: { names: ["CI Code RNCP"], required: true },
    cfd: { names: ["CI Code Scolarité"], required: true },
    ideo: { names: ["Idéo Identifiant formation"], required: true },
  },
  known: [
    "CI Niveau européen",
    "CI Intitulé type diplôme",
    "CI Intitulé",
    "CI Certifiant",
    "RNCP Intitulé",
    "RNCP Type enregistrement",
    "V_Formation_Diplôme Libellé long",
    "Idéo Libellé complet formation",
    "Statut",
  ],
  vintages: [
    { name: "JSON (snake_case keys)", test: (_h, format) => format === "json" },
    { name: "CSV 2023 (13 columns)", test: () => true },
  ],
} satisfies TableSpec<string>;

async function* parse(files: readonly SourceFile[], ctx: ParseContext): AsyncGenerator<LinkRecord> {
  const link = (
    fromType: LinkRecord["fromType"],
    fromCode: string,
    toType: LinkRecord["toType"],
    toCode: string,
  ) => ({ kind: "link", fromType, fromCode, toType, toCode }) as const;
  for (const file of files) {
    const warnings = new FileWarnings(file.relPath);
    for await (const row of readTable(file, tablePassageSpec, ctx)) {
      const ci = parseCertifInfo(row.get("certifinfo"));
      if (!ci.ok) {
        ctx.reject(
          file.relPath,
          row.line,
          "invalid Certif Info id",
          invalidCodes({ "Certif Info (CI) Identifiant": ci }),
        );
        continue;
      }
      const rncp = warnings.code(row.get("rncp"), parseRncp, "CI Code RNCP", row.line);
      const cfd = warnings.code(row.get("cfd"), parseCfd, "CI Code Scolarité", row.line);
      const forIds = splitList(row.get("ideo")).flatMap((v) => {
        const id = warnings.code(v, parseOnisepFor, "Idéo Identifiant formation", row.line);
        return id ? [id] : [];
      });
      ctx.kept();
      if (cfd) yield link("certifinfo", ci.value, "cfd", cfd);
      if (rncp) {
        yield link("certifinfo", ci.value, "rncp", rncp);
        yield link("rncp", rncp, "certifinfo", ci.value);
        if (cfd) yield link("rncp", rncp, "cfd", cfd);
      }
      for (const forId of forIds) {
        yield link("certifinfo", ci.value, "onisep", forId);
        if (cfd) yield link("onisep", forId, "cfd", cfd);
        if (rncp) yield link("onisep", forId, "rncp", rncp);
      }
    }
    warnings.flush(ctx);
  }
}

export const onisepTablePassage: Source = {
  id: "onisep-table-passage",
  title: "Onisep table de passage codes certifications et formations",
  licence: "Licence Ouverte 2.0",
  homepage: "https://opendata.onisep.fr/data/6152ccdf850ef/",
  access: onisepDownload("6152ccdf850ef"),
  parse,
};
