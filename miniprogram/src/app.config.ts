/**
 * Pages and packages. The five tab pages stay in the main package (≤ 512 KB target); every
 * other page goes into the subpackage of its capability, one entry in SUBPACKAGES each, with its
 * files under src/<root>/<page>/index.tsx (+ index.config.ts).
 *
 * To add a capability: append { root: 'appointments', pages: ['list/index', 'detail/index'] },
 * create src/appointments/list/index.tsx and index.config.ts, and link to
 * '/appointments/list/index' (add it to PAGES in src/nav.ts).
 */
const SUBPACKAGES: { root: string; pages: string[] }[] = [
  { root: 'community', pages: ['join/index', 'poster/index'] },
  { root: 'staff', pages: ['members/index', 'stats/index', 'hall/index', 'staff/index', 'audit/index', 'hall-poster/index', 'workbench/index'] },
  { root: 'admin', pages: ['communities/index'] },
  { root: 'appointments', pages: ['service/index', 'detail/index', 'mine/index', 'staff/index', 'editor/index'] },
  { root: 'queue', pages: ['take/index', 'ticket/index', 'window/index', 'board/index'] },
  { root: 'volunteers', pages: ['register/index', 'activity/index', 'signups/index', 'hours/index', 'approvals/index', 'editor/index', 'attendance/index', 'qr/index', 'certificate-check/index', 'roster/index', 'ledger/index'] },
  { root: 'consultations', pages: ['topics/index', 'detail/index', 'results/index', 'editor/index'] },
  { root: 'notices', pages: ['list/index', 'detail/index', 'editor/index'] },
  { root: 'family', pages: ['index/index', 'link/index', 'counter/index'] },
  { root: 'escorts', pages: ['detail/index', 'staff/index'] },
  { root: 'requests', pages: ['new/index', 'mine/index', 'detail/index', 'queue/index', 'visits/index', 'region/index', 'public/index', 'grids/index'] },
];

export default defineAppConfig({
  pages: ['pages/index/index', 'pages/services/index', 'pages/volunteers/index', 'pages/consult/index', 'pages/me/index', 'pages/login/index'],
  subPackages: SUBPACKAGES,
  // Subpackages load ahead of time where people are likely to go next.
  preloadRule: {
    'pages/index/index': { network: 'all', packages: ['community', 'staff'] },
  },
  window: {
    navigationBarBackgroundColor: '#0b6b4b',
    navigationBarTitleText: '邻里',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f2f3f5',
    backgroundTextStyle: 'dark',
  },
  tabBar: {
    color: '#4e5969',
    selectedColor: '#0b6b4b',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/index/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-on.png' },
      { pagePath: 'pages/services/index', text: '办事', iconPath: 'assets/tab/services.png', selectedIconPath: 'assets/tab/services-on.png' },
      { pagePath: 'pages/volunteers/index', text: '志愿', iconPath: 'assets/tab/volunteers.png', selectedIconPath: 'assets/tab/volunteers-on.png' },
      { pagePath: 'pages/consult/index', text: '议事', iconPath: 'assets/tab/consult.png', selectedIconPath: 'assets/tab/consult-on.png' },
      { pagePath: 'pages/me/index', text: '我的', iconPath: 'assets/tab/me.png', selectedIconPath: 'assets/tab/me-on.png' },
    ],
  },
});
