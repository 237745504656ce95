import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Contract } from '../contract/route-contract';
import { ChampionCache } from '../models/champion-cache';
import { StreamStatus } from '../predictions/stream-status';
import { DependencyChecks } from './dependency-checks';
import { healthRoute, liveRoute, readyRoute } from './health.contract';

/**
 * /health/live for a supervisor (restart when it fails), /health/ready for a load balancer (send
 * predictions here or not), /health for a person (every dependency, the stream, the champion).
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DependencyChecks) private readonly checks: DependencyChecks,
    @Inject(StreamStatus) private readonly stream: StreamStatus,
    @Inject(ChampionCache) private readonly champion: ChampionCache,
  ) {}

  @Get()
  @Contract(healthRoute)
  async health(@Res({ passthrough: true }) res: Response): Promise<Record<string, unknown>> {
    const [dependencies, stream] = await Promise.all([this.checks.run(['kafka', 'mongodb', 'temporal', 'mlflow', 'hdfs'] as const), this.stream.refresh()]);
    const up = Object.values(dependencies).every((d) => d.up);
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

  @Get('live')
  @Contract(liveRoute)
  live(): { status: 'live'; uptimeSeconds: number } {
    return { status: 'live', uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get('ready')
  @Contract(readyRoute)
  async ready(@Res({ passthrough: true }) res: Response): Promise<Record<string, unknown>> {
    const [deps, stream] = await Promise.all([this.checks.run(['kafka', 'mongodb', 'temporal', 'mlflow', 'hdfs'] as const), this.stream.refresh()]);
    const streamCheck = { up: stream.status === 'running', detail: stream.status };
    const ready = deps.kafka.up && deps.mongodb.up && streamCheck.up;
    if (!ready) res.status(503);
    return { ready, checks: { kafka: deps.kafka, mongodb: deps.mongodb, stream: streamCheck }, reported: { temporal: deps.temporal, mlflow: deps.mlflow, hdfs: deps.hdfs } };
  }
}
