/**
 * The 18 regions: INSEE code (annuaire, ACCE, Exposition) and the DEPP InserJeunes API's own
 * "région académique" code (01 ARA … 18 PACA). Mapping from trajectoires-pro server/src/services/regions.js.
 */
export interface Region {
  insee: string;
  academique: string;
  nom: string;
}

export const REGIONS: readonly Region[] = [
  { insee: "84", academique: "01", nom: "Auvergne-Rhône-Alpes" },
  { insee: "27", academique: "02", nom: "Bourgogne-Franche-Comté" },
  { insee: "53", academique: "03", nom: "Bretagne" },
  { insee: "24", academique: "04", nom: "Centre-Val de Loire" },
  { insee: "94", academique: "05", nom: "Corse" },
  { insee: "44", academique: "06", nom: "Grand Est" },
  { insee: "01", academique: "07", nom: "Guadeloupe" },
  { insee: "03", academique: "08", nom: "Guyane" },
  { insee: "32", academique: "09", nom: "Hauts-de-France" },
  { insee: "11", academique: "10", nom: "Île-de-France" },
  { insee: "04", academique: "11", nom: "La Réunion" },
  { insee: "02", academique: "12", nom: "Martinique" },
  { insee: "06", academique: "13", nom: "Mayotte" },
  { insee: "28", academique: "14", nom: "Normandie" },
  { insee: "75", academique: "15", nom: "Nouvelle-Aquitaine" },
  { insee: "76", academique: "16", nom: "Occitanie" },
  { insee: "52", academique: "17", nom: "Pays de la Loire" },
  { insee: "93", academique: "18", nom: "Provence-Alpes-Côte d'Azur" },
];

const byAcademique = new Map(REGIONS.map((r) => [r.academique, r]));
const byInsee = new Map(REGIONS.map((r) => [r.insee, r]));

export function regionFromAcademique(code: string): Region | undefined {
  return byAcademique.get(code.padStart(2, "0"));
}

/** Accepts "84", "R84" (InserSup), "084". */
export function regionFromInsee(code: string): Region | undefined {
  const v = code.trim().replace(/^R/i, "");
  return byInsee.get(v.length === 3 && v.startsWith("0") ? v.slice(1) : v.padStart(2, "0"));
}

const nameKey = (name: string) =>
  name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
const byName = new Map(REGIONS.map((r) => [nameKey(r.nom), r]));

/** "Île-de-France", "ILE-DE-FRANCE", "Provence-Alpes-Côte d'Azur" (Exposition CSV, DEPP tables) → region. */
export function regionFromName(name: string): Region | undefined {
  return byName.get(nameKey(name));
}

/** Département (as in a UAI or a postcode) → INSEE region code. */
const DEPARTEMENTS: Record<string, string> = {};
const assign = (region: string, list: string) => {
  for (const d of list.split(" ")) DEPARTEMENTS[d] = region;
};
assign("84", "01 03 07 15 26 38 42 43 63 69 73 74");
assign("27", "21 25 39 58 70 71 89 90");
assign("53", "22 29 35 56");
assign("24", "18 28 36 37 41 45");
assign("94", "20 2A 2B");
assign("44", "08 10 51 52 54 55 57 67 68 88");
assign("32", "02 59 60 62 80");
assign("11", "75 77 78 91 92 93 94 95");
assign("28", "14 27 50 61 76");
assign("75", "16 17 19 23 24 33 40 47 64 79 86 87");
assign("76", "09 11 12 30 31 32 34 46 48 65 66 81 82");
assign("52", "44 49 53 72 85");
assign("93", "04 05 06 13 83 84");
assign("01", "971");
assign("02", "972");
assign("03", "973");
assign("04", "974");
assign("06", "976");

export function regionFromDepartement(departement: string): Region | undefined {
  const d = departement.trim().toUpperCase();
  const key = d.length === 3 && d.startsWith("0") ? d.slice(1) : d;
  const insee = DEPARTEMENTS[key];
  return insee ? byInsee.get(insee) : undefined;
}

/**
 * The département a UAI belongs to: first char 0, 6 or 7 → chars 2–3 (6/7 are Corsica's 620/720),
 * otherwise chars 1–3 (971…976). The field's fallback when the annuaire does not know the UAI.
 */
export function departementFromUai(uai: string): string {
  return "067".includes(uai[0]!) ? uai.slice(1, 3) : uai.slice(0, 3);
}
