import { describe, expect, it } from 'vitest';
import { defaultOutputDir } from './exportItems';

describe('defaultOutputDir', () => {
  it('puts cutouts beside the source', () => {
    expect(defaultOutputDir('/photos/beach.jpg')).toBe('/photos/cutouts');
    expect(defaultOutputDir('C:\\clips\\talk.mov')).toBe('C:\\clips\\cutouts');
    expect(defaultOutputDir('/beach.jpg')).toBe('/cutouts');
  });
});
