import type { ErrorCode } from '@contract/errors';

/** The only place where an error code meets an HTTP status. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_ELIGIBLE: 403,
  PROXY_NOT_ALLOWED: 403,
  PROXY_NOT_LINKED: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  QUEUE_EMPTY: 404,
  PAYLOAD_TOO_LARGE: 413,
  UPLOAD_NOT_FOUND: 404,
  UPLOAD_INVALID: 400,
  UPLOAD_TOO_LARGE: 413,
  IDEMPOTENCY_MISMATCH: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  WECHAT_LOGIN_FAILED: 401,
  UNAVAILABLE: 503,
};

/** Every other code is a conflict with the current state of things. */
export const statusOf = (code: ErrorCode): number => STATUS[code] ?? 409;
