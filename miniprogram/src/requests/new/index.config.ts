export default definePageConfig({ navigationBarTitleText: '反映诉求' });
