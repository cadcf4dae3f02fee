/** 站点设置: the current site's name and footer identity (PATCH /api/v1/sites/:id). */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Spin, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { PageTitle } from '../../components/common';
import { applyFieldErrors, errorText, notify } from '../../lib/notify';
import { useSession } from '../../session';
import type { Site } from '../../types';

const FIELDS: { name: string; label: string; extra?: string }[] = [
  { name: 'sponsor', label: '主办单位' },
  { name: 'organizer', label: '承办单位' },
  { name: 'contact', label: '联系方式说明' },
  { name: 'address', label: '地址' },
  { name: 'phone', label: '联系电话' },
  { name: 'email', label: '电子邮箱' },
  { name: 'siteIdCode', label: '网站标识码', extra: '10 位数字，或“bm”加 8 位数字' },
  { name: 'icp', label: 'ICP 备案号', extra: '如：浙ICP备05012345号-1' },
  { name: 'psbNumber', label: '公安备案号', extra: '14 位数字' },
];

export default function SiteSettings() {
  const { siteId } = useSession();
  const qc = useQueryClient();
  const site = useQuery({ queryKey: ['site', siteId], queryFn: () => api.get<Site>(`/sites/${siteId}`), enabled: !!siteId });
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (site.data) form.setFieldsValue({ name: site.data.name, ...site.data.settings, mourning: !!site.data.settings.mourning });
  }, [site.data, form]);
  if (!site.data) return <Spin aria-label="正在加载站点" />;
  const save = async () => {
    const v = (await form.validateFields()) as Record<string, unknown>;
    const settings: Record<string, unknown> = { ...site.data.settings };
    for (const f of FIELDS) {
      const s = String(v[f.name] ?? '').trim();
      if (s) settings[f.name] = s;
      else delete settings[f.name];
    }
    settings.mourning = !!v.mourning;
    setBusy(true);
    try {
      await api.patch(`/sites/${site.data.id}`, { name: v.name, settings });
      notify.success('站点设置已保存');
      void qc.invalidateQueries({ queryKey: ['site', siteId] });
      void qc.invalidateQueries({ queryKey: ['sites'] });
    } catch (e) {
      if (!applyFieldErrors(form, e, { settings: '' })) notify.error(errorText(e));
      else notify.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageTitle>站点设置 · {site.data.name}</PageTitle>
      <Card style={{ maxWidth: 760 }}>
        <Form form={form} layout="vertical">
          <Form.Item label="站点名称" name="name" rules={[{ required: true, whitespace: true, message: '请填写站点名称' }]}>
            <Input maxLength={100} />
          </Form.Item>
          {FIELDS.map((f) => (
            <Form.Item key={f.name} label={f.label} name={f.name} extra={f.extra}>
              <Input />
            </Form.Item>
          ))}
          <Form.Item label="哀悼模式（页面显示为灰色）" name="mourning" valuePropName="checked">
            <Switch />
          </Form.Item>
          <Button type="primary" onClick={() => void save()} loading={busy}>
            保存
          </Button>
        </Form>
      </Card>
    </>
  );
}
