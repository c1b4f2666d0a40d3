import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/errors';
import { baseName, describeError, failureSentence, folderName, isCancellation } from './errorSentences';

describe('failureSentence', () => {
  it('names the item and keeps the engine sentence', () => {
    const error = new StudioError('DECODE_FAILED', 'The file could not be read as a picture.');
    expect(failureSentence('cut out', 'beach.jpg', error)).toBe('Could not cut out “beach.jpg”: The file could not be read as a picture.');
  });
  it('adds a full stop and hides internal errors behind a generic sentence', () => {
    expect(failureSentence('export', 'a.mov', new StudioError('INTERNAL', 'Disk is full'))).toBe('Could not export “a.mov”: Disk is full.');
    expect(describeError(42)).toBe('Something went wrong.');
  });
  it('recognises cancellations', () => {
    expect(isCancellation(new StudioError('CANCELLED', 'x'))).toBe(true);
    expect(isCancellation(new Error('x'))).toBe(false);
  });
});

describe('path parts', () => {
  it('splits POSIX and Windows paths', () => {
    expect(baseName('/a/b/c.png')).toBe('c.png');
    expect(baseName('C:\\x\\y.mov')).toBe('y.mov');
    expect(baseName('/a/folder/')).toBe('folder');
    expect(folderName('/a/b/c.png')).toBe('/a/b');
    expect(folderName('C:\\x\\y.mov')).toBe('C:\\x');
    expect(folderName('/c.png')).toBe('/');
  });
});
