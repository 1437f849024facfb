/**
 * The scheduled sender of consultation results notices (serverless.yml: every 5 minutes): tells
 * the voters of each consultation that has closed that its results are public ("投票结果已公布").
 * Claimed per consultation and per voter, so a schedule that fires twice sends each notice once.
 * Logs counts only: never a voter, never a choice.
 */
import { sendResultsNotices } from '../services/consultations';

export const handler = async (): Promise<{ due: number; done: number; sent: number; failed: number }> => {
  const run = await sendResultsNotices(new Date());
  console.info(JSON.stringify({ level: 'info', job: 'consultation-close', ...run }));
  return run;
};
