/**
 * WeChat's experience-score marks on the weapp build (LINLI_WEAPP_DIR, default dist/weapp):
 * tests/ui/weapp-pages.test.ts renders each page in miniprogram-simulate against the real API
 * and the demo community, asserts the size marks, and leaves its figures in
 * tests/artifacts/weapp-pages.json; this writes them to BENCHMARKS.md, with the setData rate.
 *
 *   npx tsx bench/weapp-pages.ts
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { WECHAT_MARKS as MARKS, type WeappPageFigures } from '../tests/support/wechat-marks';
import { table, writeSection } from './report';

const ROOT = resolve(__dirname, '..');

export function weappPages(): void {
  execSync('npx vitest run --project ui tests/ui/weapp-pages.test.ts', { cwd: ROOT, stdio: 'inherit' });
  const figures = JSON.parse(readFileSync(resolve(ROOT, 'tests/artifacts/weapp-pages.json'), 'utf8')) as WeappPageFigures[];
  const met = (f: WeappPageFigures) =>
    f.nodes < MARKS.nodes && f.depth < MARKS.depth && f.children <= MARKS.children && f.largestSetDataBytes <= MARKS.setDataBytes && f.setDataPerSecond <= MARKS.setDataPerSecond;
  const rows = figures.map((f) => [
    `\`${f.page}\``, f.as, f.nodes, f.depth, f.children, f.setDataCalls, `${(f.largestSetDataBytes / 1024).toFixed(1)} KB`, f.setDataPerSecond, met(f) ? 'met' : 'not met',
  ]);
  const body = `## Pages on the weapp build: nodes and setData (miniprogram-simulate)

The weapp build rendered by miniprogram-simulate with the official compiler, against the real API (its handlers in a process of their
own) and the demo community as \`npm start\` seeds it; each page opened afresh as the person named, measured once it made no request and
no setData for 0.6 s. Nodes are the page component's rendered elements. setData: every call the page made while loading (Taro renders
through it), the largest payload as JSON, and the most calls within one second. WeChat's marks: < ${MARKS.nodes} nodes, depth < ${MARKS.depth},
≤ ${MARKS.children} children per node, a payload ≤ ${MARKS.setDataBytes / 1024} KB, ≤ ${MARKS.setDataPerSecond} setData a second.

${table(['page', 'as', 'nodes', 'max depth', 'max children of a node', 'setData calls', 'largest setData', 'most setData in 1 s', 'marks'], rows)}`;
  writeSection('weapp-pages', 'npx tsx bench/weapp-pages.ts', body, { after: 'pages' });
}

if (process.argv[1]?.endsWith('weapp-pages.ts')) weappPages();
