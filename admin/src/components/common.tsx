import { Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { STATUS_COLORS } from '../theme';
import { STATUS_NAMES, type ArticleStatus } from '../types';

export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 12, flexWrap: 'wrap', marginBottom: 16 }}>
      <Typography.Title level={1} className="page-title" style={{ marginBottom: 0 }}>
        {children}
      </Typography.Title>
      {extra && <div>{extra}</div>}
    </div>
  );
}

export function StatusTag({ status, level }: { status: ArticleStatus; level?: number }) {
  const text = STATUS_NAMES[status] ?? status;
  return (
    <Tag color={STATUS_COLORS[status] ?? '#595959'}>
      {text}
      {status === 'submitted' && level ? `（第 ${level} 级）` : ''}
    </Tag>
  );
}
