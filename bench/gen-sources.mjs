#!/usr/bin/env node
// National-scale source files in the producers' real formats, for the benchmarks (not for tests).
// usage: node bench/gen-sources.mjs OUTDIR   → OUTDIR/<source-id>/… and OUTDIR/codes.json (what the
// catalogue generator draws from). Sizes follow issue 4: ~12k N_MEF rows, ~15k N_FORMATION_DIPLOME,
// 8k Onisep formations, 100k Certif Info rows, 60k annuaire rows, several hundred thousand measures.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { tools, uaiOf } from "./lib/random.mjs";

const OUT = process.argv[2];
if (!OUT) throw new Error("usage: node bench/gen-sources.mjs OUTDIR");
const { int, pick, digits, chance } = tools(20261123);
const dir = (id) => {
  const d = join(OUT, id);
  mkdirSync(d, { recursive: true });
  return d;
};
const cp1252 = (text) => iconv.encode(text, "win1252");
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const fr = (y, m, d) => `${String(d).padStart(2, "0")}/${String(m).padStart(2, "0")}/${y}`;

const LABELS = [
  "MAINTENANCE DES VEHICULES",
  "METIERS DE L'ELECTRICITE ET DE SES ENVIRONNEMENTS CONNECTES",
  "COMMERCIALISATION ET SERVICES EN HOTEL-CAFE-RESTAURANT",
  "ACCOMPAGNANT EDUCATIF PETITE ENFANCE",
  "TECHNICIEN EN CHAUDRONNERIE INDUSTRIELLE",
  "GESTION-ADMINISTRATION",
  "LOGISTIQUE",
  "CUISINE",
  "FLEURISTE",
  "COMPTABILITE ET GESTION",
  "OPTICIEN LUNETIER",
  "SYSTEMES NUMERIQUES",
  "AGENT DE SECURITE",
  "ESTHETIQUE COSMETIQUE PARFUMERIE",
  "MENUISIER FABRICANT",
];
// Diploma families: niveau (first 3 CFD chars), dispositifs (code, durée) and the MEFSTAT11 prefix.
const FAMILIES = [
  {
    niveau: "500",
    court: "CAP",
    share: 0.3,
    dispositifs: [
      ["240", 1, "231"],
      ["241", 2, "232"],
      ["242", 3, "233"],
    ],
  },
  { niveau: "400", court: "BAC PRO", share: 0.22, dispositifs: [["247", 3, "238"]] },
  {
    niveau: "320",
    court: "BTS",
    share: 0.18,
    dispositifs: [
      ["310", 1, "321"],
      ["311", 2, "322"],
    ],
  },
  { niveau: "010", court: "MC3", share: 0.05, dispositifs: [["253", 1, "239"]] },
  { niveau: "450", court: "BP", share: 0.1, dispositifs: [] },
  { niveau: "460", court: "TP", share: 0.15, dispositifs: [] },
];

// ---------- BCN N_FORMATION_DIPLOME (15,000) and N_MEF (~12,000) ----------
const cfds = [];
const seen = new Set();
while (cfds.length < 15000) {
  const r = int(1000) / 1000;
  let acc = 0;
  const family = FAMILIES.find((f) => (acc += f.share) > r) ?? FAMILIES[0];
  const cfd = family.niveau + digits(5);
  if (seen.has(cfd)) continue;
  seen.add(cfd);
  cfds.push({ cfd, family, label: `${pick(LABELS)} ${digits(2)}`, opened: 2000 + int(25) });
}
const fdHeader =
  "FORMATION_DIPLOME;NIVEAU_FORMATION_DIPLOME;GROUPE_SPECIALITE;LETTRE_SPECIALITE;ANCIEN_RECME;LIBELLE_COURT;LIBELLE_STAT_33;LIBELLE_LONG_200;DATE_OUVERTURE;DATE_FERMETURE;" +
  [1, 2, 3, 4, 5, 6, 7].map((i) => `ANCIEN_DIPLOME_${i}`).join(";") +
  ";" +
  [1, 2, 3, 4, 5, 6, 7].map((i) => `NOUVEAU_DIPLOME_${i}`).join(";") +
  ";UNITE_CAPITALISABLE;DATE_PREMIERE_SESSION;DATE_DERNIERE_SESSION;DATE_ARRETE_CREATION;DATE_ARRETE_ABROGATION;" +
  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => `DATE_ARRETE_MODIFICATION_${i}`).join(";") +
  ";COMMENTAIRE;NATURE_FORMATION_DIPLOME;GESTIONNAIRE_FORMATION_DIPLOME;DATE_INTERVENTION;NB_MEF_OUVERT;NB_MEF_FERME;ID_DOCUMENT;CITE_DOMAINE_FORMATION;DATE_SESSION_RATTRAPAGE;OBSERVATION;N_COMMENTAIRE;CITE_DOMAINE_DETAILLE;NIVEAU_QUALIFICATION_RNCP";
