import type { Session, User } from '@contract/identity';
import { storage } from '../platform';
import { createStore, useStore } from './store';

/**
 * The signed-in session (token and user), kept in storage so that a restart stays signed in.
 * Only the API client and the login flow write it.
 */
const SESSION_KEY = 'linli.session';
const DEV_OPENID_KEY = 'linli.devOpenid';

export const sessionStore = createStore<Session | undefined>(storage.get<Session>(SESSION_KEY));

/** The token, unless the session is missing or expired (a minute's margin for clock skew). */
export function currentToken(now = Date.now()): string | undefined {
  const session = sessionStore.get();
  if (!session) return undefined;
  const expires = Date.parse(session.expiresAt);
  return Number.isFinite(expires) && expires - 60_000 <= now ? undefined : session.token;
}

export function saveSession(session: Session): void {
  storage.set(SESSION_KEY, session);
  sessionStore.set(session);
}

/** Replaces the stored user (after GET /v1/me) and keeps the token. */
export function saveUser(user: User): void {
  const session = sessionStore.get();
  if (session) saveSession({ ...session, user });
}

export function clearSession(): void {
  storage.remove(SESSION_KEY);
  storage.remove(DEV_OPENID_KEY);
  sessionStore.set(undefined);
}

/** h5 only: the openid last used on the dev-login page, to log in again when the token expires. */
export const devOpenid = {
  get: () => storage.get<string>(DEV_OPENID_KEY),
  set: (openid: string) => storage.set(DEV_OPENID_KEY, openid),
};

export const useUser = (): User | undefined => useStore(sessionStore)?.user;
