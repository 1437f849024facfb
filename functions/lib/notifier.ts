/**
 * The one notifier: every WeChat subscription message of Linli (appointment and activity
 * reminders, activity changes, consultation notices, the queue's "3 ahead" and "your turn")
 * becomes a WeChat send here, and only here.
 *
 * - Template ids are configuration under one prefix: WX_TEMPLATE_<NAME> (TEMPLATE_ENV below);
 *   a template that is not configured sends nothing.
 * - A one-time subscription message goes only to a person who accepted its template and has an
 *   acceptance left (POST /v1/me/subscriptions records them); the send uses one up, and gives it
 *   back when WeChat did not take the message.
 * - Requests do not send: they write outbox messages (store/outbox.ts) and `kickDelivery()` asks
 *   the outbox function to deliver them now, without waiting for it.
 */
import { AsyncResource } from 'node:async_hooks';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { TemplateKey } from '@contract/notifications';
import { getUser } from '../store/identity';
import { consumeAcceptance, returnAcceptance } from '../store/outbox';
import { config } from './config';
import { sendSubscribeMessage, WechatRefused } from './wechat';

export const TEMPLATE_ENV: Record<TemplateKey, string> = {
  appointmentReminder: 'WX_TEMPLATE_APPOINTMENT_REMINDER',
  activityReminder: 'WX_TEMPLATE_ACTIVITY_REMINDER',
  activityChanged: 'WX_TEMPLATE_ACTIVITY_CHANGED',
  consultationPublished: 'WX_TEMPLATE_CONSULTATION_PUBLISHED',
  consultationResults: 'WX_TEMPLATE_CONSULTATION_RESULTS',
  queueNear: 'WX_TEMPLATE_QUEUE_NEAR',
  queueCalled: 'WX_TEMPLATE_QUEUE_CALLED',
  requestUpdate: 'WX_TEMPLATE_REQUEST_UPDATE',
  noticeAffairs: 'WX_TEMPLATE_NOTICE_AFFAIRS',
  noticeFinance: 'WX_TEMPLATE_NOTICE_FINANCE',
  noticeParty: 'WX_TEMPLATE_NOTICE_PARTY',
  noticeGeneral: 'WX_TEMPLATE_NOTICE_GENERAL',
  noticeActivity: 'WX_TEMPLATE_NOTICE_ACTIVITY',
  escortMatched: 'WX_TEMPLATE_ESCORT_MATCHED',
  escortUnclaimed: 'WX_TEMPLATE_ESCORT_UNCLAIMED',
};

/** The configured WeChat template id of a message kind; undefined = that message is not sent. */
export const templateId = (key: TemplateKey): string | undefined => process.env[TEMPLATE_ENV[key]] || undefined;

/** Every configured template, by key (the mini-program asks consent with these ids). */
export function configuredTemplates(): Record<string, string> {
  return Object.fromEntries(
    (Object.keys(TEMPLATE_ENV) as TemplateKey[]).flatMap((key) => {
      const id = templateId(key);
      return id ? [[key, id]] : [];
    }),
  );
}

export interface Notice {
  userId: string;
  template: TemplateKey;
  /** The mini-program page the message opens. */
  page: string;
  data: Record<string, string>;
}

/**
 * How a notice ended. 'sent'; 'refused' (WeChat will never take it: errcode); or not sent
 * because there is nothing to send: no template configured, no such person, no acceptance left.
 * An error thrown means a retry may succeed (WechatUnavailable: nothing would get through now).
 */
export type NoticeOutcome =
  | { status: 'sent' }
  | { status: 'refused'; errcode: number }
  | { status: 'not-sent'; reason: 'no-template' | 'no-user' | 'no-consent' };

export async function sendNotice(notice: Notice): Promise<NoticeOutcome> {
  const id = templateId(notice.template);
  if (!id) return { status: 'not-sent', reason: 'no-template' };
  const user = await getUser(notice.userId);
  if (!user) return { status: 'not-sent', reason: 'no-user' };
  if (!(await consumeAcceptance(notice.userId, notice.template))) return { status: 'not-sent', reason: 'no-consent' };
  try {
    await sendSubscribeMessage({ openid: user.openid, templateId: id, page: notice.page, data: notice.data });
    return { status: 'sent' };
  } catch (error) {
    if (error instanceof WechatRefused) return { status: 'refused', errcode: error.errcode };
    await returnAcceptance(notice.userId, notice.template).catch(() => undefined);
    throw error;
  }
}

// ── waking the outbox ───────────────────────────────────────────────────────

/** The outbox function's name (serverless.yml sets it); unset in tests, where the drain runs in-process. */
const OUTBOX_FUNCTION_ENV = 'OUTBOX_FUNCTION';

let lambda: LambdaClient | undefined;
let inProcessDrain: (() => Promise<unknown>) | undefined;

/**
 * Where no outbox function is deployed (the in-process test server), `kickDelivery` runs this
 * drain itself. services/notifications.ts registers it.
 */
export function setInProcessDrain(drain: () => Promise<unknown>): void {
  inProcessDrain = drain;
}

/**
 * Created at load time, outside any request: a drain started through it is not counted against
 * the request that kicked it (the per-request DynamoDB call log is async-context-scoped).
 */
const detached = new AsyncResource('outbox-kick');

/**
 * Asks for the outbox to be delivered now, without waiting for the delivery: in AWS (and under
 * serverless-offline, on its lambda port) an asynchronous Invoke (`InvocationType: 'Event'`),
 * which returns once Lambda has queued it; in-process, a drain not awaited. Never fails: the
 * scheduled drain (every minute) delivers whatever a lost kick leaves.
 */
export async function kickDelivery(): Promise<void> {
  const functionName = process.env[OUTBOX_FUNCTION_ENV];
  if (!functionName) {
    const drain = inProcessDrain;
    if (drain) detached.runInAsyncScope(() => void drain().catch(() => undefined));
    return;
  }
  try {
    // On the local stage, serverless-offline serves Invoke on its lambda port.
    const endpoint = process.env.LAMBDA_ENDPOINT || (config().stage === 'local' ? `http://127.0.0.1:${process.env.LAMBDA_PORT ?? 3002}` : undefined);
    lambda ??= new LambdaClient({
      region: config().region,
      ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
      maxAttempts: 1,
      requestHandler: { connectionTimeout: 300, requestTimeout: 1000 },
    });
    await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from('{"source":"kick"}') }));
  } catch (error) {
    console.warn(JSON.stringify({ level: 'warn', message: 'outbox kick failed; the schedule will deliver', error: (error as Error)?.name }));
  }
}
