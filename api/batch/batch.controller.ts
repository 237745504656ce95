import { Body, ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
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
import { ApiKeyGuard } from '../security/api-key.guard';
import { BadInputError } from '../security/bad-input';
import { CONFIG, MODEL_REGISTRY, MONGO_DB, TEMPORAL } from '../tokens';
import { workflowState } from '../workflow-state';
import { maxDatesPerRequest, maxPageSize, parseDate, parsePageQuery, parseStartRequest } from './batch-request';
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
  @UseGuards(ApiKeyGuard)
  @ApiHeader({ name: 'x-api-key', required: true })
  @ApiOperation({
    summary: `Start the batch prediction of a date, or of every date from..to (at most ${maxDatesPerRequest}); needs x-api-key. A date whose run is in progress is joined (started: false)`,
  })
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        date: { type: 'string', format: 'date', example: '2013-07-04' },
        from: { type: 'string', format: 'date' },
        to: { type: 'string', format: 'date' },
        source: { type: 'string', description: '"mongo" (prediction_tasks, the default) or "hdfs:/absolute/path.jsonl"', example: 'mongo' },
        modelVersion: { type: 'string', pattern: '^\\d+$', description: 'a version of GET /api/models; default: the champion' },
      },
    },
  })
  @ApiResponse({ status: 202, description: '{runs: [{date, workflowId, runId, started, status, temporalUi}]}' })
  @ApiResponse({ status: 400, description: 'bad input: {message, field}' })
  @ApiResponse({ status: 401, description: 'missing or wrong x-api-key' })
  @ApiResponse({ status: 409, description: 'no champion model to score with' })
  async start(@Body() body: unknown): Promise<{ runs: { date: string; workflowId: string; runId: string; started: boolean; status: string; temporalUi: string }[] }> {
    const request = parseStartRequest(body);
    if (request.modelVersion !== undefined && !(await this.models.has(request.modelVersion))) {
      throw new BadInputError(`modelVersion: no version ${request.modelVersion} in the model registry; GET /api/models lists them`, 'modelVersion');
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
  @ApiParam({ name: 'date', example: '2013-07-04' })
  @ApiOperation({ summary: "A date's batch: its workflow (status, progress, result), its manifest (counts, model, HDFS paths) and WebHDFS links to its files" })
  @ApiResponse({ status: 200, description: '{date, workflow, manifest, folders: {results, parquet, rejects, tasks} (WebHDFS LISTSTATUS links), files: {results, parquet, rejects, tasks} (WebHDFS OPEN links of the part files, in order), temporalUi}' })
  @ApiResponse({ status: 404, description: 'the date was never batch-predicted' })
  async status(@Param('date') raw: string): Promise<Record<string, unknown>> {
    const date = parseDate(raw, 'date');
    const workflowId = batchWorkflowId(date);
    const [workflow, manifest] = await Promise.all([this.workflow(workflowId), this.manifest(date)]);
    if (!workflow && !manifest) throw new NotFoundException(notRun(date));
    return { date, workflow, manifest, ...(await this.fileLinks(manifest)), temporalUi: temporalUiLink(this.cfg, workflowId) };
  }

  @Get(':date/results')
  @ApiParam({ name: 'date', example: '2013-07-04' })
  @ApiQuery({ name: 'limit', required: false, description: `results a page, 1 to ${maxPageSize} (default 100)` })
  @ApiQuery({ name: 'after', required: false, description: 'the next of the page before' })
  @ApiOperation({ summary: "A page of a date's results (its results part files on HDFS, in order); follow next until it is null" })
  @ApiResponse({ status: 200, description: '{date, results, next}' })
  @ApiResponse({ status: 404, description: 'the date has no results yet' })
  async results(@Param('date') raw: string, @Query() query: unknown): Promise<{ date: string; results: BatchPredictionResult[]; next: string | null }> {
    const date = parseDate(raw, 'date');
    const page = parsePageQuery(query);
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

  /** WebHDFS OPEN links of the date's files that the manifest names (null for the others). */
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
