/**
 * Rotating on-site check-in codes. Staff show a QR that changes every minute; a volunteer's scan
 * is accepted for the current minute and, as a grace period, the one before it.
 *
 *   window w = floor(epoch seconds / 60)         code = "<w>.<mac>"
 *   mac = first 10 base32 chars of HMAC-SHA256(key, "checkin|<activityId>|<w>")
 *
 *   ──── w-2 ────┼──── w-1 ────┼──── w (now) ────┼──── w+1 ────
 *      expired   │   grace     │    current      │   not yet
 *
 * The window travels inside the code, so an old code is told apart from a forged one or one of
 * another activity, and each gets its own message. Pure: the key and the clock are passed in.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const CODE_WINDOW_SECONDS = 60;
/** How many windows before the current one are still accepted. */
export const GRACE_WINDOWS = 1;

const BASE32 = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export const windowOf = (now: Date): number => Math.floor(now.getTime() / 1000 / CODE_WINDOW_SECONDS);

function mac(key: string, activityId: string, window: number): string {
  const digest = createHmac('sha256', key).update(`checkin|${activityId}|${window}`).digest();
  let out = '';
  for (let i = 0; i < 10; i++) out += BASE32[(digest[i] ?? 0) % BASE32.length];
  return out;
}

export interface IssuedCode {
  code: string;
  /** When this code stops being the current one (the grace period runs a window longer). */
  expiresAt: Date;
}

export function issueCheckinCode(key: string, activityId: string, now: Date): IssuedCode {
  const window = windowOf(now);
  return { code: `${window}.${mac(key, activityId, window)}`, expiresAt: new Date((window + 1) * CODE_WINDOW_SECONDS * 1000) };
}

export type CodeCheck = { ok: true } | { ok: false; reason: 'malformed' | 'wrong' | 'expired' | 'future' };

export function checkCheckinCode(key: string, activityId: string, code: string, now: Date): CodeCheck {
  const match = /^(\d{1,12})\.([A-Z0-9]{10})$/.exec(code.trim().toUpperCase());
  if (!match) return { ok: false, reason: 'malformed' };
  const window = Number(match[1]);
  const expected = Buffer.from(mac(key, activityId, window));
  const given = Buffer.from(match[2] as string);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'wrong' };
  const current = windowOf(now);
  if (window > current) return { ok: false, reason: 'future' };
  if (window < current - GRACE_WINDOWS) return { ok: false, reason: 'expired' };
  return { ok: true };
}

/** Chinese explanations, one per refusal. */
export const CODE_REFUSALS: Record<Exclude<CodeCheck, { ok: true }>['reason'], string> = {
  malformed: '签到码格式不正确，请扫描现场工作人员出示的二维码',
  wrong: '签到码无效：这不是本活动的签到码',
  expired: '签到码已过期，请扫描现场最新的二维码',
  future: '签到码时间异常，请稍后重新扫码',
};

/** What the QR encodes: the activity and the code, read back by the scanner page. */
export const qrPayload = (activityId: string, code: string): string => `linli:checkin:${activityId}:${code}`;
