import { ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { BatchPredictionResult } from '../../common/prediction/result';
import { WebHdfsClient } from '../../common/clients/webhdfs';
import { batchPartIndex, batchPartsDir, type BatchManifest } from '../../common/batch-storage';
import { batchStatusQuery, batchWorkflowId, startBatchRuns } from '../../common/contracts/batch';
import type { TemporalClients } from '../../common/clients/temporal';
import { rootCauseMessage } from '../../common/root-cause';
import { temporalUiLink, type Config } from '../../common/config';
import type { ModelRegistry } from '../../common/model-registry';
import { Contract, Input, type ContractInput } from '../contract/route-contract';
import { UnprocessableInputError } from '../security/bad-input';
import { CONFIG, MODEL_REGISTRY, MONGO_DB, TEMPORAL } from '../tokens';
import { workflowState } from '../workflow-state';
import { batchResultsRoute, batchStatusRoute, pageOf, startBatchRoute, startRequest } from './batch-request';
import { BATCH_SETTINGS, type BatchApiSettings } from './batch-settings';
import { readResultsPage } from './results-page';

const hdfsFolders = ['results', 'parquet', 'rejects', 'tasks'] as const;
type HdfsFolder = (typeof hdfsFolders)[number];

const notRun = (date: string): string =>
  `no batch prediction for ${date}; start one with POST /api/batch-predictions or npm run batch -- --date ${date}`;

/**
 * The daily batch prediction (issue 7): start it for dates, follow a date's workflow and manifest, and
 * page through a date's results in MongoDB. Each date is its own workflow (id flight-delay-batch-<date>).
 */
@ApiTags('batch predictions')
@Controller('api/batch-predictions')
export class BatchController {
  private readonly temporal: Client;
  private readonly hdfs: WebHdfsClient;

  constructor(
    @Inject(TEMPORAL) temporal: TemporalClients,
    @Inject(MONGO_DB) private readonly db: Db,
    @Inject(MODEL_REGISTRY) private readonly models: ModelRegistry,
    @Inject(BATCH_SETTINGS) private readonly settings: BatchApiSettings,
    @Inject(CONFIG) private readonly cfg: Config,
  ) {
    this.temporal = temporal.client;
    this.hdfs = WebHdfsClient.fromConfig(cfg);
  }

  @Post()
  @HttpCode(202)
  @Contract(startBatchRoute)
  async start(@Input() input: ContractInput<typeof startBatchRoute>): Promise<{ runs: { date: string; workflowId: string; runId: string; started: boolean; status: string; temporalUi: string }[] }> {
    const request = startRequest(input.body);
    if (request.modelVersion !== undefined && !(await this.models.has(request.modelVersion))) {
      throw new UnprocessableInputError(`modelVersion: no version ${request.modelVersion} in the model registry; GET /api/models lists them`, 'modelVersion');
    }
    if (request.modelVersion === undefined && (await this.models.championVersion()) === undefined) {
      throw new ConflictException('no champion model to score with: train one (POST /api/training), promote a version (POST /api/models/<version>/promote) or give modelVersion');
    }
    const { dates, ...options } = request;
    const runs = await startBatchRuns(this.temporal, dates, { ...options, taskQueue: this.settings.taskQueue });
    return {
      runs: runs.map((r) => ({ ...r, status: `/api/batch-predictions/${r.date}`, temporalUi: temporalUiLink(this.cfg, r.workflowId) })),
    };
  }

  @Get(':date')
  @Contract(batchStatusRoute)
  async status(@Input() input: ContractInput<typeof batchStatusRoute>): Promise<Record<string, unknown>> {
    const { date } = input.params;
    const workflowId = batchWorkflowId(date);
    const [workflow, manifest] = await Promise.all([this.workflow(workflowId), this.manifest(date)]);
    if (!workflow && !manifest) throw new NotFoundException(notRun(date));
    return { date, workflow, manifest, ...(await this.fileLinks(manifest)), temporalUi: temporalUiLink(this.cfg, workflowId) };
  }

  @Get(':date/results')
  @Contract(batchResultsRoute)
  async results(@Input() input: ContractInput<typeof batchResultsRoute>): Promise<{ date: string; results: BatchPredictionResult[]; next: string | null }> {
    const { date } = input.params;
    const page = pageOf(input.query);
    const dir = (await this.manifest(date))?.hdfs.results ?? batchPartsDir(this.cfg.batch.hdfsDir, date, 'results');
    const found = await readResultsPage(this.hdfs, dir, page.after, page.limit);
    if (!found) throw new NotFoundException(`${notRun(date)} (no ${dir} yet)`);
    return { date, results: found.results, next: found.next === null ? null : `${found.next.part}:${found.next.offset}` };
  }

  private manifest(date: string): Promise<BatchManifest | null> {
    return this.db.collection<BatchManifest>(this.settings.collections.batches).findOne({ _id: date });
  }

  /** The date's workflow as Temporal describes it, or null when there is none. */
  private async workflow(workflowId: string): Promise<Record<string, unknown> | null> {
    const state = await workflowState(this.temporal, workflowId, batchStatusQuery);
    if (!state) return null;
    const { handle, description, status, progress } = state;
    let result: unknown = null;
    let failure: string | null = null;
    if (status !== 'RUNNING') {
      try {
        const outcome: unknown = await handle.result();
        if (status === 'COMPLETED') result = outcome;
      } catch (err) {
        if (!(err instanceof WorkflowFailedError)) throw err;
        failure = rootCauseMessage(err);
      }
    }
    return {
      workflowId,
      runId: description.runId,
      status,
      startTime: description.startTime,
      closeTime: description.closeTime ?? null,
      progress,
      result,
      failure,
    };
  }

  /** WebHDFS links: each folder of parts (LISTSTATUS) and each part file in it (OPEN), in chunk order. */
  private async fileLinks(manifest: BatchManifest | null): Promise<{ folders: Record<HdfsFolder, string | null>; files: Record<HdfsFolder, string[]> }> {
    const link = (path: string, op: 'OPEN' | 'LISTSTATUS'): string => {
      const encoded = path.split('/').map(encodeURIComponent).join('/');
      return `${this.hdfs.baseUrl}/webhdfs/v1${encoded}?${new URLSearchParams({ op, 'user.name': this.hdfs.user }).toString()}`;
    };
    const folders = {} as Record<HdfsFolder, string | null>;
    const files = {} as Record<HdfsFolder, string[]>;
    for (const kind of hdfsFolders) {
      const dir = manifest?.hdfs[kind];
      folders[kind] = dir ? link(dir, 'LISTSTATUS') : null;
      const parts = dir ? await this.hdfs.listStatus(dir).catch(() => []) : [];
      files[kind] = parts
        .map((f) => ({ index: batchPartIndex(f.pathSuffix), name: f.pathSuffix }))
        .filter((p) => p.index !== undefined)
        .sort((a, b) => a.index! - b.index!)
        .map((p) => link(`${dir}/${p.name}`, 'OPEN'));
    }
    return { folders, files };
  }
}
