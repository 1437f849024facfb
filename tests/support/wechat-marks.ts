/**
 * WeChat's experience-score marks (体验评分) for a page, shared by the weapp page test and the
 * page benchmarks: nodes, nesting and children per node; one setData's payload and their rate;
 * tap to content (render).
 */
export const WECHAT_MARKS = { nodes: 1000, depth: 30, children: 60, setDataBytes: 256 * 1024, setDataPerSecond: 20, tapMs: 500 };

/** One weapp page's figures, as tests/ui/weapp-pages.test.ts leaves them for bench/weapp-pages.ts. */
export interface WeappPageFigures {
  page: string;
  as: string;
  nodes: number;
  depth: number;
  children: number;
  setDataCalls: number;
  largestSetDataBytes: number;
  /** The most setData calls within any one second (told, not asserted: it depends on the machine). */
  setDataPerSecond: number;
}
