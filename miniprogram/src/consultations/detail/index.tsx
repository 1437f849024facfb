import { useState } from 'react';
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import { api, type ApiResponse } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Async, Empty, ErrorState, Loading } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go, useQuery } from '../../nav';
import { confirm, toast } from '../../platform';
import { useSubscribe } from '../../platform/subscriptions';
import { isStaff, useCurrentCommunity } from '../../store/community';
import { instantText } from '../../components/date-time-picker';
import { ChoiceRow, STATE_TAG, TextBox, ruleText, type Consultation } from '../shared';

type Comment = ApiResponse<'listComments'>['items'][number];

/** 协商详情: the question, voting (with the receipt), the discussion, and for staff publish and updates. */
export default function Detail() {
  const { id } = useQuery();
  const { user } = useMe();
  const consultation = useRequest(() => api('getConsultation', { params: { id: id ?? '' } }), [id], Boolean(id));
  useDidShow(() => {
    if (id && consultation.data) void consultation.reload();
  });
  if (!id) return <PageShell><Empty title="未找到该协商" /></PageShell>;

  return (
    <PageShell className="stack">
      <Async state={consultation}>
        {(c) => {
          const staff = isStaff(user, c.communityId);
          return (
            <>
              <Card title={<View className="h1">{c.title}</View>} extra={<StatusTag tone={STATE_TAG[c.state].tone}>{STATE_TAG[c.state].text}</StatusTag>}>
                <View className="detail__body">{c.body}</View>
                <View className="muted gap-top">
                  投票时间：{instantText(c.opensAt)} 至 {instantText(c.closesAt)}
                </View>
                <View className="muted">{ruleText(c)}</View>
                {c.state === 'upcoming' || c.state === 'open' ? (
                  <Button variant="plain" small onClick={() => void consultation.reload()}>
                    刷新状态
                  </Button>
                ) : null}
              </Card>
              {c.state === 'open' || c.state === 'upcoming' ? <Vote c={c} signedIn={Boolean(user)} /> : null}
              {c.state === 'closed' || c.state === 'published' ? (
                <Card title="投票结果">
                  <View className="muted">投票已截止，结果向全体居民公开。</View>
                  {c.results ? (
                    <View className="gap-top">
                      共 {c.results.ballots} {c.eligibility === 'household' ? '户' : '人'}投票，参与率 {c.results.turnoutPercent}%
                    </View>
                  ) : null}
                  <View className="gap-top">
                    <Button block onClick={() => go(PAGES.consultationResults, { id: c.id })}>
                      查看投票结果
                    </Button>
                  </View>
                </Card>
              ) : null}
              <Outcome c={c} />
              {staff && c.state === 'closed' ? <PublishForm c={c} onDone={(next) => consultation.setData(next)} /> : null}
              {staff && c.state === 'published' ? <UpdateForm c={c} onDone={(next) => consultation.setData(next)} /> : null}
              <Discussion c={c} staff={staff} signedIn={Boolean(user)} />
            </>
          );
        }}
      </Async>
    </PageShell>
  );
}

