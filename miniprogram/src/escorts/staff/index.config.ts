export default definePageConfig({ navigationBarTitleText: '陪同需求（工作人员）' });
