import Taro from '@tarojs/taro';

/**
 * Page URLs in one place. Tab pages live in the main package; everything else in a subpackage
 * per capability (see app.config.ts).
 */
export const PAGES = {
  home: '/pages/index/index',
  services: '/pages/services/index',
  volunteers: '/pages/volunteers/index',
  consult: '/pages/consult/index',
  me: '/pages/me/index',
  login: '/pages/login/index',
  join: '/community/join/index',
  joinPoster: '/community/poster/index',
  staffStaff: '/staff/staff/index',
  staffAudit: '/staff/audit/index',
  adminCommunities: '/admin/communities/index',
  staffMembers: '/staff/members/index',
  staffStats: '/staff/stats/index',
  staffHall: '/staff/hall/index',
  staffWorkbench: '/staff/workbench/index',
  hallPoster: '/staff/hall-poster/index',
  volunteerRoster: '/volunteers/roster/index',
  volunteerLedger: '/volunteers/ledger/index',
  appointmentsStaff: '/appointments/staff/index',
  serviceEditor: '/appointments/editor/index',
  noticeList: '/notices/list/index',
  noticeDetail: '/notices/detail/index',
  noticeEditor: '/notices/editor/index',
  requestNew: '/requests/new/index',
  requestsMine: '/requests/mine/index',
  requestDetail: '/requests/detail/index',
  requestQueue: '/requests/queue/index',
  requestVisits: '/requests/visits/index',
  requestRegion: '/requests/region/index',
  requestsPublic: '/requests/public/index',
  requestGrids: '/requests/grids/index',
  family: '/family/index/index',
  familyLink: '/family/link/index',
} as const;

const TABS: ReadonlySet<string> = new Set([PAGES.home, PAGES.services, PAGES.volunteers, PAGES.consult, PAGES.me]);

/** Opens a page: switches tab for tab pages, otherwise pushes it with the query. */
export function go(url: string, query: Record<string, string | undefined> = {}): void {
  if (TABS.has(url)) {
    void Taro.switchTab({ url });
    return;
  }
  const search = Object.entries(query)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  void Taro.navigateTo({ url: search ? `${url}?${search}` : url });
}

/** Back one page, or home when there is nothing to go back to. */
export function back(): void {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack();
  else void Taro.switchTab({ url: PAGES.home });
}

/** The current page's query parameters, decoded. */
export function useQuery(): Record<string, string | undefined> {
  const params = Taro.useRouter().params as Record<string, string | undefined>;
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(params)) {
    if (key === '$taroTimestamp' || value === undefined) continue;
    try {
      out[key] = decodeURIComponent(value);
    } catch {
      out[key] = value;
    }
  }
  return out;
}
