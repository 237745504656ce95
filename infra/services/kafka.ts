import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../exec';
import { probeKafka } from '../probes';
import { tools } from '../toolchain';
import type { ServiceContext, ServiceDefinition } from './service';

/**
 * Apache Kafka 3.9, one node in KRaft mode (broker 127.0.0.1:9092, controller 127.0.0.1:9093).
 *
 * provision: the broker's jars from Maven Central, resolved by infra/config/kafka/pom.xml into
 *   <cacheDir>/libs (Maven's own repository for it in <cacheDir>/m2, so no other service shares it).
 * prepare:   writes <dataDir>/server.properties from the template and formats the KRaft storage once.
 * process:   `java kafka.Kafka server.properties`, logging to stdout (.stack/logs/kafka.log).
 */

const configDir = (ctx: ServiceContext): string => join(ctx.repoRoot, 'infra', 'config', 'kafka');
const libsDir = (ctx: ServiceContext): string => join(ctx.cacheDir, 'libs');
const propsFile = (ctx: ServiceContext): string => join(ctx.dataDir, 'server.properties');
const kraftLogDir = (ctx: ServiceContext): string => join(ctx.dataDir, 'kraft-combined-logs');
const markerName = '.provisioned';

/** The JVM flags of the broker: a modest heap, since five services and the tests share the machine. */
const jvmFlags = ['-Xms256m', '-Xmx768m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true'];

/** The Kafka version pinned in the pom (its one source of truth). */
function pinnedVersion(pomText: string): string {
  const m = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pomText);
  if (!m) throw new Error('infra/config/kafka/pom.xml lacks a <kafka.version> property; restore it from git.');
  return m[1]!;
}

function classpath(ctx: ServiceContext): string[] {
  return ['-cp', `${libsDir(ctx)}/*`];
}

function log4jFlag(ctx: ServiceContext): string {
  return `-Dlog4j.configuration=file:${join(configDir(ctx), 'log4j.properties')}`;
}

async function provision(ctx: ServiceContext): Promise<void> {
  const pom = join(configDir(ctx), 'pom.xml');
  const pomText = readFileSync(pom, 'utf8');
  const version = pinnedVersion(pomText);
  // The marker names the version and the pom's hash: any change to the pom re-provisions.
  const stamp = `kafka_2.13 ${version} pom-sha256:${createHash('sha256').update(pomText).digest('hex').slice(0, 16)}\n`;
  const marker = join(libsDir(ctx), markerName);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === stamp) {
    ctx.log.debug(`Kafka ${version} jars already in ${libsDir(ctx)}`);
    return;
  }

  // Resolve into a fresh folder and swap it in only when complete, so a broken download never
  // leaves a half-filled libs/ (or jars of an older version) behind.
  const staging = join(ctx.cacheDir, `libs.staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const quiet = ctx.config.logLevel === 'debug' ? ['--no-transfer-progress'] : ['-q'];
  try {
    await run(
      'mvn',
      [
        '-B',
        ...quiet,
        '-f',
        pom,
        'dependency:copy-dependencies',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${staging}`,
        `-Dmaven.repo.local=${join(ctx.cacheDir, 'm2')}`,
      ],
      { log: ctx.log, what: `resolving Kafka ${version} jars from Maven Central`, cwd: ctx.cacheDir },
    );
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `${(err as Error).message}\n` +
        'Maven could not fetch the Kafka jars. Check that Maven Central is reachable (proxy or mirror settings ' +
        'go in ~/.m2/settings.xml), then run `npm run stack -- up kafka` again; LOG_LEVEL=debug shows Maven’s output.',
    );
  }
  const jar = `kafka_2.13-${version}.jar`;
  if (!existsSync(join(staging, jar))) {
    const found = existsSync(staging) ? readdirSync(staging).join(', ') : 'nothing';
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Maven finished but ${jar} is not among the resolved jars (${found}). Check infra/config/kafka/pom.xml.`);
  }
  writeFileSync(join(staging, markerName), stamp);
  rmSync(libsDir(ctx), { recursive: true, force: true });
  renameSync(staging, libsDir(ctx));
  ctx.log.info(`Kafka ${version} jars ready`, { dir: libsDir(ctx), jars: readdirSync(libsDir(ctx)).length - 1 });
}

/** A value for a Java .properties file, which is read as ISO-8859-1 with backslash escapes. */
function propertyValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A KRaft cluster id: 16 random bytes, base64url without padding, like `kafka-storage random-uuid`. */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id; // Kafka avoids ids that look like command-line flags
  }
}

function requireJava17(): void {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${r.stderr}${r.stdout}`);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : NaN;
  if (!(major >= 17)) {
    throw new Error(
      `Kafka needs Java 17 or newer, but 'java' on PATH is ${m ? `Java ${major}` : 'unrecognised'}. ` + tools.java.hint,
    );
  }
}

async function prepare(ctx: ServiceContext): Promise<void> {
  requireJava17();
  const logDirs = kraftLogDir(ctx);
  mkdirSync(logDirs, { recursive: true });
  // Rewritten on every start so that edits to the template take effect.
  const template = readFileSync(join(configDir(ctx), 'server.properties'), 'utf8');
  writeFileSync(propsFile(ctx), template.replaceAll('{{LOG_DIRS}}', propertyValue(logDirs)));

  if (existsSync(join(logDirs, 'meta.properties'))) return;
  const clusterId = newClusterId();
  await run('java', [...classpath(ctx), log4jFlag(ctx), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsFile(ctx)], {
    log: ctx.log,
    what: `formatting KRaft storage in ${logDirs} (cluster id ${clusterId})`,
  });
}

export const kafka: ServiceDefinition = {
  name: 'kafka',
  title: 'Apache Kafka',
  urls: (config) => [{ label: 'broker', url: config.kafka.brokers.join(',') }],
  tools: [tools.java, tools.maven],
  provision,
  prepare,
  processes: (ctx) => [
    {
      id: 'kafka',
      command: 'java',
      args: [...jvmFlags, log4jFlag(ctx), ...classpath(ctx), 'kafka.Kafka', propsFile(ctx)],
      cwd: ctx.dataDir,
    },
  ],
  probe: probeKafka,
  startTimeoutMs: 90_000,
};
