import { AppError, ERROR_MESSAGES, type ErrorCode, type FieldIssue } from '@contract/errors';
import { toast } from '../platform';

/**
 * An AppError that came over HTTP: the contract's code, Chinese message and details, plus the
 * HTTP status (0 when no response arrived) and the server's request id for support.
 */
export class ApiError extends AppError {
  readonly status: number;
  readonly requestId?: string;

  constructor(
    code: ErrorCode,
    message: string | undefined,
    options: { status: number; details?: unknown; retryAfter?: number; requestId?: string },
  ) {
    super(code, message, { details: options.details, retryAfter: options.retryAfter });
    this.name = 'ApiError';
    this.status = options.status;
    this.requestId = options.requestId;
  }
}

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'IDEMPOTENCY_MISMATCH',
  429: 'RATE_LIMITED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'UNAVAILABLE',
};

const isCode = (value: unknown): value is ErrorCode => typeof value === 'string' && value in ERROR_MESSAGES;

/** The error an HTTP answer with a non-2xx status stands for. */
export function errorFromResponse(status: number, data: unknown, header: Record<string, string>): ApiError {
  const error = (data as { error?: { code?: unknown; message?: unknown; details?: unknown; requestId?: unknown } } | undefined)?.error;
  // A code this build does not know (a newer server) still travels with the server's message.
  const code = (typeof error?.code === 'string' ? error.code : (BY_STATUS[status] ?? 'INTERNAL')) as ErrorCode;
  const message = typeof error?.message === 'string' && error.message ? error.message : isCode(code) ? ERROR_MESSAGES[code] : ERROR_MESSAGES.INTERNAL;
  const retry = Number(header['retry-after'] ?? header['Retry-After']);
  return new ApiError(code, message, {
    status,
    details: error?.details,
    retryAfter: Number.isFinite(retry) && retry > 0 ? retry : undefined,
    requestId: typeof error?.requestId === 'string' ? error.requestId : undefined,
  });
}

/** No answer at all: offline, DNS, timeout, or a refused connection. */
export const networkError = (): ApiError => new ApiError('UNAVAILABLE', '网络连接失败，请检查网络后重试', { status: 0 });

/** A Chinese sentence for any failure, for an error state or a toast. */
export function errorMessage(error: unknown): string {
  if (error instanceof AppError) {
    const first = fieldIssues(error)[0];
    return error.code === 'VALIDATION' && first ? first.message : error.message;
  }
  return ERROR_MESSAGES.INTERNAL;
}

/** The per-field issues of a VALIDATION error ([] for any other error). */
export function fieldIssues(error: unknown): FieldIssue[] {
  if (!(error instanceof AppError) || error.code !== 'VALIDATION' || !Array.isArray(error.details)) return [];
  return (error.details as unknown[]).filter(
    (issue): issue is FieldIssue =>
      typeof issue === 'object' && issue !== null && typeof (issue as FieldIssue).path === 'string' && typeof (issue as FieldIssue).message === 'string',
  );
}

/**
 * Field messages by field name: 'body.household' → household. Forms show them next to the input.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of fieldIssues(error)) {
    const field = issue.path.replace(/^(body|query)\./, '');
    out[field] ??= issue.message;
  }
  return out;
}

/**
 * Shows a Chinese message for a failure (and logs it for developers): a toast, or in elder mode a
 * modal that stays until the person taps 知道了 (platform toast()).
 */
export function showError(error: unknown): void {
  if (!(error instanceof AppError)) console.error(error);
  toast(errorMessage(error), 'error');
}

/** Whether repeating the same request may succeed (so an action keeps its idempotency key). */
export const isTransient = (error: unknown): boolean =>
  error instanceof ApiError && (error.status === 0 || error.status >= 500 || error.status === 429 || error.code === 'IDEMPOTENCY_IN_PROGRESS');
