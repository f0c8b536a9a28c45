import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { LookupDb } from "../index-db/lookup-db.js";
import { codePrefix } from "../match/identifiers.js";
import { HashedFile, jsonObject, sha256File, type WrittenFile } from "./export-files.js";
import { type Cell, columnIndex, compare, type Dataset, type Field, SPECS } from "./export-spec.js";

/**
 * `export --lookup`: the figure datasets keyed for a server that answers one key at a time
 * (DESIGN.md "Exports"): `lookup/formations.ndjson` by `uai|code_certification` (prefixed code, as
 * ij_code_certification), `lookup/regionales.ndjson` by `code_region|cfd` (every certification of the
 * diploma in the region: its CFD for apprentissage, its MEFSTAT11s for the voie scolaire),
 * `lookup/certifications.ndjson` by code_certification, and `lookup/inserjeunes.sqlite` with one
 * `key → value` table for each. Each line / value is `{"key":…,"rows":[…]}`, rows as in the dataset's JSON
 * plus `millesime_affichage` (2022/2023), the latest millésime first.
 */
export type LookupDataset = Extract<Dataset, "certifications" | "regionales" | "formations">;
export const LOOKUP_DATASETS: readonly LookupDataset[] = ["certifications", "regionales", "formations"];

const DISPLAY: Field = {
  name: "millesime_affichage",
  type: "string",
  description: "millésime as displayed: 2022/2023",
};

export class LookupWriter {
  private readonly counts = new Map<LookupDataset, number>();

  private constructor(
    private readonly dir: string,
    private readonly files: Map<LookupDataset, HashedFile>,
    private readonly db: LookupDb,
  ) {}

  static async open(dir: string): Promise<LookupWriter> {
    await mkdir(join(dir, "lookup"));
    const files = new Map<LookupDataset, HashedFile>();
    for (const name of LOOKUP_DATASETS)
      files.set(name, await HashedFile.create(dir, `lookup/${name}.ndjson`));
    return new LookupWriter(dir, files, new LookupDb(join(dir, "lookup", "inserjeunes.sqlite")));
  }

  /** One batch of a dataset; a key never spans two batches (batches are whole zones). */
  async add(dataset: LookupDataset, batch: readonly Cell[][]): Promise<void> {
    const spec = SPECS[dataset];
    const col = columnIndex(spec);
    const at = (cells: readonly Cell[], name: string) => cells[col[name]!] as string | undefined;
    const keyOf = (cells: readonly Cell[]) => {
      const code = prefixed(at(cells, "filiere")!, at(cells, "code_certification")!);
      if (dataset === "formations") return `${at(cells, "uai")}|${code}`;
      if (dataset === "regionales")
        return `${at(cells, "code_region")}|${at(cells, "code_formation_diplome") ?? at(cells, "code_certification")}`;
      return code;
    };
    const groups = new Map<string, Cell[][]>();
    for (const cells of batch) {
      const key = keyOf(cells);
      const group = groups.get(key);
      if (group) group.push(cells as Cell[]);
      else groups.set(key, [cells as Cell[]]);
    }
    const fields = [...spec.fields, DISPLAY];
    const order = (a: readonly Cell[], b: readonly Cell[]) =>
      newestFirst(at(a, "millesime")!, at(b, "millesime")!) ||
      compare(at(a, "code_certification")!, at(b, "code_certification")!) ||
      compare(at(a, "filiere")!, at(b, "filiere")!);
    const entries = [...groups.keys()].sort(compare).map((key) => {
      const rows = groups
        .get(key)!
        .sort(order)
        .map((cells) => jsonObject(fields, [...cells, display(at(cells, "millesime")!)]));
      return [key, `{"key":${JSON.stringify(key)},"rows":[${rows.join(",")}]}`] as const;
    });
    await this.files.get(dataset)!.write(entries.map(([, value]) => `${value}\n`).join(""));
    this.db.insertAll(dataset, entries);
    this.counts.set(dataset, (this.counts.get(dataset) ?? 0) + entries.length);
  }

  async close(meta: Readonly<Record<string, string>>): Promise<WrittenFile[]> {
    const written: WrittenFile[] = [];
    for (const [name, file] of this.files) written.push(await file.close(this.counts.get(name) ?? 0));
    await this.db.finish(meta);
    const path = "lookup/inserjeunes.sqlite";
    const keys = [...this.counts.values()].reduce((a, b) => a + b, 0);
    written.push({ path, rows: keys, ...(await sha256File(join(this.dir, path))) });
    return written;
  }

  async abort(): Promise<void> {
    for (const file of this.files.values()) await file.abort();
    this.db.abort();
  }
}

function prefixed(filiere: string, code: string): string {
  const prefix =
    filiere === "apprentissage"
      ? codePrefix.cfd
      : filiere === "superieur"
        ? codePrefix.sise
        : codePrefix.mefstat11;
  return `${prefix}${code}`;
}

/** "2022_2023" → "2022/2023"; "2023" stays. */
export function display(millesime: string): string {
  return millesime.replace("_", "/");
}

/** The latest end year first; for the same end year, a single year before two cumulated ones. */
function newestFirst(a: string, b: string): number {
  const ya = Number(a.slice(-4));
  const yb = Number(b.slice(-4));
  if (ya !== yb) return yb - ya;
  return (a.includes("_") ? 1 : 0) - (b.includes("_") ? 1 : 0);
}
