import { useCallback, useEffect, useRef, useState } from 'react';

export interface RequestState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again (keeps showing the old data meanwhile). */
  reload: () => Promise<void>;
  setData: (data: T | undefined) => void;
}

/**
 * Loads data for a page: `loading` until the first answer, then `data` or `error`.
 * Only the latest call's answer is kept. Pass `enabled: false` to wait (e.g. for a session).
 */
export function useRequest<T>(load: () => Promise<T>, deps: readonly unknown[], enabled = true): RequestState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(enabled);
  const latest = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const reload = useCallback(async () => {
    const call = ++latest.current;
    setLoading(true);
    setError(undefined);
    try {
      const value = await loader.current();
      if (call === latest.current) setData(value);
    } catch (failure) {
      if (call === latest.current) setError(failure);
    } finally {
      if (call === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (enabled) void reload();
    else setLoading(false);
  }, [enabled, reload, ...deps]);

  return { data, error, loading, reload, setData };
}
