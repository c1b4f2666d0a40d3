import { describe, expect, it } from 'vitest';
import { canonicalFormat, clipFormatIds, formatSpec, outputFileName, outputFormatIds, stillFormatIds } from './outputFormats';

const name = (format: Parameters<typeof outputFileName>[1], kind: 'image' | 'clip', siblings = [format], templateHasFormat = false, counter = 1) =>
  outputFileName('portrait', format, kind, siblings, { templateHasFormat, counter });

describe('the one format table', () => {
  it('lists every format once, each for stills, clips or (the matte) both', () => {
    expect(new Set(outputFormatIds).size).toBe(outputFormatIds.length);
    expect(stillFormatIds).toEqual(['png', 'png-premultiplied', 'webp', 'matte']);
    expect(clipFormatIds).toEqual(['matte', 'prores', 'prores-fast', 'webm', 'webm-fast', 'mp4', 'png-sequence']);
    for (const id of outputFormatIds) expect(formatSpec(id, 'image') ?? formatSpec(id, 'clip'), id).toBeDefined();
  });

  it('gives each format its container, layout, alpha and still encoder', () => {
    expect(formatSpec('png', 'image')).toMatchObject({ extension: '.png', layout: 'straight', hasAlpha: true, stillEncoder: { codec: 'png' } });
    expect(formatSpec('png-premultiplied', 'image')).toMatchObject({ layout: 'premultiplied', hasAlpha: true });
    expect(formatSpec('webp', 'image')).toMatchObject({ extension: '.webp', stillEncoder: { codec: 'webp' } });
    expect(formatSpec('matte', 'image')).toMatchObject({ extension: '.png', layout: 'gray', hasAlpha: false });
    expect(formatSpec('matte', 'clip')).toMatchObject({ extension: '.mp4', layout: 'gray', hasAlpha: false });
    expect(formatSpec('matte', 'clip')!.stillEncoder).toBeUndefined();
    expect(formatSpec('prores', 'clip')).toMatchObject({ extension: '.mov', hasAlpha: true });
    expect(formatSpec('webm-fast', 'clip')).toMatchObject({ extension: '.webm', hasAlpha: true });
    expect(formatSpec('mp4', 'clip')).toMatchObject({ layout: 'composite', hasAlpha: false });
    expect(formatSpec('png-sequence', 'clip')).toMatchObject({ extension: '', hasAlpha: true });
    expect(formatSpec('prores', 'image')).toBeUndefined();
    expect(formatSpec('webp', 'clip')).toBeUndefined();
  });

  it('maps the studio’s older words and refuses formats that do not fit the item', () => {
    expect(canonicalFormat('matte-png', 'image')).toBe('matte');
    expect(canonicalFormat('png', 'clip')).toBe('png-sequence');
    expect(canonicalFormat('png', 'image')).toBe('png');
    expect(canonicalFormat('prores', 'image')).toBeUndefined();
    expect(canonicalFormat('gif', 'image')).toBeUndefined();
  });

  it('names outputs: the matte always says so, twins get their format, counters come last', () => {
    expect(name('png', 'image')).toBe('portrait.png');
    expect(name('matte', 'image')).toBe('portrait_matte.png');
    expect(name('matte', 'clip')).toBe('portrait_matte.mp4');
    expect(name('png-sequence', 'clip')).toBe('portrait');
    expect(name('prores', 'clip')).toBe('portrait.mov');
    expect(name('png-premultiplied', 'image', ['png', 'png-premultiplied'])).toBe('portrait_premultiplied.png');
    // Alone too: a premultiplied PNG is never named like the straight one.
    expect(name('png-premultiplied', 'image', ['png-premultiplied'])).toBe('portrait_premultiplied.png');
    expect(name('png', 'image', ['png', 'png-premultiplied'])).toBe('portrait.png');
    expect(name('webm-fast', 'clip', ['webm', 'webm-fast'])).toBe('portrait_webm-fast.webm');
    expect(name('matte', 'image', ['png', 'matte'], true)).toBe('portrait.png');
    expect(name('png', 'image', ['png'], false, 3)).toBe('portrait-3.png');
    expect(() => name('prores', 'image')).toThrow(RangeError);
  });
});
