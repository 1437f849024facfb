/**
 * The scheduled sender of appointment reminders (serverless.yml: every 10 minutes). Sending is
 * claimed per reminder, so a schedule that fires twice sends each reminder once.
 */
import { sendDueReminders } from '../services/appointments';

export const handler = async (): Promise<{ due: number; sent: number; skipped: number; failed: number }> => {
  const run = await sendDueReminders(new Date());
  console.info(JSON.stringify({ level: 'info', job: 'appointment-reminders', ...run }));
  return run;
};
