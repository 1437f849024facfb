import { useEffect, useState } from 'react';
import { Image, View } from '@tarojs/components';
import Taro, { useUnload } from '@tarojs/taro';
import { api } from '../../api/client';
import { showError } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { dateTimeText } from '../../components/date-time-picker';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { PAGES, go, useQuery } from '../../nav';
import { canSpeak, confirm, saveDownload, speak, toast } from '../../platform';
import { useElderMode } from '../../store/elder';
import { isStaff } from '../../store/community';
import { MoneyTable, NOTICE_CATEGORY_LABEL, NoticeBody, STATE_TAG, spokenText, type Notice } from '../shared';

/** 公告详情: the notice as posted; opening it marks it read; elder mode reads it aloud; staff see how many households opened it. */
export default function NoticeDetail() {
  const { id } = useQuery();
  const { user } = useMe();
  const notice = useRequest(() => api('getNotice', { params: { id: id ?? '' } }), [id, user?.id], Boolean(id));
  const signedIn = Boolean(user);
  // Opened: the caller's unread mark goes, and their household counts among those who opened it.
  useEffect(() => {
    if (id && signedIn && notice.data?.state === 'showing') void api('readNotice', { params: { id } }).catch(() => undefined);
  }, [id, signedIn, notice.data?.state]);
  useUnload(() => speak(''));
  if (!id) return <PageShell><Empty title="未找到该公告" /></PageShell>;

  return (
    <PageShell className="stack">
      <Async state={notice}>
        {(n) => (
          <>
            <Card>
              <View className="h1">{n.title}</View>
              <View className="notice-card__meta">
                {n.pinned ? <StatusTag tone="pending">置顶</StatusTag> : null}
                <StatusTag tone="info">{NOTICE_CATEGORY_LABEL[n.category]}</StatusTag>
                {n.state !== 'showing' ? <StatusTag tone={STATE_TAG[n.state].tone}>{STATE_TAG[n.state].text}</StatusTag> : null}
              </View>
              <View className="muted notice__gap">
                发布时间：{dateTimeText(n.displayFrom)}
                {n.displayUntil ? `，展示至 ${dateTimeText(n.displayUntil)}` : ''}
              </View>
              <ReadAloud n={n} />
              <NoticeBody body={n.body} />
              {n.table ? <MoneyTable table={n.table} /> : null}
              {n.attachments?.length ? <Attachments files={n.attachments} /> : null}
              {n.consultationId ? (
                <Button block variant="secondary" onClick={() => go(PAGES.consultationDetail, { id: n.consultationId })}>
                  查看协商详情与投票结果
                </Button>
              ) : null}
            </Card>
            {isStaff(user, n.communityId) ? <StaffCard n={n} onChange={(next) => notice.setData(next)} /> : null}
          </>
        )}
      </Async>
    </PageShell>
  );
}

/** Attached photos (tap to enlarge) and PDFs (opened through a link valid for 10 minutes). */
function Attachments({ files }: { files: NonNullable<Notice['attachments']> }) {
  const images = files.filter((f) => f.contentType.startsWith('image/'));
  const documents = files.filter((f) => !f.contentType.startsWith('image/'));
  const openDocument = async (file: (typeof files)[number]) => {
    const status = await saveDownload({ url: file.url, fileName: `${file.name}.pdf` }).catch(() => 0);
    if (status !== 200) toast('附件打开失败，请返回后重新进入本页再试', 'error');
  };
  return (
    <View className="notice__gap">
      <View className="h2">附件</View>
      {images.map((file) => (
        <Image
          key={file.url}
          className="notice__image"
          src={file.url}
          mode="widthFix"
          aria-label={`图片：${file.name}`}
          onClick={() => void Taro.previewImage({ urls: images.map((f) => f.url), current: file.url })}
        />
      ))}
      {documents.map((file) => (
        <Button key={file.url} block variant="secondary" onClick={() => void openDocument(file)}>
          打开附件：{file.name}（{Math.max(1, Math.round(file.size / 1024))} KB）
        </Button>
      ))}
    </View>
  );
}

/** 朗读: in elder mode, where the device can speak (h5; hidden on weapp without a speech plugin). */
function ReadAloud({ n }: { n: Notice }) {
  const elder = useElderMode();
  const [reading, setReading] = useState(false);
  if (!elder || !canSpeak()) return null;
  const toggle = () => {
    speak(reading ? '' : spokenText(n));
    setReading(!reading);
  };
  return (
    <View className="notice__gap">
      <Button block variant="secondary" onClick={toggle}>
        {reading ? '停止朗读' : '朗读公告'}
      </Button>
    </View>
  );
}

function StaffCard({ n, onChange }: { n: Notice; onChange: (next: Notice) => void }) {
  const [busy, setBusy] = useState(false);
  const withdraw = async () => {
    if (!(await confirm('撤回公告', '撤回后居民将看不到这条公告，且不能恢复。', '撤回', { destructive: true, cancelText: '保留' }))) return;
    setBusy(true);
    try {
      onChange(await api('withdrawNotice', { params: { id: n.id } }));
      toast('已撤回', 'success');
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="工作人员">
      <View className="h2">已有 {n.opens ?? 0} 户查看</View>
      <View className="muted">按已核实门牌计数，同一户多人查看只算一户；不显示是谁查看。</View>
      {n.state !== 'withdrawn' ? (
        <View className="notice__actions">
          <Button variant="secondary" onClick={() => go(PAGES.noticeEditor, { id: n.id })}>
            修改
          </Button>
          <Button variant="danger" loading={busy} onClick={() => void withdraw()}>
            撤回
          </Button>
        </View>
      ) : null}
    </Card>
  );
}
