import { chmod } from "node:fs/promises";
import Database from "better-sqlite3";

/**
 * The compact read-only SQLite of `export --lookup`: one `key → JSON` table per keyed artefact, the
 * same records as the NDJSON files, for a web server that opens it read-only and answers
 * `SELECT value FROM formations WHERE key = ?`. Built with the same inserts in the same order, then
 * vacuumed, so the same export gives the same bytes; written without a journal, then made read-only.
 */
export class LookupDb {
  private readonly db: Database.Database;
  private readonly inserts = new Map<string, Database.Statement>();

  constructor(private readonly path: string) {
    this.db = new Database(path);
    this.db.pragma("journal_mode = OFF");
    this.db.pragma("synchronous = OFF");
  }

  insertAll(table: string, entries: readonly (readonly [key: string, value: string])[]): void {
    let insert = this.inserts.get(table);
    if (!insert) {
      if (!/^[a-z_]+$/.test(table)) throw new Error(`bad lookup table name ${table}`);
      this.db.exec(`CREATE TABLE ${table} (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`);
      insert = this.db.prepare(`INSERT INTO ${table} (key, value) VALUES (?, ?)`);
      this.inserts.set(table, insert);
    }
    const statement = insert;
    this.db.transaction(() => {
      for (const [key, value] of entries) statement.run(key, value);
    })();
  }

  async finish(meta: Readonly<Record<string, string>>): Promise<void> {
    this.db.exec("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
    const insert = this.db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
    for (const [key, value] of Object.entries(meta).sort(([a], [b]) => (a < b ? -1 : 1)))
      insert.run(key, value);
    this.db.exec("VACUUM");
    this.db.close();
    await chmod(this.path, 0o444);
  }

  abort(): void {
    if (this.db.open) this.db.close();
  }
}
