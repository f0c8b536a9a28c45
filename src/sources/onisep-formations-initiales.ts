import { parseCfd, parseDuree, parseOnisepFor, parseRncp } from "../match/identifiers.js";
import { onisepDownload } from "./onisep.js";
import type { OnisepFormationRecord } from "./records.js";
import { FileWarnings, invalidCodes, readTable, type TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * Onisep Idéo-Formations initiales en France (dataset 5fa591127f501). Three header generations:
 * 2022 (`code CNIS`, `lien site onisep.fr`, no CFD), 2023 (`code NSF`, `URL et ID Onisep`, no CFD) and
 * 2024+ (`code scolarité` = CFD). The JSON download and the search API use snake_case keys
 * (`url_et_id_onisep`, `code_scolarite`…). Formats: research/source-formats.md §2.2.
 */
export const onisepFormationsSpec = {
  table: "Onisep Idéo-Formations initiales",
  columns: {
    url: {
      names: ["URL et ID Onisep", "lien site onisep.fr", "url_et_id_onisep", "lien_site_onisepfr"],
      required: true,
    },
    cfd: { names: ["code scolarité", "code_scolarite"] },
    rncp: { names: ["code RNCP", "code_rncp"] },
    duree: { names: ["durée", "duree"], required: true },
    libelle: { names: ["libellé formation principal", "libelle_formation_principal"], required: true },
    type: { names: ["libellé type formation", "libelle_type_formation"] },
  },
  known: [
    "code CNIS",
    "code NSF",
    "sigle type formation",
    "sigle formation",
    "niveau RNCP",
    "libellé niveau RNCP",
    "niveau de sortie indicatif",
    "niveau de certification",
    "libellé niveau de certification",
    "tutelle",
    "domaine/sous-domaine",
    "domainesous-domaine",
    "date création",
    "date de modification",
  ],
  vintages: [
    { name: "2024+ JSON (code_scolarite)", test: (h, f) => f === "json" && h.has("code_scolarite") },
    { name: "JSON without code_scolarite", test: (_h, f) => f === "json" },
    { name: "2024+ (with code scolarité)", test: (h) => h.has("code_scolarite") },
    { name: "2023 (URL et ID Onisep, no CFD)", test: (h) => h.has("url_et_id_onisep") },
    { name: "2022 (lien site onisep.fr, no CFD)", test: (h) => h.has("lien_site_onisep_fr") },
  ],
} satisfies TableSpec<string>;

async function* parse(
  files: readonly SourceFile[],
  ctx: ParseContext,
): AsyncGenerator<OnisepFormationRecord> {
  for (const file of files) {
    const warnings = new FileWarnings(file.relPath);
    for await (const row of readTable(file, onisepFormationsSpec, ctx)) {
      const forId = parseOnisepFor(row.get("url"));
      if (!forId.ok) {
        ctx.reject(file.relPath, row.line, "invalid Onisep id", invalidCodes({ "URL et ID Onisep": forId }));
        continue;
      }
      const cfd = warnings.code(row.get("cfd"), parseCfd, "code scolarité", row.line);
      const rncp = warnings.code(row.get("rncp"), parseRncp, "code RNCP", row.line);
      const duree = parseDuree(row.get("duree")) ?? null;
      if (duree === null && row.get("duree") !== "")
        warnings.add("with a durée that is not whole years, ignored", row.line, `"${row.get("duree")}"`);
      ctx.kept();
      yield {
        kind: "onisep-formation",
        forId: forId.value,
        cfd,
        rncp,
        duree,
        libelle: row.get("libelle"),
        typeFormation: row.get("type"),
      };
    }
    warnings.flush(ctx);
  }
}

export const onisepFormationsInitiales: Source = {
  id: "onisep-formations-initiales",
  title: "Onisep Idéo-Formations initiales en France",
  licence: "Licence Ouverte 2.0",
  homepage: "https://opendata.onisep.fr/data/5fa591127f501/2-ideo-formations-initiales-en-france.htm",
  access: onisepDownload("5fa591127f501"),
  parse,
};
