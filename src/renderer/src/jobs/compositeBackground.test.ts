import { describe, expect, it } from 'vitest';
import { compositeBackground } from './compositeBackground';

const picture = { name: 'beach.jpg', bitmap: {} as ImageBitmap, enginePath: '/cache/backgrounds/ab.jpg' };

describe('the background an MP4 composite is laid over', () => {
  it('is the picture in the "On picture" view, once one is chosen', () => {
    expect(compositeBackground({ viewMode: 'image', backgroundColor: '#00b140' }, picture)).toEqual({ value: '/cache/backgrounds/ab.jpg', description: 'the picture “beach.jpg”' });
  });

  it('is the view colour in every other case', () => {
    expect(compositeBackground({ viewMode: 'image', backgroundColor: '#123456' }, null).value).toBe('#123456');
    for (const viewMode of ['color', 'checker', 'overlay'] as const) expect(compositeBackground({ viewMode, backgroundColor: '#00b140' }, picture)).toEqual({ value: '#00b140', description: 'the colour #00b140' });
  });
});
