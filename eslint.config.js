// Layer rule from ../shared/DESIGN.md §2: each runtime folder may import only what its row allows.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'https', 'url', 'stream'];
const forbid = (groups, message) => ({ 'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }] });

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'resources/**', 'bench/.peer/**'] },
  ...tseslint.configs.recommended,
  {
    // Tests beside kernels may read fixtures and run reference tools; only the kernels themselves must stay pure.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts', 'src/core/**/testing/**'],
    rules: forbid([...nodeBuiltins, 'sharp', 'onnxruntime-node', 'electron', 'react', 'konva', '**/shared/**', '**/main/**', '**/renderer/**', '**/cli/**'], 'core holds pure kernels: no Node, DOM, sharp, ORT or other layers.'),
  },
  {
    files: ['src/shared/**/*.ts'],
    ignores: ['src/shared/**/*.test.ts', 'src/shared/**/testing/**'],
    rules: forbid([...nodeBuiltins, 'sharp', 'onnxruntime-node', 'electron', 'react', 'konva', '**/core/**', '**/main/**', '**/renderer/**', '**/cli/**'], 'shared may import only itself and zod.'),
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/shell/**'],
    rules: forbid(['electron', '**/renderer/**', '**/cli/**', 'react', 'konva'], 'the engine never imports electron (only the shell files do) nor the renderer or CLI.'),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: forbid([...nodeBuiltins, 'electron', 'sharp', 'onnxruntime-node', '**/main/**', '**/cli/**'], 'the renderer talks to the engine only through the contract.'),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: forbid(['electron', '**/renderer/**', 'react', 'konva'], 'the CLI runs the engine in-process, without Electron or the renderer.'),
  },
);
