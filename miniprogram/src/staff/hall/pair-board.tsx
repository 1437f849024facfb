import { useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { Async } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { confirm, toast } from '../../platform';
import { formatDateTime } from '../../utils/format';

/**
 * 大厅显示屏: a TV opened on the board page shows a 6-digit code until staff enter it here; only
 * paired screens are pushed the calls (at most MAX_HALL_BOARDS per hall, 10 unless configured).
 * The paired screens are listed, each can be unpaired (a TV taken away, or moved to another hall).
 */
export function PairBoardCard({ cid }: { cid: string }) {
  const [code, setCode] = useState('');
  const boards = useRequest(() => api('pairedBoards', { params: { cid } }).then((r) => r.items), [cid]);
  const pair = useSubmit((key, typed: string) => api('pairBoard', { params: { cid }, body: { code: typed.trim() }, idempotencyKey: key }));
  const unpair = useSubmit((key, id: string) => api('unpairBoard', { params: { cid, id }, idempotencyKey: key }));
  const errors = fieldErrors(pair.error);
  return (
    <Card title="大厅显示屏">
      <Async state={boards} isEmpty={(items) => items.length === 0} empty={<View className="muted" style={{ marginBottom: '10px' }}>尚未配对显示屏。</View>}>
        {(items) => (
          <View style={{ marginBottom: '10px' }}>
            {items.map((b, i) => (
              <View key={b.id} className="hall-row">
                <View className="hall-row__grow">
                  <View>{`第 ${i + 1} 块显示屏`}</View>
                  <View className="muted">{`配对于 ${formatDateTime(b.pairedAt)}`}</View>
                </View>
                <Button
                  small
                  variant="plain"
                  loading={unpair.busy}
                  onClick={async () => {
                    const sure = await confirm(`解除第 ${i + 1} 块显示屏的配对？`, '解除后这块屏不再收到叫号，屏上会显示新的配对码。', '解除配对', { destructive: true, cancelText: '保留' });
                    if (sure && (await unpair.run(b.id))) {
                      toast('已解除配对', 'success');
                      await boards.reload();
                    }
                  }}
                >
                  {`解除第 ${i + 1} 块的配对`}
                </Button>
              </View>
            ))}
          </View>
        )}
      </Async>
      <Field
        label="显示屏上的配对码"
        value={code}
        type="number"
        maxlength={6}
        onInput={setCode}
        hint="在大厅电视上打开叫号屏页面，屏上会显示 6 位配对码，10 分钟内有效"
        error={errors.code}
      />
      <Button
        block
        variant="secondary"
        loading={pair.busy}
        loadingText="正在配对…"
        onClick={async () => {
          if (await pair.run(code)) {
            setCode('');
            toast('显示屏已配对', 'success');
            await boards.reload();
          }
        }}
      >
        配对
      </Button>
    </Card>
  );
}
