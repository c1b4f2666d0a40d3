import { describe, expect, it } from 'vitest';
import { parseSettingsFlags } from './settingsFlags';

describe('parseSettingsFlags', () => {
  it('takes --color-radius, and --radius as its old name', () => {
    expect(parseSettingsFlags({ 'color-radius': '40' }).refinement.radiusPx).toBe(40);
    expect(parseSettingsFlags({ radius: '30' }).refinement.radiusPx).toBe(30);
    expect(parseSettingsFlags({ radius: '30', 'color-radius': '30' }).refinement.radiusPx).toBe(30);
    expect(() => parseSettingsFlags({ radius: '30', 'color-radius': '40' })).toThrow(/old name of --color-radius/);
    expect(() => parseSettingsFlags({ 'color-radius': '-1' })).toThrow('--color-radius needs a whole number from 0 to 400.');
  });

  it('reads the edge band and decontamination flags', () => {
    const { refinement } = parseSettingsFlags({ 'edge-radius': '6', 'smart-radius': 'off', decontaminate: '0.7' });
    expect(refinement).toMatchObject({ edgeRadiusPx: 6, smartRadius: false, decontaminate: true, decontaminateAmount: 0.7 });
    expect(parseSettingsFlags({ decontaminate: '0' }).refinement.decontaminate).toBe(false);
    expect(() => parseSettingsFlags({ 'smart-radius': 'maybe' })).toThrow(/--smart-radius must be on or off/);
    expect(() => parseSettingsFlags({ decontaminate: '2' })).toThrow('--decontaminate needs a number from 0 to 1.');
  });

  it('defaults: edge band on (3 px, Smart Radius), decontamination off, spill 0.6 with skin protection', () => {
    expect(parseSettingsFlags({}).refinement).toMatchObject({ edgeRadiusPx: 3, smartRadius: true, decontaminate: false, spillStrength: 0.6, spillSkinProtection: 1 });
  });
});
