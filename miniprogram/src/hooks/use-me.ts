import { useCallback, useState } from 'react';
import { useDidShow } from '@tarojs/taro';
import type { User } from '@contract/identity';
import { AppError } from '@contract/errors';
import { api } from '../api/client';
import { saveUser, useUser } from '../store/session';

export interface MeState {
  /** The signed-in user (from storage at once, refreshed from GET /v1/me on every show). */
  user: User | undefined;
  loading: boolean;
  /** True when nobody is signed in and the app cannot sign in silently (h5 without an openid). */
  signedOut: boolean;
  error: unknown;
  reload: () => Promise<void>;
}

/** The current user, refreshed whenever the page shows (memberships change while away). */
export function useMe(): MeState {
  const user = useUser();
  const [loading, setLoading] = useState(true);
  const [signedOut, setSignedOut] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const reload = useCallback(async () => {
    setLoading(true);
    setError(undefined);
    try {
      saveUser(await api('me'));
      setSignedOut(false);
    } catch (failure) {
      if (failure instanceof AppError && failure.code === 'UNAUTHENTICATED') setSignedOut(true);
      else setError(failure);
    } finally {
      setLoading(false);
    }
  }, []);

  useDidShow(() => {
    void reload();
  });

  return { user, loading, signedOut, error, reload };
}
