import { ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { temporalUiLink, type Config } from '../../common/config';
import type { TemporalClients } from '../../common/clients/temporal';
import { startTuning, tuningProgressQuery, type TuneFlightDelayModelInput } from '../../common/contracts/tuning';
import { Contract, Input, type ContractInput } from '../contract/route-contract';
import { CONFIG, TEMPORAL, TRAINING_TASK_QUEUE } from '../tokens';
import { workflowState } from '../workflow-state';
import { startTuningRoute, tuningStatusRoute } from './tuning.contract';

@ApiTags('training')
@Controller('api/tuning')
export class TuningController {
  private readonly temporal: Client;

  constructor(
    @Inject(TEMPORAL) temporal: TemporalClients,
    @Inject(CONFIG) private readonly cfg: Config,
    @Inject(TRAINING_TASK_QUEUE) private readonly taskQueue: string,
  ) {
    this.temporal = temporal.client;
  }

  @Post()
  @HttpCode(202)
  @Contract(startTuningRoute)
  async start(@Input() input: ContractInput<typeof startTuningRoute>): Promise<{ workflowId: string; runId: string; temporalUi: string; status: string }> {
    const { workflowId, runId } = await startTuning(this.temporal, input.body as TuneFlightDelayModelInput, { taskQueue: this.taskQueue }).catch((err: unknown) => {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new ConflictException(`${err.workflowId} was started a moment ago; start the tuning again`);
      throw err;
    });
    return { workflowId, runId, temporalUi: temporalUiLink(this.cfg, workflowId), status: `/api/tuning/${workflowId}` };
  }

  @Get(':workflowId')
  @Contract(tuningStatusRoute)
  async status(@Input() input: ContractInput<typeof tuningStatusRoute>): Promise<Record<string, unknown>> {
    const { workflowId } = input.params;
    const state = await workflowState(this.temporal, workflowId, tuningProgressQuery);
    if (!state) throw new NotFoundException(`no workflow ${workflowId}`);
    const { handle, description, status, progress } = state;
    const result: unknown = status === 'COMPLETED' ? await handle.result().catch(() => null) : null;
    return { workflowId, status, startTime: description.startTime, closeTime: description.closeTime ?? null, progress, result, temporalUi: temporalUiLink(this.cfg, workflowId) };
  }
}
