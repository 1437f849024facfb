/**
 * The scheduled sender of volunteers' activity reminders (serverless.yml: every 10 minutes).
 * Sending is claimed per reminder, so a schedule that fires twice sends each reminder once.
 */
import { sendDueActivityReminders } from '../services/volunteers';

export const handler = async (): Promise<{ due: number; sent: number; skipped: number; failed: number }> => {
  const run = await sendDueActivityReminders(new Date());
  console.info(JSON.stringify({ level: 'info', job: 'volunteer-reminders', ...run }));
  return run;
};
