import {
  cleanCell,
  type Parsed,
  parseCertifInfo,
  parseCfd,
  parseDuree,
  parseMef10,
  parseOnisepFor,
  parseRncp,
  parseUai,
  splitList,
} from "../match/identifiers.js";
import { SkipCounter } from "./measures.js";
import type { CodeType, LinkRecord, UaiRoleRecord } from "./records.js";
import { isObject, readJsonFile, readTable, type TableRow, type TableSpec } from "./table.js";
import type { ParseContext, Source, SourceFile } from "./types.js";

/**
 * Catalogue de l'offre de formation en apprentissage (research/source-formats.md §7.1–7.2,
 * trajectoires-pro.md §1.6): the public API pages (`{"formations":[…],"pagination":{…}}`, stored as
 * page-<n>.json), the back-office CSV export with label headers ("Formation: code CFD", "Lieu: UAI"…,
 * older exports wrap every value as `="…"`), and the older RCO export ("UAI formation", "CodeEN").
 * Per offer (cle_ministere_educatif): the UAIs of its lieu / formateur / gestionnaire for its CFD, and
 * the links it states: RNCP → CFD, MEF10 → CFD, Certif Info → CFD and RNCP, Onisep FOR → CFD.
 */
const API_FIELDS =
  `_id affelnet_code_nature affelnet_id affelnet_infos_offre affelnet_mefs_10 affelnet_modalites_offre
affelnet_perimetre affelnet_previous_session affelnet_previous_statut affelnet_published_date affelnet_raison_depublication
affelnet_secteur affelnet_session affelnet_statut affelnet_url_infos_offre affelnet_url_modalites_offre annee
annee_incoherente capacite catalogue_published cfd_date_fermeture cfd_entree cfd_outdated cfd_specialite
code_commune_insee code_postal created_at date_debut date_fin diplome distance distance_lieu_formation_etablissement_formateur
duree_incoherente editedFields entierement_a_distance etablissement_formateur_adresse etablissement_formateur_cedex
etablissement_formateur_certifie_qualite etablissement_formateur_code_commune_insee etablissement_formateur_code_postal
etablissement_formateur_complement_adresse etablissement_formateur_courriel etablissement_formateur_date_creation
etablissement_formateur_enseigne etablissement_formateur_entreprise_raison_sociale etablissement_formateur_habilite_rncp
etablissement_formateur_id etablissement_formateur_localite etablissement_formateur_nda etablissement_formateur_nom_academie
etablissement_formateur_nom_departement etablissement_formateur_num_academie etablissement_formateur_num_departement
etablissement_formateur_published etablissement_formateur_region etablissement_formateur_siren etablissement_formateur_siret
etablissement_gestionnaire_adresse etablissement_gestionnaire_cedex etablissement_gestionnaire_certifie_qualite
etablissement_gestionnaire_code_commune_insee etablissement_gestionnaire_code_postal
etablissement_gestionnaire_complement_adresse etablissement_gestionnaire_courriel etablissement_gestionnaire_date_creation
etablissement_gestionnaire_enseigne etablissement_gestionnaire_entreprise_raison_sociale
etablissement_gestionnaire_habilite_rncp etablissement_gestionnaire_id etablissement_gestionnaire_localite
etablissement_gestionnaire_nda etablissement_gestionnaire_nom_academie etablissement_gestionnaire_nom_departement
etablissement_gestionnaire_num_academie etablissement_gestionnaire_num_departement etablissement_gestionnaire_published
etablissement_gestionnaire_region etablissement_gestionnaire_siren etablissement_gestionnaire_siret etablissement_reference
etablissement_reference_certifie_qualite etablissement_reference_date_creation etablissement_reference_habilite_rncp
etablissement_reference_published forced_published france_competence_infos geo_coordonnees_etablissement_formateur
geo_coordonnees_etablissement_gestionnaire id id_RCO id_action id_formation id_rco_formation ids_action intitule_court
intitule_long intitule_rco last_status last_statut_update_date last_update_at last_update_who libelle_court
lieu_formation_adresse lieu_formation_adresse_computed lieu_formation_geo_coordonnees
lieu_formation_geo_coordonnees_computed lieu_formation_siret localite modalites_entrees_sorties niveau
niveau_entree_obligatoire niveau_formation_diplome nom nom_academie nom_departement num_academie num_departement
onisep_discipline onisep_domaine_sousdomaine onisep_intitule onisep_libelle_poursuite onisep_lien_site_onisepfr
parcoursup_error parcoursup_export_date parcoursup_id parcoursup_mefs_10 parcoursup_perimetre parcoursup_previous_session
parcoursup_previous_statut parcoursup_published_date parcoursup_raison_depublication parcoursup_session parcoursup_statut
periode published region rejection rncp_details rncp_eligible_apprentissage rncp_intitule rome_codes tags
uai_formation_valide updatedAt updated_at updates_history`.split(/\s+/);

