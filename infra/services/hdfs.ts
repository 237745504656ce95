import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../../common/config';
import { run } from '../exec';
import { httpGet, probeWebHdfs, probing } from '../probes';
import { tools } from '../toolchain';
import type { ProbeResult, ProcessSpec, ServiceContext, ServiceDefinition } from './service';

// Longer than 250 lines on purpose: like every service file, it holds one service's provisioning, configuration,
// processes and probe; HDFS needs two processes and Java 17's --add-opens flags.

/**
 * HDFS for the local stack: one NameNode (RPC 9000, HTTP/WebHDFS 9870) and one DataNode (HTTP 9864,
 * data 9866, IPC 9867), all on 127.0.0.1, from the Hadoop jars of Maven Central; no Hadoop
 * distribution, no shell scripts. The version is pinned in infra/config/hdfs/pom.xml.
 */

/** Keep in step with <hadoop.version> in infra/config/hdfs/pom.xml (checked at provisioning). */
const HADOOP_VERSION = '3.4.3';
/** A fixed cluster id, so a DataNode's storage always matches the NameNode it was made for. */
const CLUSTER_ID = 'CID-flight-delay-local';

const configDir = (ctx: ServiceContext): string => join(ctx.repoRoot, 'infra', 'config', 'hdfs');
const libDir = (ctx: ServiceContext): string => join(ctx.cacheDir, 'lib');
/** Holds webapps/ (hdfs, datanode, static) taken from the hadoop-hdfs test jar; on the class path. */
const webappsRoot = (ctx: ServiceContext): string => join(ctx.cacheDir, 'webapps-root');
const markerFile = (ctx: ServiceContext): string => join(ctx.cacheDir, 'provisioned.txt');
const confDir = (ctx: ServiceContext): string => join(ctx.dataDir, 'conf');
const nameDir = (ctx: ServiceContext): string => join(ctx.dataDir, 'name');
const dataNodeDir = (ctx: ServiceContext): string => join(ctx.dataDir, 'data');

/**
 * The set Hadoop itself opens for Java 17 (extraJavaTestArgs of hadoop-project and, on trunk,
 * hadoop-functions.sh), plus java.nio and sun.nio.ch for direct-buffer handling.
 */
const addOpens = [
  'java.base/java.io',
  'java.base/java.lang',
  'java.base/java.lang.reflect',
  'java.base/java.math',
  'java.base/java.net',
  'java.base/java.nio',
  'java.base/java.text',
  'java.base/java.util',
  'java.base/java.util.concurrent',
  'java.base/java.util.zip',
  'java.base/sun.nio.ch',
  'java.base/sun.security.util',
  'java.base/sun.security.x509',
].map((m) => `--add-opens=${m}=ALL-UNNAMED`);

/** The JVM arguments of a NameNode or DataNode run (or the one-off format), up to the main class. */
function javaArgs(ctx: ServiceContext, role: string): string[] {
  const logDir = join(ctx.dataDir, 'logs');
  return [
    '-Xmx512m',
    '-XX:+IgnoreUnrecognizedVMOptions',
    ...addOpens,
    '-Djava.net.preferIPv4Stack=true',
    `-Dhadoop.home.dir=${ctx.cacheDir}`,
    `-Dhadoop.log.dir=${logDir}`,
    `-Dhadoop.log.file=hdfs-${role}.log`,
    `-Dhadoop.id.str=${role}`,
    '-Dhadoop.root.logger=INFO,console',
    '-Dhadoop.security.logger=INFO,NullAppender',
    `-Dlog4j.configuration=${pathToFileURL(join(confDir(ctx), 'log4j.properties')).href}`,
    '-cp',
    [confDir(ctx), webappsRoot(ctx), join(libDir(ctx), '*')].join(':'),
  ];
}

/** The marker names the pinned version and the pom it came from: either changing re-provisions. */
function provisionStamp(ctx: ServiceContext): string {
  const pom = readFileSync(join(configDir(ctx), 'pom.xml'));
  const hash = createHash('sha256').update(pom).digest('hex').slice(0, 16);
  return `hadoop ${HADOOP_VERSION} pom-sha256 ${hash}\n`;
}

