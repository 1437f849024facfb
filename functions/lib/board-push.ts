/**
 * Pushes a message to the hall's display boards over the API Gateway WebSocket
 * (`@aws-sdk/client-apigatewaymanagementapi`). The endpoint comes from WS_ENDPOINT (in AWS the
 * WebSocket API's https URL with its stage; locally serverless-offline's http://127.0.0.1:3001);
 * unset, nothing is pushed and boards poll. A board that went away (410 Gone) is forgotten.
 * Pushing never fails the call that caused it.
 */
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { config } from './config';
import { removeConnection, type BoardConnection } from '../store/queue';

const clients = new Map<string, ApiGatewayManagementApiClient>();

function managementClient(endpoint: string): ApiGatewayManagementApiClient {
  const existing = clients.get(endpoint);
  if (existing) return existing;
  const created = new ApiGatewayManagementApiClient({
    endpoint,
    region: config().region,
    ...(config().stage === 'local' || config().stage === 'test' ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  clients.set(endpoint, created);
  return created;
}

/** WS_ENDPOINT when set; else the endpoint the board connected through; on `local`, serverless-offline. */
function endpointOf(connection: BoardConnection): string | undefined {
  if (process.env.WS_ENDPOINT) return process.env.WS_ENDPOINT;
  if (config().stage === 'local') return `http://127.0.0.1:${process.env.WS_PORT ?? 3001}`;
  return connection.endpoint;
}

export async function pushToBoards(cid: string, connections: readonly BoardConnection[], message: unknown): Promise<void> {
  if (connections.length === 0) return;
  const data = Buffer.from(JSON.stringify(message));
  await Promise.all(
    connections.map(async (connection) => {
      const endpoint = endpointOf(connection);
      const connectionId = connection.connectionId;
      if (!endpoint) return;
      try {
        await managementClient(endpoint).send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }));
      } catch (error) {
        const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (e?.name === 'GoneException' || e?.$metadata?.httpStatusCode === 410) {
          await removeConnection(connectionId, cid).catch(() => undefined);
        } else {
          console.warn(JSON.stringify({ level: 'warn', message: 'board push failed', connectionId, error: e?.name }));
        }
      }
    }),
  );
}
