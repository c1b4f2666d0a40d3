/**
 * The fault suite's bookkeeping (issue 9): a workspace of user files, one row per case — case → what the user sees →
 * files lost — and the table printed at the end. "Files lost" counts user file contents (inputs, a sentinel document,
 * project and settings files) that exist nowhere under the workspace afterwards: moved aside counts as kept, changed or
 * deleted counts as lost; a case may add losses it checks itself (a project that no longer opens whole).
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { isStudioError } from '../../shared/errors';

/** One row of the table. */
export interface FaultRow {
  name: string;
  seen: string;
  lost: number;
}

/** What a case returns: what the user sees, and losses the snapshot cannot see (outside the workspace, say). */
export type CaseOutcome = string | { seen: string; extraLost: number };

/** Our own temporary outputs are not the user's files (the sweep case removes crashed writers' leftovers). */
const isTemporaryName = (name: string) => /^\..+\.(?:partial|old)-\d+-[0-9a-f]{8}(?:\.[^.]{1,15})?$/.test(name);

/** The rows of one suite and the workspace they are measured in. */
export class FaultTable {
  readonly rows: FaultRow[] = [];
  private root: string | undefined;

  /** The workspace (after {@link open}). */
  get workspace(): string {
    if (this.root === undefined) throw new Error('FaultTable.open() was not awaited');
    return this.root;
  }

  /** Makes the workspace with the user's sentinel document in it. */
  async open(): Promise<void> {
    this.root = await mkdtemp(join(tmpdir(), 'fault-suite-'));
    await writeFile(join(this.root, 'sentinel-notes.txt'), 'the user’s own document, never to be touched');
  }

  /** A folder of the workspace, made if needed. */
  async folderOf(name: string): Promise<string> {
    const folder = join(this.workspace, name);
    await mkdir(folder, { recursive: true });
    return folder;
  }

  /** Runs one case and records its row; `run` returns what the user sees. */
  async runCase(name: string, run: () => Promise<CaseOutcome>): Promise<FaultRow> {
    const before = await snapshot(this.workspace);
    const outcome = await run();
    const after = new Set((await snapshot(this.workspace)).values());
    const { seen, extraLost } = typeof outcome === 'string' ? { seen: outcome, extraLost: 0 } : outcome;
    const lost = [...before.values()].filter((hash) => !after.has(hash)).length + extraLost;
    const row = { name, seen: seen.split(this.workspace).join('<workspace>').replace(/\s+/g, ' ').slice(0, 160), lost };
    this.rows.push(row);
    return row;
  }

  /** The table as text. */
  format(): string {
    const width = Math.max(...this.rows.map((row) => row.name.length), 4);
    const lines = [`${'case'.padEnd(width)} | files lost | what the user sees`, `${'-'.repeat(width)}-|------------|-------------------`];
    for (const row of this.rows) lines.push(`${row.name.padEnd(width)} | ${String(row.lost).padStart(10)} | ${row.seen}`);
    return `\nFault table (issue 9): ${this.rows.length} cases, ${this.rows.reduce((sum, row) => sum + row.lost, 0)} files lost\n${lines.join('\n')}\n`;
  }
}

/** What the user sees from a rejected promise: the typed error's code and sentence; an untyped error fails the case. */
export async function failureOf(promise: Promise<unknown>): Promise<string> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome === undefined) throw new Error('expected a failure, but it succeeded');
  if (!isStudioError(outcome)) throw new Error(`untyped error: ${String(outcome)}`);
  expect(outcome.message.length).toBeGreaterThan(10);
  return `${outcome.code}: ${outcome.message}`;
}

/** The content hash of every regular file under `root`, by path (links are not followed). */
async function snapshot(root: string): Promise<Map<string, string>> {
  const hashes = new Map<string, string>();
  const walk = async (folder: string): Promise<void> => {
    for (const name of await readdir(folder)) {
      const path = join(folder, name);
      const info = await lstat(path);
      if (info.isDirectory()) await walk(path);
      else if (info.isFile() && !isTemporaryName(name)) hashes.set(path, createHash('sha256').update(await readFile(path)).digest('hex'));
    }
  };
  await walk(root);
  return hashes;
}
