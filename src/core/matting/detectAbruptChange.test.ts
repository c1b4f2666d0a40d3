import { describe, expect, it } from 'vitest';
import { detectAbruptChange } from './detectAbruptChange';

describe('detectAbruptChange', () => {
  it('ignores smooth change', () => {
    expect(detectAbruptChange({ coverage: 0.3, fragments: 1 }, { coverage: 0.31, fragments: 1 })).toBeUndefined();
  });
  it('flags an area jump, saying which way', () => {
    expect(detectAbruptChange({ coverage: 0.3, fragments: 1 }, { coverage: 0.4, fragments: 1 })).toMatch(/grew by 33%/);
    expect(detectAbruptChange({ coverage: 0.3, fragments: 1 }, { coverage: 0.2, fragments: 1 })).toMatch(/shrank/);
  });
  it('does not flag a large relative change of a tiny area', () => {
    expect(detectAbruptChange({ coverage: 0.01, fragments: 1 }, { coverage: 0.02, fragments: 1 })).toBeUndefined();
  });
  it('flags new fragments', () => {
    expect(detectAbruptChange({ coverage: 0.3, fragments: 1 }, { coverage: 0.3, fragments: 3 })).toMatch(/2 new separate regions/);
  });
});
