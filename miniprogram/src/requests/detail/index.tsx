import { useState } from 'react';
import { Image, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { api } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { tappable } from '../../components/a11y';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { instantText } from '../../components/date-time-picker/format';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Stars } from '../../components/stars';
import { Async, Empty } from '../../components/state';
import { TextBox } from '../../consultations/shared';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { useQuery } from '../../nav';
import { confirm, toast } from '../../platform';
import { AWAITING_OWNER, LEVEL_ABOVE, Line, RequestTags, Timeline, categoryLabel, deadlineLabel, deadlineOf, isOpen, levelLabel, ownerText, timeLeftText, type ServiceRequest } from '../shared';
import '../shared.css';

/**
 * One request: what was reported, its clock and its timeline. The resident adds what staff ask
 * for, and after 已办结 rates it or asks for it to be done again (within 7 days). Staff (opened
 * from their queue with view=staff) accept it, tell the resident what is needed once and in full
 * (一次告知), resolve it or hand it up a level; every act first says what will happen.
 */
export default function RequestDetail() {
  const { id = '', view } = useQuery();
  const request = useRequest(() => api('getRequest', { params: { id } }), [id], Boolean(id));
  const staffView = view === 'staff';
  if (!id) return <PageShell><Empty title="未找到该诉求" /></PageShell>;
  const update = (next: ServiceRequest) => request.setData(next);
  return (
    <PageShell className="stack desk-column">
      <Async state={request}>
        {(r) => (
          <>
            <Summary request={r} />
            {r.resolution ? (
              <Card title={<View className="h2">办理结果</View>}>
                <View className="req-text">{r.resolution}</View>
                {r.resolvedAt ? <View className="muted">办结时间：{instantText(r.resolvedAt)}</View> : null}
              </Card>
            ) : null}
            {staffView ? <StaffActions request={r} onChange={update} /> : <ResidentActions request={r} onChange={update} />}
            <Card title={<View className="h2">办理过程</View>}>
              <Timeline events={r.timeline ?? []} />
            </Card>
          </>
        )}
      </Async>
    </PageShell>
  );
}

function Summary({ request: r }: { request: ServiceRequest }) {
  const now = Date.now();
  const deadline = deadlineOf(r);
  return (
    <Card title={<View className="h1">{categoryLabel(r.category)}</View>} extra={<RequestTags status={r.status} level={r.level} overdue={r.overdue} />}>
      <Line label="编号">{r.number}</Line>
      <Line label="提交时间">{instantText(r.createdAt)}</Line>
      {r.place ? <Line label="地点">{r.place}</Line> : null}
      {r.household ? <Line label="门牌">{r.household}</Line> : null}
      {r.resident ? <Line label="反映人">{r.resident}</Line> : null}
      <Line label="办理单位">{r.gridName ? `${levelLabel(r.level)} · ${r.gridName}` : levelLabel(r.level)}</Line>
      {ownerText(r) ? <Line label="负责人">{ownerText(r)}</Line> : null}
      {isOpen(r.status) ? (
        <Line label={deadlineLabel(r)}>
          {instantText(deadline)}
          <View className={`req-left ${Date.parse(deadline) < now ? 'req-left--over' : ''}`}>{timeLeftText(deadline, now)}</View>
        </Line>
      ) : null}
      {r.text ? <View className="req-text req-below">{r.text}</View> : null}
      {r.photos?.length ? (
        <View className="req-photos req-below">
          {r.photos.map((photo, index) => (
            <PhotoThumb key={photo.url} url={photo.url} urls={r.photos?.map((p) => p.url) ?? []} label={`现场照片 ${index + 1}`} />
          ))}
        </View>
      ) : null}
    </Card>
  );
}

function PhotoThumb({ url, urls, label }: { url: string; urls: string[]; label: string }) {
  const enlarge = () => void Taro.previewImage({ current: url, urls });
  return (
    <View {...tappable(enlarge, { label: `${label}，点按放大` })} onClick={enlarge}>
      <Image className="req-photo" src={url} mode="aspectFill" aria-label={label} nativeProps={{ alt: label }} />
    </View>
  );
}

