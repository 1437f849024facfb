/** JSON responses and the contract's error shape; the catch-all imports only this. */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { AppError, ErrorBody } from '@contract/errors';
import { statusOf } from './status';

export const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization,content-type,idempotency-key,x-on-behalf-of',
  'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...CORS, ...headers },
    body: JSON.stringify(body),
  };
}

export function errorResponse(error: AppError, requestId: string): APIGatewayProxyStructuredResultV2 {
  const body: ErrorBody = {
    error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }), requestId },
  };
  const headers: Record<string, string> = error.retryAfter ? { 'retry-after': String(error.retryAfter) } : {};
  return json(statusOf(error.code), body, headers);
}
