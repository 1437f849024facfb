export default definePageConfig({ navigationBarTitleText: '诉求公开栏' });
