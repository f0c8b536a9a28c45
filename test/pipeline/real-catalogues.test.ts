import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DataDir } from "../../src/data-dir.js";
import { openCatalogue } from "../../src/io/catalogue-reader.js";
import { parseCfd, parseRncp } from "../../src/match/identifiers.js";
import type { CatalogueOptions } from "../../src/pipeline/catalogue.js";
import { runCatalogue } from "../helpers/catalogue.js";
import type { IndexRecord } from "../../src/sources/records.js";
import { buildTestIndex, link } from "../helpers/index.js";
import { describeReal, real } from "../helpers/paths.js";

/**
 * The real producer files of ../shared/real-samples used as catalogues, against an index built from the
 * real nomenclature extracts of the same folder (joinable-subset: BCN N_MEF and N_FORMATION_DIPLOME
 * 2025, Certif Info 2024, Onisep 2022; onisep/: the Onisep 2022 head; kit apprentissage 2023 links).
 * Every expected code below was read by hand in those files; how is said next to each group.
 */
let dir: string;
let dataDir: DataDir;

/** The kit's CFD ↔ RNCP pairs as links, as the kit-apprentissage parser states them. */
async function kitLinks(): Promise<IndexRecord[]> {
  const input = await openCatalogue(
    real("joinable-subset", "kit_apprentissage_cfd_rncp_20231218_utf8bom.subset.csv"),
  );
  const out: IndexRecord[] = [];
  for await (const batch of input.batches())
    for (const { fields } of batch) {
      const cfd = parseCfd(fields[0]!);
      const rncp = parseRncp(fields[2]!);
      if (cfd.ok && rncp.ok) out.push(link("rncp", rncp.value, "cfd", cfd.value));
    }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "inserjeunes-real-"));
  if (!(await import("../helpers/paths.js")).hasRealSamples) return;
  dataDir = await buildTestIndex(dir, {
    files: {
      "bcn-n-mef": [real("joinable-subset", "bcn_nMef_tjp2025_utf8bom.subset.csv")],
      "bcn-n-formation-diplome": [real("joinable-subset", "bcn_nFormationDiplome_tjp2025_cp1252.subset.csv")],
      "onisep-formations-initiales": [real("onisep", "ideo-formations_initiales_en_france_2022.head300.csv")],
      certifinfo: [
        real("joinable-subset", "certifinfo_rco_tjp2024_utf8.subset.csv"),
        real("certifinfo", "rco_certif_info_tjp2024.head300.csv"),
      ],
    },
    records: { "kit-apprentissage": await kitLinks() },
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Match a file; rows as objects (JSON output), whatever the input form. */
async function match(path: string, options: Partial<CatalogueOptions> = {}) {
  const { out, summary } = await runCatalogue({
    mode: "match",
    input: path,
    dataDir,
    format: "json",
    ...options,
  });
  return { rows: JSON.parse(out) as Record<string, unknown>[], summary };
}

const pick = (rows: Record<string, unknown>[], ...columns: string[]) =>
  rows.map((r) => columns.map((c) => r[c]));

describeReal("real catalogues", () => {
  it("Onisep formations initiales 2022 (joinable subset): FOR id → Certif Info codeIdeo2 → CFD → durée → N_MEF", async () => {
    // Each row: its "lien site onisep.fr" FOR id is the codeIdeo2 of one Certif Info row, whose
    // Code_Scolarité is the CFD; the row's durée picks the N_MEF row with DUREE_DISPOSITIF = ANNEE_DISPOSITIF
    // = durée (bac pro: always year 3, dispositif 247), whose MEF_STAT_11 is the code.
    // No voie column and no figures in this index: the scolaire code is reported.
    const { rows, summary } = await match(
      real("joinable-subset", "onisep_ideo_formations_initiales_2022_utf8bom.subset.csv"),
    );
    expect(summary.mapping).toBe(
      "rncp=code RNCP, onisep=lien site onisep.fr, duree=durée, libelle=libellé formation principal, diplome=libellé type formation [detected]",
    );
    expect(pick(rows, "ij_code_certification", "ij_cfd", "ij_methode")).toEqual([
      ["MEFSTAT11:32221031212", "32031212", "onisep"], // FOR.2316 → CI 100357, BTS 2 ans → dispositif 311
      ["MEFSTAT11:23220033412", "50033412", "onisep"], // FOR.3729 → CI 94559, CAP 2 ans → 241
      ["MEFSTAT11:23830025515", "40025515", "onisep"], // FOR.5511 → CI 88073, bac pro 3 ans → 247
      ["MEFSTAT11:23220031117", "50031117", "onisep"], // FOR.1352 → CI 54647, CAP 2 ans → 241
      ["MEFSTAT11:32221033107", "32033107", "onisep"], // FOR.578 → CI 19005, BTS 2 ans → 311
      ["MEFSTAT11:32221022207", "32022207", "onisep"], // FOR.1943 → CI 18838, BTS 2 ans → 311
      ["MEFSTAT11:23220031223", "50031223", "onisep"], // FOR.1421 → CI 100735, CAP 2 ans → 241
      ["MEFSTAT11:23830025214", "40025214", "onisep"], // FOR.5615 → CI 82775, bac pro 3 ans → 247
      ["MEFSTAT11:23910022105", "01022105", "onisep"], // FOR.597 → CI 58434, MC 1 an → 253
      ["MEFSTAT11:32221031408", "32031408", "onisep"], // FOR.1054 → CI 83602, BTS 2 ans → 311
      ["MEFSTAT11:23830023203", "40023203", "onisep"], // FOR.1313 → CI 81454, bac pro (245/246/247) → year 3
      ["MEFSTAT11:23830031106", "40031106", "onisep"], // FOR.584 → CI 69402, bac pro 3 ans → 247
    ]);
    expect(summary.byMotif).toEqual({ pas_de_donnees: 12 });
  });

  it("Affelnet extract: first and second years map to the terminal year (the Orion column agrees)", async () => {
    // The 4 of its 59 MEF STAT 11 that the joinable N_MEF has; the file's own mef_stat_terminale column
    // (computed by Orion) gives the same code where it is filled. ST → scolaire.
    const { rows, summary } = await match(
      real("parcoursup-affelnet", "tjp_affelnet_attractivite_capacite_2022_orion_processed.head100.csv"),
      { preset: "affelnet" },
    );
    const known = rows.filter((r) => r["ij_cfd"] !== "");
    expect(
      pick(known, "Etablissement d'accueil", "MEF STAT 11", "ij_code_certification", "mef_stat_terminale"),
    ).toEqual([
      ["0010001W", "23820025515", "MEFSTAT11:23830025515", "23830025515"], // 1ERPRO 40025515, 247 année 2 of 3
      ["0010001W", "23820031106", "MEFSTAT11:23830031106", "23830031106"], // 1ERPRO LOGISTIQUE, 247 année 2
      ["0010006B", "23210033412", "MEFSTAT11:23220033412", ""], // 1CAP2 CSHCR, 241 année 1 of 2
      ["0010016M", "23820023203", "MEFSTAT11:23830023203", "23830023203"], // 1ERPRO TB ORGO, 247 année 2
    ]);
    // Every other row names a MEFSTAT11 this extract of N_MEF does not have, and says so.
    expect(summary.rows).toBe(100);
    expect(summary.byMotif).toEqual({ code_inconnu: 96, pas_de_donnees: 4 });
    expect(new Set(rows.map((r) => r["ij_voie"]))).toEqual(new Set(["scolaire"]));
  });

  it("Certif Info as a catalogue: Code_Diplome recognised by its values, Code_Scolarité is the CFD", async () => {
    // Without a durée, a BTS has two terminal codes (1 an, dispositif 310; 2 ans, 311) and a CAP three:
    // plusieurs_annees_terminales, with the CFD found; bac pro and MC have one.
    const { rows, summary } = await match(real("joinable-subset", "certifinfo_rco_tjp2024_utf8.subset.csv"));
    expect(summary.mapping).toContain("certifinfo=Code_Diplome (values: 12/12 known CERTIFINFO)");
    expect(pick(rows, "Code_Diplome", "ij_cfd", "ij_motif", "ij_candidats")).toEqual([
      ["18838", "", "plusieurs_annees_terminales", "MEFSTAT11:32111022207|MEFSTAT11:32221022207"],
      ["19005", "", "plusieurs_annees_terminales", "MEFSTAT11:32111033107|MEFSTAT11:32221033107"],
      [
        "54647",
        "",
        "plusieurs_annees_terminales",
        "MEFSTAT11:23110031117|MEFSTAT11:23220031117|MEFSTAT11:23330031117",
      ],
      ["58434", "01022105", "pas_de_donnees", ""],
      ["69402", "40031106", "pas_de_donnees", ""],
      ["81454", "40023203", "pas_de_donnees", ""],
      ["82775", "40025214", "pas_de_donnees", ""],
      ["83602", "", "plusieurs_annees_terminales", "MEFSTAT11:32111031408|MEFSTAT11:32221031408"],
      ["88073", "40025515", "pas_de_donnees", ""],
      [
        "94559",
        "",
        "plusieurs_annees_terminales",
        "MEFSTAT11:23110033412|MEFSTAT11:23220033412|MEFSTAT11:23330033412",
      ],
      ["100357", "", "plusieurs_annees_terminales", "MEFSTAT11:32111031212|MEFSTAT11:32221031212"],
      [
        "100735",
        "",
        "plusieurs_annees_terminales",
        "MEFSTAT11:23110031223|MEFSTAT11:23220031223|MEFSTAT11:23330031223",
      ],
    ]);
  });

  it("the kit apprentissage as a catalogue with voie apprentissage: its Code_Diplome is the CFD code", async () => {
    // Code_Diplome holds CFDs here (not Certif Info ids): the values say so. Apprentissage joins on the CFD.
    const { rows, summary } = await match(
      real("joinable-subset", "kit_apprentissage_cfd_rncp_20231218_utf8bom.subset.csv"),
      {
        columns: "cfd=Code_Diplome,rncp=Code_RNCP",
        preset: "catalogue-apprentissage",
      },
    );
    expect(summary.byVoie).toEqual({ apprentissage: 12 });
    expect(pick(rows, "Code_Diplome", "ij_code_certification")).toEqual(
      [
        "01022105",
        "32033107",
        "50031223",
        "40025515",
        "50031117",
        "40031106",
        "50033412",
        "32031212",
        "32031408",
        "40025214",
        "32022207",
        "40023203",
      ].map((cfd) => [cfd, `CFD:${cfd}`]),
    );
  });

  it("the catalogue de l'apprentissage API response: CFDs kept as apprentissage codes, unknown to this BCN extract", async () => {
    // formations[0]: cfd 46X25201 (a titre, TH de niveau 4), uai_formation 0331707B; formations[1]: cfd
    // 32023107 (BTS travaux publics), uai_formation 0470015L. Neither CFD is in the joinable BCN extract.
    const { rows } = await match(
      real("catalogue-apprentissage", "trajpro_fixture_catalogue_api_v1_entity_formations.json"),
      {
        preset: "catalogue-apprentissage",
      },
    );
    expect(pick(rows, "ij_code_certification", "ij_uai", "ij_motif", "ij_voie")).toEqual([
      ["CFD:46X25201", "0331707B", "code_inconnu", "apprentissage"],
      ["CFD:32023107", "0470015L", "code_inconnu", "apprentissage"],
    ]);
    expect(rows[1]!["bcn_mefs_10"]).toEqual([
      { mef10: "3112310721", modalite: { duree: "2", annee: "1" } },
      { mef10: "3112310722", modalite: { duree: "2", annee: "2" } },
    ]);
  });

  it("the LHEO example: its RNCP, Certif Info and Onisep ids are read; they lead to a CFD this index lacks", async () => {
    const report = join(dir, "lheo-report.json");
    const { rows } = await match(real("lheo", "lheo-schema_exemple-bts-onisep.xml"), { report });
    expect(pick(rows, "code-RNCP", "code-CERTIFINFO", "FOR_ID ONISEP", "ij_statut", "ij_motif")).toEqual([
      ["474", "19004", "FOR.9436", "non_couvert", "code_inconnu"],
    ]);
    const { readFile } = await import("node:fs/promises");
    const parsed = JSON.parse(await readFile(report, "utf8")) as { topUnmatched: { code: string }[] };
    // Certif Info 19004 / RNCP 474 (BTS négociation et relation client) is the ancien diplôme that the
    // joinable Certif Info row 100357 (BTS NDRC) names: Code_Ancien_Diplome 19004, Code_Ancien_RNCP 474,
    // Code_Ancien_Scolarité 32031210. So both lead to CFD 32031210, which the joinable BCN extract lacks.
    expect(parsed.topUnmatched.map((u) => u.code).sort()).toEqual([
      "CFD 32031210",
      "Onisep AF.18706 (no Onisep actions file indexed)",
      "Onisep FOR.9436",
    ]);
  });

  it("the Onisep 2022 head: every row with a FOR id gets its code, or says precisely why not", async () => {
    const { rows, summary } = await match(
      real("onisep", "ideo-formations_initiales_en_france_2022.head300.csv"),
    );
    expect(summary.rows).toBe(300);
    // By hand: line 17 "DMA Cirque" (FOR.442) is the codeIdeo2 of Certif Info 19105 (head300 line 130),
    // Code_Scolarité 32132301; line 188 "BT Métiers de la musique" (FOR.401) of 20453 (line 177),
    // 42032302; line 191 "CS Responsable technico-commercial" (FOR.1029) of 19868 (line 160), 36321104.
    // None of these CFDs is in the joinable BCN extract: the code is kept, and said unknown.
    expect(
      pick([rows[15]!, rows[186]!, rows[189]!], "ij_code_certification", "ij_motif", "ij_methode"),
    ).toEqual([
      ["CFD:32132301", "code_inconnu", "onisep"],
      ["CFD:42032302", "code_inconnu", "onisep"],
      ["CFD:36321104", "code_inconnu", "onisep"],
    ]);
    // FOR.7172 (FCIL Art textile et spectacle vivant): no RNCP, no CFD anywhere.
    const fcil = rows.find((r) => String(r["lien site onisep.fr"]).endsWith("/FOR.7172"));
    expect(fcil?.["ij_motif"]).toBe("formation_sans_code");
    for (const r of rows) {
      expect(["couvert", "sous_seuil", "non_couvert", "plusieurs_codes"]).toContain(r["ij_statut"]);
      if (r["ij_motif"] === "code_inconnu" && r["ij_cfd"] === "") expect(r["code RNCP"]).not.toBe("");
    }
  });
});