async function provision(ctx: ServiceContext): Promise<void> {
  const pomFile = join(configDir(ctx), 'pom.xml');
  const pom = readFileSync(pomFile, 'utf8');
  const pinned = /<hadoop\.version>([^<]+)<\/hadoop\.version>/.exec(pom)?.[1];
  if (pinned !== HADOOP_VERSION) {
    throw new Error(
      `infra/config/hdfs/pom.xml pins Hadoop ${pinned ?? '(none)'} but infra/services/hdfs.ts expects ${HADOOP_VERSION}; ` +
        'change both together.',
    );
  }
  const stamp = provisionStamp(ctx);
  if (existsSync(markerFile(ctx)) && readFileSync(markerFile(ctx), 'utf8') === stamp) {
    ctx.log.debug(`Hadoop ${HADOOP_VERSION} jars already in ${libDir(ctx)}`);
    return;
  }
  // A fresh copy: jars of an older version left beside the new ones would share the class path.
  rmSync(markerFile(ctx), { force: true });
  rmSync(libDir(ctx), { recursive: true, force: true });
  rmSync(webappsRoot(ctx), { recursive: true, force: true });
  const started = Date.now();
  try {
    await run(
      'mvn',
      [
        '-B',
        '-q',
        '-Dstyle.color=never',
        '-f',
        pomFile,
        'dependency:copy-dependencies',
        'dependency:unpack@webapps',
        '-DincludeScope=runtime',
        `-DoutputDirectory=${libDir(ctx)}`,
        `-Dwebapps.dir=${webappsRoot(ctx)}`,
        `-Dmaven.repo.local=${join(ctx.cacheDir, 'm2')}`,
      ],
      { log: ctx.log, what: `resolving Hadoop ${HADOOP_VERSION} jars from Maven Central` },
    );
  } catch (err) {
    throw new Error(
      `${(err as Error).message}\nCould not fetch the HDFS jars. Check that Maven Central is reachable ` +
        `(proxy settings in ~/.m2/settings.xml), then run 'npm run stack -- up hdfs' again; ` +
        `delete ${ctx.cacheDir} if the local repository is damaged.`,
    );
  }
  for (const needed of [join(libDir(ctx), `hadoop-hdfs-${HADOOP_VERSION}.jar`), join(webappsRoot(ctx), 'webapps', 'hdfs')]) {
    if (!existsSync(needed)) {
      throw new Error(`Maven finished but ${needed} is missing; delete ${ctx.cacheDir} and run 'npm run stack -- up hdfs' again.`);
    }
  }
  writeFileSync(markerFile(ctx), stamp);
  ctx.log.info(`Hadoop ${HADOOP_VERSION} jars ready in ${Math.round((Date.now() - started) / 1000)} s`, { lib: libDir(ctx) });
}

const xmlEscape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Writes the effective configuration into dataDir/conf; done before every start so template edits apply. */
function writeConfig(ctx: ServiceContext): void {
  mkdirSync(confDir(ctx), { recursive: true });
  mkdirSync(join(ctx.dataDir, 'logs'), { recursive: true });
  const values: Record<string, string> = {
    '@DATA_DIR_URI@': xmlEscape(pathToFileURL(ctx.dataDir).href),
    '@DATA_DIR@': xmlEscape(ctx.dataDir),
    '@HDFS_USER@': xmlEscape(ctx.config.hdfs.user),
  };
  for (const file of ['core-site.xml', 'hdfs-site.xml', 'log4j.properties']) {
    let text = readFileSync(join(configDir(ctx), file), 'utf8');
    for (const [key, value] of Object.entries(values)) text = text.split(key).join(value);
    writeFileSync(join(confDir(ctx), file), text);
  }
}

