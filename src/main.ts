import { ConfigError } from './config.js';

const USAGE = `用法 (usage): jiyue <command>

  start                     migrate, seed the demo cluster if empty, serve on HOST:PORT, run jobs
  migrate                   apply database migrations
  seed                      seed the demo cluster into an empty database
  build                     rebuild every public page (progress bar; prints pages and pages/s)
  reindex                   rebuild the search index (progress line; prints documents and documents/s)
  backup <file>             consistent snapshot of the database and media (.tar.gz)
  restore <file>            restore a backup into the configured (empty) database and data dir
  token create --user NAME [--name LABEL]   create an API token for an integration user
  check                     self-inspection: database, migrations, audit chain, queue, storage
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'start': {
      const { start } = await import('./cli/start.js');
      await start();
      return -1; // keeps running
    }
    case 'migrate': {
      const { openRuntime } = await import('./cli/runtime.js');
      const rt = await openRuntime({ migrate: false });
      const { migrateToLatest } = await import('./db/migrate.js');
      const applied = await migrateToLatest(rt.store);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      await rt.store.close();
      return 0;
    }
    case 'seed': {
      const { seedCommand } = await import('./cli/commands.js');
      return seedCommand();
    }
    case 'build': {
      const { buildCommand } = await import('./cli/build.js');
      return buildCommand();
    }
    case 'reindex': {
      const { reindexCommand } = await import('./cli/reindex.js');
      return reindexCommand();
    }
    case 'backup':
    case 'restore': {
      const file = rest[0];
      if (!file) {
        console.error(`jiyue ${cmd} <file>: 缺少文件名 (missing file name)`);
        return 2;
      }
      const { backupCommand, restoreCommand } = await import('./cli/backup.js');
      return cmd === 'backup' ? backupCommand(file) : restoreCommand(file);
    }
    case 'token': {
      const { tokenCommand } = await import('./cli/commands.js');
      return tokenCommand(rest);
    }
    case 'check': {
      const { checkCommand } = await import('./cli/commands.js');
      return checkCommand();
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      console.error(`未知命令 (unknown command): ${cmd}\n`);
      process.stderr.write(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error(err);
    process.exit(1);
  },
);
