import { randomBytes } from 'node:crypto';

const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** Characters nobody confuses when reading a code aloud: no 0/O, 1/I/L. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

function randomChars(alphabet: string, length: number): string {
  let out = '';
  for (const byte of randomBytes(length)) out += alphabet[byte % alphabet.length];
  return out;
}

/** A new opaque id; ids created later sort later, so listings by id follow creation order. */
export function newId(now: Date = new Date()): string {
  return now.getTime().toString(36).padStart(9, '0') + randomChars(ID_ALPHABET, 8);
}

/** A short code meant to be read aloud or typed: booking codes, receipts, certificate codes. */
export function shortCode(length = 8): string {
  return randomChars(CODE_ALPHABET, length);
}
