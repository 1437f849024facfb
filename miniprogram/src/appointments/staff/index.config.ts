export default definePageConfig({ navigationBarTitleText: '预约办理（工作人员）' });
