import { outputFormatIds } from '../../../shared/outputFormats';
import { describe, expect, it } from 'vitest';
import { cancelledSkipReason, parseBatchRequest, type BatchOutcome } from '../../../shared/batchTypes';
import type { DocumentItem } from '../document/documentStore';
import { defaultRefinementSettings } from '../document/documentStore';
import { buildBatchRequest, checkBatchForm, clipFormatOptions, defaultScope, stillFormatOptions, etaText, failureLines, itemsInScope, notificationText, summaryText, toggleFormat, type BatchForm } from './batchForm';
import { defaultBatchPreferences, loadBatchPreferences, saveBatchPreferences } from './batchPreferences';

const item = (id: string, kind: DocumentItem['kind'] = 'image', status: DocumentItem['status'] = 'done'): DocumentItem => ({ id, path: `/pictures/${id}.${kind === 'clip' ? 'mp4' : 'png'}`, name: `${id}.png`, kind, status, width: 8, height: 8, flaggedFrames: [] });
const items = [item('a'), item('b', 'image', 'failed'), item('c'), item('d', 'clip')];
const form: BatchForm = { scope: 'all', formats: ['png', 'webp'], outDir: ' /out ', nameTemplate: '{index}-{name}', overwrite: 'skip', concurrency: 2 };
const refinement = { ...defaultRefinementSettings(), radiusPx: 12 };

function outcome(patch: Partial<BatchOutcome> = {}): BatchOutcome {
  return { request: parseBatchRequest({ inputs: ['/pictures/a.png'], outDir: '/out', formats: ['png'] }), items: [], total: 3, written: 4, skipped: 1, failed: 1, cancelled: false, notes: [], elapsedMs: 3240, ...patch };
}

