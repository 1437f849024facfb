/** Pieces shared by the notice pages (this subpackage only). */
import { Text, View } from '@tarojs/components';
import { NOTICE_CATEGORY_LABEL, type NoticeCategory } from '@contract/notice-labels';
import type { NoticeBlock, TextRun } from '@contract/notices';
import type { ApiResponse } from '../api/client';
import type { Tone } from '../components/status-tag';
import './shared.css';

export type Notice = ApiResponse<'getNotice'>;
export type NoticeSummary = ApiResponse<'listNotices'>['items'][number];

export const CATEGORIES = Object.keys(NOTICE_CATEGORY_LABEL) as NoticeCategory[];
export { NOTICE_CATEGORY_LABEL };

/** What staff see beside a notice that residents do not see now (never colour alone: a word). */
export const STATE_TAG: Record<Exclude<NoticeSummary['state'], 'showing'>, { text: string; tone: Tone }> = {
  scheduled: { text: '未到展示时间', tone: 'info' },
  ended: { text: '已过展示期', tone: 'off' },
  withdrawn: { text: '已撤回', tone: 'off' },
};

/** Fen as yuan with thousands separators: 1250050 → "12,500.50 元". */
export function yuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}${yuan}.${String(abs % 100).padStart(2, '0')} 元`;
}

const runsText = (runs: TextRun[]) => runs.map((run) => run.text).join('');

/** The notice as one text to read aloud: title, then each paragraph and list item, then the table. */
export function spokenText(n: Notice): string {
  const blocks = n.body.flatMap((block) =>
    block.type === 'paragraph' ? [runsText(block.runs)] : block.items.map((runs, i) => (block.type === 'numbered' ? `第${i + 1}，${runsText(runs)}` : runsText(runs))),
  );
  const table = n.table ? [...n.table.rows.map((row) => `${row.item}，${yuanText(row.amountFen)}`), `合计，${yuanText(n.table.totalFen)}`] : [];
  return [n.title, ...blocks, ...table].join('。\n');
}

function Runs({ runs }: { runs: TextRun[] }) {
  return (
    <>
      {runs.map((run, i) => (
        <Text key={i} className={run.bold ? 'notice__bold' : undefined}>
          {run.text}
        </Text>
      ))}
    </>
  );
}

/** The structured body: paragraphs with bold runs, bulleted and numbered lists. */
export function NoticeBody({ body }: { body: NoticeBlock[] }) {
  return (
    <View className="notice__body">
      {body.map((block, i) =>
        block.type === 'paragraph' ? (
          <View key={i} className="notice__para">
            <Runs runs={block.runs} />
          </View>
        ) : (
          <View key={i} className="notice__list" role="list">
            {block.items.map((runs, j) => (
              <View key={j} className="notice__item" role="listitem">
                <Text className="notice__marker" aria-hidden="true">{block.type === 'numbered' ? `${j + 1}.` : '•'}</Text>
                <View className="notice__item-text">
                  <Runs runs={runs} />
                </View>
              </View>
            ))}
          </View>
        ),
      )}
    </View>
  );
}

/** A 财务公开 table: item and amount in yuan, with the total. */
export function MoneyTable({ table }: { table: NonNullable<Notice['table']> }) {
  return (
    <View className="money" role="table" aria-label="收支明细">
      <View className="money__row money__head" role="row">
        <View className="money__item" role="columnheader">项目</View>
        <View className="money__amount" role="columnheader">金额</View>
      </View>
      {table.rows.map((row, i) => (
        <View key={i} className="money__row" role="row">
          <View className="money__item" role="cell">{row.item}</View>
          <View className="money__amount" role="cell">{yuanText(row.amountFen)}</View>
        </View>
      ))}
      <View className="money__row money__total" role="row">
        <View className="money__item" role="cell">合计</View>
        <View className="money__amount" role="cell">{yuanText(table.totalFen)}</View>
      </View>
    </View>
  );
}
