import { describe, expect, it } from 'vitest';
import { OpenRequestQueue, pathsFromArgv } from './openRequests';

const existing = new Set(['/photos', '/photos/a.jpg', '/home/me/clip.mp4']);
const exists = (path: string) => existing.has(path);

describe('pathsFromArgv', () => {
  it('takes files and folders after the executable in a packaged app, skipping switches and missing paths', () => {
    expect(pathsFromArgv(['/opt/Matte Studio/matte-studio', '--no-sandbox', '/photos', 'missing.png', '/photos/a.jpg'], '/home/me', { isPackaged: true, exists })).toEqual(['/photos', '/photos/a.jpg']);
  });
  it('skips the app path in development and resolves relative paths against the working directory', () => {
    expect(pathsFromArgv(['/usr/bin/electron', '.', 'clip.mp4'], '/home/me', { isPackaged: false, exists })).toEqual(['/home/me/clip.mp4']);
  });
  it('accepts file:// URLs (desktop files pass %U) and drops duplicates', () => {
    expect(pathsFromArgv(['exe', 'file:///photos/a.jpg', '/photos/a.jpg'], '/', { isPackaged: true, exists })).toEqual(['/photos/a.jpg']);
  });
});

describe('OpenRequestQueue', () => {
  it('queues open-file requests until the window attaches, then delivers directly', () => {
    const queue = new OpenRequestQueue();
    const delivered: string[][] = [];
    queue.add(['/a.png']);
    queue.add(['/b.png', '/a.png']);
    queue.attach((paths) => delivered.push(paths));
    queue.add(['/c.mp4']);
    expect(delivered).toEqual([['/a.png', '/b.png'], ['/c.mp4']]);
  });
});
