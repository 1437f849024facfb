import { useEffect, useState } from 'react';
import { Textarea, View } from '@tarojs/components';
import type { MoneyRow, NoticeBlock, NoticeCategory } from '@contract/notices';
import { api } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { tappable } from '../../components/a11y';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { DateTimePicker, isoAt, localParts } from '../../components/date-time-picker';
import { Field } from '../../components/field';
import { PhotoPicker } from '../../components/photo-picker';
import { PageShell } from '../../components/page-shell';
import { StaffOnly } from '../../components/staff-only';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, redirect, useQuery } from '../../nav';
import { toast } from '../../platform';
import { useCurrentCommunity } from '../../store/community';
import { CATEGORIES, NOTICE_CATEGORY_LABEL, yuanText, type Notice } from '../shared';

const DEFAULT_ZONE = 'Asia/Shanghai';

/** One paragraph as staff type it, with one style; consecutive list paragraphs make one list. */
type Style = 'normal' | 'bold' | 'bullet' | 'numbered';
interface Paragraph {
  text: string;
  style: Style;
}
const STYLE_LABEL: Record<Style, string> = { normal: '正文', bold: '加粗', bullet: '项目列表', numbered: '编号列表' };
const LIST_TYPE = { bullet: 'bullets', numbered: 'numbered' } as const;

function toBody(paragraphs: Paragraph[]): NoticeBlock[] {
  const blocks: NoticeBlock[] = [];
  for (const p of paragraphs) {
    if (!p.text.trim()) continue;
    if (p.style === 'bullet' || p.style === 'numbered') {
      const type = LIST_TYPE[p.style];
      const last = blocks[blocks.length - 1];
      if (last && last.type === type) last.items.push([{ text: p.text }]);
      else blocks.push({ type, items: [[{ text: p.text }]] });
    } else blocks.push({ type: 'paragraph', runs: [{ text: p.text, ...(p.style === 'bold' ? { bold: true } : {}) }] });
  }
  return blocks;
}

function toParagraphs(body: NoticeBlock[]): Paragraph[] {
  return body.flatMap((block): Paragraph[] =>
    block.type === 'paragraph'
      ? [{ text: block.runs.map((r) => r.text).join(''), style: block.runs.every((r) => r.bold) ? 'bold' : 'normal' }]
      : block.items.map((runs) => ({ text: runs.map((r) => r.text).join(''), style: block.type === 'numbered' ? 'numbered' : 'bullet' })),
  );
}

/** A table row as typed: the amount in yuan, as text. */
interface RowInput {
  item: string;
  yuan: string;
}
/** '12,500.5' → 1250050 fen; undefined when it is not an amount. */
function fenOf(yuan: string): number | undefined {
  const clean = yuan.replace(/[,，\s元]/g, '');
  if (!/^-?\d+(\.\d{1,2})?$/.test(clean)) return undefined;
  const [whole = '0', cents = ''] = clean.replace('-', '').split('.');
  const fen = Number(whole) * 100 + Number(cents.padEnd(2, '0'));
  return clean.startsWith('-') ? -fen : fen;
}

const minuteOf = (instant: Date, timeZone: string) => {
  const { date, time } = localParts(instant, timeZone);
  return isoAt(date, time, timeZone);
};

