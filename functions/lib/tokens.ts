/** Session tokens: HS256 JWTs signed with the configured key, valid 7 days. */
import { SignJWT, jwtVerify } from 'jose';
import { secret } from './secrets';

export const TOKEN_LIFETIME_SECONDS = 7 * 24 * 3600;

export interface AuthUser {
  id: string;
  admin: boolean;
}

const key = async (): Promise<Uint8Array> => new TextEncoder().encode(await secret('tokenKey'));

export async function issueToken(user: AuthUser, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = new Date((issuedAt + TOKEN_LIFETIME_SECONDS) * 1000);
  const token = await new SignJWT({ adm: user.admin })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer('linli')
    .setIssuedAt(issuedAt)
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(await key());
  return { token, expiresAt };
}

/** The user a token names, or undefined for any token that is expired, forged or malformed. */
export async function verifyToken(token: string, now: Date): Promise<AuthUser | undefined> {
  try {
    const { payload } = await jwtVerify(token, await key(), {
      algorithms: ['HS256'],
      issuer: 'linli',
      currentDate: now,
    });
    if (typeof payload.sub !== 'string') return undefined;
    return { id: payload.sub, admin: payload.adm === true };
  } catch {
    return undefined;
  }
}
