/**
 * 工作台: what waits for me — articles to review, my returned drafts, pushes into my columns,
 * FAQ entries to review, citizens' questions to handle, and my columns overdue for an update. Every line links to where the work is done.
 */
import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Col, Empty, List, Row, Typography } from 'antd';
import { Link, Navigate } from 'react-router';
import { api } from '../api';
import { PageTitle, StatusTag } from '../components/common';
import { homePath } from '../lib/access';
import { fmtDate, fmtTime } from '../lib/format';
import { useSession } from '../session';
import type { ArticleSummary, FaqSummary, Page, QaQuestion, ReviewQueue } from '../types';

const { Text } = Typography;

interface OverdueColumn {
  columnId: number;
  columnName: string;
  siteId: number;
  siteName: string;
  url: string;
  updateIntervalDays: number;
  lastPublishedAt: string | null;
  daysSince: number;
}

function CardTitle({ text, count }: { text: string; count?: number }) {
  return (
    <h2 style={{ fontSize: 16, margin: 0 }}>
      {text} {count !== undefined && <Badge count={count} showZero color={count ? '#c4161c' : '#595959'} overflowCount={999} />}
    </h2>
  );
}

export default function Workbench() {
  const { can, me, sites, setSiteId } = useSession();
  const queue = useQuery({ queryKey: ['review-queue', 'workbench'], queryFn: () => api.get<ReviewQueue>('/review-queue', { pageSize: 10 }), enabled: can.review });
  const overdue = useQuery({
    queryKey: ['overdue-columns'],
    queryFn: () => api.get<{ total: number; items: OverdueColumn[] }>('/overdue-columns'),
    enabled: can.edit || can.manageSite,
  });
  const returned = useQuery({ queryKey: ['articles', 'returned'], queryFn: () => api.get<Page<ArticleSummary>>('/articles/returned', { pageSize: 10 }), enabled: can.edit });
  const faqAwaiting = useQuery({ queryKey: ['faq', 'workbench'], queryFn: () => api.get<Page<FaqSummary>>('/faq', { awaitingMe: 1, pageSize: 5 }), enabled: can.faqReview });
  const questions = useQuery({ queryKey: ['qa-questions', 'workbench'], queryFn: () => api.get<Page<QaQuestion>>('/qa/questions', { pageSize: 5 }), enabled: can.faqEdit });
  if (!can.siteWork) return <Navigate to={homePath(can)} replace />;
  const siteName = (id: number | null) => sites.find((s) => s.id === id)?.name ?? '';

  return (
    <>
      <PageTitle>工作台</PageTitle>
      <Text type="secondary" style={{ display: 'block', marginBottom: 16 }}>
        {me.displayName}，您好。以下是等待您处理的工作。
      </Text>
      <Row gutter={[16, 16]}>
        {can.review && (
          <Col xs={24} xl={12}>
            <Card title={<CardTitle text="待我审核" count={queue.data?.articles.total} />} extra={<Link to="/review">全部</Link>} loading={queue.isPending}>
              <List
                dataSource={queue.data?.articles.items ?? []}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无待审核的稿件" /> }}
                renderItem={(a) => (
                  <List.Item>
                    <List.Item.Meta
                      title={<Link to={`/review/${a.id}`}>{a.title}</Link>}
                      description={`${siteName(a.siteId)} · ${a.columnName ?? ''} · 第 ${a.reviewLevel} 级审核 · 送审于 ${fmtTime(a.updatedAt)}`}
                    />
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
        {can.edit && (
          <Col xs={24} xl={12}>
            <Card title={<CardTitle text="退回给我的稿件" count={returned.data?.total} />} extra={<Link to="/articles?status=returned">全部</Link>} loading={returned.isPending}>
              <List
                dataSource={returned.data?.items ?? []}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有被退回的稿件" /> }}
                renderItem={(a) => (
                  <List.Item extra={<StatusTag status={a.status} />}>
                    <List.Item.Meta title={<Link to={`/articles/${a.id}`}>{a.title}</Link>} description={`${siteName(a.siteId)} · ${a.columnName ?? ''} · 退回于 ${fmtTime(a.updatedAt)}`} />
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
        {can.review && (
          <Col xs={24} xl={12}>
            <Card title={<CardTitle text="推送到我栏目的稿件" count={queue.data?.syndications.length} />} loading={queue.isPending}>
              <List
                dataSource={queue.data?.syndications ?? []}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无等待审核的推送" /> }}
                renderItem={(s) => (
                  <List.Item>
                    <List.Item.Meta
                      title={<Link to={`/review/${s.articleId}?syndication=${s.id}`}>{s.articleTitle ?? `稿件 ${s.articleId}`}</Link>}
                      description={`推送到 ${siteName(s.siteId)} · ${s.columnName ?? ''} · 第 ${s.reviewLevel} 级审核 · ${fmtTime(s.createdAt)}`}
                    />
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
        {can.faqReview && (
          <Col xs={24} xl={12}>
            <Card title={<CardTitle text="问答条目待我审核" count={faqAwaiting.data?.total} />} extra={<Link to="/faq?tab=review">全部</Link>} loading={faqAwaiting.isPending}>
              <List
                dataSource={faqAwaiting.data?.items ?? []}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无待审核的问答条目" /> }}
                renderItem={(f) => (
                  <List.Item>
                    <List.Item.Meta
                      title={<Link to={`/faq/${f.id}/review`}>{f.question}</Link>}
                      description={`${f.siteName ?? siteName(f.siteId)} · ${f.topic} · 第 ${f.reviewLevel} 级审核 · 送审于 ${fmtTime(f.updatedAt)}`}
                    />
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
        {can.faqEdit && (
          <Col xs={24} xl={12}>
            <Card title={<CardTitle text="群众提问待处理" count={questions.data?.total} />} extra={<Link to="/qa-questions">全部</Link>} loading={questions.isPending}>
              <List
                dataSource={questions.data?.items ?? []}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有待处理的群众提问" /> }}
                renderItem={(x) => (
                  <List.Item>
                    <List.Item.Meta
                      title={
                        <Link to="/qa-questions" onClick={() => x.siteId && setSiteId(x.siteId)}>
                          {x.question}
                        </Link>
                      }
                      description={`${x.siteName ?? ''} · ${x.reason === 'unhelpful' ? '答案没帮助' : '未能回答'} · ${fmtTime(x.askedAt)}`}
                    />
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
        {(can.edit || can.manageSite) && (
          <Col xs={24} xl={12}>
            <Card title={<CardTitle text="更新超期的栏目" count={overdue.data?.total} />} loading={overdue.isPending}>
              <List
                dataSource={(overdue.data?.items ?? []).slice(0, 10)}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="所有栏目都在更新周期内" /> }}
                renderItem={(c) => (
                  <List.Item extra={can.edit ? <Link to={`/articles/new?columnId=${c.columnId}`} onClick={() => setSiteId(c.siteId)} aria-label={`在“${c.columnName}”写稿`}>写稿</Link> : undefined}>
                    <List.Item.Meta
                      title={
                        <Typography.Link href={c.url} target="_blank" rel="noreferrer">
                          {c.columnName}
                        </Typography.Link>
                      }
                      description={`${c.siteName} · 已 ${c.daysSince} 天未更新（要求每 ${c.updateIntervalDays} 天）· ${c.lastPublishedAt ? `最近发布于 ${fmtDate(c.lastPublishedAt)}` : '从未发布'}`}
                    />
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
      </Row>
    </>
  );
}
