/**
 * The words and numbers the Models panel shows for a model: size, licence (non-commercial clearly marked), where it
 * stands, and what its action button does. Pure, so the wording is tested without a DOM.
 */
import type { ModelEntry } from '../../../shared/contract/modelMethods';
import type { ModelSpec } from '../../../shared/modelTypes';
import { formatBytes } from '../../../shared/formatBytes';

export { formatBytes };

/** An install running in this window. */
export interface InstallProgress {
  readonly jobId: string;
  /** 0–1, counting bytes already downloaded by an earlier attempt. */
  readonly fraction: number;
  readonly isCancelling: boolean;
}


/** e.g. `224 MB`, or `~973 MB` where the catalogue knows the size only roughly. */
export function sizeText(entry: Pick<ModelEntry, 'sizeBytes' | 'isSizeExact'>): string {
  return `${entry.isSizeExact ? '' : '~'}${formatBytes(entry.sizeBytes)}`;
}

/** The licence as the panel and the picker show it. */
export interface LicenceText {
  /** e.g. `MIT`, `CC-BY-NC-4.0`, `Unknown`. */
  readonly label: string;
  /** True where the licence forbids commercial use: the panel marks such models. */
  readonly isNonCommercial: boolean;
  /** The longer explanation for the tooltip. */
  readonly title: string;
}

/** Licence wording; a custom model's licence is unknown, which is not the same as non-commercial. */
export function licenceText(spec: ModelSpec): LicenceText {
  const { id, commercialUse, note } = spec.licence;
  if (id === 'unknown') return { label: 'Unknown', isNonCommercial: false, title: 'Licence unknown: check it before any commercial use.' };
  const summary = commercialUse ? 'Commercial use allowed.' : 'Non-commercial use only: commercial work needs a separate licence.';
  return { label: id, isNonCommercial: !commercialUse, title: [`${id}.`, summary, note].filter(Boolean).join(' ') };
}

/** Where a model stands, in words, e.g. `Installed`, `Downloading… 45%`, `Partly downloaded (45 MB of 224 MB)`. */
export function statusText(entry: ModelEntry, install: InstallProgress | undefined): string {
  if (install) return install.isCancelling ? 'Cancelling…' : `Downloading… ${Math.floor(install.fraction * 100)}%`;
  if (entry.installJobId) return 'Downloading in another window…';
  if (entry.state === 'installed') return entry.source === 'bundled' ? 'Installed (ships with Matte Studio)' : entry.source === 'custom' ? 'Installed (your own file)' : 'Installed';
  if (entry.state === 'unavailable') return 'Missing from this installation';
  if (entry.partialBytes > 0) return `Partly downloaded (${formatBytes(entry.partialBytes)} of ${sizeText(entry)})`;
  return 'Not installed';
}

/** What a row's one action button does now. */
export interface RowAction {
  readonly kind: 'install' | 'resume' | 'cancel' | 'remove';
  readonly label: string;
  /** Never possible for this model (bundled, or missing and not downloadable): the button is disabled. */
  readonly isDisabled: boolean;
  /** Briefly unavailable (a cancel on its way, a removal running): the button stays focusable but does nothing. */
  readonly isBusy: boolean;
  readonly title: string;
}

/**
 * The row's action. One button per row whose label follows the model (Install → Cancel → Remove), so keyboard focus
 * stays on it as a download starts and ends.
 */
export function rowAction(entry: ModelEntry, install: InstallProgress | undefined, isRemoving = false): RowAction {
  const name = entry.spec.name;
  if (install) return { kind: 'cancel', label: install.isCancelling ? 'Cancelling…' : 'Cancel', isDisabled: false, isBusy: install.isCancelling, title: `Stop downloading ${name}; what arrived is kept, and Resume continues from there` };
  if (entry.installJobId) return { kind: 'cancel', label: 'Downloading…', isDisabled: false, isBusy: true, title: `${name} is being downloaded in another window` };
  if (entry.state === 'installed') {
    if (!entry.canRemove) return { kind: 'remove', label: 'Remove', isDisabled: true, isBusy: false, title: `${name} ships with Matte Studio and cannot be removed` };
    return { kind: 'remove', label: isRemoving ? 'Removing…' : 'Remove', isDisabled: false, isBusy: isRemoving, title: `Delete ${name} from your model folder (frees ${sizeText(entry)})` };
  }
  if (entry.state === 'unavailable') return { kind: 'install', label: 'Install', isDisabled: true, isBusy: false, title: `${name} ships with Matte Studio and cannot be downloaded; reinstall Matte Studio to restore it` };
  if (entry.partialBytes > 0) return { kind: 'resume', label: 'Resume', isDisabled: false, isBusy: isRemoving, title: `Continue downloading ${name} from ${formatBytes(entry.partialBytes)} of ${sizeText(entry)}` };
  return { kind: 'install', label: 'Install', isDisabled: false, isBusy: isRemoving, title: `Download ${name} (${sizeText(entry)}) into your model folder` };
}
