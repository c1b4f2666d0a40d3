import { WebSocket } from 'ws';
import { RpcClient } from '../../shared/rpc/rpcClient';
import { RpcServer } from '../../shared/rpc/rpcServer';
import { createExampleHandlers, createProbe, exampleContract } from '../../shared/rpc/testing/exampleContract';
import { describeRpcContract, type RpcHarness } from '../../shared/rpc/testing/contractSuite';
import { connectWebSocketTransport } from '../../shared/rpc/webSocketTransport';
import { startWebSocketHost } from './webSocketHost';

async function createWebSocketHarness(): Promise<RpcHarness> {
  const probe = createProbe();
  const server = new RpcServer(exampleContract, createExampleHandlers(probe), {
    validateOutputs: true,
    onError: (error) => probe.serverErrors.push(error),
  });
  const host = await startWebSocketHost({ rpc: server });
  const transport = await connectWebSocketTransport(host.rpcUrl, { WebSocket });
  const received: unknown[] = [];
  transport.onMessage((message) => received.push(message));
  const client = new RpcClient(exampleContract, transport);
  return {
    api: client.api,
    client,
    server,
    probe,
    received,
    dispose: async () => {
      client.dispose();
      server.dispose();
      await host.close();
    },
  };
}

describeRpcContract('RPC over a loopback WebSocket', createWebSocketHarness);
