export default definePageConfig({ navigationBarTitleText: '议题征集' });
