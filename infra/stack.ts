import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { externalServiceVariables, repoRoot, type Config } from '../common/config';
import type { Logger } from '../common/logger';
import { ProcessTable } from './processes';
import { services } from './services';
import type { ServiceContext, ServiceDefinition } from './services/service';
import { requireTool } from './toolchain';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ServiceStatus {
  name: string;
  title: string;
  urls: { label: string; url: string }[];
  external: boolean;
  up: boolean;
  detail: string;
  pids: number[];
}

/** The local stack: provisions, starts, probes and stops the services on 127.0.0.1. */
export class Stack {
  private readonly processes: ProcessTable;

  constructor(
    private readonly config: Config,
    private readonly log: Logger,
    private readonly selected: ServiceDefinition[] = services,
  ) {
    this.processes = new ProcessTable(join(config.stack.dataDir, 'run'), join(config.stack.dataDir, 'logs'));
  }

  /** Provisions and starts every selected service that is not external, then waits until each answers. */
  async up(): Promise<ServiceStatus[]> {
    const local = this.selected.filter((s) => !this.config.external[s.name]);
    // Toolchains are needed only to provision and start: a service that answers already needs none
    // (checking them costs a JVM start each for Java and Maven).
    const answering = await Promise.all(local.map((s) => s.probe(this.config).then((p) => p.ok, () => false)));
    const down = local.filter((_, i) => !answering[i]);
    for (const s of down) for (const t of s.tools) requireTool(t, s.title);

    // Downloads and builds are independent: run them side by side.
    await Promise.all(down.map((s) => this.provision(s)));
    for (const s of local) await this.startIfDown(s);
    await Promise.all(this.selected.map((s) => this.waitUntilUp(s)));
    return this.status();
  }

  async down(): Promise<string[]> {
    // Services stop side by side; within one, processes stop in reverse (DataNode before NameNode).
    const stoppedPerService = await Promise.all(
      this.selected
        .filter((s) => !this.config.external[s.name])
        .map(async (s) => {
          const stopped: string[] = [];
          for (const p of [...s.processes(this.context(s))].reverse()) {
            if (await this.processes.stop(p.id)) stopped.push(p.id);
          }
          return stopped;
        }),
    );
    return stoppedPerService.flat();
  }

  async status(): Promise<ServiceStatus[]> {
    return Promise.all(
      this.selected.map(async (s) => {
        const probe = await s.probe(this.config).catch((e: Error) => ({ ok: false, detail: e.message }));
        const pids = this.config.external[s.name]
          ? []
          : s.processes(this.context(s)).flatMap((p) => this.processes.alive(p.id)?.pid ?? []);
        return {
          name: s.name,
          title: s.title,
          urls: s.urls(this.config),
          external: this.config.external[s.name],
          up: probe.ok,
          detail: probe.detail,
          pids,
        };
      }),
    );
  }

  logFiles(name?: string): string[] {
    return this.selected
      .filter((s) => !name || s.name === name)
      .flatMap((s) => s.processes(this.context(s)).map((p) => this.processes.logFile(p.id)));
  }

  private context(s: ServiceDefinition): ServiceContext {
    const cacheDir = join(this.config.stack.home, s.name);
    const dataDir = join(this.config.stack.dataDir, 'data', s.name);
    const logDir = join(this.config.stack.dataDir, 'logs');
    return { config: this.config, cacheDir, dataDir, logDir, repoRoot, log: this.log.child(s.name) };
  }

  private async provision(s: ServiceDefinition): Promise<void> {
    const ctx = this.context(s);
    mkdirSync(ctx.cacheDir, { recursive: true });
    await s.provision(ctx);
  }

  private async startIfDown(s: ServiceDefinition): Promise<void> {
    const ctx = this.context(s);
    const specs = s.processes(ctx);
    if (specs.every((p) => this.processes.alive(p.id))) {
      ctx.log.info('already running');
      return;
    }
    const probe = await s.probe(this.config);
    if (probe.ok) {
      ctx.log.info(`already answering (${probe.detail}); not starting another`);
      return;
    }
    mkdirSync(ctx.dataDir, { recursive: true });
    await s.prepare?.(ctx);
    for (const p of specs) {
      if (this.processes.alive(p.id)) continue;
      const rec = this.processes.start(p);
      ctx.log.info(`started ${p.id}`, { servicePid: rec.pid, log: this.processes.logFile(p.id) });
    }
  }

  private async waitUntilUp(s: ServiceDefinition): Promise<void> {
    const ctx = this.context(s);
    const deadline = Date.now() + s.startTimeoutMs;
    let last = { ok: false, detail: 'not probed yet' };
    let announced = false;
    while (Date.now() < deadline) {
      last = await s.probe(this.config).catch((e: Error) => ({ ok: false, detail: e.message }));
      if (last.ok) {
        ctx.log.info(`ready: ${last.detail}`);
        return;
      }
      if (this.config.external[s.name]) break;
      const dead = s.processes(ctx).filter((p) => !this.processes.alive(p.id));
      if (dead.length > 0) {
        throw new Error(
          `${s.title} exited during start-up (${dead.map((p) => p.id).join(', ')}). ` +
            `See ${dead.map((p) => this.processes.logFile(p.id)).join(', ')} or run: npm run stack -- logs ${s.name}`,
        );
      }
      if (!announced) {
        ctx.log.info('waiting until it answers');
        announced = true;
      }
      await sleep(500);
    }
    const where = this.config.external[s.name]
      ? `the external ${s.title} at ${s.urls(this.config)[0]?.url ?? '?'} (set by ${externalServiceVariables[s.name]}) does not answer; ` +
        `start it, fix the variable, or unset it to use the local stack`
      : `${s.title} did not answer within ${Math.round(s.startTimeoutMs / 1000)} s; see npm run stack -- logs ${s.name}`;
    throw new Error(`${where} (${last.detail})`);
  }
}
