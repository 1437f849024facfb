/**
 * The real API (startApiServer) with the demo community seeded, in a Node process of its own, for
 * tests that run under jsdom (the weapp build in miniprogram-simulate), where the AWS SDK and the
 * token library would see jsdom's globals. It takes the parent's environment (stage, table,
 * endpoints) and prints its base URL on the first line of its output.
 */
import { startApiServer } from '../../scripts/local/api-server';
import { seedDemo } from '../../scripts/seed';

void (async () => {
  await seedDemo();
  const api = await startApiServer(0);
  process.stdout.write(`${api.base}\n`);
})();
