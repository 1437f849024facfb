export default definePageConfig({ navigationBarTitleText: '诉求督办' });
