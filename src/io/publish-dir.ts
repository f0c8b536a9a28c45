import { randomBytes } from "node:crypto";
import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * A directory published as a whole: its new content is assembled in a hidden sibling
 * (`.<name>.tmp-<pid>-<random>`), then swapped in by two renames on the same filesystem. Readers see the
 * old directory or the new one, never a half-written one; a run that fails or is killed before the swap
 * leaves the old one untouched, and its leftovers are cleaned by the next run.
 *
 * Between the two renames (microseconds) the old directory is at `.<name>.old-<pid>-<random>`; a run
 * killed exactly there is recovered by the next one, which puts the old directory back before anything else.
 */
const LEFTOVER = /^\.(.+)\.(tmp|old)-(\d+)-[0-9a-f]+$/;

export interface Staging {
  /** The directory to fill. */
  path: string;
  /** Swap it in place of the target (the previous content is removed once the new one is in place). */
  publish(): Promise<void>;
  /** Remove it; the target is untouched. */
  discard(): Promise<void>;
}

export async function stageDirectory(target: string): Promise<Staging> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  await recoverLeftovers(target);
  const suffix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const path = join(parent, `.${basename(target)}.tmp-${suffix}`);
  await mkdir(path);
  return {
    path,
    publish: () => swapDirectory(path, target),
    discard: () => rm(path, { recursive: true, force: true }),
  };
}

/**
 * Replace `target` by `staging` (same filesystem): the old content is moved aside, the new one renamed
 * in, and the old one removed only once the new one is in place (put back if the second rename fails).
 */
export async function swapDirectory(staging: string, target: string): Promise<void> {
  const backup = join(
    dirname(target),
    `.${basename(target)}.old-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
  let hadOld = false;
  try {
    await rename(target, backup);
    hadOld = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  try {
    await rename(staging, target);
  } catch (error) {
    if (hadOld) await rename(backup, target);
    throw error;
  }
  if (hadOld) await rm(backup, { recursive: true, force: true });
}

/**
 * Leftovers of runs that died: their staging directories are removed; if the target is missing and a
 * dead run left its previous content aside, that content is put back.
 */
export async function recoverLeftovers(target: string): Promise<void> {
  const parent = dirname(target);
  const name = basename(target);
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return;
  }
  const dead = entries
    .map((entry) => ({ entry, m: LEFTOVER.exec(entry) }))
    .filter(({ m }) => m !== null && m[1] === name && !isAlive(Number(m[3])))
    .map(({ entry, m }) => ({ path: join(parent, entry), kind: m![2] as "tmp" | "old" }));
  const backups = dead.filter((d) => d.kind === "old");
  if (backups.length > 0 && !(await exists(target))) {
    const newest = await newestOf(backups.map((b) => b.path));
    await rename(newest, target);
  }
  for (const d of dead) await rm(d.path, { recursive: true, force: true });
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function newestOf(paths: readonly string[]): Promise<string> {
  const times = await Promise.all(paths.map(async (p) => ({ p, t: (await stat(p)).mtimeMs })));
  times.sort((a, b) => b.t - a.t || (a.p < b.p ? -1 : 1));
  return times[0]!.p;
}
