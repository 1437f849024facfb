export default definePageConfig({ navigationBarTitleText: '居务公开' });
