/**
 * The display board's WebSocket (API Gateway WebSocket API; serverless-offline locally).
 * A board connects to `wss://…/?cid=<community>` and is unpaired: its first message (any; later
 * ones serve as pings) is answered with its pairing code (`BoardMessage` `pairing`, contract/queue.ts),
 * which staff enter (POST /v1/communities/{cid}/boards). Only paired boards receive the hall's calls,
 * pushed by the outbox after each call and recall.
 */
import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { connectBoard, disconnectBoard, greetBoard } from '../services/boards';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

type Event = APIGatewayProxyWebsocketEventV2 & { queryStringParameters?: Record<string, string | undefined> };

export async function handler(event: Event): Promise<APIGatewayProxyResult> {
  const { routeKey, connectionId, domainName, stage } = event.requestContext;
  try {
    if (routeKey === '$connect') {
      const cid = event.queryStringParameters?.cid;
      if (!cid || !ID.test(cid)) return { statusCode: 400, body: 'cid required' };
      const endpoint = domainName ? `https://${domainName}/${stage}` : undefined;
      if (!(await connectBoard(cid, connectionId, endpoint, new Date()))) return { statusCode: 404, body: 'no such hall' };
      return { statusCode: 200, body: 'connected' };
    }
    if (routeKey === '$disconnect') {
      await disconnectBoard(connectionId);
      return { statusCode: 200, body: 'bye' };
    }
    await greetBoard(connectionId, new Date());
    return { statusCode: 200, body: JSON.stringify({ type: 'pong' }) };
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', message: 'board socket', routeKey, error: (error as Error)?.message }));
    return { statusCode: 500, body: 'error' };
  }
}
