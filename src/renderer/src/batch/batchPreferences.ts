/**
 * The Batch Export dialog remembers its last choices (folder, formats, template, overwrite, concurrency) in local
 * storage. Stored data is checked: anything unreadable falls back to the defaults, field by field.
 */
import { z } from 'zod';
import { batchFormats, overwritePolicies } from '../../../shared/batchTypes';
import type { BatchForm } from './batchForm';

/** The remembered part of the form (the scope is chosen afresh each time). */
export type BatchPreferences = Omit<BatchForm, 'scope'>;

const storageKey = 'matte-studio.batch-export';

const preferencesSchema = z.object({
  formats: z.array(z.enum(batchFormats)).catch(['png']),
  outDir: z.string().max(4096).catch(''),
  nameTemplate: z.string().max(200).catch('{name}'),
  overwrite: z.enum(overwritePolicies).catch('suffix'),
  concurrency: z.number().int().min(1).max(4).catch(1),
});

/** Defaults for a first batch. */
export const defaultBatchPreferences: BatchPreferences = { formats: ['png'], outDir: '', nameTemplate: '{name}', overwrite: 'suffix', concurrency: 1 };

/** The storage the preferences live in (absent in tests and locked-down pages). */
export type PreferenceStorage = Pick<Storage, 'getItem' | 'setItem'>;

function defaultStorage(): PreferenceStorage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** The last saved preferences, or the defaults. */
export function loadBatchPreferences(storage: PreferenceStorage | undefined = defaultStorage()): BatchPreferences {
  try {
    const text = storage?.getItem(storageKey);
    if (!text) return defaultBatchPreferences;
    const parsed = preferencesSchema.safeParse({ ...defaultBatchPreferences, ...(JSON.parse(text) as object) });
    return parsed.success ? parsed.data : defaultBatchPreferences;
  } catch {
    return defaultBatchPreferences;
  }
}

/** Saves the preferences; a full or missing storage is not an error worth a message. */
export function saveBatchPreferences(preferences: BatchPreferences, storage: PreferenceStorage | undefined = defaultStorage()): void {
  try {
    const { formats, outDir, nameTemplate, overwrite, concurrency } = preferences;
    storage?.setItem(storageKey, JSON.stringify({ formats, outDir, nameTemplate, overwrite, concurrency }));
  } catch {
    // Private mode or a full quota: the dialog simply starts from the defaults next time.
  }
}
