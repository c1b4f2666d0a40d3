/**
 * The studio service behind the real RPC server and client over the in-memory transport pair (messages round-trip
 * through JSON, as on the WebSocket), plus its media router, for the studio's tests.
 */
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { studioContract, type StudioContract } from '../../../shared/contract/studioContract';
import type { ContractClient } from '../../../shared/rpc/defineContract';
import { createMemoryTransportPair } from '../../../shared/rpc/memoryTransport';
import { RpcClient } from '../../../shared/rpc/rpcClient';
import { RpcServer } from '../../../shared/rpc/rpcServer';
import { createEngine, type Engine } from '../../engine';
import type { WriteScope } from '../../files/writeScope';
import { createMediaRouter, type MediaHandler, type MediaResponse } from '../../host/mediaRouter';
import { createStudioService, type StudioService } from '../studioService';

/** One progress event as the client received it. */
export interface ProgressEvent {
  jobId: string;
  stage: string;
  fraction: number;
  item?: string;
}

/** A running studio for a test file. */
export interface StudioHarness {
  api: ContractClient<StudioContract>;
  studio: StudioService;
  media: MediaHandler;
  engine: Engine;
  progress: ProgressEvent[];
  serverErrors: unknown[];
  dispose(): Promise<void>;
}

/**
 * Starts a studio. `models: false` uses an engine without any model (the classical tier: fast, for clip and media
 * tests); `engine` passes one the test built itself (its own model folders and catalogue), which the harness then
 * disposes. Outputs are checked against the contract. `writeScope` replaces the process's scope (a strict one acts as
 * in Electron).
 */
export function createStudioHarness(options: { models: boolean; engine?: Engine; backgroundMatting?: boolean; matteCacheFolder?: string; writeScope?: WriteScope }): StudioHarness {
  const engine = options.engine ?? (options.models ? createEngine() : createEngine({ bundledDir: join(tmpdir(), 'matte-studio-no-bundled'), userDir: join(tmpdir(), 'matte-studio-no-user') }));
  const serverErrors: unknown[] = [];
  // A private cache folder made here goes with the harness (clip tests fill it with mattes and proxy frames).
  const ownCacheFolder = options.matteCacheFolder === undefined ? mkdtempSync(join(tmpdir(), 'matte-studio-test-cache-')) : undefined;
  // Background matting is off unless a test asks for it (it would compete with the test's own requests), and the
  // matte cache lives in a private folder, never the user's.
  const studio = createStudioService({
    engine,
    shell: 'web',
    onError: (error) => serverErrors.push(error),
    backgroundMatting: options.backgroundMatting ?? false,
    matteCache: { folder: options.matteCacheFolder ?? ownCacheFolder! },
    ...(options.writeScope ? { writeScope: options.writeScope } : {}),
  });
  const server = new RpcServer(studioContract, studio.handlers, { validateOutputs: true, onError: (error) => serverErrors.push(error) });
  const [clientSide, serverSide] = createMemoryTransportPair();
  server.connect(serverSide);
  const client = new RpcClient(studioContract, clientSide);
  const progress: ProgressEvent[] = [];
  client.api.on('onJobProgress', (event) => progress.push(event));
  return {
    api: client.api,
    studio,
    media: createMediaRouter(studio, { onError: (error) => serverErrors.push(error) }),
    engine,
    progress,
    serverErrors,
    async dispose() {
      client.dispose();
      server.dispose();
      await studio.dispose();
      await engine.dispose();
      if (ownCacheFolder) await rm(ownCacheFolder, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** The body of a media response as bytes (streams are read to the end). */
export async function bodyOf(response: MediaResponse): Promise<Buffer> {
  if (Buffer.isBuffer(response.body)) return response.body;
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
