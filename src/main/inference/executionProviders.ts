import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readEnvironment } from '../environment';

/** Execution providers the engine knows how to ask onnxruntime-node for. */
export type ExecutionProviderId = 'cuda' | 'webgpu' | 'dml' | 'coreml' | 'cpu';

/**
 * The order in which execution providers are tried on a platform, best first; CPU always closes the list.
 * Linux x64: CUDA (only when its provider libraries are installed: onnxruntime-node downloads them at install time,
 * which is skipped offline) → WebGPU (bundled in 1.30's Linux x64 build, Dawn over Vulkan) → CPU.
 */
export function executionProviderOrder(platform: NodeJS.Platform, arch: string, hasCudaLibraries: boolean, hasGpuDevice = true): ExecutionProviderId[] {
  if (platform === 'darwin') return ['coreml', 'cpu'];
  if (platform === 'win32') return arch === 'x64' ? (hasCudaLibraries ? ['cuda', 'dml', 'cpu'] : ['dml', 'cpu']) : ['cpu'];
  if (platform === 'linux' && arch === 'x64') {
    // Without a GPU device node, Dawn can only find a software Vulkan adapter: it fails after printing warnings.
    const gpuProviders: ExecutionProviderId[] = hasGpuDevice ? (hasCudaLibraries ? ['cuda', 'webgpu'] : ['webgpu']) : [];
    return [...gpuProviders, 'cpu'];
  }
  return ['cpu'];
}

/** True when Linux exposes a GPU: a DRM render node or an NVIDIA device. */
export function hasLinuxGpuDevice(listDevices: () => string[] = () => readdirSync('/dev').concat(safeList('/dev/dri'))): boolean {
  return listDevices().some((name) => /^renderD\d+$|^nvidia\d+$/.test(name));
}

function safeList(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

/** True when onnxruntime-node's CUDA provider libraries sit next to its native binding. */
export function hasCudaProviderLibraries(): boolean {
  try {
    const require = createRequire(import.meta.url);
    const packageDir = dirname(require.resolve('onnxruntime-node/package.json'));
    const bindingDir = join(packageDir, 'bin', 'napi-v6', process.platform, process.arch);
    const library = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    return existsSync(join(bindingDir, library));
  } catch {
    return false;
  }
}

/**
 * Parses a user override such as `MATTE_STUDIO_EP=cpu` or `webgpu,cpu`. Unknown names are dropped;
 * CPU is appended when missing so there is always a provider that works.
 */
export function parseProviderOverride(value: string | undefined): ExecutionProviderId[] | undefined {
  if (!value) return undefined;
  const known: readonly ExecutionProviderId[] = ['cuda', 'webgpu', 'dml', 'coreml', 'cpu'];
  const parsed = value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name): name is ExecutionProviderId => (known as readonly string[]).includes(name));
  if (parsed.length === 0) return undefined;
  return parsed.includes('cpu') ? parsed : [...parsed, 'cpu'];
}

/** The provider order for this machine, honouring the `MATTE_STUDIO_EP` override. */
export function defaultProviderOrder(): ExecutionProviderId[] {
  return (
    parseProviderOverride(readEnvironment().executionProvider) ??
    executionProviderOrder(process.platform, process.arch, hasCudaProviderLibraries(), process.platform !== 'linux' || hasLinuxGpuDevice())
  );
}
