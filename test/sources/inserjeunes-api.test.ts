import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { requestContext } from "../../src/sources/inserjeunes-api.js";
import { describeReal, fixture, real, withTempDir } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

const api = (rel: string) => ({ path: fixture("inserjeunes-api", ...rel.split("/")), relPath: rel });

describe("inserjeunes-api on its fixtures", () => {
  it("national scolaire 2023: a double-encoded body, grouped per code, DEVENIR parts as published rates", async () => {
    const { records, report } = await parseWith("inserjeunes-api", [
      api("france/2023/voie_pro_sco_educ_nat.json"),
    ]);
    const rows = ofKind(records, "indicator");
    expect(rows.map((r) => r.code)).toEqual([
      "23830025214",
      "32221031408",
      "23220031223",
      "32221033107",
      "23910022105",
    ]);
    expect(report.rowsRead).toBe(12 + 5 + 5 + 4 + 7);
    expect(rows[0]).toEqual({
      kind: "indicator",
      niveau: "national",
      zone: "",
      code: "23830025214",
      filiere: "pro",
      millesime: "2023",
      measures: {
        nb_annee_term: 1064,
        nb_sortant: 552,
        nb_poursuite_etudes: 512,
        nb_en_emploi_6_mois: 230,
        nb_en_emploi_12_mois: 274,
        nb_en_emploi_18_mois: 291,
        nb_en_emploi_24_mois: 319,
        salaire_12_mois_q1: 1350,
        salaire_12_mois_q2: 1520,
        salaire_12_mois_q3: 1700,
      },
    });
    expect(rows[4]?.measures).toMatchObject({
      taux_en_emploi_6_mois: 40,
      taux_en_formation: 25,
      taux_autres_6_mois: 35,
    });
  });

  it("per school and per region: zone from the path, ensemble rows skipped, filière from each row", async () => {
    const { records } = await parseWith("inserjeunes-api", [
      api("uai/0010001W/2022_2023.json"),
      api("region/01/2022_2023.json"),
    ]);
    const rows = ofKind(records, "indicator");
    expect(rows.map((r) => [r.niveau, r.zone, r.code, r.filiere, r.millesime])).toEqual([
      ["etablissement", "0010001W", "23830025214", "pro", "2022_2023"],
      ["etablissement", "0010001W", "23220031223", "pro", "2022_2023"],
      ["regional", "84", "23220031223", "pro", "2022_2023"],
      ["regional", "84", "40025214", "apprentissage", "2022_2023"],
    ]);
  });

  it("a body stored where its request cannot be known is rejected with the expected layout", async () => {
    await withTempDir(async (dir) => {
      await mkdir(join(dir, "misc"));
      const path = join(dir, "misc", "reponse.json");
      await writeFile(path, '{"data":[]}');
      const { records, report } = await parseWith("inserjeunes-api", [
        { path, relPath: "misc/reponse.json" },
      ]);
      expect(records).toHaveLength(0);
      expect(report.rejects[0]?.reason).toMatch(/france\/<YYYY>\/<filiere>\.json/);
    });
  });

  it("reads the request context from the path", () => {
    expect(requestContext("france/2024/voie_pro_sco_agri.json")).toEqual({
      niveau: "national",
      zone: "",
      millesime: "2024",
      filiere: "agricole",
    });
    expect(requestContext("region/10/2022_2023.json")).toEqual({
      niveau: "regional",
      zone: "11",
      millesime: "2022_2023",
    });
    expect(requestContext("uai/0010001X/2022_2023.json")).toEqual({
      error: expect.stringMatching(/checksum/),
    });
  });
});

describeReal("inserjeunes-api on Orion's flattened /region responses (joinable subset)", () => {
  it("1,427 rows: 23830025214 in Île-de-France 2019_2020 = 1064 term, 512 poursuite, 230 emploi à 6 mois", async () => {
    const { records, report } = await parseWith("inserjeunes-api", [
      { path: real("joinable-subset", "inserjeunes_api_region_flattened_by_orion_utf8bom.subset.csv") },
    ]);
    expect(report.rowsKept).toBe(1427);
    const row = ofKind(records, "indicator").find(
      (r) => r.code === "23830025214" && r.zone === "11" && r.millesime === "2019_2020",
    );
    expect(row?.measures).toMatchObject({
      nb_annee_term: 1064,
      nb_poursuite_etudes: 512,
      nb_en_emploi_6_mois: 230,
    });
  });
});
