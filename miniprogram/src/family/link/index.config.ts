export default definePageConfig({ navigationBarTitleText: '成为代办家人' });
