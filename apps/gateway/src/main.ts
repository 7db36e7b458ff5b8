import { loadConfigOrExit } from '@rosetta/config';
import { createLogger } from '@rosetta/http';
import { startGateway } from './gateway';

async function main(): Promise<void> {
  const config = loadConfigOrExit('rosetta');
  const logger = createLogger(config.logLevel, 'rosetta-gateway');
  const started = Date.now();
  const gateway = await startGateway(config, logger);
  logger.info({ url: gateway.url, ms: Date.now() - started, embedded: gateway.runtime.db.embedded, jobs: gateway.runtime.inProcessJobs ? 'in-process' : 'bullmq' }, 'gateway ready');
  const lines = Object.entries(gateway.urls).map(([name, urls]) => `  ${name.padEnd(14)} ${urls.join('  ')}`);
  process.stdout.write(
    `\nRosetta is serving on ${gateway.url}\n${lines.join('\n')}\n  ${'control'.padEnd(14)} ${gateway.url}/_rosetta/health\n  ${'dashboard'.padEnd(14)} ${gateway.url}/_rosetta/ui/\n\n`,
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    gateway.close().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`rosetta: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