describe('batch dialog: items and checks', () => {
  it('picks all, the selection in library order, or the failed items (library status or the last batch)', () => {
    expect(itemsInScope('all', items, []).map((entry) => entry.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(itemsInScope('selected', items, ['c', 'a']).map((entry) => entry.id)).toEqual(['a', 'c']);
    expect(itemsInScope('failed', items, [], new Set(['/pictures/c.png'])).map((entry) => entry.id)).toEqual(['b', 'c']);
    expect(defaultScope(['a'])).toBe('all');
    expect(defaultScope(['a', 'b'])).toBe('selected');
  });

  it('says what is missing: items, formats, a format that fits, a folder, a usable template', () => {
    expect(checkBatchForm(form, items)).toEqual([]);
    expect(checkBatchForm({ ...form, scope: 'failed' }, [])).toEqual(['There are no failed items.']);
    expect(checkBatchForm({ ...form, formats: [] }, items)).toEqual(['Choose at least one format.']);
    expect(checkBatchForm({ ...form, formats: ['prores'] }, [item('a')])).toEqual(['These items are stills: choose a still format.']);
    expect(checkBatchForm({ ...form, outDir: '  ' }, items)).toEqual(['Choose an output folder.']);
    expect(checkBatchForm({ ...form, nameTemplate: '{name}-{size}' }, items)[0]).toMatch(/uses \{size\}/);
    expect(checkBatchForm({ ...form, nameTemplate: '../{name}' }, items)[0]).toMatch(/cannot contain \//);
  });
});

describe('batch dialog: the request', () => {
  it('carries the chosen paths, one settings snapshot, the trial limits, and a background only for clip composites', () => {
    const request = buildBatchRequest(form, items.slice(0, 3), { refinement, modelId: 'isnet-fp16', background: '#00b140' }, { items: 3, clipFrames: 50 });
    expect(request).toEqual({
      inputs: ['/pictures/a.png', '/pictures/b.png', '/pictures/c.png'],
      outDir: '/out',
      formats: ['png', 'webp'],
      nameTemplate: '{index}-{name}',
      overwrite: 'skip',
      concurrency: 2,
      settings: { modelId: 'isnet-fp16', refinement },
      limit: 3,
      maxFrames: 50,
    });
    // The engine accepts it as it is.
    expect(parseBatchRequest(request).settings.refinement.radiusPx).toBe(12);
    const clips = buildBatchRequest({ ...form, formats: ['mp4'], concurrency: 9 }, items, { refinement, background: '#00b140' });
    expect(clips).toMatchObject({ background: '#00b140', concurrency: 4, settings: { refinement } });
    expect(clips.settings).not.toHaveProperty('modelId');
    expect(clips).not.toHaveProperty('limit');
    expect(clips).not.toHaveProperty('maxFrames');
  });

  it('toggles formats keeping the order', () => {
    expect(toggleFormat(['png', 'webp'], 'png')).toEqual(['webp']);
    expect(toggleFormat(['webp'], 'matte')).toEqual(['webp', 'matte']);
  });
});

describe('batch dialog: sentences', () => {
  it('summarises a run, a cancelled run, and the ETA', () => {
    expect(summaryText(outcome())).toBe('Done: 3 items. Wrote 4 files · 1 skipped · 1 failed · 3.2 s');
    expect(summaryText(outcome({ cancelled: true, items: [], written: 1, total: 1, elapsedMs: 125_000 }))).toBe('Cancelled after 0 of 1 item. Wrote 1 file · 1 skipped · 1 failed · 2 min 05 s');
    // The item the cancel stopped partway is listed, but did not finish.
    const finished = { input: '/p/a.png', kind: 'image' as const, outputs: [{ format: 'png' as const, path: '/out/a.png' }], skipped: [], failed: [], tier: 1 as const, model: 'm', ep: 'cpu', fallbackReasons: [], ms: 1, notes: [] };
    const stopped = { ...finished, input: '/p/b.png', outputs: [], skipped: [{ format: 'png' as const, reason: cancelledSkipReason }] };
    expect(summaryText(outcome({ cancelled: true, items: [finished, stopped], total: 4 }))).toMatch(/^Cancelled after 1 of 4 items\. Wrote 4 files · 1 not written · 1 failed/);
    // Skips by kind: kept because already there, not applicable to the item's kind.
    const kept = { ...finished, input: '/p/c.png', outputs: [], skipped: [{ format: 'png' as const, reason: 'c.png already exists.' }, { format: 'prores' as const, reason: 'ProRes is for clips.' }] };
    expect(summaryText(outcome({ items: [finished, kept], skipped: 2, failed: 0 }))).toBe('Done: 3 items. Wrote 4 files · 1 already there · 1 not applicable · 0 failed · 3.2 s');
    expect(etaText(undefined)).toBe('');
    expect(etaText(0.4)).toBe('almost done');
    expect(etaText(12.4)).toBe('about 12 s left');
    expect(etaText(600)).toBe('about 10 min left');
  });

  it('lists failures by file name and format, and words the notification', () => {
    const failed = outcome({
      items: [
        { input: '/pictures/b.png', kind: 'image', outputs: [], skipped: [], failed: [{ error: { code: 'DECODE_FAILED', message: 'b.png could not be read.' } }], tier: null, model: null, ms: 3, notes: [], ep: null, fallbackReasons: [] },
        { input: '/pictures/c.png', kind: 'image', outputs: [], skipped: [], failed: [{ format: 'webp', error: { code: 'DISK_FULL', message: 'The disk is full.' } }], tier: 3, model: 'classical', ms: 3, notes: [], ep: null, fallbackReasons: [] },
      ],
    });
    expect(failureLines(failed.items)).toEqual([
      { input: '/pictures/b.png', name: 'b.png', message: 'b.png could not be read.' },
      { input: '/pictures/c.png', name: 'c.png', format: 'webp', message: 'The disk is full.' },
    ]);
    expect(notificationText(failed)).toEqual({ title: 'Batch export finished with failures', body: '4 files written from 3 items, 1 failed.' });
    expect(notificationText(outcome({ failed: 0, cancelled: true }))).toEqual({ title: 'Batch export cancelled', body: '4 files written from 3 items.' });
  });
});

describe('batch dialog: remembered choices', () => {
  it('round-trips through storage and falls back field by field on bad data', () => {
    const values = new Map<string, string>();
    const storage = { getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value) };
    expect(loadBatchPreferences(storage)).toEqual(defaultBatchPreferences);
    saveBatchPreferences({ formats: ['webp', 'matte'], outDir: '/out', nameTemplate: '{name}_{date}', overwrite: 'overwrite', concurrency: 3 }, storage);
    expect(loadBatchPreferences(storage)).toEqual({ formats: ['webp', 'matte'], outDir: '/out', nameTemplate: '{name}_{date}', overwrite: 'overwrite', concurrency: 3 });
    values.set('matte-studio.batch-export', JSON.stringify({ formats: ['gif'], outDir: '/kept', overwrite: 'maybe', concurrency: 99 }));
    expect(loadBatchPreferences(storage)).toEqual({ ...defaultBatchPreferences, outDir: '/kept' });
    values.set('matte-studio.batch-export', '{ not json');
    expect(loadBatchPreferences(storage)).toEqual(defaultBatchPreferences);
    expect(loadBatchPreferences(undefined)).toEqual(defaultBatchPreferences);
  });
});

describe('format choices', () => {
  it('offer every format of the one table exactly once, with words for each (webm-fast and the matte clip were missing)', () => {
    const offered = [...stillFormatOptions, ...clipFormatOptions].map((option) => option.format);
    expect([...offered].sort()).toEqual([...outputFormatIds].sort());
    for (const option of [...stillFormatOptions, ...clipFormatOptions]) expect(option.label).toMatch(/^[A-Z]/);
    expect(stillFormatOptions.find((option) => option.format === 'matte')!.label).toMatch(/clips: matte clip/);
  });
});
