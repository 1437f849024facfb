/**
 * Environment variables set for one test and restored after it: `setEnv` sets (or, with
 * undefined, removes) them; a file that uses it calls `restoreEnvAfterEach()` once.
 */
import { afterEach } from 'vitest';
import { resetConfig } from '../../functions/lib/config';

const saved = new Map<string, string | undefined>();

export function setEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!saved.has(name)) saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetConfig();
}

export function restoreEnvAfterEach(): void {
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    saved.clear();
    resetConfig();
  });
}
