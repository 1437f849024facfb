/**
 * The scheduled escalation of overdue requests (serverless.yml: every 5 minutes): a request
 * whose resolution clock ran out is handed up one level, at most once per level, and its
 * resident is told through the outbox. Logs counts only.
 */
import { escalateOverdue } from '../services/requests';

export const handler = async (): Promise<{ due: number; escalated: number }> => {
  const run = await escalateOverdue(new Date());
  console.info(JSON.stringify({ level: 'info', job: 'request-escalation', ...run }));
  return run;
};
