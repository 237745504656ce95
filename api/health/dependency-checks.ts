import { Inject, Injectable } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import type { Config } from '../../common/config';
import type { TemporalClients } from '../../common/clients/temporal';
import { WebHdfsClient } from '../../common/clients/webhdfs';
import { CONFIG, KAFKA, MONGO_DB, TEMPORAL } from '../tokens';

export interface Check {
  up: boolean;
  ms: number;
  detail: string;
}

export type Dependency = 'kafka' | 'mongodb' | 'temporal' | 'mlflow' | 'hdfs';

const probeTimeoutMs = 3000;

async function check(probe: () => Promise<string>): Promise<Check> {
  const start = performance.now();
  try {
    const detail = await Promise.race([
      probe(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${probeTimeoutMs} ms`)), probeTimeoutMs).unref()),
    ]);
    return { up: true, ms: Math.round(performance.now() - start), detail };
  } catch (err) {
    return { up: false, ms: Math.round(performance.now() - start), detail: (err as Error).message };
  }
}

/** Each dependency probed with the API's own client, with a deadline; the health routes choose which. */
@Injectable()
export class DependencyChecks {
  private readonly probes: Record<Dependency, () => Promise<string>>;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(MONGO_DB) db: Db,
    @Inject(TEMPORAL) temporal: TemporalClients,
    @Inject(CONFIG) cfg: Config,
  ) {
    this.probes = {
      kafka: async () => {
        const admin = kafka.admin();
        await admin.connect();
        try {
          const cluster = await admin.describeCluster();
          return `${cluster.brokers.length} broker(s)`;
        } finally {
          await admin.disconnect();
        }
      },
      mongodb: async () => {
        await db.command({ ping: 1 });
        return `database ${db.databaseName}`;
      },
      temporal: async () => {
        const info = await temporal.client.workflowService.getSystemInfo({});
        return `server ${info.serverVersion ?? '?'}, namespace ${cfg.temporal.namespace}`;
      },
      mlflow: async () => {
        const r = await fetch(`${cfg.mlflow.trackingUri}/health`);
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return cfg.mlflow.trackingUri;
      },
      hdfs: async () => {
        await WebHdfsClient.fromConfig(cfg).getFileStatus('/');
        return cfg.hdfs.webhdfsUrl;
      },
    };
  }

  /** The named dependencies, probed in parallel. */
  async run<D extends Dependency>(names: readonly D[]): Promise<Record<D, Check>> {
    const results = await Promise.all(names.map((n) => check(this.probes[n])));
    return Object.fromEntries(names.map((n, i) => [n, results[i]])) as Record<D, Check>;
  }
}
