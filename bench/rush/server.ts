/**
 * The API for the rush, in its own Node process (so the load generator's event loop never
 * delays the handlers, nor the other way round): `startApiServer` with the real handlers, plus a
 * counter of the DynamoDB calls they make (command, items returned), reported to the parent
 * over IPC. The parent sets the environment (stage `test`, table, endpoint, WS_ENDPOINT).
 */
import { documentClient } from '../../functions/store/client';
import { startApiServer } from '../../scripts/local/api-server';

export interface CallCounts {
  [command: string]: { calls: number; items: number; maxItems: number; pages: number };
}

let counts: CallCounts = {};

async function main(): Promise<void> {
  documentClient().middlewareStack.add(
    (next, context) => async (args) => {
      const output = await next(args);
      const name = (context.commandName ?? 'unknown').replace(/Command$/, '');
      const entry = (counts[name] ??= { calls: 0, items: 0, maxItems: 0, pages: 0 });
      entry.calls++;
      const items = (output.output as { Items?: unknown[] }).Items;
      if (items) {
        entry.items += items.length;
        entry.maxItems = Math.max(entry.maxItems, items.length);
        entry.pages++;
      }
      return output;
    },
    { step: 'initialize', name: 'rushCallCount' },
  );
  const api = await startApiServer(0);
  process.on('message', (message: unknown) => {
    if (message === 'reset') counts = {};
    if (message === 'counts') process.send?.({ type: 'counts', counts });
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', base: api.base });
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