/** 发布公告 / 修改公告 (staff): title, category, paragraphs with a style each, the money table of 财务公开, pinning and the display period. */
export default function NoticeEditor() {
  const { id } = useQuery();
  const { cid, staff } = useCurrentCommunity();
  const { user } = useMe();
  const community = useRequest(() => api('getCommunity', { params: { cid: cid ?? '' } }), [cid], Boolean(cid));
  const timeZone = community.data?.timezone ?? DEFAULT_ZONE;
  const existing = useRequest(() => api('getNotice', { params: { id: id ?? '' } }), [id], Boolean(id));
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState<NoticeCategory>('notice');
  const [paragraphs, setParagraphs] = useState<Paragraph[]>([{ text: '', style: 'normal' }]);
  const [rows, setRows] = useState<RowInput[]>([{ item: '', yuan: '' }]);
  const [pinned, setPinned] = useState(false);
  const [displayFrom, setDisplayFrom] = useState(() => minuteOf(new Date(), DEFAULT_ZONE));
  const [hasEnd, setHasEnd] = useState(false);
  const [displayUntil, setDisplayUntil] = useState(() => minuteOf(new Date(Date.now() + 30 * 24 * 3600_000), DEFAULT_ZONE));
  const [rowError, setRowError] = useState<string | undefined>(undefined);
  const [uploadIds, setUploadIds] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [notify, setNotify] = useState(false);

  useEffect(() => {
    const n: Notice | undefined = existing.data;
    if (!n) return;
    setTitle(n.title);
    setCategory(n.category);
    setParagraphs(toParagraphs(n.body));
    setRows(n.table?.rows.map((r) => ({ item: r.item, yuan: (r.amountFen / 100).toFixed(2) })) ?? [{ item: '', yuan: '' }]);
    setPinned(n.pinned);
    setDisplayFrom(n.displayFrom);
    setHasEnd(Boolean(n.displayUntil));
    if (n.displayUntil) setDisplayUntil(n.displayUntil);
  }, [existing.data]);

  const table = (): MoneyRow[] | undefined | null => {
    if (category !== 'finance') return undefined;
    const filled = rows.filter((r) => r.item.trim() || r.yuan.trim());
    if (filled.length === 0) return undefined;
    const out: MoneyRow[] = [];
    for (const r of filled) {
      const amountFen = fenOf(r.yuan);
      if (amountFen === undefined || !r.item.trim()) return null;
      out.push({ item: r.item.trim(), amountFen });
    }
    return out;
  };
  const save = useSubmit((key, money: MoneyRow[] | undefined) => {
    const content = { title, category, body: toBody(paragraphs), pinned, displayFrom };
    return id
      ? api('editNotice', { params: { id }, body: { ...content, displayUntil: hasEnd ? displayUntil : null, table: money ?? null } })
      : api('postNotice', {
          params: { cid: cid ?? '' },
          body: {
            ...content,
            ...(hasEnd ? { displayUntil } : {}),
            ...(money ? { table: money } : {}),
            ...(uploadIds.length ? { attachments: uploadIds.map((uploadId, i) => ({ uploadId, name: `附件 ${i + 1}` })) } : {}),
            notify,
          },
          idempotencyKey: key,
        });
  });
  const errors = fieldErrors(save.error);
  const bodyError = Object.entries(errors).find(([path]) => path.startsWith('body'))?.[1];

  if (!cid || (user && !staff)) return <StaffOnly purpose="此页面用于社区工作人员发布公告。" />;
  const total = rows.reduce((sum, r) => sum + (fenOf(r.yuan) ?? 0), 0);
  const setParagraph = (i: number, change: Partial<Paragraph>) => setParagraphs((ps) => ps.map((p, j) => (j === i ? { ...p, ...change } : p)));
  const setRow = (i: number, change: Partial<RowInput>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...change } : r)));

  return (
    <PageShell className="stack desk-column">
      <Card title="公告">
        <Field label="标题" value={title} onInput={setTitle} maxlength={60} error={errors.title} />
        <View className="editor-label">分类</View>
        <View className="tabs" role="radiogroup" aria-label="分类">
          {CATEGORIES.map((c) => {
            const choose = () => setCategory(c);
            return (
              <View key={c} className={`tab ${category === c ? 'tab--on' : ''}`} {...tappable(choose, { role: 'radio', checked: category === c })} onClick={choose}>
                {NOTICE_CATEGORY_LABEL[c]}
              </View>
            );
          })}
        </View>
        <Toggle label="置顶显示" on={pinned} onChange={setPinned} />
        {id ? null : <Toggle label="发订阅消息给订阅本类公告的居民" on={notify} onChange={setNotify} />}
      </Card>
      <Card title="正文">
        <View className="muted">每段选择一种样式；相邻的列表段落合成一个列表。</View>
        {paragraphs.map((p, i) => (
          <View key={i} className="para-editor">
            <View className="editor-label">第 {i + 1} 段</View>
            <Textarea
              className="editor-input"
              value={p.text}
              maxlength={2000}
              autoHeight
              aria-label={`第 ${i + 1} 段内容`}
              nativeProps={{ 'aria-label': `第 ${i + 1} 段内容` }}
              onInput={(e) => setParagraph(i, { text: e.detail.value })}
            />
            <View className="tabs notice__gap" role="radiogroup" aria-label={`第 ${i + 1} 段样式`}>
              {(Object.keys(STYLE_LABEL) as Style[]).map((style) => {
                const choose = () => setParagraph(i, { style });
                return (
                  <View key={style} className={`tab ${p.style === style ? 'tab--on' : ''}`} {...tappable(choose, { role: 'radio', checked: p.style === style })} onClick={choose}>
                    {STYLE_LABEL[style]}
                  </View>
                );
              })}
            </View>
            {paragraphs.length > 1 ? (
              <Button small variant="plain" onClick={() => setParagraphs((ps) => ps.filter((_, j) => j !== i))}>
                删除本段
              </Button>
            ) : null}
          </View>
        ))}
        {bodyError ? <View className="editor-error" role="alert">错误：{bodyError}</View> : null}
        <Button small variant="secondary" onClick={() => setParagraphs((ps) => [...ps, { text: '', style: 'normal' }])}>
          增加段落
        </Button>
      </Card>
      {category === 'finance' ? (
        <Card title="收支明细表">
          {rows.map((r, i) => (
            <View key={i} className="para-editor">
              <Field label={`第 ${i + 1} 行 项目`} value={r.item} onInput={(v) => setRow(i, { item: v })} maxlength={60} />
              <Field label={`第 ${i + 1} 行 金额（元，支出可填负数）`} value={r.yuan} onInput={(v) => setRow(i, { yuan: v })} maxlength={16} />
              {rows.length > 1 ? (
                <Button small variant="plain" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
                  删除本行
                </Button>
              ) : null}
            </View>
          ))}
          <View className="h2">合计：{yuanText(total)}</View>
          {rowError || errors.table ? <View className="editor-error" role="alert">错误：{rowError ?? errors.table}</View> : null}
          <Button small variant="secondary" onClick={() => setRows((rs) => [...rs, { item: '', yuan: '' }])}>
            增加一行
          </Button>
        </Card>
      ) : null}
      {id ? null : (
        <Card title="附件">
          <PhotoPicker purpose="notice-attachment" files max={9} label="图片或 PDF 文件" hint="最多 9 个，每个不超过 10MB" onChange={setUploadIds} onBusyChange={setUploading} />
          {errors.attachments ? <View className="editor-error" role="alert">错误：{errors.attachments}</View> : null}
        </Card>
      )}
      <Card title="展示时间">
        <DateTimePicker label="开始展示" value={displayFrom} onChange={setDisplayFrom} timeZone={timeZone} error={errors.displayFrom} />
        <Toggle label="设置截止时间" on={hasEnd} onChange={setHasEnd} />
        {hasEnd ? <DateTimePicker label="展示截止" value={displayUntil} onChange={setDisplayUntil} timeZone={timeZone} error={errors.displayUntil} /> : null}
      </Card>
      <Button
        block
        loading={save.busy}
        disabled={uploading}
        loadingText="正在发布…"
        onClick={async () => {
          const money = table();
          if (money === null) {
            setRowError('每行都需要填写项目和金额（最多两位小数）');
            return;
          }
          setRowError(undefined);
          const saved = await save.run(money);
          if (saved) {
            toast(id ? '已保存' : '公告已发布', 'success');
            redirect(PAGES.noticeDetail, { id: saved.id });
          }
        }}
      >
        {id ? '保存修改' : '发布公告'}
      </Button>
    </PageShell>
  );
}

/** An on/off choice that says its state in words (开/关), not by colour alone. */
function Toggle({ label, on, onChange }: { label: string; on: boolean; onChange: (on: boolean) => void }) {
  const flip = () => onChange(!on);
  return (
    <View className={`tab toggle notice__gap ${on ? 'tab--on' : ''}`} {...tappable(flip, { role: 'switch', checked: on, label })} onClick={flip}>
      {label}：{on ? '是' : '否'}
    </View>
  );
}
