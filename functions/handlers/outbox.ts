/**
 * The outbox's delivery (serverless.yml: every minute, and invoked asynchronously by a request
 * that wrote messages, so they go out at once). Claimed per message: two runs deliver each once.
 * Logs counts only.
 */
import { drainOutbox, type DrainRun } from '../services/notifications';

export const handler = async (): Promise<DrainRun> => {
  const run = await drainOutbox(new Date());
  console.info(JSON.stringify({ level: 'info', job: 'outbox', ...run }));
  return run;
};
