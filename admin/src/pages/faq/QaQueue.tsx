/**
 * 群众提问: the smart Q&A's questions of the current site that the knowledge base could not
 * answer, or whose answer the visitor found unhelpful — with the answer given, its score and the
 * verdict. Staff turn one into a knowledge-base entry (the editor opens with the question; saving
 * takes it out of the queue), mark it handled with a note, or pass it to another site.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api';
import { PageTitle } from '../../components/common';
import { faqAccessOn } from '../../lib/access';
import { fmtTime } from '../../lib/format';
import { applyFieldErrors, errorText, notify } from '../../lib/notify';
import { useSession } from '../../session';
import type { Page, QaHandled, QaQuestion, Site } from '../../types';

const PAGE_SIZE = 20;
const { Text } = Typography;

type Status = 'open' | 'handled' | 'all';
type Kind = 'all' | 'unanswered' | 'unhelpful';

const REASONS: Record<'unanswered' | 'unhelpful', { text: string; color: string }> = {
  unanswered: { text: '未能回答', color: '#ad4e00' },
  unhelpful: { text: '答案没帮助', color: '#c4161c' },
};

export default function QaQueue() {
  const { me, site, siteId } = useSession();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const access = faqAccessOn(me, siteId);
  const status = (['open', 'handled', 'all'].includes(params.get('status') ?? '') ? params.get('status') : 'open') as Status;
  const kind = (['unanswered', 'unhelpful'].includes(params.get('kind') ?? '') ? params.get('kind') : 'all') as Kind;
  const q = params.get('q') ?? '';
  const page = Number(params.get('page')) || 1;
  const [handling, setHandling] = useState<QaQuestion | null>(null);
  const [passing, setPassing] = useState<QaQuestion | null>(null);

  const set = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) if (v) next.set(k, v);
    else next.delete(k);
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  };

  const list = useQuery({
    queryKey: ['qa-questions', 'list', siteId, status, kind, q, page],
    enabled: !!siteId && access.read,
    queryFn: () => api.get<Page<QaQuestion>>('/qa/questions', { siteId: siteId ?? undefined, status, kind: status === 'open' ? kind : undefined, q: q || undefined, page, pageSize: PAGE_SIZE }),
    placeholderData: (prev) => prev,
  });

  const toEntry = (x: QaQuestion) => {
    const p = new URLSearchParams({ sourceQuestionId: String(x.id), question: x.question });
    if (x.siteId) p.set('siteId', String(x.siteId));
    navigate(`/faq/new?${p.toString()}`);
  };

  const columns: TableProps<QaQuestion>['columns'] = [
    {
      title: '群众提问',
      dataIndex: 'question',
      render: (_v, x) => (
        <Space orientation="vertical" size={2}>
          <Text>{x.question}</Text>
          <Space size={4} wrap>
            {x.reason && (
              <Tag color={REASONS[x.reason].color} variant="solid">
                {REASONS[x.reason].text}
              </Tag>
            )}
            {x.askedTimes > 1 && <Text type="secondary" style={{ fontSize: 12 }}>共被问 {x.askedTimes} 次</Text>}
          </Space>
        </Space>
      ),
    },
    { title: '提问时间', dataIndex: 'askedAt', width: 150, render: (v: string) => fmtTime(v) },
    { title: '站点', dataIndex: 'siteName', width: 150, render: (v: string | null) => v ?? '—' },
    {
      title: '给出的答案',
      dataIndex: 'answerQuestion',
      width: 220,
      render: (_v, x) => (x.answerEntryId ? <Link to={`/faq/${x.answerEntryId}`}>{x.answerQuestion ?? `条目 ${x.answerEntryId}`}</Link> : <Text type="secondary">未给出答案</Text>),
    },
    { title: '匹配度', dataIndex: 'confidence', width: 80, align: 'right', render: (v: number) => (v ? v.toFixed(2) : '—') },
    {
      title: '群众评价',
      dataIndex: 'feedback',
      width: 90,
      render: (v: QaQuestion['feedback']) => (v === 'unhelpful' ? '没帮助' : v === 'helpful' ? '有帮助' : <Text type="secondary">未评价</Text>),
    },
    {
      title: status === 'open' ? '操作' : '处理情况',
      key: 'ops',
      width: 200,
      render: (_v, x) => {
        if (x.status === 'handled')
          return (
            <Space orientation="vertical" size={0}>
              <Text>
                {x.handledByName ?? '—'} · {fmtTime(x.handledAt)}
              </Text>
              {x.handledEntryId ? <Link to={`/faq/${x.handledEntryId}`}>已转为知识库条目</Link> : <Text type="secondary">{x.handledNote}</Text>}
            </Space>
          );
        if (!faqAccessOn(me, x.siteId).edit) return <Text type="secondary">待处理</Text>;
        return (
          <Space orientation="vertical" size={0} align="start">
            <Button type="link" size="small" style={{ padding: 0 }} onClick={() => toEntry(x)} aria-label={`转为知识库条目：${x.question}`}>
              转为知识库条目
            </Button>
            <Space size={12}>
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setHandling(x)} aria-label={`标记已处理：${x.question}`}>
                标记已处理
              </Button>
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setPassing(x)} aria-label={`转交其他站点：${x.question}`}>
                转交
              </Button>
            </Space>
          </Space>
        );
      },
    },
  ];

  return (
    <>
      <PageTitle>群众提问{site ? ` · ${site.name}` : ''}</PageTitle>
      {!access.read ? (
        <Alert type="info" showIcon title="您在当前站点没有处理群众提问的权限。" description="群众提问按站点授权，请在页面顶部切换到您负责的站点。" />
      ) : (
        <>
          <Typography.Paragraph type="secondary">智能问答未能回答或群众认为答案没帮助的提问。可转为知识库条目、标记已处理，或转交给负责的站点。</Typography.Paragraph>
          <form className="toolbar" role="search" aria-label="筛选群众提问" onSubmit={(e) => e.preventDefault()}>
            <Select
              aria-label="处理状态"
              style={{ width: 130 }}
              value={status}
              onChange={(v: Status) => set({ status: v === 'open' ? undefined : v, kind: undefined })}
              options={[
                { value: 'open', label: '待处理' },
                { value: 'handled', label: '已处理' },
                { value: 'all', label: '全部提问' },
              ]}
            />
            {status === 'open' && (
              <Select
                aria-label="原因"
                style={{ width: 140 }}
                value={kind}
                onChange={(v: Kind) => set({ kind: v === 'all' ? undefined : v })}
                options={[
                  { value: 'all', label: '全部原因' },
                  { value: 'unanswered', label: '未能回答' },
                  { value: 'unhelpful', label: '答案没帮助' },
                ]}
              />
            )}
            <Input.Search key={q} aria-label="提问关键词" placeholder="提问中的词" allowClear defaultValue={q} style={{ width: 240 }} onSearch={(v) => set({ q: v.trim() || undefined })} enterButton="搜索" />
          </form>
          <Table<QaQuestion>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={list.data?.items ?? []}
            loading={list.isFetching}
            locale={{ emptyText: status === 'open' ? '没有待处理的提问' : '暂无提问' }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: list.data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (t) => `共 ${t} 条`,
              onChange: (p) => set({ page: String(p) }),
            }}
          />
        </>
      )}
      <HandleModal question={handling} onClose={() => setHandling(null)} />
      <PassModal question={passing} onClose={() => setPassing(null)} />
    </>
  );
}

function HandleModal({ question, onClose }: { question: QaQuestion | null; onClose: () => void }) {
  const qc = useQueryClient();
  const [form] = Form.useForm<{ note: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!question) return;
    let note: string;
    try {
      note = (await form.validateFields()).note.trim();
    } catch {
      return;
    }
    setBusy(true);
    try {
      await api.post<QaHandled>(`/qa/questions/${question.id}/handle`, { note });
      notify.success('已标记为已处理');
      onClose();
      void qc.invalidateQueries({ queryKey: ['qa-questions'] });
    } catch (e) {
      if (!applyFieldErrors(form, e)) notify.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="标记已处理" open={!!question} onCancel={onClose} onOk={() => void submit()} okText="标记已处理" confirmLoading={busy} destroyOnHidden>
      {question && <Typography.Paragraph>提问：{question.question}</Typography.Paragraph>}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item label="处理说明" name="note" rules={[{ required: true, whitespace: true, message: '请填写处理说明' }, { max: 500, message: '处理说明不能超过 500 个字符' }]} extra="如：已有条目可回答、不属于本单位职责、无效提问等">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PassModal({ question, onClose }: { question: QaQuestion | null; onClose: () => void }) {
  const qc = useQueryClient();
  const [form] = Form.useForm<{ siteId: number }>();
  const [busy, setBusy] = useState(false);
  const sites = useQuery({
    queryKey: ['sites', 'all-open'],
    enabled: !!question,
    queryFn: () => api.get<Page<Site>>('/sites', { status: 'open', pageSize: 100 }).then((r) => r.items),
    staleTime: 5 * 60_000,
  });
  const submit = async () => {
    if (!question) return;
    let v: { siteId: number };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      await api.post<QaHandled>(`/qa/questions/${question.id}/assign`, { siteId: v.siteId });
      notify.success(`已转交${sites.data?.find((s) => s.id === v.siteId)?.name ?? ''}`);
      onClose();
      void qc.invalidateQueries({ queryKey: ['qa-questions'] });
    } catch (e) {
      if (!applyFieldErrors(form, e)) notify.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="转交其他站点" open={!!question} onCancel={onClose} onOk={() => void submit()} okText="转交" confirmLoading={busy} destroyOnHidden>
      {question && <Typography.Paragraph>提问：{question.question}</Typography.Paragraph>}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item label="转交给" name="siteId" rules={[{ required: true, message: '请选择站点' }]} extra="提问将出现在该站点的群众提问列表中，由其工作人员处理">
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="选择负责的站点"
            loading={sites.isPending}
            options={(sites.data ?? []).filter((s) => s.id !== question?.siteId).map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
