import { Controller, Get, Header, HttpCode, Inject, NotFoundException, Param, Post, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { Config } from '../../common/config';
import type { TemporalClients } from '../../common/clients/temporal';
import { workflowIds } from '../../common/names';
import { confusionMatrixPng } from '../../models/report/confusion-matrix';
import { reloadModelSignal } from '../../common/contracts/streaming';
import { ApiKeyGuard } from '../security/api-key.guard';
import { BadInputError } from '../security/bad-input';
import { CONFIG, TEMPORAL } from '../tokens';
import type { RegisteredVersion } from '../../common/model-registry';
import { ChampionCache } from './champion-cache';

/** The model registry: versions, the champion with its held-out metrics and confusion matrix, promotion. */
@ApiTags('models')
@Controller('api/models')
export class ModelsController {
  private readonly temporal: Client;

  constructor(
    @Inject(ChampionCache) private readonly champion: ChampionCache,
    @Inject(TEMPORAL) temporal: TemporalClients,
    @Inject(CONFIG) private readonly cfg: Config,
  ) {
    this.temporal = temporal.client;
  }

  @Get()
  @ApiOperation({ summary: "Every version in MLflow's model registry, newest first, and which one is the champion" })
  list(): Promise<{ champion: string | null; versions: RegisteredVersion[] }> {
    return this.champion.registry.versions();
  }

  @Get('champion')
  @ApiOperation({ summary: 'The champion: version, MLflow run, held-out metrics and confusion matrix' })
  championInfo(): Record<string, unknown> {
    const c = this.current();
    const e = c.model.info.evaluation;
    return {
      version: c.version,
      runId: c.meta.runId,
      accuracy: c.meta.accuracy,
      savedAt: c.meta.savedAt,
      promotedAt: c.promotedAt,
      dataset: c.model.info.dataset,
      trainRows: c.model.info.trainRows,
      testRows: c.model.info.testRows,
      metrics: { accuracy: e.accuracy, weightedF1: e.weightedF1, weightedPrecision: e.weightedPrecision, weightedRecall: e.weightedRecall, logLoss: e.logLoss, baselineAccuracy: e.baselineAccuracy, perClass: e.perClass },
      confusionMatrix: e.confusion,
      labels: [...c.model.labels],
      mlflowRunUrl: `${this.cfg.mlflow.trackingUri}/#/experiments/0/runs/${c.meta.runId}`,
    };
  }

  @Get('champion/confusion-matrix.png')
  @Header('Content-Type', 'image/png')
  @ApiOperation({ summary: "The champion's confusion matrix on its held-out rows, as a PNG" })
  confusionMatrix(): StreamableFile {
    const c = this.current();
    return new StreamableFile(confusionMatrixPng(c.model.info.evaluation.confusion, c.model.labels, { title: `model ${c.version}: held-out confusion matrix` }));
  }

  @Post(':version/promote')
  @HttpCode(200)
  @UseGuards(ApiKeyGuard)
  @ApiHeader({ name: 'x-api-key', required: true })
  @ApiParam({ name: 'version' })
  @ApiOperation({ summary: 'Make a registered version the champion, and tell the stream to reload it (needs x-api-key)' })
  async promote(@Param('version') version: string): Promise<{ champion: string; streamNotified: boolean }> {
    const registry = this.champion.registry;
    if (!/^[\w.-]{1,64}$/.test(version)) throw new BadInputError(`expected a model version, got ${JSON.stringify(version)}`, 'version');
    if (!(await registry.has(version))) throw new NotFoundException(`no model version ${version} in the registry; GET /api/models lists them`);
    await registry.promote(version);
    await this.champion.refresh().catch(() => undefined);
    const streamNotified = await this.temporal.workflow
      .getHandle(workflowIds.streaming)
      .signal(reloadModelSignal, { version })
      .then(
        () => true,
        () => false,
      );
    return { champion: version, streamNotified };
  }

  private current(): NonNullable<ReturnType<ChampionCache['get']>> {
    const c = this.champion.get();
    if (!c) throw new NotFoundException('no champion yet: train one (POST /api/training or npm run train)');
    return c;
  }
}
