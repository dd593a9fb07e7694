import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { loadConfigOrExit } from './config.js';

/** After the longest a task may run, this long to send its answer and drain the sockets before a forced exit. */
const FORCED_EXIT_MARGIN_MS = 10_000;

/** The entry point: the only place that listens and that handles signals. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();

  const app = await buildApp(config, { keepThreadsWarm: true });

  // On SIGTERM/SIGINT: stop accepting connections, answer queued work 503, let running work (at most
  // SIMULATION_TIMEOUT_MS) and the answers in flight finish, then exit 0. The forced exit comes only after
  // the longest a task may run plus time to send its answer; its message goes through the JSON log too.
  const delay = config.simulation.timeoutMs + FORCED_EXIT_MARGIN_MS;
  const logger = { error: (message: unknown) => app.log.error({ err: message instanceof Error ? message : undefined }, String(message)) };
  closeWithGrace({ delay, logger }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an uncaught error');
    else app.log.info({ signal }, 'shutting down gracefully');
    await app.close();
  });

  await app.listen({ port: config.port, host: config.host });
}

await main();
