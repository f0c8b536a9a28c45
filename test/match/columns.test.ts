import { describe, expect, it } from "vitest";
import { InserJeunesError } from "../../src/errors.js";
import {
  cellReader,
  type ColumnMapping,
  describeMapping,
  detectColumns,
  detectFromValues,
  keyColumns,
  parseColumnsOption,
  presetColumns,
} from "../../src/match/columns.js";
import { MemoryNomenclature, mef } from "../helpers/nomenclature.js";

/** Roles as names: { cfd: ["Formation: code CFD"], … } */
function named(mapping: ColumnMapping, header: readonly string[]) {
  return Object.fromEntries(
    Object.entries(mapping.roles).map(([role, idx]) => [role, idx!.map((i) => header[i])]),
  );
}

// Headers as the producers write them (research/source-formats.md; real-samples/ for those we have).
const ONISEP_2022 = [
  "code CNIS",
  "sigle type formation",
  "libellé type formation",
  "libellé formation principal",
  "sigle formation",
  "durée",
  "code RNCP",
  "niveau RNCP",
  "libellé niveau RNCP",
  "tutelle",
  "lien site onisep.fr",
  "domaine/sous-domaine",
];
const CATALOGUE_EXPORT = [
  "Clé ministere educatif",
  "Identifiant Certifinfo",
  "Responsable: UAI",
  "Formateur: UAI",
  "Lieu: UAI",
  "Formation: libellé long BCN",
  "Formation: code RNCP",
  "Formation: code CFD",
  "Formation: code CFD expiration",
  "Formation: codes MEF",
  "Formation: durée collectée",
  "Formation: URL Onisep",
];
const CERTIFINFO = [
  "Code_Diplome",
  "Libelle_Diplome",
  "Code_RNCP",
  "Code_Scolarité",
  "valideur",
  "certificateur",
  "Code_Ancien_Diplome",
  "Code_Ancien_RNCP",
  "Code_Ancien_Scolarité",
  "codeIdeo2",
];
const AFFELNET = [
  "Etablissement d'accueil",
  "MEF STAT 11",
  "Voeu de recensement O/N",
  "Statut Offre de formation",
  "Famille de métiers",
  "mef_stat_terminale",
];

describe("detection from header names", () => {
  it("Onisep formations initiales 2022: FOR id from the URL column, RNCP, durée, label and type", () => {
    expect(named(detectColumns(ONISEP_2022), ONISEP_2022)).toEqual({
      diplome: ["libellé type formation"],
      libelle: ["libellé formation principal"],
      duree: ["durée"],
      rncp: ["code RNCP"],
      onisep: ["lien site onisep.fr"],
    });
  });

  it("catalogue de l'apprentissage export: the three UAIs, lieu first; former codes are not codes", () => {
    const m = named(detectColumns(CATALOGUE_EXPORT), CATALOGUE_EXPORT);
    expect(m["uai"]).toEqual(["Lieu: UAI", "Formateur: UAI", "Responsable: UAI"]);
    expect(m["cfd"]).toEqual(["Formation: code CFD"]);
    expect(m["certifinfo"]).toEqual(["Identifiant Certifinfo"]);
    expect(m["mef"]).toEqual(["Formation: codes MEF"]);
  });

  it("Certif Info: Code_Scolarité is the CFD, the 'ancien' columns are ignored, Code_Diplome is left to the values", () => {
    expect(named(detectColumns(CERTIFINFO), CERTIFINFO)).toEqual({
      cfd: ["Code_Scolarité"],
      rncp: ["Code_RNCP"],
      onisep: ["codeIdeo2"],
      libelle: ["Libelle_Diplome"],
    });
  });

  it("Affelnet: MEF STAT 11, not the derived terminal column", () => {
    const m = named(detectColumns(AFFELNET), AFFELNET);
    expect(m["mefstat11"]).toEqual(["MEF STAT 11"]);
    expect(m["uai"]).toEqual(["Etablissement d'accueil"]);
  });

  it("a JSON column holding objects is skipped for its nested codes", () => {
    const header = ["cfd", "bcn_mefs_10", "bcn_mefs_10.mef10"];
    const sample = [["32023107", '{"mef10":"3112310721"}|{"mef10":"3112310722"}', "3112310721|3112310722"]];
    expect(named(detectColumns(header, sample), header)["mef"]).toEqual(["bcn_mefs_10.mef10"]);
  });
});

