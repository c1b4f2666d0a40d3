/**
 * Opens the connection to the engine: the Electron bridge when the preload exposed one, otherwise the web shell's
 * WebSocket with the token from the page fragment. Checks the engine answers before the studio shows.
 */
import { studioContract, type StudioContract } from '../../../shared/contract/studioContract';
import { StudioError } from '../../../shared/errors';
import type { ContractClient, MethodOutput } from '../../../shared/rpc/defineContract';
import { createRpcClient } from '../../../shared/rpc/rpcClient';
import type { Transport } from '../../../shared/rpc/transport';
import { connectWebSocketTransport } from '../../../shared/rpc/webSocketTransport';
import { createIpcTransport } from './ipcTransport';
import { createMediaUrlResolver, readTokenFromHash, rpcSocketUrl } from './mediaUrls';
import { getStudioBridge, type StudioBridge } from './studioBridge';

/** The renderer's client of the studio contract. */
export type StudioApi = ContractClient<StudioContract>;
/** What `getAppInfo` answers. */
export type AppInfo = MethodOutput<StudioContract, 'getAppInfo'>;

/** An open connection. */
export interface StudioConnection {
  readonly api: StudioApi;
  readonly toMediaUrl: (path: string) => string;
  readonly shell: 'electron' | 'web';
  readonly bridge: StudioBridge | undefined;
  readonly appInfo: AppInfo;
  /** Calls `listener` once when the connection drops. Returns the unsubscribe function. */
  onDisconnect(listener: () => void): () => void;
  dispose(): void;
}

/** How long the engine has to answer the first request. */
const handshakeTimeoutMs = 20_000;

function withTimeout<T>(promise: Promise<T>, milliseconds: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StudioError('DISCONNECTED', message)), milliseconds);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

async function openTransport(bridge: StudioBridge | undefined): Promise<{ transport: Transport; toMediaUrl: (path: string) => string }> {
  if (bridge) return { transport: createIpcTransport(bridge), toMediaUrl: createMediaUrlResolver({ kind: 'electron' }) };
  const token = readTokenFromHash(location.hash);
  if (!token) {
    throw new StudioError('DISCONNECTED', 'This page needs the address Matte Studio printed when it started (it ends in #token=…). Open that address to connect.');
  }
  const transport = await connectWebSocketTransport(rpcSocketUrl(location, token));
  return { transport, toMediaUrl: createMediaUrlResolver({ kind: 'web', origin: location.origin, token }) };
}

/** Connects and asks the engine for its facts; rejects with a StudioError a person can read. */
export async function connectStudio(): Promise<StudioConnection> {
  const bridge = getStudioBridge();
  const { transport, toMediaUrl } = await openTransport(bridge);
  const disconnectListeners = new Set<() => void>();
  let isDisconnected = false;
  transport.onClose?.(() => {
    isDisconnected = true;
    for (const listener of [...disconnectListeners]) listener();
    disconnectListeners.clear();
  });
  const client = createRpcClient(studioContract, transport, { onError: (error) => console.error('[matte-studio rpc]', error) });
  try {
    const appInfo = await withTimeout(client.api.getAppInfo({}), handshakeTimeoutMs, 'The Matte Studio engine did not answer. Restart Matte Studio and try again.');
    return {
      api: client.api,
      toMediaUrl,
      shell: bridge ? 'electron' : 'web',
      bridge,
      appInfo,
      onDisconnect(listener) {
        if (isDisconnected) {
          listener();
          return () => {};
        }
        disconnectListeners.add(listener);
        return () => disconnectListeners.delete(listener);
      },
      dispose: () => client.dispose(),
    };
  } catch (error) {
    client.dispose();
    throw error;
  }
}
