/**
 * Where the engine may write on behalf of the contract: the folders the user chose (native dialogs, the web shell's
 * folder browser, command-line arguments, the opened project's folder, the settings folder), and the default output
 * folder beside what they opened. Paths from the renderer are untrusted; every handler that writes (project saves,
 * Export, Batch Export) checks them here first, so a compromised or buggy page cannot make the engine write into
 * folders the user never pointed at.
 *
 * A root allows writes into itself and (for `recursive` roots) every folder below it. Checks compare real paths (the
 * deepest existing ancestor is resolved through links), so a link inside a root that points elsewhere does not widen it.
 *
 * Strictness: the Electron shell turns `strict` on at startup (its dialogs run in the main process and register what
 * the user picked). The web shell's dialogs are text fields inside the page, indistinguishable from the page itself,
 * so there a path the page sends counts as chosen and the scope only records roots (`strict` off, the default).
 */
import { realpathSync, statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { defaultOutputFolder, outputFolderBeside } from '../../shared/defaultOutputFolder';
import { StudioError } from '../../shared/errors';

/** Why a folder may be written. */
export type WriteRootReason = 'dialog' | 'argument' | 'project' | 'settings' | 'default-output' | 'test';

/** One allowed folder. */
export interface WriteRoot {
  /** Absolute, real (links resolved where the folder exists). */
  readonly folder: string;
  readonly reason: WriteRootReason;
  /** False: only files directly in `folder` (a folder the user merely browsed to). */
  readonly recursive: boolean;
}

/** A registry of allowed write roots. */
export class WriteScope {
  private readonly rootsByFolder = new Map<string, WriteRoot>();

  /** @param strict Refuse writes outside the roots (Electron); off: record roots, allow everything (web shell, CLI). */
  constructor(private strict = false) {}

  /** Turns refusal on or off (the Electron shell turns it on once at startup). */
  setStrict(strict: boolean): void {
    this.strict = strict;
  }

  get isStrict(): boolean {
    return this.strict;
  }

  /** Allows writes into `folder` (and below it unless `recursive: false`). Idempotent; a recursive grant wins. */
  allow(folder: string, reason: WriteRootReason, options: { recursive?: boolean } = {}): void {
    const real = realPathOf(resolve(folder));
    const recursive = options.recursive ?? true;
    const existing = this.rootsByFolder.get(real);
    if (existing && (existing.recursive || !recursive)) return;
    this.rootsByFolder.set(real, { folder: real, reason, recursive });
  }

  /** Allows the folder of a file the user chose (a save dialog's answer, a project file opened). */
  allowFileFolder(file: string, reason: WriteRootReason): void {
    this.allow(dirname(resolve(file)), reason);
  }

  /**
   * Allows the default output folder (`shared/defaultOutputFolder.ts`) of each source the user opened through a
   * trusted channel (a native open dialog, the OS, the command line), so Export and Batch Export work without a
   * folder dialog: a folder's sibling `<folder> cutouts`, a file's `<its folder> cutouts`. Not the source folders
   * themselves: opening pictures is no permission to write among them.
   */
  allowDefaultOutputsOf(sources: readonly string[]): void {
    for (const source of sources) {
      const path = resolve(source);
      this.allow(isFolder(path) ? outputFolderBeside(path) : defaultOutputFolder([path]), 'default-output');
    }
  }

  /** Every root, for logs and tests. */
  roots(): WriteRoot[] {
    return [...this.rootsByFolder.values()];
  }

  /** True when `path` (a file or folder to be written) lies inside a root, judged by real paths. */
  contains(path: string): boolean {
    const target = realPathOf(resolve(path));
    return this.roots().some((root) => isWithin(root, target));
  }

  /**
   * Throws `OUTPUT_UNWRITABLE` with a plain sentence when the scope is strict and `path` lies outside every root.
   * Call with the final path of each file (or folder) a contract handler is about to write.
   */
  assertWritable(path: string): void {
    if (!this.strict || this.contains(path)) return;
    throw new StudioError(
      'OUTPUT_UNWRITABLE',
      `Matte Studio only writes into folders you chose. Choose a folder for ${basename(path) || path} with the Save or Export dialog.`,
      `outside the write scope: ${resolve(path)}`,
    );
  }

  /** {@link assertWritable} after resolving links of the existing part of `path` asynchronously (for hot paths). */
  async assertWritableAsync(path: string): Promise<void> {
    if (!this.strict) return;
    const target = await realPathOfAsync(resolve(path));
    if (this.roots().some((root) => isWithin(root, target))) return;
    this.assertWritable(path);
  }

  /** Forgets every root (tests). */
  clear(): void {
    this.rootsByFolder.clear();
  }
}

/** The process's scope: the studio's handlers, both shells and the export code consult this one. */
export const defaultWriteScope = new WriteScope();

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isWithin(root: WriteRoot, target: string): boolean {
  const path = relative(root.folder, target);
  if (path === '' ) return true;
  if (path.startsWith('..') || path.startsWith(sep) || /^[a-zA-Z]:/.test(path)) return false;
  return root.recursive || !path.includes(sep);
}

/** The real path of `path`: its deepest existing ancestor resolved through links, the rest appended. */
function realPathOf(path: string): string {
  const rest: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpathSync(current), ...rest.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      rest.push(basename(current));
      current = parent;
    }
  }
}

async function realPathOfAsync(path: string): Promise<string> {
  const rest: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(await realpath(current), ...rest.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      rest.push(basename(current));
      current = parent;
    }
  }
}
