import { describe, expect, it } from 'vitest';
import { defaultOutputDir } from './exportItems';

describe('defaultOutputDir', () => {
  it('puts cutouts beside the source’s folder, not inside it (a re-opened folder must not pick them up)', () => {
    expect(defaultOutputDir('/photos/beach.jpg')).toBe('/photos cutouts');
    expect(defaultOutputDir('/photos/portraits/beach.jpg')).toBe('/photos/portraits cutouts');
    expect(defaultOutputDir('C:\\clips\\talk.mov')).toBe('C:\\clips cutouts');
    expect(defaultOutputDir('/beach.jpg')).toBe('/cutouts');
  });
});
