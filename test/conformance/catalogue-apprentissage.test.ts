import { expect, it } from "vitest";
import { describeReal, real } from "../helpers/paths.js";
import { ofKind, parseWith } from "../helpers/sources.js";

const trajpro = (name: string) =>
  real("trajectoires-pro", "server", "tests", "fixtures", "files", "catalogueApprentissage", name);

describeReal("conformance: catalogue-apprentissage on real API responses", () => {
  it.each([
    real("catalogue-apprentissage", "trajpro_fixture_catalogue_api_v1_entity_formations.json"),
    trajpro("formations.json"),
  ])("%s: the 2 offers, their UAIs per CFD and the links they state", async (path) => {
    const { records, report } = await parseWith("catalogue-apprentissage", [{ path }]);
    expect(report.files[0]).toMatchObject({
      vintage: "API JSON (entity/formations)",
      rowsRead: 2,
      rowsKept: 2,
    });
    // From the file: cfd 46X25201, uai_formation 0331707B, etablissement_formateur_uai 0331707B,
    // etablissement_gestionnaire_uai null, duree "2", rncp_code RNCP36721, id_certifinfo 82581, bcn_mefs_10 [];
    // cfd 32023107 at 0470015L (all three roles), RNCP37199, 75787, MEFs 3112310721 and 3112310722.
    expect(ofKind(records, "uai-role")).toEqual([
      {
        kind: "uai-role",
        cle: "082581P012X1300279230016313002792300171-33063#L01",
        cfd: "46X25201",
        uaiLieu: "0331707B",
        uaiFormateur: "0331707B",
        uaiGestionnaire: null,
        duree: 2,
      },
      {
        kind: "uai-role",
        cle: "075787P012X1947001590001619470015900016-47065#L01",
        cfd: "32023107",
        uaiLieu: "0470015L",
        uaiFormateur: "0470015L",
        uaiGestionnaire: "0470015L",
        duree: 2,
      },
    ]);
    expect(ofKind(records, "link").map((l) => `${l.fromType}:${l.fromCode}>${l.toType}:${l.toCode}`)).toEqual(
      [
        "rncp:36721>cfd:46X25201",
        "certifinfo:82581>cfd:46X25201",
        "certifinfo:82581>rncp:36721",
        "rncp:37199>cfd:32023107",
        "certifinfo:75787>cfd:32023107",
        "certifinfo:75787>rncp:37199",
        "mef10:3112310721>cfd:32023107",
        "mef10:3112310722>cfd:32023107",
      ],
    );
  });

  it.each([
    real("catalogue-apprentissage", "trajpro_fixture_catalogue_api_v1_entity_etablissements.json"),
    trajpro("etablissements.json"),
    trajpro("etablissement.json"),
  ])("%s: a response about schools is recognised and reported, not indexed", async (path) => {
    const { records, report } = await parseWith("catalogue-apprentissage", [{ path }]);
    expect(records).toEqual([]);
    expect(report.files[0]?.vintage).toBe("API JSON (entity/etablissement[s])");
    expect(report.warnings[0]).toMatch(/an \/entity\/etablissement\(s\) response, not used/);
  });
});
