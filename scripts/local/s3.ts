/**
 * A local S3 server (the npm package `s3rver`, in this process) for `npm start` and the tests:
 * the functions reach it through the real AWS SDK at S3_ENDPOINT, path-style. Its files live
 * under `.tmp/s3/` (ignored by git); the bucket is created, with its CORS rule, at start.
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import S3rver from 's3rver';
import { freePort } from './dynamo';

const ROOT = resolve(__dirname, '../..');

/** The browser app PUTs photos straight to the bucket and shows them from signed URLs. */
const CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedHeader>Content-Type</AllowedHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export interface LocalS3 {
  endpoint: string;
  bucket: string;
  stop(): Promise<void>;
}

/**
 * Starts the server with `bucket` in it. `name` picks the folder under .tmp/s3/: `npm start`
 * keeps its files between runs; `fresh` starts from an empty folder (tests, in-memory stacks).
 */
export async function startLocalS3(options: { bucket: string; name: string; port?: number; fresh?: boolean }): Promise<LocalS3> {
  const port = options.port ?? (await freePort());
  const directory = resolve(ROOT, '.tmp/s3', options.name);
  if (options.fresh) rmSync(directory, { recursive: true, force: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    directory,
    silent: true,
    // Path-style only: the SDK is told so (functions/lib/storage.ts), and 127.0.0.1 has no subdomains.
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [CORS] }],
  });
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: options.bucket,
    stop: async () => {
      await server.close();
      if (options.fresh) rmSync(directory, { recursive: true, force: true });
    },
  };
}
