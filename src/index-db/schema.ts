import { MEASURE_NAMES } from "../indicators/rates.js";

/** Bump when the schema changes: an index of another version must be rebuilt. */
export const SCHEMA_VERSION = 3;

const measureColumns = MEASURE_NAMES.map((name) => `${name} REAL`).join(",\n  ");

export const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE source_report (
  source TEXT PRIMARY KEY,
  sha256 TEXT,
  vintage TEXT,
  rows_read INTEGER NOT NULL,
  rows_kept INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  report TEXT NOT NULL
) WITHOUT ROWID;

-- BCN N_ and V_FORMATION_DIPLOME, merged (N_ wins where both have the CFD).
CREATE TABLE formation (
  cfd TEXT PRIMARY KEY,
  niveau TEXT NOT NULL,
  libelle_court TEXT,
  libelle TEXT,
  date_ouverture TEXT,
  date_fermeture TEXT,
  date_premiere_session TEXT,
  date_derniere_session TEXT,
  niveau_qualification_rncp TEXT,
  in_n INTEGER NOT NULL DEFAULT 0,
  in_v INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- ANCIEN_DIPLOME_n / NOUVEAU_DIPLOME_n as declared by the BCN.
CREATE TABLE continuum_declared (cfd TEXT NOT NULL, relation TEXT NOT NULL, other TEXT NOT NULL);

-- The continuum made reciprocal, for CFDs and projected on terminal MEFSTAT11s.
-- relation 'ancien': other is an older diploma of code; 'nouveau': a newer one.
CREATE TABLE continuum (
  code TEXT NOT NULL,
  relation TEXT NOT NULL CHECK (relation IN ('ancien', 'nouveau')),
  other TEXT NOT NULL,
  one_to_one INTEGER NOT NULL,
  PRIMARY KEY (code, relation, other)
) WITHOUT ROWID;

CREATE TABLE niveau (
  niveau TEXT PRIMARY KEY,
  libelle_court TEXT,
  libelle TEXT,
  niveau_interministeriel TEXT,
  niveau_qualification_rncp TEXT
) WITHOUT ROWID;

CREATE TABLE mef (
  mef10 TEXT PRIMARY KEY,
  mefstat11 TEXT NOT NULL,
  cfd TEXT NOT NULL,
  dispositif TEXT,
  duree INTEGER,
  annee INTEGER,
  date_ouverture TEXT,
  date_fermeture TEXT,
  statut TEXT,
  libelle TEXT,
  -- MEFSTAT11 of the last year of the same CFD and dispositif (itself for a terminal year).
  terminal_mefstat11 TEXT
) WITHOUT ROWID;
CREATE INDEX mef_by_cfd ON mef (cfd);
CREATE INDEX mef_by_stat ON mef (mefstat11);

-- BCN N_DIPLOME_SISE (+ the 3 fictitious BUT codes InserSup uses, added at derive time).
CREATE TABLE sise (
  sise TEXT PRIMARY KEY,
  type_diplome TEXT,
  libelle TEXT,
  date_ouverture TEXT,
  date_fermeture TEXT
) WITHOUT ROWID;

-- BCN N_TYPE_DIPLOME_SISE: type and level of a SISE diploma.
CREATE TABLE sise_type (
  type_diplome TEXT PRIMARY KEY,
  libelle_court TEXT,
  libelle TEXT,
  niveau_interministeriel TEXT,
  cycle TEXT,
  duree INTEGER
) WITHOUT ROWID;

-- BCN N_GROUPE_FORMATION and N_LIEN_FORMATION_GROUPE (familles de métiers).
CREATE TABLE groupe (
  groupe TEXT PRIMARY KEY,
  type TEXT,
  libelle TEXT,
  date_ouverture TEXT,
  date_fermeture TEXT
) WITHOUT ROWID;
CREATE TABLE lien_groupe (
  groupe TEXT NOT NULL,
  cfd TEXT NOT NULL,
  date_fermeture TEXT,
  PRIMARY KEY (groupe, cfd)
) WITHOUT ROWID;
CREATE INDEX lien_groupe_by_cfd ON lien_groupe (cfd);

-- Derived: the famille of every CFD linked to a groupe, directly (via 'bcn') or along its 1:1 continuum
-- (via 'continuum'), and whether the CFD is the année commune (all its MEFs are a first year of a
-- longer cursus: the seconde commune of a famille de métiers).
CREATE TABLE famille (
  cfd TEXT NOT NULL,
  groupe TEXT NOT NULL,
  annee_commune INTEGER NOT NULL,
  via TEXT NOT NULL,
  PRIMARY KEY (cfd, groupe)
) WITHOUT ROWID;

-- Derived: for every code of an année commune (its MEFSTAT11s and its CFD), the terminal MEFSTAT11 of
-- each other CFD of the famille — what ij_certifications_terminales lists, in one query.
CREATE TABLE famille_terminal (
  code TEXT NOT NULL,
  groupe TEXT NOT NULL,
  terminal TEXT NOT NULL,
  terminal_cfd TEXT NOT NULL,
  via TEXT NOT NULL,
  PRIMARY KEY (code, groupe, terminal)
) WITHOUT ROWID;

CREATE TABLE onisep_formation (
  for_id TEXT PRIMARY KEY,
  cfd TEXT,
  rncp TEXT,
  duree INTEGER,
  libelle TEXT,
  type_formation TEXT
) WITHOUT ROWID;

-- Onisep Idéo-Actions de formation (lycée and supérieur): an action = a formation (FOR) in a school (UAI).
CREATE TABLE onisep_action (
  af_id TEXT PRIMARY KEY,
  for_id TEXT NOT NULL,
  uai TEXT,
  duree INTEGER,
  libelle TEXT,
  type_formation TEXT
) WITHOUT ROWID;
CREATE INDEX onisep_action_by_for ON onisep_action (for_id);

CREATE TABLE certifinfo (
  certifinfo TEXT NOT NULL,
  libelle TEXT,
  type_diplome TEXT,
  niveau_europeen TEXT,
  certificateur TEXT,
  valideur TEXT,
  cfd TEXT,
  rncp TEXT,
  for_id TEXT,
  sise TEXT
);
CREATE INDEX certifinfo_by_id ON certifinfo (certifinfo);

-- Every correspondence between identifiers, with the source that states it. Sources append to
-- link_stage (no index: appending is cheap); derive moves the distinct rows, sorted, into link.
CREATE TABLE link_stage (from_type TEXT, from_code TEXT, to_type TEXT, to_code TEXT, source TEXT);
CREATE TABLE link (
  from_type TEXT NOT NULL,
  from_code TEXT NOT NULL,
  to_type TEXT NOT NULL,
  to_code TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (from_type, from_code, to_type, to_code, source)
) WITHOUT ROWID;

-- Catalogue de l'apprentissage: the three UAIs of an offer (cle_ministere_educatif), for the UAI role
-- of a (UAI, CFD): one indexed query on any of the three columns.
CREATE TABLE uai_role (
  cle TEXT PRIMARY KEY,
  cfd TEXT NOT NULL,
  uai_lieu TEXT,
  uai_formateur TEXT,
  uai_gestionnaire TEXT,
  duree INTEGER
) WITHOUT ROWID;
CREATE INDEX uai_role_by_cfd ON uai_role (cfd);
CREATE INDEX uai_role_by_lieu ON uai_role (uai_lieu, cfd);
CREATE INDEX uai_role_by_formateur ON uai_role (uai_formateur, cfd);
CREATE INDEX uai_role_by_gestionnaire ON uai_role (uai_gestionnaire, cfd);

-- Schools from the annuaire and ACCE, merged field by field: ACCE (priority 2) wins where it has a
-- value, the annuaire (1) fills the rest; source lists every source that knows the UAI.
CREATE TABLE etablissement (
  uai TEXT PRIMARY KEY,
  nom TEXT,
  commune TEXT,
  commune_libelle TEXT,
  departement TEXT,
  academie TEXT,
  region TEXT,
  nature TEXT,
  source TEXT NOT NULL,
  priority INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE region (insee TEXT PRIMARY KEY, academique TEXT NOT NULL, nom TEXT NOT NULL) WITHOUT ROWID;

-- Indicators, one row per (level, zone, code, filière, millésime). zone: UAI, INSEE region or ''.
-- When two sources give the same key, the row of the higher priority wins whole (insert.ts
-- INDICATOR_PRIORITY: DEPP API > InserSup > Exposition > open data); priority is that rank.
CREATE TABLE indicator (
  niveau TEXT NOT NULL,
  zone TEXT NOT NULL,
  code TEXT NOT NULL,
  filiere TEXT NOT NULL,
  millesime TEXT NOT NULL,
  ${measureColumns},
  source TEXT NOT NULL,
  source_vintage TEXT,
  priority INTEGER NOT NULL,
  PRIMARY KEY (niveau, zone, code, filiere, millesime)
) WITHOUT ROWID;
CREATE INDEX indicator_by_code ON indicator (code, niveau);

-- Exposition rows whose figures are another code's (donnee_source ancienne/nouvelle): kept to compare
-- with our own continuum, never read as figures of code.
CREATE TABLE indicator_derived (
  niveau TEXT NOT NULL,
  zone TEXT NOT NULL,
  code TEXT NOT NULL,
  filiere TEXT NOT NULL,
  millesime TEXT NOT NULL,
  donnee_source_type TEXT NOT NULL,
  donnee_source_code TEXT NOT NULL,
  ${measureColumns},
  source TEXT NOT NULL,
  source_vintage TEXT,
  PRIMARY KEY (niveau, zone, code, filiere, millesime, source)
) WITHOUT ROWID;

-- Figures per establishment without a formation code (DEPP tables, open-data per-UAI datasets, the
-- ensemble rows of the DEPP API /UAI route): no (UAI, code) lookup reads them. filiere '' = not said.
CREATE TABLE indicator_etablissement (
  uai TEXT NOT NULL,
  filiere TEXT NOT NULL,
  perimetre TEXT NOT NULL,
  millesime TEXT NOT NULL,
  ${measureColumns},
  source TEXT NOT NULL,
  source_vintage TEXT,
  priority INTEGER NOT NULL,
  PRIMARY KEY (uai, filiere, perimetre, millesime)
) WITHOUT ROWID;
`;
