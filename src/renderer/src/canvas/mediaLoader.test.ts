import { describe, expect, it } from 'vitest';
import { createMediaLoader, neighbourFrames } from './mediaLoader';

/** Stands in for the DOM's Image: the test says when a picture has arrived (or failed). */
class FakeImage {
  decoding = '';
  src = '';
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  decode(): Promise<void> {
    return Promise.resolve();
  }
}

function harness() {
  const images: FakeImage[] = [];
  const loader = createMediaLoader(() => {
    const image = new FakeImage();
    images.push(image);
    return image as unknown as HTMLImageElement;
  });
  const arrive = async (url: string) => {
    images.find((image) => image.src === url)!.onload!();
    await new Promise((resolve) => setTimeout(resolve, 0)); // decode() settles
  };
  const shown: string[] = [];
  const show = (url: string) => loader.load(url, (image) => shown.push((image as unknown as FakeImage).src), () => shown.push(`failed ${url}`));
  return { images, loader, arrive, shown, show };
}

describe('createMediaLoader', () => {
  it('shows a prefetched frame at once, without asking the engine again', async () => {
    const { images, loader, arrive, shown, show } = harness();
    show('frame/0');
    await arrive('frame/0');
    loader.prefetch(['frame/1', 'frame/2']);
    await arrive('frame/1');
    const asked = images.length;
    show('frame/1');
    expect(shown).toEqual(['frame/0', 'frame/1']); // synchronously, within the key press
    expect(images).toHaveLength(asked);
    // A prefetch still on its way is waited for, not fetched twice.
    show('frame/2');
    expect(shown).toHaveLength(2);
    await arrive('frame/2');
    expect(shown).toEqual(['frame/0', 'frame/1', 'frame/2']);
    expect(images).toHaveLength(asked);
  });

  it('lets only the latest request show, and asks again after a failure', async () => {
    const { images, arrive, shown, show } = harness();
    show('frame/5');
    show('frame/6');
    await arrive('frame/5');
    expect(shown).toEqual([]);
    await arrive('frame/6');
    expect(shown).toEqual(['frame/6']);
    show('frame/7');
    images.at(-1)!.onerror!();
    expect(shown).toEqual(['frame/6', 'failed frame/7']);
    show('frame/7');
    expect(images.filter((image) => image.src === 'frame/7')).toHaveLength(2);
  });

  it('keeps only the most recent few pictures', async () => {
    const { images, loader, arrive, show } = harness();
    const urls = Array.from({ length: 10 }, (_, index) => `frame/${index}`);
    loader.prefetch(urls);
    for (const url of urls) await arrive(url);
    show('frame/9');
    expect(images).toHaveLength(10);
    show('frame/0'); // evicted: fetched again
    expect(images).toHaveLength(11);
  });
});

describe('neighbourFrames', () => {
  it('is the next, the previous and the one after next, inside the clip', () => {
    expect(neighbourFrames(5, 250)).toEqual([6, 4, 7]);
    expect(neighbourFrames(0, 250)).toEqual([1, 2]);
    expect(neighbourFrames(249, 250)).toEqual([248]);
  });
});
