import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { temporalUiLink, type Config } from '../../common/config';
import type { TemporalClients } from '../../common/clients/temporal';
import { startTraining, trainingStatusQuery, type TrainFlightDelayModelInput } from '../../common/contracts/training';
import { ApiKeyGuard } from '../security/api-key.guard';
import { BadInputError } from '../security/bad-input';
import { parseWith } from '../security/zod-body';
import { CONFIG, TEMPORAL } from '../tokens';
import { workflowState } from '../workflow-state';

/** What the API lets a client choose: the known data sets only (a path on the worker's disk is for the CLI). */
const trainingBody = z
  .object({
    dataset: z.enum(['nycflights13', 'flights-3m']).optional(),
    limit: z.number().int().min(1000).max(10_000_000).optional(),
    testFraction: z.number().min(0.05).max(0.5).optional(),
    forest: z.object({ numTrees: z.number().int().min(1).max(500).optional(), maxDepth: z.number().int().min(1).max(30).optional() }).strict().optional(),
    promote: z.enum(['if-better', 'always', 'never']).optional(),
  })
  .strict();

@ApiTags('training')
@Controller('api/training')
export class TrainingController {
  private readonly temporal: Client;

  constructor(
    @Inject(TEMPORAL) temporal: TemporalClients,
    @Inject(CONFIG) private readonly cfg: Config,
  ) {
    this.temporal = temporal.client;
  }

  @Post()
  @HttpCode(202)
  @UseGuards(ApiKeyGuard)
  @ApiHeader({ name: 'x-api-key', required: true })
  @ApiOperation({ summary: 'Start the training workflow (needs x-api-key); the run shows in the Temporal UI and MLflow' })
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: {
        dataset: { type: 'string', enum: ['nycflights13', 'flights-3m'] },
        limit: { type: 'integer', minimum: 1000 },
        testFraction: { type: 'number' },
        forest: { type: 'object', properties: { numTrees: { type: 'integer' }, maxDepth: { type: 'integer' } } },
        promote: { type: 'string', enum: ['if-better', 'always', 'never'] },
      },
    },
  })
  async start(@Body() body: unknown): Promise<{ workflowId: string; runId: string; temporalUi: string; status: string }> {
    const input = parseWith(trainingBody, body) as TrainFlightDelayModelInput;
    const { workflowId, runId } = await startTraining(this.temporal, input);
    return { workflowId, runId, temporalUi: temporalUiLink(this.cfg, workflowId), status: `/api/training/${workflowId}` };
  }

  @Get(':workflowId')
  @ApiParam({ name: 'workflowId' })
  @ApiOperation({ summary: 'A training run: its Temporal status, its stage and, once done, its metrics' })
  async status(@Param('workflowId') workflowId: string): Promise<Record<string, unknown>> {
    if (!/^[\w.:-]{1,200}$/.test(workflowId)) throw new BadInputError(`expected a workflow id, got ${JSON.stringify(workflowId)}`, 'workflowId');
    const state = await workflowState(this.temporal, workflowId, trainingStatusQuery);
    if (!state) throw new NotFoundException(`no workflow ${workflowId}`);
    const { handle, description, status, progress } = state;
    const result: unknown = status === 'COMPLETED' ? await handle.result().catch(() => null) : null;
    return { workflowId, status, startTime: description.startTime, closeTime: description.closeTime ?? null, progress, result, temporalUi: temporalUiLink(this.cfg, workflowId) };
  }
}
