import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Kafka } from 'kafkajs';
import type { Db } from 'mongodb';
import type { Config } from '../../common/config';
import type { TemporalClients } from '../../common/clients/temporal';
import { WebHdfsClient } from '../../common/clients/webhdfs';
import { StreamStatus } from '../predictions/stream-status';
import { ChampionCache } from '../models/champion-cache';
import { CONFIG, KAFKA, MONGO_DB, TEMPORAL } from '../tokens';

interface Check {
  up: boolean;
  ms: number;
  detail: string;
}

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

/** Each dependency's state, probed in parallel with its own client: 200 when every one answers, else 503. */
@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(MONGO_DB) private readonly db: Db,
    @Inject(TEMPORAL) private readonly temporal: TemporalClients,
    @Inject(CONFIG) private readonly cfg: Config,
    @Inject(StreamStatus) private readonly stream: StreamStatus,
    @Inject(ChampionCache) private readonly champion: ChampionCache,
  ) {}

  @Get('health')
  @ApiOperation({ summary: "Each dependency's state (Kafka, MongoDB, Temporal, MLflow, HDFS), the stream and the champion; 503 when one is down" })
  async health(@Res({ passthrough: true }) res: Response): Promise<Record<string, unknown>> {
    const [kafka, mongodb, temporal, mlflow, hdfs] = await Promise.all([
      check(async () => {
        const admin = this.kafka.admin();
        await admin.connect();
        try {
          const cluster = await admin.describeCluster();
          return `${cluster.brokers.length} broker(s)`;
        } finally {
          await admin.disconnect();
        }
      }),
      check(async () => {
        await this.db.command({ ping: 1 });
        return `database ${this.db.databaseName}`;
      }),
      check(async () => {
        const info = await this.temporal.client.workflowService.getSystemInfo({});
        return `server ${info.serverVersion ?? '?'}, namespace ${this.cfg.temporal.namespace}`;
      }),
      check(async () => {
        const r = await fetch(`${this.cfg.mlflow.trackingUri}/health`);
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return this.cfg.mlflow.trackingUri;
      }),
      check(async () => {
        await WebHdfsClient.fromConfig(this.cfg).getFileStatus('/');
        return this.cfg.hdfs.webhdfsUrl;
      }),
    ]);
    const dependencies = { kafka, mongodb, temporal, mlflow, hdfs };
    const up = Object.values(dependencies).every((d) => d.up);
    const stream = await this.stream.refresh();
    const champion = (() => {
      try {
        return this.champion.get()?.version ?? null;
      } catch {
        return null;
      }
    })();
    if (!up) res.status(503);
    return { status: up ? 'ok' : 'degraded', dependencies, stream, champion };
  }
}
