import Taro from '@tarojs/taro';

/**
 * Page URLs in one place: every link, redirect and web link names a page here. Tab pages live in
 * the main package; everything else in a subpackage per capability (see app.config.ts, which
 * cannot import this module: Taro reads it in Node at build time, where @tarojs/taro cannot load).
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
  appointmentService: '/appointments/service/index',
  appointmentDetail: '/appointments/detail/index',
  appointmentsMine: '/appointments/mine/index',
  appointmentsStaff: '/appointments/staff/index',
  serviceEditor: '/appointments/editor/index',
  queueTake: '/queue/take/index',
  queueTicket: '/queue/ticket/index',
  queueWindow: '/queue/window/index',
  queueBoard: '/queue/board/index',
  volunteerRegister: '/volunteers/register/index',
  volunteerActivity: '/volunteers/activity/index',
  volunteerSignups: '/volunteers/signups/index',
  volunteerHours: '/volunteers/hours/index',
  volunteerApprovals: '/volunteers/approvals/index',
  activityEditor: '/volunteers/editor/index',
  volunteerAttendance: '/volunteers/attendance/index',
  volunteerQr: '/volunteers/qr/index',
  certificateCheck: '/volunteers/certificate-check/index',
  volunteerRoster: '/volunteers/roster/index',
  volunteerLedger: '/volunteers/ledger/index',
  consultationTopics: '/consultations/topics/index',
  consultationDetail: '/consultations/detail/index',
  consultationResults: '/consultations/results/index',
  consultationEditor: '/consultations/editor/index',
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
  escortDetail: '/escorts/detail/index',
  escortsStaff: '/escorts/staff/index',
  family: '/family/index/index',
  familyLink: '/family/link/index',
  familyCounter: '/family/counter/index',
} as const;

export type Page = (typeof PAGES)[keyof typeof PAGES];

/** A page's query: undefined values are left out. */
type PageQuery = Record<string, string | undefined>;

const TABS: ReadonlySet<string> = new Set([PAGES.home, PAGES.services, PAGES.volunteers, PAGES.consult, PAGES.me]);

/** Whether a path is a tab page: reached by switching tab, and drawn without an h5 title bar. */
export const isTab = (path: string): boolean => TABS.has(path);

/** A page's URL with its query, values encoded. */
export function pageUrl(page: Page, query: PageQuery = {}): string {
  const search = Object.entries(query)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return search ? `${page}?${search}` : page;
}

/** Opens a page: switches tab for tab pages, otherwise pushes it with the query. */
export function go(page: Page, query: PageQuery = {}): void {
  if (isTab(page)) {
    void Taro.switchTab({ url: page });
    return;
  }
  void Taro.navigateTo({ url: pageUrl(page, query) });
}

/** Replaces the current page (a form by what it made), so back skips the form. */
export function redirect(page: Page, query: PageQuery = {}): void {
  void Taro.redirectTo({ url: pageUrl(page, query) });
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
