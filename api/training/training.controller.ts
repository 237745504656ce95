import { ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { temporalUiLink, type Config } from '../../common/config';
import type { TemporalClients } from '../../common/clients/temporal';
import { checkBoostedOptions, startTraining, trainingStatusQuery, type TrainFlightDelayModelInput } from '../../common/contracts/training';
import { Contract, Input, type ContractInput } from '../contract/route-contract';
import { UnprocessableInputError } from '../security/bad-input';
import { CONFIG, TEMPORAL, TRAINING_TASK_QUEUE } from '../tokens';
import { workflowState } from '../workflow-state';
import { startTrainingRoute, trainingStatusRoute } from './training.contract';

/**
 * The boosted trees' rules across options (an oblivious tree's depth ≤ 12, its bins), which the
 * document cannot state: the workflow's own check, as a 422 naming the option.
 */
function checkBoostedRules(boosted: unknown): void {
  if (boosted === undefined) return;
  try {
    checkBoostedOptions(boosted);
  } catch (err) {
    const message = (err as Error).message;
    const [, field, rule] = /^(boosted\.\w+): (.*)$/s.exec(message) ?? [];
    throw new UnprocessableInputError(rule ?? message, field ?? 'boosted');
  }
}

@ApiTags('training')
@Controller('api/training')
export class TrainingController {
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
  @Contract(startTrainingRoute)
  async start(@Input() input: ContractInput<typeof startTrainingRoute>): Promise<{ workflowId: string; runId: string; temporalUi: string; status: string }> {
    if (input.body?.cutDate !== undefined && input.body.split !== 'time') throw new UnprocessableInputError('cutDate is for split "time" only', 'cutDate');
    const { from, through, cutDate } = input.body ?? {};
    if (from !== undefined && through !== undefined && from > through) throw new UnprocessableInputError(`from must be on or before through (${through})`, 'from');
    if (cutDate !== undefined && through !== undefined && cutDate > through) throw new UnprocessableInputError(`cutDate must be on or before through (${through})`, 'cutDate');
    if (cutDate !== undefined && from !== undefined && cutDate <= from) throw new UnprocessableInputError(`cutDate must be after from (${from}): nothing to train on before it`, 'cutDate');
    checkBoostedRules(input.body?.boosted);
    const { workflowId, runId } = await startTraining(this.temporal, input.body as TrainFlightDelayModelInput, { taskQueue: this.taskQueue }).catch((err: unknown) => {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new ConflictException(`${err.workflowId} was started a moment ago; start the training again`);
      throw err;
    });
    return { workflowId, runId, temporalUi: temporalUiLink(this.cfg, workflowId), status: `/api/training/${workflowId}` };
  }

  @Get(':workflowId')
  @Contract(trainingStatusRoute)
  async status(@Input() input: ContractInput<typeof trainingStatusRoute>): Promise<Record<string, unknown>> {
    const { workflowId } = input.params;
    const state = await workflowState(this.temporal, workflowId, trainingStatusQuery);
    if (!state) throw new NotFoundException(`no workflow ${workflowId}`);
    const { handle, description, status, progress } = state;
    const result: unknown = status === 'COMPLETED' ? await handle.result().catch(() => null) : null;
    return { workflowId, status, startTime: description.startTime, closeTime: description.closeTime ?? null, progress, result, temporalUi: temporalUiLink(this.cfg, workflowId) };
  }
}
