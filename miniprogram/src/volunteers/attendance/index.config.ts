export default definePageConfig({ navigationBarTitleText: '报名与考勤' });
