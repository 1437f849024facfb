import { useState } from 'react';
import { api } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { useSubmit } from '../../hooks/use-submit';
import { toast } from '../../platform';

/**
 * 配对大厅显示屏: a TV opened on the board page shows a 6-digit code until staff enter it here;
 * only paired screens are pushed the calls (at most MAX_HALL_BOARDS per hall, 10 unless configured).
 */
export function PairBoardCard({ cid }: { cid: string }) {
  const [code, setCode] = useState('');
  const pair = useSubmit((key, typed: string) => api('pairBoard', { params: { cid }, body: { code: typed.trim() }, idempotencyKey: key }));
  const errors = fieldErrors(pair.error);
  return (
    <Card title="配对大厅显示屏">
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
          }
        }}
      >
        配对
      </Button>
    </Card>
  );
}
