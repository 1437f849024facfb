export default definePageConfig({ navigationBarTitleText: '我的号码' });