/** A text and a button that sends it; the text is kept until the act succeeds. */
function TextAct({
  title,
  label,
  hint,
  max,
  button,
  busyText,
  error,
  busy,
  onSend,
  variant = 'primary',
}: {
  title: string;
  label: string;
  hint?: string;
  max: number;
  button: string;
  busyText: string;
  error: unknown;
  busy: boolean;
  onSend: (text: string) => Promise<boolean>;
  variant?: 'primary' | 'secondary';
}) {
  const [text, setText] = useState('');
  const errors = fieldErrors(error);
  const [missing, setMissing] = useState(false);
  return (
    <Card title={<View className="h2">{title}</View>}>
      {hint ? <View className="muted">{hint}</View> : null}
      <TextBox label={label} value={text} onInput={setText} maxlength={max} error={missing ? '请先填写内容' : (errors.text ?? errors.summary ?? errors.reason)} />
      <Button
        block
        variant={variant}
        loading={busy}
        loadingText={busyText}
        onClick={async () => {
          setMissing(!text.trim());
          if (text.trim() && (await onSend(text.trim()))) setText('');
        }}
      >
        {button}
      </Button>
    </Card>
  );
}

function StaffActions({ request: r, onChange }: { request: ServiceRequest; onChange: (next: ServiceRequest) => void }) {
  const accept = useSubmit((key) => api('acceptRequest', { params: { id: r.id }, idempotencyKey: key }));
  const note = useSubmit((key, text: string) => api('addRequestNote', { params: { id: r.id }, body: { text }, idempotencyKey: key }));
  const resolve = useSubmit((key, summary: string) => api('resolveRequest', { params: { id: r.id }, body: { summary }, idempotencyKey: key }));
  const escalate = useSubmit((key, reason: string) => api('escalateRequest', { params: { id: r.id }, body: { reason }, idempotencyKey: key }));
  const above = LEVEL_ABOVE[r.level];
  const done = (message: string) => (next: ServiceRequest | undefined) => {
    if (!next) return false;
    toast(message, 'success');
    onChange(next);
    return true;
  };

  if (!isOpen(r.status)) return null;
  if (!r.ownedByMe) {
    if (!AWAITING_OWNER.has(r.status)) return ownerText(r) ? <View className="muted">此诉求由{ownerText(r)}负责办理。</View> : null;
    return (
      <Button
        block
        loading={accept.busy}
        loadingText="正在受理…"
        onClick={async () => {
          const sure = await confirm(
            '受理这条诉求？',
            `受理后由您负责办理到底（首问负责）：需在办结期限（${instantText(r.resolveBy)}）前办结，办不了的上报${above ? levelLabel(above) : '上级'}。`,
            '受理',
          );
          if (sure) done('已受理，由您负责办理')(await accept.run());
        }}
      >
        受理（首问负责）
      </Button>
    );
  }
  return (
    <>
      <TextAct
        title="告知居民（一次告知）"
        label="办理进展或需要居民提供的材料"
        hint="需要居民补充的，请一次说清全部内容；居民在诉求详情里看到并回复。"
        max={500}
        button="发送给居民"
        busyText="正在发送…"
        variant="secondary"
        error={note.error}
        busy={note.busy}
        onSend={async (text) => done('已告知居民')(await note.run(text))}
      />
      <TextAct
        title="办结"
        label="办理结果（居民和公开栏可见）"
        max={500}
        button="办结"
        busyText="正在办结…"
        error={resolve.error}
        busy={resolve.busy}
        onSend={async (summary) => {
          const sure = await confirm('确认办结？', '办结后居民会收到办理结果并可以评价；7 天内居民可以要求重新办理。', '确认办结');
          return sure && done('已办结')(await resolve.run(summary));
        }}
      />
      {above ? (
        <TextAct
          title={`上报${levelLabel(above)}`}
          label="上报理由（居民可见）"
          hint={`本级办不了的，说明理由后上报${levelLabel(above)}。`}
          max={200}
          button={`上报${levelLabel(above)}`}
          busyText="正在上报…"
          variant="secondary"
          error={escalate.error}
          busy={escalate.busy}
          onSend={async (reason) => {
            const sure = await confirm(
              `上报${levelLabel(above)}？`,
              `上报后由${levelLabel(above)}工作人员受理并负责办理，您不再负责这条诉求；上报理由会告诉居民。`,
              '确认上报',
              { cancelText: '暂不上报' },
            );
            return sure && done(`已上报${levelLabel(above)}`)(await escalate.run(reason));
          }}
        />
      ) : null}
    </>
  );
}

