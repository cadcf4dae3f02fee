/**
 * Helpers for the serving tests, the nginx comparison and the bench: write files the way the
 * publisher does (with .gz/.br siblings), and make raw HTTP requests (exact path, no automatic
 * decompression or normalisation, unlike fetch).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

export const NGINX = '/usr/sbin/nginx';
export const DEPLOY_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../../docs/deploy');

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request with exactly this path and these headers; the body as sent (possibly compressed). */
export function request(port: number, urlPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The body decoded according to its Content-Encoding. */
export function decoded(r: RawResponse): Buffer {
  const enc = r.headers['content-encoding'];
  if (enc === 'gzip') return zlib.gunzipSync(r.body);
  if (enc === 'br') return zlib.brotliDecompressSync(r.body);
  return r.body;
}

const TEXT = /\.(html|css|js|xml|json|txt|svg)$/;

/**
 * Writes files under `<dataDir>/public` as the publisher does: a temporary name renamed into
 * place, with .gz and .br siblings beside every text file (unless `siblings: false`).
 */
export function writePublic(dataDir: string, files: Record<string, string | Buffer>, opts: { siblings?: boolean } = {}): void {
  for (const [p, content] of Object.entries(files)) {
    const abs = path.join(dataDir, 'public', p);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    const buf = typeof content === 'string' ? Buffer.from(content) : content;
    const put = (target: string, data: Buffer) => {
      const tmp = path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}`);
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, target);
    };
    if (TEXT.test(p) && opts.siblings !== false) {
      put(`${abs}.gz`, zlib.gzipSync(buf, { level: 9 }));
      put(`${abs}.br`, zlib.brotliCompressSync(buf));
    }
    put(abs, buf);
  }
}

/** Phrases of government prose; pages are made of them in a pseudo-random (reproducible) order. */
const PHRASES = (
  '深入贯彻落实 党中央国务院决策部署 进一步优化营商环境 提升政务服务标准化规范化便利化水平 推动高效办成一件事 坚持以人民为中心 ' +
  '围绕企业和群众办事需求 强化数字赋能 一网通办 跨省通办 减环节减材料减时限 各区人民政府 市政府各委办局 高度重视 加强组织领导 ' +
  '明确责任分工 细化工作措施 确保各项任务落地见效 市政务服务和数据管理局 统筹协调 督促检查 定期通报 工作进展情况 安全生产 ' +
  '防汛抗旱 乡村振兴 城市更新 教育公平 医疗保障 养老服务 就业创业 科技创新 生态环境保护 依法行政 政务公开 信息公开 ' +
  '依申请公开 政策解读 新闻发布会 常务会议 审议通过 印发实施 征求意见 专项整治 联合检查 应急预案 风险隐患排查 ' +
  '群众满意度 获得感幸福感安全感 高质量发展 重点项目 固定资产投资 社会消费品零售总额 同比增长 百分点 亿元 万人次'
).split(' ');

/** A realistic article page of about `bytes` bytes of Chinese HTML (compresses about as real pages do). */
export function articlePage(bytes = 41 * 1024, title = '关于进一步优化政务服务提升行政效能的实施意见'): string {
  let seed = 20261120;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const sentence = () => {
    let out = '';
    const n = 4 + Math.floor(next() * 8);
    for (let i = 0; i < n; i++) out += PHRASES[Math.floor(next() * PHRASES.length)]! + (i === n - 1 ? '。' : next() < 0.3 ? '，' : next() < 0.1 ? '、' : '');
    return out;
  };
  const head = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}_政务要闻_示范市人民政府</title>
<meta name="SiteName" content="示范市人民政府"><meta name="SiteDomain" content="www.example.gov.cn"><meta name="SiteIDCode" content="1100000001">
<meta name="ColumnName" content="政务要闻"><meta name="ArticleTitle" content="${title}"><meta name="PubDate" content="2026-11-20 09:30">
<link rel="stylesheet" href="/assets/default/site.css"><link rel="stylesheet" href="/_mode.css?site=www">
</head><body><a class="skip" href="#main">跳到主要内容</a><header><h1>示范市人民政府</h1></header>
<main id="main"><article><h1>${title}</h1><p class="meta">发布时间：<time datetime="2026-11-20T01:30:00Z">2026-11-20 09:30</time> 来源：市政务服务和数据管理局</p>
`;
  const tail = `</article></main><footer><p>主办单位：示范市人民政府办公室 网站标识码：1100000001 京ICP备05012345号</p></footer><img src="/_v?p=/zxzx/zwyw/202611/t20261120_42.html" alt="" width="1" height="1"></body></html>\n`;
  let body = '';
  let i = 0;
  while (Buffer.byteLength(head + body + tail) < bytes) {
    body += `<p>（${++i}）${sentence()}${sentence()}${next() < 0.3 ? `截至${2026}年${1 + Math.floor(next() * 12)}月，累计完成${Math.floor(next() * 9000) + 100}项。` : ''}</p>\n`;
  }
  return head + body + tail;
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Replaces each placeholder, insisting it is there (so callers follow the shipped file). */
function fill(text: string, pairs: [string, string][]): string {
  let out = text;
  for (const [from, to] of pairs) {
    if (!out.includes(from)) throw new Error(`placeholder ${from} not found in the deploy configuration`);
    out = out.split(from).join(to);
  }
  return out;
}

export interface RunningNginx {
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Runs Debian's nginx with docs/deploy/nginx.conf and jiyue-site.conf (placeholders replaced:
 * the public directory, the app's port, a free port to listen on) as a child process, in a
 * temporary prefix with its own logs, pid file and temp paths; resolves once it answers.
 */
export async function startNginx(opts: { publicDir: string; appPort: number; workers?: number | 'auto'; accessLog?: boolean }): Promise<RunningNginx> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiyue-nginx-'));
  const port = await freePort();
  const site = fill(fs.readFileSync(path.join(DEPLOY_DIR, 'jiyue-site.conf'), 'utf8'), [['/srv/jiyue/data/public', opts.publicDir]]);
  fs.writeFileSync(path.join(tmp, 'jiyue-site.conf'), site);
  const conf = fill(fs.readFileSync(path.join(DEPLOY_DIR, 'nginx.conf'), 'utf8'), [
    ['/etc/nginx/jiyue-site.conf', path.join(tmp, 'jiyue-site.conf')],
    ['127.0.0.1:3000', `127.0.0.1:${opts.appPort}`],
    ['listen 80', `listen 127.0.0.1:${port}`],
  ]);
  fs.writeFileSync(path.join(tmp, 'jiyue.conf'), conf);
  // Workers of a root master run as "nobody", who cannot read private temporary directories.
  const asRoot = process.getuid?.() === 0 ? 'user root;\n' : '';
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `${k}_temp_path ${path.join(tmp, k)};`).join(' ');
  const accessLog = opts.accessLog === false ? 'off' : path.join(tmp, 'access.log');
  fs.writeFileSync(
    path.join(tmp, 'nginx.conf'),
    `${asRoot}worker_processes ${opts.workers ?? 1};\nerror_log ${path.join(tmp, 'error.log')} warn;\nevents { worker_connections 1024; }\nhttp {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log ${accessLog};\n  sendfile on;\n  tcp_nopush on;\n  ${temp}\n  include ${path.join(tmp, 'jiyue.conf')};\n}\n`,
  );
  const child = spawn(NGINX, ['-p', tmp, '-e', path.join(tmp, 'error.log'), '-c', path.join(tmp, 'nginx.conf'), '-g', `daemon off; pid ${path.join(tmp, 'nginx.pid')};`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGQUIT');
      await exited;
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    try {
      await request(port, '/');
      return { port, process: child, stop };
    } catch (err) {
      if (i > 100 || child.exitCode !== null) {
        await stop();
        throw new Error(`nginx did not start: ${stderr}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
