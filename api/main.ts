/**
 * npm run api — the NestJS app on API_HOST:API_PORT (127.0.0.1:3000): the prediction form at /, the
 * dashboard at /dashboard.html, OpenAPI at /docs, REST under /api, socket.io, /health and /metrics.
 */
import { config } from '../common/config';
import { createLogger, exitWithError } from '../common/logger';
import { createApi } from './app';

async function main(): Promise<void> {
  const cfg = config();
  const log = createLogger('api', cfg);
  const api = await createApi(cfg, { log });
  await api.app.listen(cfg.api.port, cfg.api.host);
  const base = `http://${cfg.api.host}:${cfg.api.port}`;
  log.info(`listening on ${base}: form ${base}/, dashboard ${base}/dashboard.html, API docs ${base}/docs`);
  let stopping = false;
  // A second signal (Ctrl-C reaches the process group, and a supervisor may send SIGTERM too) must not kill it halfway.
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    api.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error('could not stop cleanly', { error: String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => exitWithError('api', err));