const fdLines = [fdHeader];
// Continuum: every 10th diploma replaces the previous one (1:1).
cfds.forEach((c, i) => {
  const ancien = i % 10 === 9 ? cfds[i - 1].cfd : "";
  const nouveau = i % 10 === 8 ? cfds[i + 1].cfd : "";
  const cells = [
    c.cfd,
    c.family.niveau,
    c.cfd.slice(3, 6),
    "T",
    "",
    c.family.court,
    c.label.slice(0, 33),
    `${c.label} (${c.family.court})`,
    fr(c.opened, 9, 1),
    nouveau ? fr(c.opened + 8, 8, 31) : "",
    ancien,
    "",
    "",
    "",
    "",
    "",
    "",
    nouveau,
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    String(c.opened + 2),
    "",
    fr(c.opened - 1, 3, 19),
    "",
    ...Array(10).fill(""),
    i % 50 === 0 ? `Commentaire avec "guillemets" et l’apostrophe` : "",
    "1",
    "DGESCO A2-3",
    fr(2025, 5, 18),
    "3",
    "0",
    "",
    "525",
    "",
    "",
    "",
    "0716",
    "04",
  ];
  fdLines.push(cells.join(";"));
});
writeFileSync(
  join(dir("bcn-n-formation-diplome"), "N_FORMATION_DIPLOME.csv"),
  cp1252(`${fdLines.join("\n")}\n`),
);

const mefHeader =
  "MEF;DISPOSITIF_FORMATION;FORMATION_DIPLOME;DUREE_DISPOSITIF;ANNEE_DISPOSITIF;LIBELLE_COURT;LIBELLE_LONG;DATE_OUVERTURE;DATE_FERMETURE;STATUT_MEF;NB_OPTION_OBLIGATOIRE;NB_OPTION_FACULTATIF;RENFORCEMENT_LANGUE;DUREE_PROJET;DUREE_STAGE;HORAIRE;MEF_INSCRIPTION_SCOLARITE;MEF_STAT_11;MEF_STAT_9;DATE_INTERVENTION;LIBELLE_EDITION;N_COMMENTAIRE";
const mefLines = [mefHeader];
const terminals = []; // { mefstat11, cfd, duree }
for (const c of cfds) {
  if (mefLines.length > 12000) break;
  for (const [dispositif, duree, prefix] of c.family.dispositifs) {
    if (c.family.niveau === "500" && duree !== 2 && chance(0.5)) continue;
    for (let annee = 1; annee <= duree; annee++) {
      const mef10 = dispositif + c.cfd.slice(3) + String(duree) + String(annee);
      const mefstat11 = prefix + String(annee) + c.cfd.slice(1);
      mefLines.push(
        [
          mef10,
          dispositif,
          c.cfd,
          duree,
          annee,
          `${annee}${c.family.court} ${c.cfd.slice(3)}`,
          `${annee}${c.family.court} ${c.label}`,
          fr(c.opened, 9, 1),
          "",
          "3",
          "1",
          "",
          "N",
          "",
          "",
          "O",
          "O",
          mefstat11,
          mefstat11.slice(0, 9),
          fr(2025, 3, 13),
          `${annee}${c.family.court.toLowerCase()} ${c.label.toLowerCase()} é`,
          "",
        ].join(";"),
      );
      if (annee === duree) terminals.push({ mefstat11, cfd: c.cfd, duree });
    }
  }
}
writeFileSync(join(dir("bcn-n-mef"), "N_MEF.csv"), cp1252(`${mefLines.join("\n")}\n`));