describe("detection from values", () => {
  const nom = new MemoryNomenclature({
    mefs: [mef("2472521433", "247", "40025214", 3, 3, "23830025214")],
    formations: [{ cfd: "40025214" }, { cfd: "01022105" }],
    certificateurs: { "82775": [{ certificateur: "Ministère de l'éducation nationale", valideur: "" }] },
  });

  it("the kit apprentissage's Code_Diplome holds CFDs, Certif Info's holds Certif Info ids", () => {
    const header = ["Code_Diplome", "Intitulé diplôme (DEPP)"];
    const kit = detectFromValues(
      detectColumns(header),
      header,
      [
        ["40025214", "x"],
        ["01022105", "y"],
      ],
      nom,
    );
    expect(kit.roles.cfd).toEqual([0]);
    expect(kit.how.cfd).toBe("values: 2/2 known CFD");
    const ci = detectFromValues(detectColumns(header), header, [["82775", "x"]], nom);
    expect(ci.roles.certifinfo).toEqual([0]);
  });

  it("UAIs with a valid checksum, Onisep URLs and RNCP codes are recognised without the index", () => {
    const header = ["etab", "fiche", "titre"];
    const sample = [
      ["0010001W", "https://www.onisep.fr/http/redirection/formation/slug/FOR.5615", "RNCP19117"],
      ["0010006B", "https://www.onisep.fr/http/redirection/formation/slug/FOR.1421", "RNCP38400"],
    ];
    const m = detectFromValues(detectColumns(header), header, sample, undefined);
    expect(named(m, header)).toEqual({ uai: ["etab"], onisep: ["fiche"], rncp: ["titre"] });
    expect(describeMapping(m, header)).toBe(
      "uai=etab (values: 2/2 UAI), rncp=titre (values: 2/2 RNCP), onisep=fiche (values: 2/2 ONISEP) [detected]",
    );
  });

  it("8-digit values the index does not know (dates) are not taken for CFDs", () => {
    const header = ["debut"];
    const m = detectFromValues(detectColumns(header), header, [["20150901"], ["20160901"]], nom);
    expect(m.roles).toEqual({});
  });
});

describe("presets and --columns", () => {
  it("catalogue-apprentissage fixes the voie and reads API keys as well as export labels", () => {
    const api = [
      "cfd",
      "rncp_code",
      "uai_formation",
      "etablissement_formateur_uai",
      "etablissement_gestionnaire_uai",
      "bcn_mefs_10.mef10",
      "duree",
    ];
    const m = presetColumns("catalogue-apprentissage", api);
    expect(m.voie).toBe("apprentissage");
    expect(named(m, api)).toMatchObject({
      cfd: ["cfd"],
      uai: ["uai_formation", "etablissement_formateur_uai", "etablissement_gestionnaire_uai"],
      mef: ["bcn_mefs_10.mef10"],
    });
    expect(
      named(presetColumns("catalogue-apprentissage", CATALOGUE_EXPORT), CATALOGUE_EXPORT)["uai"],
    ).toEqual(["Lieu: UAI", "Formateur: UAI", "Responsable: UAI"]);
  });

  it("parcoursup keeps UAI_COMPOSANTE > UAI_AFF > UAI_GES and reads the lists", () => {
    const header = [
      "UAI_GES",
      "UAI_AFF",
      "UAI_COMPOSANTE",
      "CODECFD",
      "CODEMEF",
      "CODESISE",
      "LISTE_RNCP",
      "LISTE_IDEO",
      "APPRENTISSAGEOUSCOLAIRE",
    ];
    expect(named(presetColumns("parcoursup", header), header)).toEqual({
      cfd: ["CODECFD"],
      mef: ["CODEMEF"],
      sise: ["CODESISE"],
      rncp: ["LISTE_RNCP"],
      onisep: ["LISTE_IDEO"],
      uai: ["UAI_COMPOSANTE", "UAI_AFF", "UAI_GES"],
      voie: ["APPRENTISSAGEOUSCOLAIRE"],
    });
  });

  it("--columns names columns exactly, by normalised name or by number, and may join several", () => {
    const m = parseColumnsOption("cfd=Formation: code CFD,uai=lieu_uai+3,duree=11", CATALOGUE_EXPORT);
    expect(named(m, CATALOGUE_EXPORT)).toEqual({
      cfd: ["Formation: code CFD"],
      uai: ["Lieu: UAI", "Responsable: UAI"],
      duree: ["Formation: durée collectée"],
    });
  });

  it("--columns over a preset replaces the roles it names", () => {
    const base = presetColumns("affelnet", AFFELNET);
    const m = parseColumnsOption("mefstat11=mef_stat_terminale", AFFELNET, base);
    expect(named(m, AFFELNET)["mefstat11"]).toEqual(["mef_stat_terminale"]);
    expect(m.origin).toBe("preset affelnet + --columns");
  });

  it("a bad role or column is a usage error listing what exists", () => {
    const said = (attempt: () => unknown) => {
      try {
        attempt();
      } catch (error) {
        expect(error).toBeInstanceOf(InserJeunesError);
        return `${(error as InserJeunesError).message} / ${(error as InserJeunesError).hint}`;
      }
      throw new Error("no error");
    };
    expect(said(() => parseColumnsOption("code=CODECFD", AFFELNET))).toMatch(
      /"code=CODECFD" is not role=column \/ roles: uai, cfd, mef/,
    );
    expect(said(() => parseColumnsOption("cfd=CODECFD", AFFELNET))).toMatch(
      /no column "CODECFD" .* columns seen: Etablissement d'accueil, MEF STAT 11/,
    );
  });
});

describe("reading cells", () => {
  it("gives each role its cells; the label is part of the cache key only with --fuzzy", () => {
    const header = ["uai", "cfd", "intitule", "duree"];
    const m = detectColumns(header);
    expect(cellReader(m)(["0010001W", "40025214", "Bac pro", "3 ans"])).toMatchObject({
      uai: ["0010001W"],
      cfd: ["40025214"],
      libelle: "Bac pro",
      duree: "3 ans",
    });
    expect(keyColumns(m)).toEqual({ codes: [1, 3], uai: [0] });
    expect(keyColumns(m, true)).toEqual({ codes: [1, 3, 2], uai: [0] });
  });
});
