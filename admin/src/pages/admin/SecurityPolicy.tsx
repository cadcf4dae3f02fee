/** 安全策略: sessions, lockout and which roles must use a second factor (PUT /api/v1/security/policy). */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Form, InputNumber, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { PageTitle } from '../../components/common';
import { applyFieldErrors, errorText, notify } from '../../lib/notify';

interface Policy {
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  mfaRequiredRoles: string[];
}

const ROLES = [
  { value: 'sysadmin', label: '系统管理员' },
  { value: 'secadmin', label: '安全管理员' },
  { value: 'auditor', label: '安全审计员' },
  { value: 'site_admin', label: '站点管理员' },
  { value: 'editor', label: '编辑' },
  { value: 'reviewer', label: '审核员' },
  { value: 'handler', label: '办理人' },
];

export default function SecurityPolicy() {
  const qc = useQueryClient();
  const policy = useQuery({ queryKey: ['security-policy'], queryFn: () => api.get<Policy>('/security/policy') });
  const [form] = Form.useForm<Policy>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (policy.data) form.setFieldsValue(policy.data);
  }, [policy.data, form]);
  if (!policy.data) return <Spin aria-label="正在加载" />;
  const save = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.put('/security/policy', v);
      notify.success('安全策略已保存');
      void qc.invalidateQueries({ queryKey: ['security-policy'] });
    } catch (e) {
      applyFieldErrors(form, e);
      notify.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageTitle>安全策略</PageTitle>
      <Card style={{ maxWidth: 640 }}>
        <Form form={form} layout="vertical">
          <Form.Item label="会话空闲超时（分钟，5-480）" name="sessionIdleMinutes" rules={[{ required: true }]}>
            <InputNumber min={5} max={480} />
          </Form.Item>
          <Form.Item label="会话最长时间（小时，1-72）" name="sessionMaxHours" rules={[{ required: true }]}>
            <InputNumber min={1} max={72} />
          </Form.Item>
          <Form.Item label="连续登录失败锁定次数（3-20）" name="lockoutThreshold" rules={[{ required: true }]}>
            <InputNumber min={3} max={20} />
          </Form.Item>
          <Form.Item label="锁定时长（分钟）" name="lockoutMinutes" rules={[{ required: true }]}>
            <InputNumber min={1} max={1440} />
          </Form.Item>
          <Form.Item label="必须使用动态口令的角色" name="mfaRequiredRoles">
            <Checkbox.Group options={ROLES} />
          </Form.Item>
          <Button type="primary" onClick={() => void save()} loading={busy}>
            保存
          </Button>
        </Form>
      </Card>
    </>
  );
}
