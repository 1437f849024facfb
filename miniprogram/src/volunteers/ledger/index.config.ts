export default definePageConfig({ navigationBarTitleText: '志愿服务台帐' });
