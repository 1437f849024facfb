import { View } from '@tarojs/components';
import { Card } from '../card';
import { StatusTag } from '../status-tag';

/** A capability not open yet: what it will do, and the words 即将开放. */
export function ComingSoon({ title, items }: { title: string; items: string[] }) {
  return (
    <Card title={title} extra={<StatusTag tone="info">即将开放</StatusTag>}>
      <View className="muted">该功能即将开放，敬请期待。开放后您可以：</View>
      <View className="stack" style={{ marginTop: '8px' }}>
        {items.map((item) => (
          <View key={item}>· {item}</View>
        ))}
      </View>
    </Card>
  );
}
