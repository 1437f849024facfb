/**
 * The display board's WebSocket (API Gateway WebSocket API; serverless-offline locally).
 * A board connects to `wss://…/?cid=<community>`; the queue function pushes a `BoardMessage`
 * (contract/queue.ts) to every board of the hall after each call and recall. Boards send nothing
 * the server needs: `$default` answers a ping so a board can check the socket is alive.
 */
import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { addConnection, removeConnection } from '../store/queue';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

type Event = APIGatewayProxyWebsocketEventV2 & { queryStringParameters?: Record<string, string | undefined> };

export async function handler(event: Event): Promise<APIGatewayProxyResult> {
  const { routeKey, connectionId, domainName, stage } = event.requestContext;
  try {
    if (routeKey === '$connect') {
      const cid = event.queryStringParameters?.cid;
      if (!cid || !ID.test(cid)) return { statusCode: 400, body: 'cid required' };
      const endpoint = domainName ? `https://${domainName}/${stage}` : undefined;
      await addConnection(cid, connectionId, endpoint, new Date());
      return { statusCode: 200, body: 'connected' };
    }
    if (routeKey === '$disconnect') {
      await removeConnection(connectionId);
      return { statusCode: 200, body: 'bye' };
    }
    return { statusCode: 200, body: JSON.stringify({ type: 'pong' }) };
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', message: 'board socket', routeKey, error: (error as Error)?.message }));
    return { statusCode: 500, body: 'error' };
  }
}
