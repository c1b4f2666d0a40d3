import { describe, expect, it } from 'vitest';
import { defaultRefinementSettings } from '../document/documentStore';
import { settingsSnapshotFor, skippedKindsNote } from './batchSettingsSource';

describe('the batch settings source', () => {
  it('takes the canvas item’s settings only when chosen and present', () => {
    const mine = { ...defaultRefinementSettings(), radiusPx: 3 };
    expect(settingsSnapshotFor('activeItem', mine, defaultRefinementSettings).radiusPx).toBe(3);
    expect(settingsSnapshotFor('defaults', mine, defaultRefinementSettings)).toEqual(defaultRefinementSettings());
    expect(settingsSnapshotFor('activeItem', undefined, defaultRefinementSettings)).toEqual(defaultRefinementSettings());
  });
});

describe('skippedKindsNote', () => {
  it('names the clips that get no format', () => {
    expect(skippedKindsNote(['png'], [{ kind: 'image' }, { kind: 'clip' }, { kind: 'clip' }])).toBe('2 clips will be skipped: no clip format is ticked.');
    expect(skippedKindsNote(['prores'], [{ kind: 'image' }, { kind: 'clip' }])).toBe('1 still will be skipped: no still format is ticked.');
  });
  it('says nothing when every item gets a format (matte applies to both) or no format is ticked yet', () => {
    expect(skippedKindsNote(['png', 'prores'], [{ kind: 'image' }, { kind: 'clip' }])).toBeNull();
    expect(skippedKindsNote(['matte'], [{ kind: 'image' }, { kind: 'clip' }])).toBeNull();
    expect(skippedKindsNote([], [{ kind: 'clip' }])).toBeNull();
  });
});