function Vote({ c, signedIn }: { c: Consultation; signedIn: boolean }) {
  const eligibility = useRequest(() => api('eligibility', { params: { id: c.id } }), [c.id, c.state], signedIn);
  const [choices, setChoices] = useState<string[]>([]);
  const [receipt, setReceipt] = useState<string | undefined>(undefined);
  // Voting leads to two notices: results public at the close, and the decision when published.
  const askNotices = useSubscribe(['consultationResults', 'consultationPublished']);
  const vote = useSubmit(async (key) => {
    await askNotices();
    return api('vote', { params: { id: c.id }, body: { choices }, idempotencyKey: key });
  });
  const { membership } = useCurrentCommunity();
  const multiple = c.maxChoices > 1;
  // A ballot cannot be changed; a household ballot binds everyone of the household: say both first.
  const confirmVote = () => {
    const chosen = c.options.filter((o) => choices.includes(o.id)).map((o) => `“${o.label}”`).join('、');
    const who = c.eligibility === 'household' ? `本户${membership?.household ? `（${membership.household}）` : ''}` : '您';
    const binding = c.eligibility === 'household' ? `投票后${who}的选择即确定，同户其他人不能再投，也不能更改。` : '投票后选择即确定，不能更改。';
    return confirm('确认投票', `您的选择：${chosen}。${binding}`, '确认投票', { cancelText: '再想想' });
  };
  const toggle = (optionId: string) =>
    setChoices((current) => {
      if (!multiple) return [optionId];
      if (current.includes(optionId)) return current.filter((x) => x !== optionId);
      if (current.length >= c.maxChoices) {
        toast(`最多可选 ${c.maxChoices} 项`);
        return current;
      }
      return [...current, optionId];
    });

  if (!signedIn) return <Card title="投票"><View className="muted">登录并核实门牌后可以投票。</View></Card>;
  if (eligibility.loading && !eligibility.data) return <Loading />;
  if (eligibility.error !== undefined) return <ErrorState error={eligibility.error} onRetry={() => void eligibility.reload()} />;
  const answer = eligibility.data;
  const shownReceipt = receipt ?? answer?.receipt;
  if (shownReceipt) {
    return (
      <Card title="我的投票凭证" extra={<StatusTag tone="ok">已计入</StatusTag>}>
        <View>您的选票已计入统计。凭证号：</View>
        <View className="receipt" aria-label={`凭证号 ${shownReceipt}`}>{shownReceipt}</View>
        <View className="muted">凭证只证明您已投票，不记录您的选择；任何人（包括工作人员）都无法查看您投了什么。</View>
      </Card>
    );
  }
  if (!answer?.canVote) {
    return (
      <Card title="投票" extra={<StatusTag tone="pending">暂不能投票</StatusTag>}>
        <View>{answer?.reason ?? '暂时不能投票'}</View>
      </Card>
    );
  }
  return (
    <Card title={multiple ? `请选择（最多 ${c.maxChoices} 项）` : '请选择一项'}>
      {c.options.map((o) => (
        <ChoiceRow key={o.id} label={o.label} selected={choices.includes(o.id)} multiple={multiple} onTap={() => toggle(o.id)} />
      ))}
      <View className="muted">无记名投票：系统只记录“已投票”，不记录谁投了哪一项。</View>
      <View className="gap-top">
        <Button
          block
          disabled={choices.length === 0}
          loading={vote.busy}
          loadingText="正在投票…"
          onClick={async () => {
            if (!(await confirmVote())) return;
            const result = await vote.run();
            if (result) {
              setReceipt(result.receipt);
              toast('投票成功', 'success');
            } else void eligibility.reload();
          }}
        >
          {choices.length === 0 ? '请先选择' : '确认投票'}
        </Button>
      </View>
    </Card>
  );
}

function Outcome({ c }: { c: Consultation }) {
  if (!c.decision) return null;
  return (
    <Card title="公开的决定" extra={<StatusTag tone="info">已公开</StatusTag>}>
      <View className="detail__body">{c.decision}</View>
      {c.publishedAt ? <View className="muted gap-top">公开时间：{instantText(c.publishedAt)}</View> : null}
      {c.updates?.length ? (
        <View className="gap-top">
          <View className="h2">落实情况</View>
          {c.updates.map((u, i) => (
            <View key={i} className="comment">
              <View className="muted">{instantText(u.at)}</View>
              <View>{u.text}</View>
            </View>
          ))}
        </View>
      ) : null}
    </Card>
  );
}

function PublishForm({ c, onDone }: { c: Consultation; onDone: (c: Consultation) => void }) {
  const [decision, setDecision] = useState('');
  const publish = useSubmit((key) => api('publish', { params: { id: c.id }, body: { decision }, idempotencyKey: key }));
  return (
    <Card title="公开决定（工作人员）">
      <View className="muted">根据投票结果写明社区的决定，公开后参与的居民会收到通知。</View>
      <TextBox label="决定内容" value={decision} onInput={setDecision} maxlength={5000} error={fieldErrors(publish.error).decision} placeholder="例如：同意加装电梯，报街道审批" />
      <Button
        block
        disabled={!decision.trim()}
        loading={publish.busy}
        loadingText="正在公开…"
        onClick={async () => {
          // A published decision is public for good and sent to every voter: said once more before it goes.
          if (!(await confirm('公开这项决定？', '公开后所有居民都能看到，参与投票的居民会收到通知，公开后不能撤回。', '公开决定'))) return;
          const next = await publish.run();
          if (next) {
            toast('决定已公开', 'success');
            onDone(next);
          }
        }}
      >
        公开决定
      </Button>
    </Card>
  );
}