/** Labels of the back-office export we do not read (research/source-formats.md §7.2). */
const EXPORT_LABELS = [
  "Fiche catalogue",
  "Lien catalogue public (Carif-Oref)",
  "Identifiant Parcoursup",
  "Identifiant Affelnet",
  "Identifiant Carif formation",
  "Identifiant Carif action",
  "Responsable: académie",
  "Responsable: région",
  "Responsable: Siret",
  "Formateur: Siret",
  "Lieu: Siret",
  "Lieu: Siret actif ?",
  "Lieu: UAI transmis par RCO",
  "Formation: libellé long BCN",
  "Formation: libellé RNCP",
  "Formation: libellé Carif-Oref",
  "Formation: code CFD expiration",
  "Formation: niveau BCN",
  "Formation: année d'entrée en apprentissage collectée",
  "Offre: Tags",
  "Statut Affelnet",
  "Niveau de la formation",
  "Tags",
];

export const catalogueSpec = {
  table: "Catalogue de l'apprentissage",
  columns: {
    cle: {
      names: ["cle_ministere_educatif", "Clé ministere educatif", "Clé ministère éducatif"],
      required: true,
    },
    cfd: {
      names: [
        "cfd",
        "Formation: code CFD",
        "Code du diplome ou du titre suivant la nomenclature de l'Education nationale (CodeEN)",
      ],
      required: true,
    },
    lieu: { names: ["uai_formation", "Lieu: UAI"] },
    formateur: { names: ["etablissement_formateur_uai", "Formateur: UAI", "UAI formateur"] },
    gestionnaire: { names: ["etablissement_gestionnaire_uai", "Responsable: UAI", "UAI Responsable"] },
    duree: { names: ["duree", "Formation: durée collectée"] },
    rncp: { names: ["rncp_code", "Formation: code RNCP"] },
    mefs: { names: ["bcn_mefs_10", "Formation: codes MEF"] },
    certifinfo: { names: ["id_certifinfo", "Identifiant Certifinfo"] },
    onisep: { names: ["onisep_url", "Formation: URL Onisep"] },
  },
  known: [...API_FIELDS, ...EXPORT_LABELS],
  vintages: [
    { name: "API JSON (entity/formations)", test: (h) => h.has("cle_ministere_educatif") && h.has("cfd") },
    { name: "back-office CSV export (labels)", test: (h) => h.has("formation_code_cfd") },
    { name: "RCO export (formation_<date>.csv)", test: (h) => h.has("uai_responsable") },
  ],
  jsonArrayKeys: ["formations"],
} satisfies TableSpec<string>;
type Row = TableRow<keyof typeof catalogueSpec.columns>;

const ROLES = [
  ["lieu", "uaiLieu"],
  ["formateur", "uaiFormateur"],
  ["gestionnaire", "uaiGestionnaire"],
] as const;

/** MEF10 codes of `bcn_mefs_10` ([{mef10, modalite}]) or of "Formation: codes MEF" (comma-joined). */
function mefsOf(row: Row): string[] {
  const raw = row.raw("mefs");
  if (Array.isArray(raw))
    return raw.map((m) => (isObject(m) ? String(m["mef10"] ?? "") : String(m))).filter(Boolean);
  return splitList(row.get("mefs"));
}

const link = (fromType: CodeType, fromCode: string, toType: CodeType, toCode: string): LinkRecord => ({
  kind: "link",
  fromType,
  fromCode,
  toType,
  toCode,
});

