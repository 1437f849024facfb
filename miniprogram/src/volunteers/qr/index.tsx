import { useEffect, useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { PageShell } from '../../components/page-shell';
import { useQuery } from '../../nav';
import { PersonalCode } from '../personal-code';
import '../shared.css';

/** The volunteer's personal check-in / check-out code, full screen, for staff on site to scan. */
export default function CheckinQr() {
  const { id = '' } = useQuery();
  const [title, setTitle] = useState('');
  useEffect(() => {
    void api('getActivity', { params: { id } }).then((a) => setTitle(a.title), () => undefined);
  }, [id]);
  return (
    <PageShell className="stack">
      <View style={{ fontSize: 'var(--fs-large)', fontWeight: 700, textAlign: 'center' }}>{title || '志愿活动'}</View>
      <PersonalCode activityId={id} />
    </PageShell>
  );
}
