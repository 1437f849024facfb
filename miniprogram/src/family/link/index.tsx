import { useState } from 'react';
import { View } from '@tarojs/components';
import type { FamilyLink as Link } from '@contract/family';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go, useQuery } from '../../nav';
import '../family.css';

/** The family member's side: the code the elder shows (scanned or typed) → sent for the elder to confirm. */
export default function FamilyLink() {
  const query = useQuery();
  const [code, setCode] = useState(query.code ?? '');
  const claim = useSubmit((key) => api('claimLinkCode', { body: { code: code.trim().toUpperCase() }, idempotencyKey: key }));
  const [sent, setSent] = useState<Link | undefined>(undefined);

  return (
    <PageShell className="stack">
      {sent?.status === 'active' ? (
        <Card title="代办关系已生效">
          <View className="family-muted">工作人员已在窗口核实，您现在可以为 {sent.elderName} 预约、取号和查看志愿时长。</View>
          <Button block onClick={() => go(PAGES.family)}>查看我的家人</Button>
        </Card>
      ) : sent ? (
        <Card title="已发送，等待确认">
          <View className="family-muted">请 {sent.elderName} 在自己的手机上确认，或一起到社区窗口由工作人员确认。确认后您就可以为TA预约、取号和查看志愿时长。</View>
          <Button block onClick={() => go(PAGES.family)}>查看我的家人</Button>
        </Card>
      ) : (
        <Card title="输入家人出示的代办码">
          <View className="family-muted">请家人在“亲情代办”页面生成代办码，10 分钟内有效，只能使用一次。</View>
          <Field label="代办码" value={code} onInput={setCode} placeholder="8 位字母或数字" maxlength={8} />
          <Button
            block
            disabled={code.trim().length !== 8}
            loading={claim.busy}
            onClick={async () => {
              const link = await claim.run();
              if (link) setSent(link);
            }}
          >
            申请成为代办家人
          </Button>
        </Card>
      )}
    </PageShell>
  );
}