async function prepare(ctx: ServiceContext): Promise<void> {
  writeConfig(ctx);
  if (existsSync(join(nameDir(ctx), 'current', 'VERSION'))) return;
  // No formatted namespace: start from scratch. A half-made name dir would make `-format
  // -nonInteractive` refuse, and old DataNode blocks would belong to another namespace.
  rmSync(nameDir(ctx), { recursive: true, force: true });
  rmSync(dataNodeDir(ctx), { recursive: true, force: true });
  try {
    await run(
      'java',
      [
        ...javaArgs(ctx, 'format'),
        'org.apache.hadoop.hdfs.server.namenode.NameNode',
        '-format',
        '-clusterid',
        CLUSTER_ID,
        '-nonInteractive',
      ],
      { log: ctx.log, what: 'formatting the HDFS NameNode' },
    );
  } catch (err) {
    throw new Error(
      `${(err as Error).message}\nFormatting HDFS failed. Delete ${ctx.dataDir} (the HDFS data of this checkout) ` +
        `and run 'npm run stack -- up hdfs' again; if it persists, delete ${ctx.cacheDir} to re-provision.`,
    );
  }
  if (!existsSync(join(nameDir(ctx), 'current', 'VERSION'))) {
    throw new Error(`NameNode -format ran but ${nameDir(ctx)}/current/VERSION is missing; delete ${ctx.dataDir} and retry.`);
  }
}

function processes(ctx: ServiceContext): ProcessSpec[] {
  return [
    {
      id: 'hdfs-namenode',
      command: 'java',
      args: [...javaArgs(ctx, 'namenode'), 'org.apache.hadoop.hdfs.server.namenode.NameNode'],
      cwd: ctx.dataDir,
    },
    {
      id: 'hdfs-datanode',
      command: 'java',
      args: [...javaArgs(ctx, 'datanode'), 'org.apache.hadoop.hdfs.server.datanode.DataNode'],
      cwd: ctx.dataDir,
    },
  ];
}

/** The NameNode's HTTP root, whether WEBHDFS_URL names it or its /webhdfs/v1 endpoint. */
function nameNodeHttp(config: Config): string {
  return config.hdfs.webhdfsUrl.replace(/\/+$/, '').replace(/\/webhdfs\/v1$/, '');
}

interface FsNamesystemState {
  FSState?: string;
  NumLiveDataNodes?: number;
  CapacityRemaining?: number;
}

/**
 * Ready for work: WebHDFS answers GETFILESTATUS on /, and the NameNode's JMX shows a live DataNode
 * with free space and safe mode off, so that the first write succeeds.
 */
function probe(config: Config): Promise<ProbeResult> {
  return probing(async () => {
    const root = await probeWebHdfs(config);
    if (!root.ok) return root;
    const base = nameNodeHttp(config);
    const jmx = await httpGet(`${base}/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState`);
    if (jmx.status !== 200) return { ok: false, detail: `NameNode JMX answered HTTP ${jmx.status}` };
    const bean = (JSON.parse(jmx.body) as { beans?: FsNamesystemState[] }).beans?.[0];
    if (!bean) return { ok: false, detail: 'NameNode JMX has no FSNamesystemState yet' };
    const live = bean.NumLiveDataNodes ?? 0;
    if (live < 1) return { ok: false, detail: 'WebHDFS answers; waiting for a live DataNode' };
    if (bean.FSState !== 'Operational') return { ok: false, detail: `NameNode is in ${bean.FSState ?? 'an unknown state'} (safe mode)` };
    const free = bean.CapacityRemaining ?? 0;
    if (free <= 0) return { ok: false, detail: `${live} live DataNode(s) but no free capacity reported yet` };
    return { ok: true, detail: `WebHDFS up, ${live} live DataNode(s), safe mode off, ${(free / 2 ** 30).toFixed(1)} GiB free` };
  });
}

export const hdfs: ServiceDefinition = {
  name: 'hdfs',
  title: 'HDFS',
  urls: (config) => {
    const base = nameNodeHttp(config);
    const urls = [
      { label: 'WebHDFS', url: `${base}/webhdfs/v1/` },
      { label: 'NameNode UI', url: `${base}/dfshealth.html` },
    ];
    if (!config.external.hdfs) urls.push({ label: 'DataNode UI', url: 'http://127.0.0.1:9864/datanode.html' });
    return urls;
  },
  tools: [tools.java, tools.maven],
  provision,
  prepare,
  processes,
  probe,
  startTimeoutMs: 120_000,
};
