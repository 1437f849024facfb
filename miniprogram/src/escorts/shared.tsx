/**
 * What the 志愿陪同 pages share: the escort's state word, its facts as people read them, the
 * ask (助老/助残 and a note) on the booking and the booking's page, and taking one (认领).
 */
import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import type { EscortNeed } from '@contract/escorts';
import { api, type ApiResponse } from '../api/client';
import { tappable } from '../components/a11y';
import { dateTimeText, timeText } from '../components/date-time-picker';
import { FactLine as Fact } from '../components/fact-line';
import { Field } from '../components/field';
import { StatusTag } from '../components/status-tag';
import { useSubmit } from '../hooks/use-submit';
import { callPhone, confirm, toast } from '../platform';
import { useSubscribe } from '../platform/subscriptions';
import './shared.css';

export type Escort = ApiResponse<'getEscort'>;

export const NEEDS: { need: EscortNeed; text: string }[] = [
  { need: '助老', text: '助老（老年人）' },
  { need: '助残', text: '助残（残障人士）' },
];
export const NOTE_PLACEHOLDER = '如：坐轮椅、听力不好、在家门口等';

/** The state word for volunteers and staff (STATUS_TONE gives each its colour): 无人认领 only while still open; once the appointment ended, how it ended. */
export function escortStateText(e: Pick<Escort, 'state' | 'unclaimed' | 'outcome'>): string {
  if (e.state === 'cancelled') return '已取消';
  if (e.outcome === 'no_show') return '居民未到场';
  if (e.outcome === 'completed') return '已办结';
  if (e.state === 'matched') return '已认领';
  return e.unclaimed ? '无人认领' : '待认领';
}

export const EscortStateTag = ({ escort }: { escort: Pick<Escort, 'state' | 'unclaimed' | 'outcome'> }) => <StatusTag>{escortStateText(escort)}</StatusTag>;

/** '12月20日 周日 上午9:30 至 11:00': when the volunteer is with the resident (half an hour either side of the booking). */
export const escortTimeText = (e: Pick<Escort, 'startsAt' | 'endsAt'>): string => `${dateTimeText(e.startsAt)} 至 ${timeText(e.endsAt.slice(11, 16))}`;

/** What the escort is: the service, when, where, what the resident needs. No one's contact. */
export function EscortFacts({ escort: e }: { escort: Escort }) {
  return (
    <View className="esc-facts">
      <Fact label="陪同时间">{escortTimeText(e)}</Fact>
      <Fact label="预约时间">{timeText(e.appointmentStart.slice(11, 16))}</Fact>
      <Fact label="地点">{e.place}</Fact>
      <Fact label="需要">{NEEDS.find((n) => n.need === e.need)?.text ?? e.need}</Fact>
      {e.note ? <Fact label="说明">{e.note}</Fact> : null}
      <Fact label="服务时长">{`${e.hours} 小时（预约结束后由工作人员认定）`}</Fact>
    </View>
  );
}

/** The resident's contact, for the volunteer who took the escort and for staff: the phone is tapped to call. */
export function ElderContact({ elder }: { elder: NonNullable<Escort['elder']> }) {
  const call = () => elder.phone && callPhone(elder.phone);
  return (
    <View className="esc-facts">
      <Fact label="居民">{elder.name}</Fact>
      {elder.phone ? (
        <Fact label="电话">
          <View className="esc-phone" {...tappable(call, { role: 'link', label: `拨打电话 ${elder.phone}` })} onClick={call}>
            {elder.phone}
          </View>
        </Fact>
      ) : (
        <Fact label="电话">未留电话</Fact>
      )}
      {elder.household ? <Fact label="门牌">{elder.household}</Fact> : null}
    </View>
  );
}

/** The ask: 助老 or 助残, and an optional note for the volunteer. */
export function EscortAskFields({ need, note, onNeed, onNote }: { need: EscortNeed; note: string; onNeed: (need: EscortNeed) => void; onNote: (note: string) => void }) {
  return (
    <View className="esc-ask">
      <View className="esc-needs" role="radiogroup" aria-label="需要哪种陪同">
        {NEEDS.map((n) => {
          const on = n.need === need;
          const pick = () => onNeed(n.need);
          return (
            <View key={n.need} className={`esc-need ${on ? 'esc-need--on' : ''}`} {...tappable(pick, { role: 'radio', checked: on })} onClick={pick}>
              {on ? `✓ ${n.text}` : n.text}
            </View>
          );
        })}
      </View>
      <Field label="给志愿者的说明" optional value={note} onInput={onNote} maxlength={100} placeholder={NOTE_PLACEHOLDER} />
    </View>
  );
}

/** The ask as the API takes it (an empty note left out). */
export const escortAsk = (need: EscortNeed, note: string): { need: EscortNeed; note?: string } => (note.trim() ? { need, note: note.trim() } : { need });

/**
 * 认领: the volunteer confirms (the resident is told), then takes the escort with the activity
 * sign-up. Someone quicker gets 409 已有志愿者认领了这次陪同, shown as any refusal is.
 */
export function useTakeEscort() {
  const ask = useSubscribe(['activityReminder', 'activityChanged']);
  const take = useSubmit((key, id: string) => api('signUp', { params: { id }, idempotencyKey: key }));
  const run = async (e: Escort): Promise<boolean> => {
    if (!(await confirm('认领这次陪同？', `${escortTimeText(e)}，${e.place}。认领后请按时陪同，居民会收到通知。`, '认领', { cancelText: '再想想' }))) return false;
    await ask();
    if (!(await take.run(e.id))) return false;
    toast('认领成功，请按时陪同', 'success');
    return true;
  };
  return { run, busy: take.busy };
}

/** A ticked or empty box with its words: the booking's 需要志愿者陪同办事. */
export function EscortCheck({ on, onChange, children }: { on: boolean; onChange: (on: boolean) => void; children: ReactNode }) {
  const flip = () => onChange(!on);
  return (
    <View className={`esc-check ${on ? 'esc-check--on' : ''}`} {...tappable(flip, { role: 'checkbox', checked: on })} onClick={flip}>
      <View className="esc-check__box" aria-hidden>{on ? '✓' : ''}</View>
      <View>{children}</View>
    </View>
  );
}
