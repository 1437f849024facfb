/**
 * The hall's QR token: proof of being in the service hall, for a walk-in who is not a verified
 * member. Staff show (or print) the day's QR; it names the community and the hall's local date,
 * so it changes every day and a photo of yesterday's code takes no number today.
 *
 *   token = first 14 chars (base 31, ~69 bits) of HMAC-SHA256(hall key, "hall|<community id>|<local date>")
 *
 * 14 characters so that `<community id>.<token>` fits a mini-program code's 32-character scene.
 *
 * Nothing is stored. Pure: the key is passed in.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const HALL_TOKEN_LENGTH = 14;


export function hallToken(key: string, communityId: string, date: string): string {
  const digest = createHmac('sha256', key).update(`hall|${communityId}|${date}`).digest();
  let out = '';
  for (let i = 0; i < HALL_TOKEN_LENGTH; i++) out += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  return out;
}

export function isHallToken(key: string, communityId: string, date: string, token: string): boolean {
  const expected = Buffer.from(hallToken(key, communityId, date));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
