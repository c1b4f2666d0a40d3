import { describe, expect, it, vi } from 'vitest';
import { createUiStore, replaceBackgroundImage } from '../ui/uiStore';
import { backgroundForSave, showProjectBackground } from './projectBackground';

const bitmap = () => ({ close: vi.fn() }) as unknown as ImageBitmap & { close: ReturnType<typeof vi.fn> };
const kept = (name: string) => ({ name, path: `/cache/backgrounds/${name.charCodeAt(0).toString(16).padStart(32, '0')}.png` });

describe('project background picture', () => {
  it('fetches an opened project’s picture by the name of the engine’s kept copy and shows it', async () => {
    const ui = createUiStore();
    const picture = bitmap();
    const urls: string[] = [];
    const warning = await showProjectBackground(ui, (path) => `http://host${path}?token=t`, kept('wall.png'), async (url) => (urls.push(url), picture));
    expect(warning).toBeUndefined();
    expect(urls).toEqual([`http://host/media/background/${'77'.padStart(32, '0')}.png?token=t`]);
    expect(ui.getState().backgroundImage).toEqual({ name: 'wall.png', bitmap: picture, enginePath: kept('wall.png').path });
    expect(backgroundForSave(ui.getState().backgroundImage)).toEqual(kept('wall.png'));
  });

  it('clears the picture for a project without one, closing the bitmap it held', async () => {
    const ui = createUiStore();
    const previous = bitmap();
    replaceBackgroundImage(ui, { name: 'old.png', bitmap: previous, enginePath: '/cache/backgrounds/x.png' });
    await showProjectBackground(ui, (path) => path, undefined, async () => bitmap());
    expect(ui.getState().backgroundImage).toBeNull();
    expect(previous.close).toHaveBeenCalledOnce();
    expect(backgroundForSave(null)).toBeUndefined();
  });

  it('lets the later of two opens win, and says why a picture could not be shown', async () => {
    const ui = createUiStore();
    let release: (value: ImageBitmap) => void = () => {};
    const slow = bitmap();
    const first = showProjectBackground(ui, (path) => path, kept('first.png'), () => new Promise<ImageBitmap>((resolve) => (release = resolve)));
    const fast = bitmap();
    await showProjectBackground(ui, (path) => path, kept('second.png'), async () => fast);
    release(slow);
    await first;
    expect(ui.getState().backgroundImage?.name).toBe('second.png');
    expect(slow.close).toHaveBeenCalledOnce();

    const warning = await showProjectBackground(ui, (path) => path, kept('gone.png'), async () => {
      throw new Error('the engine answered 404');
    });
    expect(warning).toBe('The background picture “gone.png” could not be shown: Something went wrong (the engine answered 404).');
    expect(ui.getState().backgroundImage).toBeNull();
    expect(fast.close).toHaveBeenCalledOnce();
  });
});
