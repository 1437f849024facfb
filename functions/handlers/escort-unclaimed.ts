/**
 * The scheduled check of 志愿陪同 (serverless.yml: every 10 minutes): escorts nobody took by
 * 18:00 (community time) the evening before are flagged 无人认领 and staff are told, once each.
 */
import { flagUnclaimedEscorts } from '../services/escorts';

export const handler = async (): Promise<{ due: number; flagged: number; skipped: number }> => {
  const run = await flagUnclaimedEscorts(new Date());
  console.info(JSON.stringify({ level: 'info', job: 'escort-unclaimed', ...run }));
  return run;
};
