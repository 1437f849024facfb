import { PageShell } from '../page-shell';
import { Empty } from '../state';

/** What a staff page shows anyone else, or before a community is chosen: whom it is for and what it does. */
export function StaffOnly({ purpose }: { purpose: string }) {
  return (
    <PageShell>
      <Empty title="仅社区工作人员可用" text={purpose} />
    </PageShell>
  );
}