// ---------- Onisep formations initiales (8,000, 2024+ header) ----------
const q = (v) => (/[ ;"]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const onisepHeader = [
  "code NSF",
  "code scolarité",
  "sigle type formation",
  "libellé type formation",
  "libellé formation principal",
  "sigle formation",
  "durée",
  "niveau de sortie indicatif",
  "code RNCP",
  "niveau de certification",
  "libellé niveau de certification",
  "tutelle",
  "URL et ID Onisep",
  "domaine/sous-domaine",
  "date création",
  "date de modification",
];
const forIds = [];
const rncps = [];
const onisepLines = [onisepHeader.map((h) => `"${h}"`).join(";")];
for (let i = 0; i < 8000; i++) {
  const c = cfds[(i * 7) % cfds.length];
  const forId = `FOR.${1000 + i}`;
  const rncp = String(30000 + i);
  const hasCfd = i % 10 < 7;
  const duree = c.family.dispositifs.at(-1)?.[1] ?? 2;
  forIds.push({ forId, cfd: hasCfd ? c.cfd : null, duree });
  rncps.push({ rncp, cfd: c.cfd });
  onisepLines.push(
    [
      c.cfd.slice(3, 6),
      hasCfd ? c.cfd : "",
      "",
      "baccalauréat professionnel",
      `${c.family.court} ${c.label.toLowerCase()}`,
      "",
      `${duree} ans`,
      "Bac ou équivalent",
      rncp,
      "4",
      "niveau 4 (bac ou équivalent)",
      "Ministère chargé de l'Éducation nationale et de la Jeunesse",
      `https://www.onisep.fr/http/redirection/formation/slug/${forId}`,
      "mécanique/automobile| électricité - électronique/électronique",
      "12/03/2008",
      "04/09/2024",
    ]
      .map(q)
      .join(";"),
  );
}
writeFileSync(
  join(dir("onisep-formations-initiales"), "ideo-formations_initiales_en_france.csv"),
  Buffer.concat([BOM, Buffer.from(`${onisepLines.join("\n")}\n`)]),
);

// ---------- Certif Info (100,000 rows, 37 columns, UTF-8, no quoting) ----------
const ciHeader =
  "Code_Diplome;Libelle_Diplome;Libelle_Type_Diplome;Code_Niveau_Europeen;Date_MaJ;Code_FormaCode;Libelle_FormaCode;Code_Rome_1;Code_Rome_2;Code_Rome_3;Code_Rome_4;Code_Rome_5;Code_Nsf;Code_RNCP;Code_RS;Code_Scolarité;valideur;certificateur;Annee_Premiere_Session;Annee_Derniere_Session;Code_Ancien_Diplome;Intitulé_Ancien_Diplome;Code_Ancien_RNCP;Code_Ancien_Scolarité;`Options`;Etat;Etat_Libelle;Etat_Ancien_Diplome;Etat_Ancien_Diplome_Libelle;accessibilite_fi;accessibilite_ca;accessibilite_fc;accessibilite_cp;accessibilite_vae;accessibilite_ind;code_type_diplome;codeIdeo2";
const ciLines = [ciHeader];
const certifinfos = [];
for (let i = 0; i < 100000; i++) {
  const id = String(10000 + i);
  const linked = i < 8000 ? rncps[i] : null;
  const cfd = linked && i % 3 !== 0 ? linked.cfd : i % 4 === 0 ? cfds[i % cfds.length].cfd : "";
  const rncp = linked ? linked.rncp : i % 2 === 0 ? String(40000 + i) : "";
  certifinfos.push({ id, cfd });
  ciLines.push(
    [
      id,
      `Certification "${pick(LABELS).toLowerCase()}" ${i}`,
      "Titre professionnel",
      "4",
      "12/03/2024",
      "23637",
      "Mécanique automobile",
      "I1604",
      "",
      "",
      "",
      "",
      "252",
      rncp,
      "",
      cfd,
      i % 5 === 0
        ? "Ministère du travail, du plein emploi et de l'insertion"
        : "Ministère de l'éducation nationale et de la jeunesse",
      "",
      "2017",
      "",
      "",
      "",
      "",
      "",
      "  ",
      "0",
      "Publié",
      "",
      "",
      "1",
      "1",
      "1",
      "1",
      "1",
      "1",
      "400",
      linked && i % 2 === 0 ? forIds[i].forId : "",
    ].join(";"),
  );
}
writeFileSync(join(dir("certifinfo"), "certifinfo.csv"), `${ciLines.join("\n")}\n`);

// ---------- Annuaire de l'éducation (60,000 rows, label header, UTF-8 BOM, CRLF) ----------
const annuaireHeader =
  "Identifiant_de_l_etablissement;Nom_etablissement;Type_etablissement;Statut_public_prive;Adresse_1;Adresse_2;Adresse_3;Code_postal;Code_commune;Nom_commune;Code_departement;Code_academie;Code_region;Ecole_maternelle;Ecole_elementaire;Voie_generale;Voie_technologique;Voie_professionnelle;Telephone;Fax;Web;Mail;Restauration;Hebergement;ULIS;Apprentissage;Segpa;Section_arts;Section_cinema;Section_theatre;Section_sport;Section_internationale;Section_europeenne;Lycee_Agricole;Lycee_militaire;Lycee_des_metiers;Post_BAC;Appartenance_Education_Prioritaire;GRETA;SIREN_SIRET;Fiche_onisep;position;Type_contrat_prive;Libelle_departement;Libelle_academie;Libelle_region;coordX_origine;coordY_origine;epsg_origine;nom_circonscription;latitude;longitude;precision_localisation;date_ouverture;date_maj_ligne;etat;ministere_tutelle;multi_uai;rpi_concentre;rpi_disperse;code_nature;libelle_nature;Code_type_contrat_prive;PIAL;etablissement_mere;type_rattachement_etablissement_mere;code_circonscription;code_zone_animation_pedagogique;libelle_zone_animation_pedagogique;code_bassin_formation;libelle_bassin_formation";
const DEPTS = [];
for (let d = 1; d <= 95; d++) if (d !== 20) DEPTS.push(String(d).padStart(2, "0"));
const uais = [];
const annuaireLines = [annuaireHeader];
const uaiSeen = new Set();
while (uais.length < 60000) {
  const dept = pick(DEPTS);
  const uai = uaiOf(`0${dept}${digits(4)}`);
  if (uaiSeen.has(uai)) continue;
  uaiSeen.add(uai);
  uais.push(uai);
  const cells = Array(71).fill("");
  cells[0] = uai;
  cells[1] = `Lycée professionnel ${pick(LABELS).toLowerCase()}`;
  cells[2] = "Lycée";
  cells[3] = "Public";
  cells[7] = `${dept}000`;
  cells[8] = `${dept}${digits(3)}`;
  cells[9] = "Commune";
  cells[10] = `0${dept}`;
  cells[11] = "10";
  cells[12] = "84";
  cells[60] = "320";
  cells[61] = "LYCEE PROFESSIONNEL";
  annuaireLines.push(cells.join(";"));
}
writeFileSync(
  join(dir("annuaire-education"), "fr-en-annuaire-education.csv"),
  Buffer.concat([BOM, Buffer.from(`${annuaireLines.join("\r\n")}\r\n`)]),
);

// ---------- DEPP InserJeunes API bodies (national, regional, per school) ----------
let measures = 0;
const measureRows = (dimension, code, filiere) => {
  const term = 20 + int(800);
  const poursuite = int(term);
  const sortants = term - poursuite;
  const e6 = int(sortants + 1);
  const values = {
    nb_annee_term: term,
    nb_sortant: sortants,
    nb_poursuite_etudes: poursuite,
    nb_en_emploi_6_mois: e6,
    nb_en_emploi_12_mois: Math.min(sortants, e6 + int(10)),
    nb_en_emploi_18_mois: Math.min(sortants, e6 + int(20)),
    nb_en_emploi_24_mois: Math.min(sortants, e6 + int(30)),
    taux_emploi_6_mois: sortants ? Math.round((100 * e6) / sortants) : 0,
  };
  measures += 8;
  return Object.entries(values).map(([id_mesure, valeur_mesure]) => ({
    id_mesure,
    valeur_mesure,
    ...(filiere ? { filiere } : {}),
    dimensions: [{ [dimension]: code }],
  }));
};
const apiDir = dir("inserjeunes-api");
const write = (rel, doc, double) => {
  const path = join(apiDir, ...rel.split("/"));
  mkdirSync(join(path, ".."), { recursive: true });
  const body = JSON.stringify(doc);
  writeFileSync(path, double ? JSON.stringify(body) : body);
};
const appCfds = cfds
  .filter((c) => c.family.niveau !== "010")
  .slice(0, 6000)
  .map((c) => c.cfd);
for (const year of ["2022", "2023", "2024"]) {
  write(
    `france/${year}/voie_pro_sco_educ_nat.json`,
    { metadata: {}, data: terminals.flatMap((t) => measureRows("id_mefstat11", t.mefstat11)) },
    true,
  );
  write(
    `france/${year}/apprentissage.json`,
    { metadata: {}, data: appCfds.flatMap((c) => measureRows("id_formation_apprentissage", c)) },
    false,
  );
}
for (let region = 1; region <= 18; region++) {
  for (const m of ["2022_2023", "2023_2024"]) {
    const data = [
      ...terminals
        .slice(0, 500)
        .flatMap((t) => measureRows("id_mefstat11", t.mefstat11, "voie_pro_sco_educ_nat")),
      ...appCfds.slice(0, 500).flatMap((c) => measureRows("id_formation_apprentissage", c, "apprentissage")),
    ];
    write(`region/${String(region).padStart(2, "0")}/${m}.json`, { metadata: {}, data }, false);
  }
}
const schoolData = [];
for (let i = 0; i < 1500; i++) {
  const uai = uais[i];
  const codes = [];
  for (let k = 0; k < 10; k++) {
    const t = terminals[(i * 13 + k * 101) % terminals.length];
    codes.push(["id_mefstat11", t.mefstat11], ["id_formation_apprentissage", t.cfd]);
  }
  schoolData.push({ uai, codes: codes.slice(0, 12) });
  for (const m of ["2022_2023", "2023_2024"])
    write(
      `uai/${uai}/${m}.json`,
      { metadata: {}, data: codes.slice(0, 12).flatMap(([d, c]) => measureRows(d, c)) },
      true,
    );
}

writeFileSync(
  join(OUT, "codes.json"),
  JSON.stringify({
    uais: uais.slice(0, 20000),
    schools: schoolData.map((s) => s.uai),
    terminals: terminals.map((t) => [t.mefstat11, t.cfd, t.duree]),
    forIds: forIds.map((f) => f.forId),
    rncps: rncps.map((r) => r.rncp),
    certifinfos: certifinfos.slice(0, 20000).map((c) => c.id),
  }),
);
console.error(
  `sources: ${cfds.length} formations, ${mefLines.length - 1} MEF, ${onisepLines.length - 1} Onisep, ${ciLines.length - 1} Certif Info, ${annuaireLines.length - 1} annuaire, ${measures} indicator measures`,
);
