import { AppError } from '@contract/errors';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { errorResponse } from '../http/response';

/** API Gateway's catch-all route: unknown paths get the contract's error shape, not a bare 404. */
export const handler = async (event: APIGatewayProxyEventV2) =>
  errorResponse(new AppError('ROUTE_NOT_FOUND'), event.requestContext?.requestId ?? 'unknown');
