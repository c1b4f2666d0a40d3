import { describe, expect, it } from 'vitest';
import { isStudioError } from '../../shared/errors';
import { findCatalogModel } from './modelCatalog';
import { modelDownloadUrl } from './modelMirror';
import { ModelStore } from './modelStore';

const birefnet = findCatalogModel('birefnet-general')!;
const bundled = findCatalogModel('isnet-fp16')!;

describe('modelDownloadUrl', () => {
  it('is the publisher’s address without a mirror, and nothing for a bundled model', () => {
    expect(modelDownloadUrl(birefnet)).toBe(birefnet.download!.url);
    expect(modelDownloadUrl(birefnet, null)).toBe(birefnet.download!.url);
    expect(modelDownloadUrl(bundled, 'http://mirror.lan/models')).toBeUndefined();
  });

  it('is <mirror>/<id>.onnx with a mirror, with or without a trailing slash', () => {
    expect(modelDownloadUrl(birefnet, 'http://mirror.lan/models')).toBe('http://mirror.lan/models/birefnet-general.onnx');
    expect(modelDownloadUrl(birefnet, 'https://mirror.lan/models/')).toBe('https://mirror.lan/models/birefnet-general.onnx');
    expect(modelDownloadUrl(findCatalogModel('rmbg-1.4')!, 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/rmbg-1.4.onnx');
  });

  it('refuses a mirror that is not an http(s) address, naming the variable', () => {
    for (const mirror of ['ftp://mirror.lan', 'not a url', 'file:///models']) {
      let caught: unknown;
      try {
        modelDownloadUrl(birefnet, mirror);
      } catch (error) {
        caught = error;
      }
      expect(isStudioError(caught, 'INVALID_INPUT')).toBe(true);
      expect((caught as Error).message).toContain('MATTE_STUDIO_MODEL_MIRROR');
    }
  });

  it('is what the model store downloads from (the CLI and the studio alike)', () => {
    expect(new ModelStore({ mirror: 'http://mirror.lan/m', warn: () => {} }).downloadUrl(birefnet)).toBe('http://mirror.lan/m/birefnet-general.onnx');
    expect(new ModelStore({ mirror: null, warn: () => {} }).downloadUrl(birefnet)).toBe(birefnet.download!.url);
  });
});
