export default definePageConfig({ navigationBarTitleText: '签到二维码', keepScreenOn: true } as Record<string, unknown>);
