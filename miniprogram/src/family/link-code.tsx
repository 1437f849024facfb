/** A 代办码 made on request and shown to be scanned or typed: the QR, the eight characters, until when. */
import { useState } from 'react';
import { View } from '@tarojs/components';
import type { LinkCode } from '@contract/family';
import { Button } from '../components/button';
import { QrCode } from '../components/qr-code';
import { useSubmit } from '../hooks/use-submit';
import { formatDateTime } from '../utils/format';
import './family.css';

/** 生成代办码, then the code with 重新生成代办码 (a code is used once and lives ten minutes). */
export function LinkCodeMaker({ make }: { make: (idempotencyKey: string) => Promise<LinkCode> }) {
  const [code, setCode] = useState<LinkCode | undefined>(undefined);
  const newCode = useSubmit(make);
  return (
    <>
      {code ? (
        <View className="family-code">
          <QrCode text={code.code} label={`代办码 ${code.code}`} />
          <View className="family-code__text">{code.code}</View>
          <View className="family-muted">{formatDateTime(code.expiresAt).slice(11)} 前有效，只能使用一次</View>
        </View>
      ) : null}
      <Button
        block
        variant={code ? 'secondary' : 'primary'}
        loading={newCode.busy}
        onClick={async () => {
          const made = await newCode.run();
          if (made) setCode(made);
        }}
      >
        {code ? '重新生成代办码' : '生成代办码'}
      </Button>
    </>
  );
}
