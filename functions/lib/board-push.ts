/**
 * Posts a message to one display board's connection over the API Gateway WebSocket
 * (`@aws-sdk/client-apigatewaymanagementapi`). The endpoint comes from WS_ENDPOINT (in AWS the
 * WebSocket API's https URL with its stage; locally serverless-offline's http://127.0.0.1:3001);
 * unset, nothing is pushed and boards poll. It says when a connection went away (410 Gone): what
 * that means for the hall's boards is services/boards.ts's to decide. Posting never fails the call
 * that caused it.
 */
import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { config } from './config';

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
function endpointOf(connection: { endpoint?: string }): string | undefined {
  if (process.env.WS_ENDPOINT) return process.env.WS_ENDPOINT;
  if (config().stage === 'local') return `http://127.0.0.1:${process.env.WS_PORT ?? 3001}`;
  return connection.endpoint;
}

/** Posts one message to one connection; 'gone' when API Gateway no longer knows it (410). */
export async function postToConnection(connection: { connectionId: string; endpoint?: string }, message: unknown): Promise<'sent' | 'gone' | 'failed'> {
  const endpoint = endpointOf(connection);
  if (!endpoint) return 'failed';
  try {
    await managementClient(endpoint).send(new PostToConnectionCommand({ ConnectionId: connection.connectionId, Data: Buffer.from(JSON.stringify(message)) }));
    return 'sent';
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e?.name === 'GoneException' || e?.$metadata?.httpStatusCode === 410) return 'gone';
    console.warn(JSON.stringify({ level: 'warn', message: 'board push failed', connectionId: connection.connectionId, error: e?.name }));
    return 'failed';
  }
}
