/**
 * 审核问答条目: the entry as submitted (question, variants, answer, what it concerns, validity)
 * and the decision — approve (the next level, or public after the last), or return with a
 * required comment. The version read is sent, so a newer one is refused instead of approved blind.
 */
import { CheckOutlined, RollbackOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Form, Input, Row, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../../api';
import { PageTitle } from '../../components/common';
import { LoadFailed, NotFound } from '../../layout/NotFound';
import { faqAccessOn, mayReviewLevel } from '../../lib/access';
import { fmtTime } from '../../lib/format';
import { applyFieldErrors, errorText, notify } from '../../lib/notify';
import { useSession } from '../../session';
import type { Faq } from '../../types';
import { FaqReviews, FaqStatusTag } from './common';

const { Paragraph, Text } = Typography;

export default function FaqReviewPage() {
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const entry = useQuery({ queryKey: ['faq', 'entry', id], queryFn: () => api.get<Faq>(`/faq/${id}`), enabled: valid, meta: { silent: true }, staleTime: 0 });
  if (!valid) return <NotFound />;
  if (entry.error) return <LoadFailed error={entry.error} what="问答条目" onRetry={() => void entry.refetch()} />;
  if (!entry.data) return <Spin aria-label="正在加载问答条目" />;
  return <ReviewView entry={entry.data} />;
}

function ReviewView({ entry: f }: { entry: Faq }) {
  const { me } = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ comment: string }>();
  const [busy, setBusy] = useState<'approve' | 'return' | null>(null);
  const access = faqAccessOn(me, f.siteId);
  const waiting = f.status === 'submitted';
  const mine = waiting && mayReviewLevel(access, f.reviewLevel);
  const last = waiting && f.reviewLevel >= Math.max(1, f.reviewLevels);

  const decide = async (decision: 'approve' | 'return') => {
    let comment: string;
    if (decision === 'return') {
      try {
        comment = (await form.validateFields()).comment.trim();
      } catch {
        return;
      }
    } else comment = ((form.getFieldValue('comment') as string | undefined) ?? '').trim();
    setBusy(decision);
    try {
      const r = await api.post<Faq>(`/faq/${f.id}/review`, { decision, comment, version: f.version });
      qc.setQueryData(['faq', 'entry', f.id], r);
      notify.success(decision === 'return' ? '已退回给编辑' : r.isLive && r.status === 'published' ? '已审核通过并发布' : r.status === 'submitted' ? `已通过，转第 ${r.reviewLevel} 级审核` : '已审核通过');
      await qc.invalidateQueries({ queryKey: ['faq'] });
      navigate('/faq?tab=review');
    } catch (e) {
      if (!applyFieldErrors(form, e)) notify.error(errorText(e));
      if (e instanceof ApiError && e.status === 409) void qc.invalidateQueries({ queryKey: ['faq', 'entry', f.id] });
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <PageTitle extra={<Link to="/faq?tab=review">返回待审核列表</Link>}>审核：{f.question}</PageTitle>
      {!waiting && <Alert type="info" showIcon className="form-alert" title="这个条目现在不在审核中。" description={`当前状态：${f.statusName}`} />}
      {waiting && !mine && <Alert type="info" showIcon className="form-alert" title={`条目正在等待第 ${f.reviewLevel} 级审核，您没有这一级的审核权限。`} />}
      {f.liveVersion !== null && waiting && <Alert type="info" showIcon className="form-alert" title={`这是已发布条目的修订（公众现在看到的是第 ${f.liveVersion} 版），通过后替换已发布的内容。`} />}
      <Row gutter={20}>
        <Col xs={24} xl={16}>
          <Card style={{ marginBottom: 16 }}>
            <article className="article-preview">
              <h2 style={{ fontSize: 20 }}>{f.question}</h2>
              <h3 style={{ fontSize: 15 }}>同义问法</h3>
              {f.variants.length ? (
                <ul>
                  {f.variants.map((v) => (
                    <li key={v}>{v}</li>
                  ))}
                </ul>
              ) : (
                <p>
                  <Text type="secondary">（无）</Text>
                </p>
              )}
              <h3 style={{ fontSize: 15 }}>答案</h3>
              {/* Cleaned by the server's allow-list sanitiser when saved. */}
              <div dangerouslySetInnerHTML={{ __html: f.answer }} />
              {(f.refTitle || f.refUrl) && (
                <p>
                  关联事项：
                  {f.refUrl ? (
                    <a href={f.refUrl} target="_blank" rel="noreferrer">
                      {f.refTitle || f.refUrl}
                    </a>
                  ) : (
                    f.refTitle
                  )}
                </p>
              )}
            </article>
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>审核意见</h2>} style={{ marginBottom: 16 }}>
            <Descriptions
              column={1}
              size="small"
              items={[
                { key: 's', label: '站点', children: f.siteName ?? f.siteId },
                { key: 'o', label: '答复单位', children: f.organisationName ?? '—' },
                { key: 't', label: '主题', children: f.topic },
                { key: 'st', label: '状态', children: <FaqStatusTag status={f.status} level={f.reviewLevel} /> },
                { key: 'v', label: '版本', children: `第 ${f.version} 版` },
                { key: 'l', label: '审核级', children: waiting ? `第 ${f.reviewLevel} 级（共 ${Math.max(1, f.reviewLevels)} 级）` : '—' },
                { key: 'e', label: '有效期', children: `${f.effectiveAt ? fmtTime(f.effectiveAt) : '通过后立即生效'} 至 ${f.expiresAt ? fmtTime(f.expiresAt) : '长期'}` },
              ]}
            />
            <Form form={form} layout="vertical" disabled={!mine} style={{ marginTop: 12 }}>
              <Form.Item label="审核意见" name="comment" rules={[{ required: true, whitespace: true, message: '退回时必须填写审核意见' }, { max: 1000, message: '审核意见不能超过 1000 个字符' }]} extra="退回时必填；通过时可不填">
                <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={1000} showCount />
              </Form.Item>
              <Space>
                <Button type="primary" icon={<CheckOutlined />} loading={busy === 'approve'} onClick={() => void decide('approve')}>
                  {last ? '通过并发布' : '通过'}
                </Button>
                <Button danger icon={<RollbackOutlined />} loading={busy === 'return'} onClick={() => void decide('return')}>
                  退回
                </Button>
              </Space>
            </Form>
            {last && mine && (
              <Paragraph type="secondary" style={{ fontSize: 12, margin: '8px 0 0' }}>
                这是最后一级审核：通过后条目{f.effectiveAt && dayjsAfterNow(f.effectiveAt) ? `于 ${fmtTime(f.effectiveAt)} ` : '立即'}发布到问答页面和智能问答。
              </Paragraph>
            )}
          </Card>
          {f.reviews.length > 0 && <FaqReviews entry={f} />}
        </Col>
      </Row>
    </>
  );
}

const dayjsAfterNow = (iso: string): boolean => Date.parse(iso) > Date.now();
