import { describe, expect, it } from 'vitest';
import { openHint } from './openHint';

describe('openHint', () => {
  it('offers dropping files only in the desktop app', () => {
    expect(openHint('electron')).toContain('drop them on the window');
    expect(openHint('web')).not.toMatch(/drop/i);
  });
});