/** The correspondences an offer states: RNCP, Certif Info, Onisep and MEF10 → its CFD. */
function* linksOf(row: Row, cfd: string, problems: SkipCounter): Generator<LinkRecord> {
  const optional = (column: keyof typeof catalogueSpec.columns, parser: (raw: string) => Parsed) => {
    if (cleanCell(row.get(column)) === "") return undefined;
    const parsed = parser(row.get(column));
    if (parsed.ok) return parsed.value;
    problems.add(`${column} left out: ${parsed.reason}`);
    return undefined;
  };
  const rncp = optional("rncp", parseRncp);
  const certifinfo = optional("certifinfo", parseCertifInfo);
  const onisep = optional("onisep", parseOnisepFor);
  if (rncp) yield link("rncp", rncp, "cfd", cfd);
  if (certifinfo) yield link("certifinfo", certifinfo, "cfd", cfd);
  if (certifinfo && rncp) yield link("certifinfo", certifinfo, "rncp", rncp);
  if (onisep) yield link("onisep", onisep, "cfd", cfd);
  for (const m of mefsOf(row)) {
    const mef = parseMef10(m);
    if (mef.ok) yield link("mef10", mef.value, "cfd", cfd);
    else problems.add(`MEF left out: ${mef.reason}`);
  }
}

async function* parseFile(file: SourceFile, ctx: ParseContext): AsyncGenerator<UaiRoleRecord | LinkRecord> {
  if (/\.json$/i.test(file.relPath)) {
    const doc = await readJsonFile(file.path, file.relPath);
    // /entity/etablissements (a list) and /entity/etablissement/:id (one object) answer about schools.
    const schools =
      isObject(doc) && !("formations" in doc) && (Array.isArray(doc["etablissements"]) || "siret" in doc);
    if (schools) {
      ctx.beginFile(file.relPath, { encoding: "json", vintage: "API JSON (entity/etablissement[s])" });
      ctx.warn(
        `${file.relPath}: an /entity/etablissement(s) response, not used (schools come from annuaire-education and acce)`,
      );
      return;
    }
  }
  const problems = new SkipCounter("indexed without a value");
  let guarded = 0;
  for await (const row of readTable(file, catalogueSpec, ctx)) {
    if (row.get("cle").startsWith('="')) guarded++;
    const cle = cleanCell(row.get("cle"));
    if (cle === "") {
      ctx.reject(file.relPath, row.line, "no cle_ministere_educatif");
      continue;
    }
    const cfd = parseCfd(row.get("cfd"));
    if (!cfd.ok) {
      ctx.reject(file.relPath, row.line, "invalid CFD", cfd.reason);
      continue;
    }
    const record: UaiRoleRecord = {
      kind: "uai-role",
      cle,
      cfd: cfd.value,
      uaiLieu: null,
      uaiFormateur: null,
      uaiGestionnaire: null,
      duree: parseDuree(row.get("duree")) ?? null,
    };
    if (record.duree === null && cleanCell(row.get("duree")) !== "")
      problems.add(`duree left out: "${cleanCell(row.get("duree"))}" is not a durée in years`);
    for (const [column, field] of ROLES) {
      if (cleanCell(row.get(column)) === "") continue;
      const uai = parseUai(row.get(column));
      if (uai.ok) record[field] = uai.value;
      else problems.add(`UAI ${column} left out: ${uai.reason}`);
    }
    ctx.kept();
    yield record;
    yield* linksOf(row, cfd.value, problems);
  }
  if (guarded > 0)
    ctx.warn(`${file.relPath}: ${guarded} row(s) with Excel-guarded values (="…"), read without the guard`);
  problems.report(file.relPath, (m) => ctx.warn(m));
}

async function* parse(
  files: readonly SourceFile[],
  ctx: ParseContext,
): AsyncGenerator<UaiRoleRecord | LinkRecord> {
  for (const file of files) yield* parseFile(file, ctx);
}

export const catalogueApprentissage: Source = {
  id: "catalogue-apprentissage",
  title: "Catalogue de l'offre de formation en apprentissage",
  licence: "Licence Ouverte 2.0",
  homepage: "https://catalogue.apprentissage.education.gouv.fr/",
  access: {
    kind: "api",
    description: "GET /entity/formations?page=N&limit=100, every page until the last",
    baseUrl: "https://catalogue.apprentissage.education.gouv.fr/api/v1",
  },
  parse,
};
