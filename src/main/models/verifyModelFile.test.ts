import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forgetVerifiedDigests, verifyModelFile } from './verifyModelFile';

let folder: string;
let cacheFile: string;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'verify-model-'));
  cacheFile = join(folder, 'cache', 'verified.json');
  forgetVerifiedDigests();
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('verifyModelFile', () => {
  it('accepts a file whose sha256 matches and rejects one with a flipped byte, saying how to repair it', async () => {
    const data = Buffer.from('pretend this is an ONNX model '.repeat(1000));
    const path = join(folder, 'isnet-fp32.onnx');
    await writeFile(path, data);
    await expect(verifyModelFile({ id: 'isnet-fp32', path, sha256: sha256(data), source: 'bundled' }, { cacheFile })).resolves.toBeUndefined();

    data[1234] = data[1234]! ^ 0x01;
    const damaged = join(folder, 'damaged', 'isnet-fp32.onnx');
    await mkdir(join(folder, 'damaged'));
    await writeFile(damaged, data);
    const expected = sha256(Buffer.from('pretend this is an ONNX model '.repeat(1000)));
    await expect(verifyModelFile({ id: 'isnet-fp32', path: damaged, sha256: expected, source: 'bundled' }, { cacheFile })).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: 'The bundled model file isnet-fp32.onnx is damaged; run “npm run provision-models”.',
    });
    await expect(verifyModelFile({ id: 'birefnet-lite', path: damaged, sha256: expected, source: 'downloaded' }, { cacheFile })).rejects.toMatchObject({
      message: 'The model file for birefnet-lite is damaged; install it again with “matte-studio models install birefnet-lite”.',
    });
  });

  it('remembers a verified digest by size and mtime across runs, and hashes again once either changes', async () => {
    const data = Buffer.alloc(4096, 3);
    const path = join(folder, 'model.onnx');
    await writeFile(path, data);
    // A whole-second mtime, so setting it again below gives exactly the same mtimeMs.
    const mtime = new Date(1_700_000_000_000);
    await utimes(path, mtime, mtime);
    const model = { id: 'model', path, sha256: sha256(data), source: 'bundled' as const };
    await verifyModelFile(model, { cacheFile });
    const cache = JSON.parse(await readFile(cacheFile, 'utf8'));
    expect(cache.files[path]).toMatchObject({ bytes: 4096, sha256: model.sha256 });

    // Same size, same mtime, different bytes: a new process trusts the remembered digest instead of hashing again.
    await writeFile(path, Buffer.alloc(4096, 4));
    await utimes(path, mtime, mtime);
    forgetVerifiedDigests();
    await expect(verifyModelFile(model, { cacheFile })).resolves.toBeUndefined();

    // A new mtime means the file is hashed again, and the change is caught.
    await utimes(path, mtime, new Date(mtime.getTime() + 5000));
    await expect(verifyModelFile(model, { cacheFile })).rejects.toMatchObject({ code: 'MODEL_INVALID' });
  });

  it('reports a missing file as MODEL_MISSING and survives a damaged cache file', async () => {
    await mkdir(join(folder, 'cache'));
    await writeFile(cacheFile, '{ not json');
    const data = Buffer.alloc(10, 1);
    const path = join(folder, 'small.onnx');
    await writeFile(path, data);
    await expect(verifyModelFile({ id: 'small', path, sha256: sha256(data) }, { cacheFile })).resolves.toBeUndefined();
    await expect(verifyModelFile({ id: 'gone', path: join(folder, 'gone.onnx'), sha256: sha256(data) }, { cacheFile })).rejects.toMatchObject({ code: 'MODEL_MISSING' });
  });
});
