/**
 * Rules of a notice's content beyond its schema: text that is only spaces is empty, the whole
 * body stays readable on a phone, and only 财务公开 carries a money table, whose total is
 * computed here in fen (分) so it is exact.
 */
import type { FieldIssue } from '@contract/errors';
import type { MoneyRow, NoticeBody, NoticeCategory, TextRun } from '@contract/notices';

/** Characters of a body, all blocks together. */
export const MAX_BODY_CHARACTERS = 20_000;

const runsOf = (body: NoticeBody): { path: string; runs: TextRun[] }[] =>
  body.flatMap((block, i) =>
    block.type === 'paragraph'
      ? [{ path: `body.body.${i}`, runs: block.runs }]
      : block.items.map((runs, j) => ({ path: `body.body.${i}.items.${j}`, runs })),
  );

export function bodyIssues(body: NoticeBody): FieldIssue[] {
  const issues: FieldIssue[] = [];
  let characters = 0;
  for (const { path, runs } of runsOf(body)) {
    const text = runs.map((run) => run.text).join('');
    characters += text.length;
    if (!text.trim()) issues.push({ path, message: '段落不能为空' });
  }
  if (characters > MAX_BODY_CHARACTERS) issues.push({ path: 'body.body', message: `正文不能超过 ${MAX_BODY_CHARACTERS} 个字` });
  return issues;
}

export function tableIssues(category: NoticeCategory, table: readonly MoneyRow[] | undefined): FieldIssue[] {
  return table?.length && category !== 'finance' ? [{ path: 'body.table', message: '只有财务公开可以附收支表' }] : [];
}

export const totalFen = (rows: readonly MoneyRow[]): number => rows.reduce((sum, row) => sum + row.amountFen, 0);
