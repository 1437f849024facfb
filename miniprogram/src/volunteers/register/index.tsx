import { useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { tappable } from '../../components/a11y';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Empty } from '../../components/state';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, back, go } from '../../nav';
import { toast } from '../../platform';
import { useCurrentCommunity } from '../../store/community';
import { SKILLS } from '../shared';
import '../shared.css';

/** 志愿者招募注册: skills and availability; staff approve it afterwards. */
export default function Register() {
  const { cid, membership } = useCurrentCommunity();
  const [skills, setSkills] = useState<string[]>([]);
  const [availability, setAvailability] = useState('');
  const submit = useSubmit((key) =>
    api('register', {
      params: { cid: cid ?? '' },
      body: { skills: skills as (typeof SKILLS)[number][], ...(availability.trim() ? { availability: availability.trim() } : {}) },
      idempotencyKey: key,
    }),
  );
  const errors = fieldErrors(submit.error);

  if (!cid || !membership?.verified) {
    return (
      <PageShell>
        <Empty title="请先加入社区并完成门牌核实" text="注册志愿者需要社区工作人员先核实您的门牌。" action={{ text: '加入社区', onClick: () => go(PAGES.join) }} />
      </PageShell>
    );
  }

  const toggle = (skill: string) => setSkills((list) => (list.includes(skill) ? list.filter((s) => s !== skill) : [...list, skill]));

  return (
    <PageShell className="stack">
      <Card title="我能提供的服务（可多选）">
        <View className="vol-row" role="group" aria-label="服务技能">
          {SKILLS.map((skill) => (
            <View
              key={skill}
              className={`vol-chip ${skills.includes(skill) ? 'vol-chip--on' : ''}`}
              {...tappable(() => toggle(skill), { role: 'checkbox', checked: skills.includes(skill) })}
              onClick={() => toggle(skill)}
            >
              {skills.includes(skill) ? `✓ ${skill}` : skill}
            </View>
          ))}
        </View>
        {errors.skills ? <View className="field__error" role="alert">错误：{errors.skills}</View> : null}
      </Card>
      <Card>
        <Field label="可服务时间" optional value={availability} onInput={setAvailability} placeholder="如：周末上午、工作日晚上" maxlength={100} error={errors.availability} />
      </Card>
      <Button
        block
        disabled={skills.length === 0}
        loading={submit.busy}
        loadingText="正在提交…"
        onClick={async () => {
          const done = await submit.run();
          if (done) {
            toast('已提交，等待社区审核', 'success');
            back();
          }
        }}
      >
        {skills.length === 0 ? '请至少选择一项服务' : '提交注册'}
      </Button>
      <View className="vol-muted">提交后由社区工作人员审核，通过后即可报名志愿活动，服务时长记入社区志愿服务台帐。</View>
    </PageShell>
  );
}
