import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../exec';
import { probeMongo } from '../probes';
import { hasCommand, tools } from '../toolchain';
import type { ServiceContext, ServiceDefinition, Tool } from './service';
import { FERRETDB_PATCH, patchedFerretdbSource, pushdownSource } from './ferretdb-patch';

/**
 * The MongoDB-protocol server of the local stack: a real `mongod` when one is on PATH, otherwise
 * FerretDB 1.x with its SQLite backend, built from the Go module proxy around FerretDB's embeddable
 * package (infra/ferretdb/main.go; the plain `go install` of its cmd panics on a missing version.txt),
 * with one fix to its `_id` lookups (ferretdb-patch.ts).
 */

/** Pinned FerretDB release; keep in step with infra/ferretdb/go.mod. */
export const FERRETDB_VERSION = 'v1.24.2';

const LISTEN_HOST = '127.0.0.1';
const LISTEN_PORT = 27017;
/** One id for both variants, so that `down` stops whichever of them `up` started. */
const PROCESS_ID = 'mongo';

const sourceDir = (repoRoot: string): string => join(repoRoot, 'infra', 'ferretdb');
const buildDir = (cacheDir: string): string => join(cacheDir, `ferretdb-${FERRETDB_VERSION}`);
const ferretdbBinary = (cacheDir: string): string => join(buildDir(cacheDir), 'ferretdb');
const useMongod = (): boolean => hasCommand('mongod');

export const mongo: ServiceDefinition = {
  name: 'mongo',
  title: 'MongoDB',

  urls: (config) => [{ label: 'mongodb', url: redact(config.mongo.url) }],

  // Go is needed only to build FerretDB; a real mongod on PATH needs nothing.
  get tools(): Tool[] {
    return useMongod() ? [] : [tools.go];
  },

  async provision(ctx) {
    if (useMongod()) {
      ctx.log.debug('mongod found on PATH; nothing to provision');
      return;
    }
    const marker = join(buildDir(ctx.cacheDir), '.provisioned');
    const want = `FerretDB ${FERRETDB_VERSION} ${sourceHash(ctx.repoRoot)} ${FERRETDB_PATCH}\n`;
    if (existsSync(ferretdbBinary(ctx.cacheDir)) && existsSync(marker) && readFileSync(marker, 'utf8') === want) {
      ctx.log.debug(`FerretDB ${FERRETDB_VERSION} already built`, { binary: ferretdbBinary(ctx.cacheDir) });
      return;
    }

    const started = Date.now();
    rmSync(buildDir(ctx.cacheDir), { recursive: true, force: true });
    mkdirSync(buildDir(ctx.cacheDir), { recursive: true });
    const goHome = join(ctx.config.stack.home, 'go');
    const partial = `${ferretdbBinary(ctx.cacheDir)}.partial`;
    ctx.log.info(`building FerretDB ${FERRETDB_VERSION} (first time only; a few minutes on 2 cores)`);
    const goEnv = {
      ...process.env,
      // Module and build caches stay under the stack cache, shared by every checkout; the repo stays clean.
      GOMODCACHE: join(goHome, 'mod'),
      GOCACHE: join(goHome, 'build'),
      GOFLAGS: '-modcacherw -buildvcs=false -mod=readonly',
      GOWORK: 'off',
      CGO_ENABLED: '0',
    };
    const buildIn = await patchedFerretdbSource({ sourceDir: sourceDir(ctx.repoRoot), buildDir: buildDir(ctx.cacheDir), env: goEnv, log: ctx.log });
    await run(
      'go',
      [
        'build',
        '-v', // package names as they compile: progress at LOG_LEVEL=debug
        '-trimpath',
        // PostgreSQL backend left out: we use SQLite, and pgx is a large part of the compile.
        '-tags',
        'ferretdb_no_postgresql',
        '-ldflags',
        '-s -w',
        '-o',
        partial,
        '.',
      ],
      {
        cwd: buildIn,
        env: goEnv,
        log: ctx.log,
        what: `go build FerretDB ${FERRETDB_VERSION} (check network access to the Go module proxy, or put a real mongod on PATH)`,
      },
    );
    renameSync(partial, ferretdbBinary(ctx.cacheDir));
    rmSync(join(buildDir(ctx.cacheDir), 'src'), { recursive: true, force: true });
    writeFileSync(marker, want);
    // Builds of other versions are no longer used.
    for (const entry of readdirSync(ctx.cacheDir)) {
      if (entry.startsWith('ferretdb-') && entry !== `ferretdb-${FERRETDB_VERSION}`) {
        rmSync(join(ctx.cacheDir, entry), { recursive: true, force: true });
      }
    }
    ctx.log.info(`built FerretDB ${FERRETDB_VERSION} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  },

  prepare(ctx) {
    mkdirSync(join(ctx.dataDir, useMongod() ? 'mongod' : 'sqlite'), { recursive: true });
    return Promise.resolve();
  },

  processes(ctx: ServiceContext) {
    if (useMongod()) {
      return [
        {
          id: PROCESS_ID,
          command: 'mongod',
          args: [
            '--bind_ip',
            LISTEN_HOST,
            '--port',
            String(LISTEN_PORT),
            '--dbpath',
            join(ctx.dataDir, 'mongod'),
            '--nounixsocket',
            '--wiredTigerCacheSizeGB',
            '0.5',
          ],
        },
      ];
    }
    return [
      {
        id: PROCESS_ID,
        command: ferretdbBinary(ctx.cacheDir),
        args: [
          '-listen-addr',
          `${LISTEN_HOST}:${LISTEN_PORT}`,
          '-sqlite-dir',
          join(ctx.dataDir, 'sqlite'),
          // FerretDB logs every connection at info and dumps every wire message at debug: warnings
          // only, and the connections with LOG_LEVEL=debug.
          '-log-level',
          ctx.config.logLevel === 'debug' ? 'info' : 'warn',
          ...(ctx.config.stack.ferretdbDebugAddr ? ['-debug-addr', ctx.config.stack.ferretdbDebugAddr] : []),
        ],
      },
    ];
  },

  probe: probeMongo,

  startTimeoutMs: 60_000,
};

/** Hash of the Go sources, so that a changed .go file or go.mod rebuilds even at the same version. */
function sourceHash(repoRoot: string): string {
  const h = createHash('sha256');
  const goFiles = readdirSync(sourceDir(repoRoot)).filter((f) => f.endsWith('.go')).sort();
  for (const f of ['go.mod', 'go.sum', ...goFiles, pushdownSource]) h.update(`${f}\0`).update(readFileSync(join(sourceDir(repoRoot), f)));
  return h.digest('hex').slice(0, 16);
}

/** The URL without its password, for printing. */
function redact(url: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
}
