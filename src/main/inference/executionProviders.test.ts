import { describe, expect, it } from 'vitest';
import { executionProviderOrder, hasLinuxGpuDevice, parseProviderOverride } from './executionProviders';

describe('execution provider order', () => {
  it('orders Linux x64 as CUDA (when installed) → WebGPU → CPU, and skips GPUs without a device', () => {
    expect(executionProviderOrder('linux', 'x64', true)).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(executionProviderOrder('linux', 'x64', false)).toEqual(['webgpu', 'cpu']);
    expect(executionProviderOrder('linux', 'x64', true, false)).toEqual(['cpu']);
  });
  it('uses DirectML on Windows and CoreML on macOS, CPU elsewhere', () => {
    expect(executionProviderOrder('win32', 'x64', false)).toEqual(['dml', 'cpu']);
    expect(executionProviderOrder('win32', 'x64', true)).toEqual(['cuda', 'dml', 'cpu']);
    expect(executionProviderOrder('darwin', 'arm64', false)).toEqual(['coreml', 'cpu']);
    expect(executionProviderOrder('linux', 'arm64', true)).toEqual(['cpu']);
  });
  it('recognises GPU device nodes', () => {
    expect(hasLinuxGpuDevice(() => ['null', 'renderD128'])).toBe(true);
    expect(hasLinuxGpuDevice(() => ['nvidia0', 'nvidiactl'])).toBe(true);
    expect(hasLinuxGpuDevice(() => ['null', 'tty', 'nvidiactl'])).toBe(false);
  });
  it('parses MATTE_STUDIO_EP overrides, always keeping CPU last as the safety net', () => {
    expect(parseProviderOverride('webgpu')).toEqual(['webgpu', 'cpu']);
    expect(parseProviderOverride(' CPU ')).toEqual(['cpu']);
    expect(parseProviderOverride('bogus')).toBeUndefined();
    expect(parseProviderOverride(undefined)).toBeUndefined();
  });
});
