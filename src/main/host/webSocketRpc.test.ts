import { WebSocket } from 'ws';
import { createRpcHarness, describeRpcContract, type RpcHarness } from '../../shared/rpc/testing/contractSuite';
import { connectWebSocketTransport } from '../../shared/rpc/webSocketTransport';
import { startWebSocketHost } from './webSocketHost';

async function createWebSocketHarness(): Promise<RpcHarness> {
  return createRpcHarness(async (server) => {
    const host = await startWebSocketHost({ rpc: server });
    const transport = await connectWebSocketTransport(host.rpcUrl, { WebSocket });
    return { transport, close: () => host.close() };
  });
}

describeRpcContract('RPC over a loopback WebSocket', createWebSocketHarness);
