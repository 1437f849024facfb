export default definePageConfig({ navigationBarTitleText: '社区指标' });
