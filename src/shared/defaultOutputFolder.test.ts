import { describe, expect, it } from 'vitest';
import { defaultOutputFolder, folderOf, outputFolderBeside } from './defaultOutputFolder';

describe('defaultOutputFolder', () => {
  it('puts outputs beside the sources’ folder, never inside it', () => {
    expect(defaultOutputFolder(['/photos/portraits/a.jpg'])).toBe('/photos/portraits cutouts');
    expect(defaultOutputFolder(['/photos/a.jpg'])).toBe('/photos cutouts');
    expect(defaultOutputFolder(['C:\\clips\\talk.mov'])).toBe('C:\\clips cutouts');
    for (const source of ['/photos/portraits/a.jpg', '/photos/a.jpg', '/a/b/c/d.png']) {
      const folder = folderOf(source);
      expect(defaultOutputFolder([source]).startsWith(`${folder}/`), source).toBe(false);
    }
  });

  it('uses the deepest folder holding every source', () => {
    expect(defaultOutputFolder(['/photos/portraits/2019/a.jpg', '/photos/portraits/2020/b.jpg'])).toBe('/photos/portraits cutouts');
    expect(defaultOutputFolder(['/photos/portraits/a.jpg', '/photos/portraits/2020/b.jpg'])).toBe('/photos/portraits cutouts');
    expect(defaultOutputFolder(['/photos/p/a.jpg', '/photos/pq/b.jpg'])).toBe('/photos cutouts');
    expect(defaultOutputFolder(['D:\\x\\a.jpg', 'C:\\y\\b.jpg'])).toBe('D:\\x cutouts');
    expect(defaultOutputFolder([])).toBe('');
  });

  it('at a root, where there is no beside, uses a cutouts folder in it', () => {
    expect(defaultOutputFolder(['/beach.jpg'])).toBe('/cutouts');
    expect(defaultOutputFolder(['C:\\beach.jpg'])).toBe('C:\\cutouts');
    expect(defaultOutputFolder(['/a/x.jpg', '/b/y.jpg'])).toBe('/cutouts');
  });

  it('gives a chosen folder its sibling (trailing separators ignored)', () => {
    expect(outputFolderBeside('/photos/portraits')).toBe('/photos/portraits cutouts');
    expect(outputFolderBeside('/photos/portraits/')).toBe('/photos/portraits cutouts');
    expect(outputFolderBeside('C:\\clips\\')).toBe('C:\\clips cutouts');
    expect(outputFolderBeside('/')).toBe('/cutouts');
  });
});
