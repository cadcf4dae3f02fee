import path from 'node:path';
import { z } from 'zod';

/** Environment → typed configuration, in one place (CONTRACTS.md "Environment"). */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  JIYUE_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL 必须以 postgres:// 开头')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  JIYUE_ADMIN_PASSWORD: z.string().optional(),
  JIYUE_DEMO: z.enum(['0', '1']).default('1'),
  JIYUE_ROLE: z.enum(['all', 'web', 'worker']).default('all'),
  JIYUE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JIYUE_PUBLIC_URL: z.string().url().optional(),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  adminPassword: string | undefined;
  demo: boolean;
  role: 'all' | 'web' | 'worker';
  logLevel: z.infer<typeof Env>['JIYUE_LOG_LEVEL'];
  publicUrl: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`配置有误 (configuration error):\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.JIYUE_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    adminPassword: e.JIYUE_ADMIN_PASSWORD,
    demo: e.JIYUE_DEMO === '1',
    role: e.JIYUE_ROLE,
    logLevel: e.JIYUE_LOG_LEVEL,
    publicUrl: e.JIYUE_PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`,
  };
}
