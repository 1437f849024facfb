/**
 * Personal attendance codes: presence is proved on site by staff scanning the volunteer's phone.
 *
 * A signed-up volunteer's activity page shows a QR of a code bound to them, to the activity and to
 * one act (check-in or check-out). Staff scan it on the attendance page; the server records that
 * act for that volunteer and spends the code (store: a used-code item put in the same transaction).
 * A screenshot forwarded home is useless without a staff member on site to scan it, and it dies
 * within a minute; a check-in code never checks out.
 *
 *   code = "<act I|O><issued epoch seconds, base 36>.<user id>.<mac>"
 *   mac  = first 12 chars (base 31) of HMAC-SHA256(check-in key, "presence|<activity>|<user>|<act>|<issued>")
 *
 * The key is the check-in key, never the token key. Pure: the key and the clock are passed in.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a code is accepted after it was issued. */
export const CODE_VALID_SECONDS = 60;
/** The volunteer's page fetches a fresh code this often, so the code shown always has ≥ 40 s left. */
export const CODE_REFRESH_SECONDS = 20;
/** Clocks of two function instances may differ a little. */
const CLOCK_SKEW_SECONDS = 5;

export type Act = 'check_in' | 'check_out';
const ACT_LETTER: Record<Act, string> = { check_in: 'I', check_out: 'O' };

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

function mac(key: string, activityId: string, userId: string, act: Act, issued: number): string {
  const digest = createHmac('sha256', key).update(`presence|${activityId}|${userId}|${act}|${issued}`).digest();
  let out = '';
  for (let i = 0; i < 12; i++) out += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  return out;
}

export interface IssuedCode {
  code: string;
  expiresAt: Date;
}

export function issuePresenceCode(key: string, activityId: string, userId: string, act: Act, now: Date): IssuedCode {
  const issued = Math.floor(now.getTime() / 1000);
  return {
    code: `${ACT_LETTER[act]}${issued.toString(36)}.${userId}.${mac(key, activityId, userId, act, issued)}`,
    expiresAt: new Date((issued + CODE_VALID_SECONDS) * 1000),
  };
}

export type CodeCheck =
  | { ok: true; userId: string; act: Act; expiresAt: Date; /** Names the code once spent. */ id: string }
  | { ok: false; reason: 'malformed' | 'wrong' | 'expired' | 'future' | 'other_act' };

const CODE_SHAPE = /^([IO])([0-9a-z]{1,10})\.([A-Za-z0-9_-]{1,40})\.([A-Z0-9]{12})$/;

/** The volunteer a code claims to be for, before it is checked (to read their signup alongside the activity). */
export const claimedUser = (code: string): string | undefined => CODE_SHAPE.exec(code.trim())?.[3];

/** Reads a scanned code for `act` at activity `activityId`. */
export function checkPresenceCode(key: string, activityId: string, act: Act, code: string, now: Date): CodeCheck {
  const match = CODE_SHAPE.exec(code.trim());
  if (!match) return { ok: false, reason: 'malformed' };
  const [, letter, issuedText, userId, given] = match as unknown as [string, string, string, string, string];
  const codeAct: Act = letter === 'I' ? 'check_in' : 'check_out';
  const issued = parseInt(issuedText, 36);
  const expected = Buffer.from(mac(key, activityId, userId, codeAct, issued));
  const received = Buffer.from(given);
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) return { ok: false, reason: 'wrong' };
  if (codeAct !== act) return { ok: false, reason: 'other_act' };
  const nowSeconds = now.getTime() / 1000;
  if (issued > nowSeconds + CLOCK_SKEW_SECONDS) return { ok: false, reason: 'future' };
  if (issued + CODE_VALID_SECONDS < nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, userId, act: codeAct, expiresAt: new Date((issued + CODE_VALID_SECONDS) * 1000), id: given };
}

/** Chinese explanations, one per refusal, for the staff member holding the scanner. */
export const CODE_REFUSALS: Record<Extract<CodeCheck, { ok: false }>['reason'], string> = {
  malformed: '这不是志愿者的签到码，请扫描志愿者手机上“我的签到码”',
  wrong: '签到码无效：这不是本活动的签到码',
  expired: '签到码已过期，请志愿者刷新后重新出示',
  future: '签到码时间异常，请志愿者刷新后重新出示',
  other_act: '签到码与签退码不能混用：请志愿者刷新后重新出示',
};

/** What the volunteer's QR encodes: the activity and the code, read back by staff's scanner. */
export const qrPayload = (activityId: string, code: string): string => `linli:presence:${activityId}:${code}`;

/** The code inside a scanned QR text (or the text itself, typed in); another activity's QR gives its code, refused as 'wrong'. */
export const codeFromScan = (text: string): string => /^linli:presence:[^:]+:(.+)$/.exec(text.trim())?.[1] ?? text.trim();
