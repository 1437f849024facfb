export default definePageConfig({ navigationBarTitleText: '大厅取号海报' });
