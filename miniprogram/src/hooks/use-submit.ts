import { useCallback, useRef, useState } from 'react';
import { isTransient, showError } from '../api/errors';
import { newIdempotencyKey } from '../api/client';

/**
 * Runs one user action (a create or an act) with an Idempotency-Key: the same key while the
 * person retries after a network or server failure, a fresh one once the action succeeded or
 * the server refused it (a changed body under an old key would be refused with 422).
 *
 *   const join = useSubmit((key) => api('join', { params: { cid }, body, idempotencyKey: key }));
 *   <Button loading={join.busy} onClick={() => join.run()}>提交</Button>
 *
 * `run` resolves with the result, or undefined after a failure (already shown as a toast unless
 * `quiet`); the failure stays in `error` for inline messages.
 */
export function useSubmit<A extends unknown[], T>(
  action: (key: string, ...args: A) => Promise<T>,
  options: { quiet?: boolean } = {},
) {
  const key = useRef(newIdempotencyKey());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const running = useRef(false);
  const latest = useRef(action);
  latest.current = action;

  const run = useCallback(
    async (...args: A): Promise<T | undefined> => {
      if (running.current) return undefined;
      running.current = true;
      setBusy(true);
      setError(undefined);
      try {
        const result = await latest.current(key.current, ...args);
        key.current = newIdempotencyKey();
        return result;
      } catch (failure) {
        if (!isTransient(failure)) key.current = newIdempotencyKey();
        setError(failure);
        if (!options.quiet) showError(failure);
        return undefined;
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [options.quiet],
  );

  return { run, busy, error };
}