function UpdateForm({ c, onDone }: { c: Consultation; onDone: (c: Consultation) => void }) {
  const [text, setText] = useState('');
  const add = useSubmit((key) => api('addUpdate', { params: { id: c.id }, body: { text }, idempotencyKey: key }));
  return (
    <Card title="发布落实情况（工作人员）">
      <TextBox label="落实进展" value={text} onInput={setText} maxlength={2000} error={fieldErrors(add.error).text} />
      <Button
        block
        disabled={!text.trim()}
        loading={add.busy}
        loadingText="正在发布…"
        onClick={async () => {
          const next = await add.run();
          if (next) {
            setText('');
            toast('已发布', 'success');
            onDone(next);
          }
        }}
      >
        发布落实情况
      </Button>
    </Card>
  );
}

function Discussion({ c, staff, signedIn }: { c: Consultation; staff: boolean; signedIn: boolean }) {
  const comments = useRequest(() => api('listComments', { params: { id: c.id }, query: { limit: 100 } }), [c.id, staff]);
  const [text, setText] = useState('');
  const post = useSubmit((key) => api('comment', { params: { id: c.id }, body: { text }, idempotencyKey: key }));
  const open = c.state === 'upcoming' || c.state === 'open';
  return (
    <Card title="讨论区">
      <Async state={comments} isEmpty={(page) => page.items.length === 0} empty={<View className="muted">还没有人发表意见。</View>}>
        {(page) => (
          <View>
            {page.items.map((comment) => (
              <CommentRow key={comment.id} comment={comment} staff={staff} onHidden={() => void comments.reload()} />
            ))}
          </View>
        )}
      </Async>
      {open && signedIn ? (
        <View className="gap-top">
          <TextBox label="发表意见" value={text} onInput={setText} maxlength={500} error={fieldErrors(post.error).text} placeholder="理性讨论，请勿透露他人隐私" />
          <Button
            block
            variant="secondary"
            disabled={!text.trim()}
            loading={post.busy}
            loadingText="正在发表…"
            onClick={async () => {
              if (await post.run()) {
                setText('');
                void comments.reload();
              }
            }}
          >
            发表意见
          </Button>
        </View>
      ) : null}
      {!open ? <View className="muted gap-top">投票已截止，讨论区已关闭。</View> : null}
    </Card>
  );
}

function CommentRow({ comment, staff, onHidden }: { comment: Comment; staff: boolean; onHidden: () => void }) {
  const [hiding, setHiding] = useState(false);
  const [reason, setReason] = useState('');
  const hide = useSubmit((key) => api('hideComment', { params: { id: comment.id }, body: { reason }, idempotencyKey: key }));
  return (
    <View className="comment">
      <View className="comment__head">
        <View className="row">
          <View className="h2">{comment.author}</View>
          {comment.byStaff ? <StatusTag>工作人员</StatusTag> : null}
        </View>
        <View className="muted">{instantText(comment.createdAt)}</View>
      </View>
      {comment.hidden ? (
        <View className="comment__hidden">该意见已被工作人员隐藏，原因：{comment.hiddenReason}</View>
      ) : null}
      {comment.text ? <View className={comment.hidden ? 'muted' : ''}>{comment.hidden ? `（仅工作人员可见）${comment.text}` : comment.text}</View> : null}
      {staff && !comment.hidden ? (
        hiding ? (
          <View>
            <Field label="隐藏原因（居民可见）" value={reason} onInput={setReason} maxlength={200} error={fieldErrors(hide.error).reason} />
            <View className="row">
              <Button
                small
                variant="danger"
                disabled={!reason.trim()}
                loading={hide.busy}
                onClick={async () => {
                  if (await hide.run()) onHidden();
                }}
              >
                确认隐藏
              </Button>
              <Button small variant="plain" onClick={() => setHiding(false)}>
                取消
              </Button>
            </View>
          </View>
        ) : (
          <Button small variant="plain" onClick={() => setHiding(true)}>
            隐藏此意见
          </Button>
        )
      ) : null}
    </View>
  );
}
