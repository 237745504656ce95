import { ConflictException, Controller, Delete, Get, Header, HttpCode, Inject, NotFoundException, Post, StreamableFile } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import type { Config } from '../../common/config';
import type { TemporalClients } from '../../common/clients/temporal';
import { confusionMatrixPng } from '../../models/report/confusion-matrix';
import { reloadModelSignal } from '../../common/contracts/streaming';
import { Contract, Input, type ContractInput } from '../contract/route-contract';
import { CONFIG, TEMPORAL } from '../tokens';
import type { RegisteredVersion } from '../../common/model-registry';
import { StreamStatus } from '../predictions/stream-status';
import { ChampionCache } from './champion-cache';
import { championRoute, clearChallengerRoute, confusionMatrixRoute, listModelsRoute, promoteRoute, setChallengerRoute } from './models.contract';

/** The model registry: versions, the champion with its held-out metrics and confusion matrix, promotion. */
@ApiTags('models')
@Controller('api/models')
export class ModelsController {
  private readonly temporal: Client;

  constructor(
    @Inject(ChampionCache) private readonly champion: ChampionCache,
    @Inject(TEMPORAL) temporal: TemporalClients,
    @Inject(CONFIG) private readonly cfg: Config,
    @Inject(StreamStatus) private readonly stream: StreamStatus,
  ) {
    this.temporal = temporal.client;
  }

  @Get()
  @Contract(listModelsRoute)
  async list(): Promise<{ champion: string | null; challenger: string | null; versions: RegisteredVersion[] }> {
    const [all, challenger] = await Promise.all([this.champion.registry.versions(), this.champion.registry.challengerVersion()]);
    return { champion: all.champion, challenger: challenger ?? null, versions: all.versions };
  }

  @Post(':version/challenger')
  @HttpCode(200)
  @Contract(setChallengerRoute)
  async setChallenger(@Input() input: ContractInput<typeof setChallengerRoute>): Promise<{ challenger: string | null }> {
    const registry = this.champion.registry;
    const { version } = input.params;
    if (!(await registry.has(version))) throw new NotFoundException(`no model version ${version} in the registry; GET /api/models lists them`);
    if ((await registry.championVersion()) === version) throw new ConflictException(`version ${version} is the champion: it cannot shadow itself; pick another version of GET /api/models`);
    await registry.setChallenger(version);
    return { challenger: version };
  }

  @Delete('challenger')
  @HttpCode(200)
  @Contract(clearChallengerRoute)
  async clearChallenger(): Promise<{ challenger: string | null }> {
    await this.champion.registry.setChallenger(null);
    return { challenger: null };
  }

  @Get('champion')
  @Contract(championRoute)
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
  @Contract(confusionMatrixRoute)
  confusionMatrix(): StreamableFile {
    const c = this.current();
    return new StreamableFile(confusionMatrixPng(c.model.info.evaluation.confusion, c.model.labels, { title: `model ${c.version}: held-out confusion matrix` }));
  }

  @Post(':version/promote')
  @HttpCode(200)
  @Contract(promoteRoute)
  async promote(@Input() input: ContractInput<typeof promoteRoute>): Promise<{ champion: string; streamNotified: boolean }> {
    const registry = this.champion.registry;
    const { version } = input.params;
    if (!(await registry.has(version))) throw new NotFoundException(`no model version ${version} in the registry; GET /api/models lists them`);
    await registry.promote(version);
    await this.champion.refresh().catch(() => undefined);
    const streamNotified = await this.temporal.workflow
      .getHandle(this.stream.workflowId)
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
