export default definePageConfig({ navigationBarTitleText: '走访入户' });
