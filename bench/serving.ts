/**
 * Static serving: requests per second for a hot 41 KB article page (Chinese text) through the
 * real app (`buildApp` + `listen`), with the load generator in another process — Debian's `wrk`
 * when installed, else a small keep-alive Node client — and, when nginx is installed, nginx with
 * docs/deploy/nginx.conf on the same file. A bare Node `http` server sending the same gzip bytes
 * from memory is the baseline: the fast path's cost is the difference.
 */
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { createTestApp } from '../test/helpers.js';
import { invalidate } from '../src/modules/publishing/serve/index.js';
import { NGINX, articlePage, request, startNginx, writePublic } from '../src/modules/publishing/serve/testing.js';
import { WRK, line, run, wrk } from './lib.js';

const PAGE = '/zxzx/zwyw/202611/t20261120_42.html';
const CONNECTIONS = 64;
const SECONDS = Number(process.env.BENCH_SERVE_SECONDS ?? 5);

/** A keep-alive client with many connections, for machines without wrk (slower: a lower bound). */
const NODE_CLIENT = `
import http from 'node:http';
const [url, conns, secs, enc] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(conns) });
const headers = enc === 'identity' ? {} : { 'accept-encoding': enc };
let done = 0; let errors = 0;
const end = Date.now() + Number(secs) * 1000;
const one = () => new Promise((resolve) => {
  http.get(url, { agent, headers }, (res) => { res.resume(); res.on('end', () => { res.statusCode === 200 ? done++ : errors++; resolve(); }); })
    .on('error', () => { errors++; resolve(); });
});
const t0 = Date.now();
await Promise.all(Array.from({ length: Number(conns) }, async () => { while (Date.now() < end) await one(); }));
console.log(JSON.stringify({ rps: done / ((Date.now() - t0) / 1000), errors }));
process.exit(0);
`;

/** Requests per second for one URL, with `Accept-Encoding: gzip` or none. */
async function load(port: number, encoding: 'gzip' | 'identity', seconds = SECONDS): Promise<number> {
  const url = `http://127.0.0.1:${port}${PAGE}`;
  if (fs.existsSync(WRK)) return wrk(url, { connections: CONNECTIONS, seconds, headers: encoding === 'gzip' ? { 'Accept-Encoding': 'gzip' } : {} });
  const out = await run(process.execPath, ['--input-type=module', '-e', NODE_CLIENT, url, String(CONNECTIONS), String(seconds), encoding]);
  const r = JSON.parse(out) as { rps: number; errors: number };
  if (r.errors) throw new Error(`${r.errors} failed requests`);
  return r.rps;
}

export async function benchServing(): Promise<void> {
  const t = await createTestApp();
  let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;
  try {
    const html = articlePage(41 * 1024);
    writePublic(t.dataDir, { [PAGE]: html, '/404.html': '<!doctype html><h1>页面不存在</h1>' });
    await invalidate();
    await t.jiyue.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.jiyue.app.server.address() as net.AddressInfo).port;
    const check = await request(port, PAGE, { 'accept-encoding': 'gzip' });
    if (check.status !== 200 || check.headers['content-encoding'] !== 'gzip') throw new Error(`the page is not served: ${check.status}`);
    if (!fs.existsSync(WRK)) console.log('# wrk not installed (apt-get install wrk): using a Node client, which is slower than the server — figures are lower bounds');
    console.log(`# page ${Buffer.byteLength(html)} bytes, gzip ${fs.statSync(path.join(t.dataDir, 'public', `${PAGE}.gz`)).size} bytes; ${CONNECTIONS} connections, ${SECONDS} s each`);

    await load(port, 'gzip', 1); // warm up (JIT, cache)
    line('serve.article_page[gzip]', await load(port, 'gzip'), 'req/s');
    line('serve.article_page[identity]', await load(port, 'identity'), 'req/s');

    const gz = fs.readFileSync(path.join(t.dataDir, 'public', `${PAGE}.gz`));
    const headers: http.OutgoingHttpHeaders = { ...check.headers, 'content-length': String(gz.length) };
    for (const h of ['date', 'connection', 'keep-alive']) delete headers[h];
    const bare = http.createServer((_req, res) => {
      res.writeHead(200, headers);
      res.end(gz);
    });
    await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
    try {
      line('serve.node_http_baseline[gzip]', await load((bare.address() as net.AddressInfo).port, 'gzip'), 'req/s');
    } finally {
      await new Promise((r) => bare.close(r));
    }

    if (fs.existsSync(NGINX)) {
      nginx = await startNginx({ publicDir: path.join(t.dataDir, 'public'), appPort: port, workers: 'auto', accessLog: false });
      await load(nginx.port, 'gzip', 1);
      line('serve.nginx_article_page[gzip]', await load(nginx.port, 'gzip'), 'req/s');
      line('serve.nginx_article_page[identity]', await load(nginx.port, 'identity'), 'req/s');
    } else {
      console.log('# nginx not installed (apt-get install nginx): no nginx figure');
    }
  } finally {
    await nginx?.stop();
    await t.close();
  }
}
