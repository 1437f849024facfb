import { useState } from 'react';
import { View } from '@tarojs/components';
import type { EscortNeed } from '@contract/escorts';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { Stars } from '../../components/stars';
import { StatusTag } from '../../components/status-tag';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { toast } from '../../platform';
import { useSubscribe } from '../../platform/subscriptions';
import { FactLine as Fact } from '../../components/fact-line';
import { EscortAskFields, escortAsk, escortTimeText, type Escort } from '../../escorts/shared';
import type { Appointment } from '../shared';
import { useProxyMode } from '../../family/proxy-mode';

const THANKS_WORDS = ['', '不太满意', '一般', '还不错', '很满意', '非常感谢'];

/**
 * What the resident reads about the escort: who is coming, or that one is still awaited. A family
 * member acting for an elder reads it about the elder (the volunteer accompanies her, not them).
 */
function stateOf(e: Escort, elderName: string | undefined): { tag: string; text: string } {
  const whom = elderName ?? '您';
  if (e.state === 'cancelled') return { tag: '已取消', text: '预约已取消，陪同一并取消。' };
  if (e.outcome === 'no_show') return { tag: '爽约', text: '预约已标记爽约，本次陪同已结束。' };
  if (e.outcome === 'completed') {
    return { tag: '已办结', text: e.state === 'matched' ? `${e.volunteerName ?? '志愿者'} 已陪同${whom}办理完毕` : '预约已办结，本次没有志愿者认领陪同。' };
  }
  if (e.state === 'matched') return { tag: '已认领', text: `${e.volunteerName ?? '志愿者'} 将陪同${whom}` };
  return { tag: '等待志愿者认领', text: `社区志愿者认领后会通知您；如无人认领，工作人员会与${whom}联系。` };
}

/**
 * 志愿陪同 on the booking's page: the escort's state (GET /v1/escorts/{id}); for a booking without
 * one that is still booked, 申请志愿陪同 (asked later, once); after completion, 感谢志愿者 once.
 */
export function EscortCard({ appointment: a, onAsked }: { appointment: Appointment; onAsked: () => void }) {
  const proxy = useProxyMode();
  const escort = useRequest(() => api('getEscort', { params: { id: a.escortId ?? '' } }), [a.escortId], Boolean(a.escortId));
  if (!a.escortId) return a.status === 'booked' ? <AskLater appointment={a} onAsked={onAsked} /> : null;
  const e = escort.data;
  if (!e) return null;
  const state = stateOf(e, proxy?.elderName);
  return (
    <>
      <Card title={<View className="h2">志愿陪同</View>} extra={<StatusTag>{state.tag}</StatusTag>} className="esc-resident">
        <View className="esc-facts">
          <View className={e.state === 'matched' ? 'h2' : ''}>{state.text}</View>
          {e.state === 'cancelled' ? null : <Fact label="陪同时间">{escortTimeText(e)}</Fact>}
          {e.state === 'cancelled' ? null : <Fact label="见面地点">{e.note ? `${e.place}（您的说明：${e.note}）` : e.place}</Fact>}
        </View>
      </Card>
      {a.status === 'completed' && e.state === 'matched' ? <Thanks escort={e} onDone={(next) => escort.setData(next)} /> : null}
    </>
  );
}

function AskLater({ appointment: a, onAsked }: { appointment: Appointment; onAsked: () => void }) {
  const [open, setOpen] = useState(false);
  const [need, setNeed] = useState<EscortNeed>('助老');
  const [note, setNote] = useState('');
  const askNotice = useSubscribe(['escortMatched']);
  const ask = useSubmit(async (key) => {
    await askNotice();
    return api('askEscort', { params: { id: a.id }, body: escortAsk(need, note), idempotencyKey: key });
  });
  return (
    <Card title={<View className="h2">志愿陪同</View>}>
      <View className="muted">老年人或残障人士可请社区志愿者陪同前来办理（每个预约可申请一次，预约开始前半小时截止）。</View>
      {open ? (
        <View className="esc-gap">
          <EscortAskFields need={need} note={note} onNeed={setNeed} onNote={setNote} />
          <View className="esc-actions">
            <Button
              loading={ask.busy}
              loadingText="正在申请…"
              onClick={async () => {
                if (await ask.run()) {
                  toast('已申请志愿陪同', 'success');
                  onAsked();
                }
              }}
            >
              提交申请
            </Button>
            <Button variant="plain" onClick={() => setOpen(false)}>暂不申请</Button>
          </View>
        </View>
      ) : (
        <View className="esc-actions">
          <Button variant="secondary" onClick={() => setOpen(true)}>申请志愿陪同</Button>
        </View>
      )}
    </Card>
  );
}

function Thanks({ escort: e, onDone }: { escort: Escort; onDone: (next: Escort) => void }) {
  const [score, setScore] = useState(0);
  const [text, setText] = useState('');
  const thank = useSubmit((key) =>
    api('thankEscort', { params: { id: e.id }, body: text.trim() ? { score, text: text.trim() } : { score }, idempotencyKey: key }),
  );
  if (e.thanks) {
    return (
      <Card title={<View className="h2">感谢志愿者</View>} extra={<StatusTag>已感谢</StatusTag>}>
        <View>{`您给 ${e.volunteerName ?? '志愿者'} ${e.thanks.score} 颗星（满分 5 颗）`}</View>
        {e.thanks.text ? <View className="muted">{e.thanks.text}</View> : null}
      </Card>
    );
  }
  return (
    <Card title={<View className="h2">感谢志愿者</View>}>
      <View>{`${e.volunteerName ?? '志愿者'} 陪同了您，点星星表达谢意（只能感谢一次）。`}</View>
      <Stars score={score} onChange={setScore} groupLabel="感谢的星数，1 到 5 颗" label={(n) => `${n} 颗星 ${THANKS_WORDS[n]}`} />
      <View role="status">{score ? `${score} 颗星 · ${THANKS_WORDS[score]}` : '5 颗星表示非常感谢'}</View>
      <Field label="想对志愿者说的话" optional value={text} onInput={setText} maxlength={100} placeholder="如：谢谢您，很耐心" />
      <Button
        block
        disabled={score === 0}
        loading={thank.busy}
        loadingText="正在提交…"
        onClick={async () => {
          const next = await thank.run();
          if (next) {
            toast('已送上感谢', 'success');
            onDone(next);
          }
        }}
      >
        感谢志愿者
      </Button>
    </Card>
  );
}
