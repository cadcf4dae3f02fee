/**
 * The names people read for background jobs (后台任务), by job type. Event jobs
 * (`publishing.on.<event>`, `search.on.<event>`) are named by what they do and the event that
 * caused them. test/console-job-names.test.ts holds every type the server registers to a name.
 */

const TYPE_NAMES: Record<string, string> = {
  'publishing.full_build': '全站重新生成',
  'publishing.render': '生成页面',
  'publishing.tamper_check': '网页防篡改检查',
  'content.publish_due': '定时发布稿件',
  'content.expire_due': '稿件到期下线',
  'interaction.faq_publish_due': '定时发布问答条目',
  'interaction.faq_expire_due': '问答条目到期下线',
  'interaction.faq_index': '更新问答条目检索',
  'search.reindex': '重建检索索引',
  'search.prune_log': '清理检索日志',
  event: '事件分发',
};

/** What happened, for the event jobs. */
const EVENT_NAMES: Record<string, string> = {
  'article.published': '稿件发布',
  'article.withdrawn': '稿件撤下',
  'article.expired': '稿件到期',
  'article.moved': '稿件移动栏目',
  'syndication.published': '稿件推送到其他站点',
  'syndication.withdrawn': '撤回推送',
  'template.changed': '模板修改',
  'site.updated': '站点设置修改',
  'column.created': '新建栏目',
  'column.updated': '修改栏目',
  'column.moved': '移动栏目',
  'column.deleted': '删除栏目',
  'faq.published': '问答条目发布',
  'faq.withdrawn': '问答条目下线',
  'faq.expired': '问答条目到期',
};

const PREFIX_NAMES: [string, string][] = [
  ['publishing.on.', '更新网页'],
  ['search.on.', '更新检索索引'],
];

/** The name of a job type; a type without one is shown as it is (the screen keeps it as the title). */
export function jobTypeName(type: string): string {
  const named = TYPE_NAMES[type];
  if (named) return named;
  const prefix = PREFIX_NAMES.find(([p]) => type.startsWith(p));
  if (!prefix) return type;
  const event = type.slice(prefix[0].length);
  return `${prefix[1]}：${EVENT_NAMES[event] ?? event}`;
}
