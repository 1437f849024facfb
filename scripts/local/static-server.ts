/**
 * Serves the H5 build. With `apiBase`, index.html is given `window.__LINLI_API_BASE__`, so one
 * build can talk to whichever API a test or a hall's display board points it at.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

export async function serveStatic(options: { root: string; port?: number; apiBase?: string }): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const root = resolve(options.root);
  const indexFile = join(root, 'index.html');
  const index = () => {
    const html = readFileSync(indexFile, 'utf8');
    if (!options.apiBase) return html;
    const script = `<script>window.__LINLI_API_BASE__=${JSON.stringify(options.apiBase)}</script>`;
    return html.replace('<head>', `<head>${script}`);
  };
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://local').pathname);
    const file = normalize(join(root, path));
    if (file.startsWith(root) && file !== root && existsSync(file) && statSync(file).isFile() && file !== indexFile) {
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-cache' }).end(index());
  });
  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
