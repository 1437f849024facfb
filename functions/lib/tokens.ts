/**
 * Session tokens: HS256 JWTs, valid 7 days, with a key id (`kid`) so the key can be rotated:
 * tokens are signed with the current key and verified with whichever of the current and the
 * previous key their `kid` names, so both stay valid during the overlap.
 *
 * Privileges that can be withdrawn are never trusted from the token alone: staff rights and
 * membership are read from the table where they are used (services/access.ts), and the admin
 * claim names the openid it was granted for (as a digest), re-checked against ADMIN_OPENIDS on
 * every request, so removing an openid from the list takes effect with the deploy that removes it.
 */
import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import { config } from './config';
import { optionalSecret, secret } from './secrets';

export const TOKEN_LIFETIME_SECONDS = 7 * 24 * 3600;

export interface AuthUser {
  id: string;
  admin: boolean;
  /** The elder this request is made for, as their family proxy (header X-On-Behalf-Of); checked by services/access.ts. */
  onBehalfOf?: string;
}

interface SigningKey {
  id: string;
  key: KeyObject;
}

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url');

/**
 * The key id is derived from the key, so a rotation needs no second setting to keep in step.
 * Made once per key text: importing the key and hashing its id on every request was a tenth of
 * a request's own time.
 */
const keys = new Map<string, SigningKey>();
function signingKey(text: string): SigningKey {
  let made = keys.get(text);
  if (!made) {
    if (keys.size > 4) keys.clear();
    made = { id: digest(`kid:${text}`).slice(0, 16), key: createSecretKey(Buffer.from(text, 'utf8')) };
    keys.set(text, made);
  }
  return made;
}

async function verificationKeys(): Promise<SigningKey[]> {
  const [current, previous] = await Promise.all([secret('tokenKey'), optionalSecret('tokenKeyPrevious')]);
  return [signingKey(current), ...(previous ? [signingKey(previous)] : [])];
}

/** Platform admins: ADMIN_OPENIDS, and the built-in `admin` where the dev login is on. */
export const isAdminOpenid = (openid: string): boolean =>
  config().adminOpenids.has(openid) || (config().devLogin && openid === 'admin');

/** The `adm` claim: a digest of the openid, so the token does not carry the openid itself. */
const adminClaim = (openid: string): string => digest(`adm:${openid}`);

const isCurrentAdminClaim = (claim: unknown): boolean =>
  typeof claim === 'string' &&
  [...config().adminOpenids, ...(config().devLogin ? ['admin'] : [])].some((openid) => adminClaim(openid) === claim);

export async function issueToken(user: { id: string; openid: string }, now: Date): Promise<{ token: string; expiresAt: Date; admin: boolean }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = new Date((issuedAt + TOKEN_LIFETIME_SECONDS) * 1000);
  const admin = isAdminOpenid(user.openid);
  const key = signingKey(await secret('tokenKey'));
  const token = await new SignJWT(admin ? { adm: adminClaim(user.openid) } : {})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.id })
    .setSubject(user.id)
    .setIssuer('linli')
    .setIssuedAt(issuedAt)
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key.key);
  return { token, expiresAt, admin };
}

/** A token this instance has verified: whom it names, by which key, until when. */
interface Verified {
  sub: string;
  adm: unknown;
  kid: string;
  exp: number;
}

// A person's requests carry the same token for days: its signature is checked once per instance,
// then only its key (still current?) and its expiry are, so a retired key or an expired token is
// refused as before. Bounded: cleared when full.
const verified = new Map<string, Verified>();
const MAX_VERIFIED = 10_000;

async function verifiedClaims(token: string, keys: SigningKey[], now: Date): Promise<Verified | undefined> {
  const known = verified.get(token);
  if (known) return known;
  const { kid } = decodeProtectedHeader(token);
  const key = keys.find((k) => k.id === kid);
  if (!key) return undefined;
  const { payload } = await jwtVerify(token, key.key, { algorithms: ['HS256'], issuer: 'linli', currentDate: now });
  if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return undefined;
  const claims = { sub: payload.sub, adm: payload.adm, kid: key.id, exp: payload.exp };
  if (verified.size >= MAX_VERIFIED) verified.clear();
  verified.set(token, claims);
  return claims;
}

/** The user a token names, or undefined for any token that is expired, forged, malformed or signed with a retired key. */
export async function verifyToken(token: string, now: Date): Promise<AuthUser | undefined> {
  // Outside the try: a missing or refused key stops the request (500), it does not read as a bad token.
  const keys = await verificationKeys();
  try {
    const claims = await verifiedClaims(token, keys, now);
    if (!claims || !keys.some((k) => k.id === claims.kid) || claims.exp <= Math.floor(now.getTime() / 1000)) return undefined;
    return { id: claims.sub, admin: isCurrentAdminClaim(claims.adm) };
  } catch {
    return undefined;
  }
}
