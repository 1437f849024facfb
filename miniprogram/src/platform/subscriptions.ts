/**
 * WeChat one-time subscription messages (订阅消息), asked for at the action they follow.
 *
 * A page that leads to messages calls `useSubscribe([...keys])` and, in its tap handler, the
 * function it returns, before anything else (WeChat shows the dialog only inside a tap). The
 * person accepts or refuses each template; what they accepted is reported to the server
 * (POST /v1/me/subscriptions), which sends one message per acceptance and nothing without one.
 * The template ids come from GET /v1/notifications/templates, read once. h5 has no
 * subscription messages: nothing is asked, fetched or reported there.
 */
import { useEffect, useState } from 'react';
import type { TemplateKey } from '@contract/notifications';
import { api } from '../api/client';
import { requestSubscription } from './index';

const weapp = process.env.TARO_ENV === 'weapp';
let templatesOnce: Promise<Record<string, string>> | undefined;

function loadTemplates(): Promise<Record<string, string>> {
  templatesOnce ??= api('templates')
    .then((r) => r.templates)
    .catch(() => {
      templatesOnce = undefined; // try again on the next page
      return {};
    });
  return templatesOnce;
}

/** Returns `ask()`: shows the dialog for `keys` (those configured), reports and resolves with the accepted keys. */
export function useSubscribe(keys: readonly TemplateKey[]): () => Promise<TemplateKey[]> {
  const [templates, setTemplates] = useState<Record<string, string>>({});
  useEffect(() => {
    if (weapp) void loadTemplates().then(setTemplates);
  }, []);
  return async () => {
    const wanted = keys.filter((key) => templates[key]);
    if (!weapp || wanted.length === 0) return [];
    const acceptedIds = await requestSubscription(wanted.map((key) => templates[key] as string));
    const accepted = wanted.filter((key) => acceptedIds.includes(templates[key] as string));
    // A lost report only means fewer messages; the action itself goes ahead.
    if (accepted.length > 0) await api('reportSubscriptions', { body: { accepted } }).catch(() => undefined);
    return accepted;
  };
}
