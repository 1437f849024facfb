import { useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Async } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { useRequest } from '../../hooks/use-request';
import { useQuery } from '../../nav';
import { cnDate, hoursText } from '../shared';
import '../shared.css';

/**
 * Public check of a 志愿服务记录证明 by its code (opened from the QR on the PDF; no login): what
 * the paper must say, line by line (full name, hours, community, issue date), and whether staff
 * revoked it.
 */
export default function CertificateCheck() {
  const query = useQuery();
  const [input, setInput] = useState(query.code ?? '');
  const [code, setCode] = useState(query.code ?? '');
  const result = useRequest(() => api('verifyCertificate', { params: { code: code.trim().toUpperCase() } }), [code], Boolean(code.trim()));

  return (
    <PageShell className="stack">
      <Card title="核验志愿服务记录证明">
        <Field label="证明编号" value={input} onInput={setInput} placeholder="证明右上角的 10 位编号" maxlength={20} />
        <Button block disabled={!input.trim()} onClick={() => setCode(input.trim())}>核验</Button>
      </Card>
      {code ? (
        <Async state={result}>
          {(c) => (
            <Card
              title={c.status === 'revoked' ? '此证明已撤销' : '证明真实有效'}
              extra={c.status === 'revoked' ? <StatusTag tone="danger">✕ 已撤销</StatusTag> : <StatusTag tone="ok">✓ 已核验</StatusTag>}
            >
              <View className="vol-facts">
                {c.status === 'revoked' ? (
                  <View className="vol-scan-result" role="alert">出具单位已于 {cnDate(c.revokedOn)} 撤销此证明，不能作为志愿服务记录的证明。</View>
                ) : null}
                <View className="vol-muted">请逐项核对纸质证明：姓名、时长、出具日期与社区均应一致。</View>
                <View>证明编号：{c.code}</View>
                <View>志愿者姓名：{c.name}</View>
                <View>所属社区：{c.communityName}</View>
                <View>累计时长：{hoursText(c.totalHours)} 小时（{c.services} 次服务）</View>
                {c.periodFrom ? <View>服务期间：{cnDate(c.periodFrom)} 至 {cnDate(c.periodTo)}</View> : null}
                <View>出具单位：{c.issuer}</View>
                <View>出具日期：{cnDate(c.issueDate)}</View>
              </View>
            </Card>
          )}
        </Async>
      ) : null}
    </PageShell>
  );
}
