import type { Config, ServiceName } from '../../common/config';
import type { Logger } from '../../common/logger';

/** Where one service keeps its things. */
export interface ServiceContext {
  config: Config;
  /** Provisioned binaries, jars and virtualenvs: ~/.cache/flight-delay/<service>, shared by every checkout. */
  cacheDir: string;
  /** The service's data: <repo>/.stack/data/<service>, git-ignored. */
  dataDir: string;
  /** Folder of the service's log files: <repo>/.stack/logs. */
  logDir: string;
  /** Repository root, for the service configs kept under infra/config. */
  repoRoot: string;
  log: Logger;
}

/** A process of the stack, started detached in its own process group so that `down` stops all it spawned. */
export interface ProcessSpec {
  /** Unique within the stack, e.g. "hdfs-namenode"; names the pid and log files. */
  id: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export interface ProbeResult {
  ok: boolean;
  /** What answered (e.g. "Kafka cluster …: brokers 1@127.0.0.1:9092") or why not (e.g. "ECONNREFUSED 127.0.0.1:9092"). */
  detail: string;
}

/** A toolchain a service needs on PATH, with what to install when it is missing. */
export interface Tool {
  command: string;
  versionArgs: string[];
  hint: string;
}

export interface ServiceDefinition {
  name: ServiceName;
  title: string;
  /** Human-facing endpoints printed by `status`. */
  urls(config: Config): { label: string; url: string }[];
  /** Checked before provisioning; a missing one fails with its hint. */
  tools: Tool[];
  /** Downloads or builds what the service needs into ctx.cacheDir. Idempotent and quick once done. */
  provision(ctx: ServiceContext): Promise<void>;
  /** One-time data set-up before the first start (format storage, write configs). Idempotent. */
  prepare?(ctx: ServiceContext): Promise<void>;
  /** The processes to start, in order. */
  processes(ctx: ServiceContext): ProcessSpec[];
  /** Answers only when the service speaks its own protocol and is ready for work. Through the project's clients (infra/probes.ts), with short deadlines and no retries. */
  probe(config: Config): Promise<ProbeResult>;
  /** How long a cold start may take before `up` gives up. */
  startTimeoutMs: number;
}
