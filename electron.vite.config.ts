import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

// One build for every shell: main + preload for Electron, and the renderer bundle that Electron loads through
// app://renderer and the web shell serves from out/renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The kernel and inference workers and the process launcher are their own entries, loaded by file next to index.js.
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          refineWorker: resolve(__dirname, 'src/main/kernels/refineWorker.ts'),
          inferenceWorker: resolve(__dirname, 'src/main/inference/inferenceWorker.ts'),
          launcherProcess: resolve(__dirname, 'src/main/threads/launcherProcess.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads must be CommonJS, whatever the package's module type.
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
