import { WebSocket } from 'ws';
import { connectWebSocketTransport } from '../../shared/rpc/webSocketTransport';
void connectWebSocketTransport('ws://x', { WebSocket });