const SCORE_WORDS = ['', '很不满意', '不满意', '一般', '满意', '非常满意'];

function ResidentActions({ request: r, onChange }: { request: ServiceRequest; onChange: (next: ServiceRequest) => void }) {
  const note = useSubmit((key, text: string) => api('addRequestNote', { params: { id: r.id }, body: { text }, idempotencyKey: key }));
  const reopen = useSubmit((key) => api('reopenRequest', { params: { id: r.id }, body: {}, idempotencyKey: key }));
  const canReopen = r.status === 'resolved' && r.reopenUntil !== undefined && Date.parse(r.reopenUntil) > Date.now();

  if (isOpen(r.status)) {
    return (
      <TextAct
        title="补充情况"
        label="补充的情况或材料说明"
        hint="工作人员请您补充情况时，在这里回复；他们会在办理过程里看到。"
        max={500}
        button="提交补充"
        busyText="正在提交…"
        variant="secondary"
        error={note.error}
        busy={note.busy}
        onSend={async (text) => {
          const next = await note.run(text);
          if (!next) return false;
          toast('已提交补充情况', 'success');
          onChange(next);
          return true;
        }}
      />
    );
  }
  return (
    <>
      {r.rating ? (
        <Card title={<View className="h2">我的评价</View>}>
          <View>
            {r.rating.score} 分（满分 5 分）· {SCORE_WORDS[r.rating.score]}
          </View>
          {r.rating.comment ? <View className="muted">{r.rating.comment}</View> : null}
        </Card>
      ) : r.status === 'resolved' ? (
        <RatingCard request={r} onChange={onChange} />
      ) : null}
      {canReopen ? (
        <Button
          block
          variant="secondary"
          loading={reopen.busy}
          loadingText="正在提交…"
          onClick={async () => {
            const sure = await confirm(
              '要求重新办理？',
              `问题没有解决的，可在 ${instantText(r.reopenUntil ?? '')} 前要求重新办理：诉求回到办理中，由负责人继续办理。`,
              '重新办理',
              { cancelText: '不用了' },
            );
            if (!sure) return;
            const next = await reopen.run();
            if (next) {
              toast('已要求重新办理', 'success');
              onChange(next);
            }
          }}
        >
          问题没解决，重新办理
        </Button>
      ) : null}
    </>
  );
}

function RatingCard({ request: r, onChange }: { request: ServiceRequest; onChange: (next: ServiceRequest) => void }) {
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const rate = useSubmit((key) =>
    api('rateRequest', { params: { id: r.id }, body: comment.trim() ? { score, comment: comment.trim() } : { score }, idempotencyKey: key }),
  );
  return (
    <Card title={<View className="h2">请为办理结果评分（满意度）</View>}>
      <Stars score={score} onChange={setScore} groupLabel="评分，1 到 5 分" label={(n) => `${n} 分 ${SCORE_WORDS[n]}`} />
      <View className="req-below" role="status">{score ? `${score} 分 · ${SCORE_WORDS[score]}` : '点星星打分，5 分为非常满意'}</View>
      <Field label="意见建议" optional value={comment} onInput={setComment} maxlength={200} placeholder="可以不填" />
      <Button
        block
        disabled={score === 0}
        loading={rate.busy}
        loadingText="正在提交…"
        onClick={async () => {
          if (score <= 2) {
            const sure = await confirm(`确认评 ${score} 分？`, '评 1–2 分表示不满意：诉求会交上级复核，并重新办理。', '确认评分', { cancelText: '再想想' });
            if (!sure) return;
          }
          const next = await rate.run();
          if (next) {
            toast('感谢您的评价', 'success');
            onChange(next);
          }
        }}
      >
        提交评价
      </Button>
    </Card>
  );
}
