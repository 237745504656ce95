import { Controller, Get, HttpCode, Inject, Post, Res, Sse, type MessageEvent } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import type { Config } from '../../common/config';
import type { PredictionResult } from '../../common/prediction/result';
import { Contract, Input, type ContractInput } from '../contract/route-contract';
import { notePrediction, requestIdOf } from '../logging/access-log';
import { CONFIG } from '../tokens';
import { PredictionRequests } from './prediction-requests';
import { createPrediction, getPrediction, latestPredictions, predictionEvents } from './predictions.contract';
import { ResultHub } from './result-hub';

export type PredictionAnswer = { id: string; status: 'pending' } | { id: string; status: 'done'; result: PredictionResult };

@ApiTags('predictions')
@Controller('api/predictions')
export class PredictionsController {
  constructor(
    @Inject(PredictionRequests) private readonly requests: PredictionRequests,
    @Inject(ResultHub) private readonly hub: ResultHub,
    @Inject(CONFIG) private readonly cfg: Config,
  ) {}

  /** `?wait`, cut to API_MAX_WAIT_MS. */
  private waitMs(wait: number | undefined): number {
    return Math.min(wait ?? 0, this.cfg.api.maxWaitMs);
  }

  @Post()
  @HttpCode(202)
  @Contract(createPrediction)
  async create(@Input() input: ContractInput<typeof createPrediction>, @Res({ passthrough: true }) res: Response): Promise<PredictionAnswer> {
    const waitMs = this.waitMs(input.query.wait);
    const request = this.requests.build(input.body);
    notePrediction(res, request.UUID);
    const waiting = waitMs > 0 ? this.hub.waitFor(request.UUID, waitMs, { fresh: true }) : undefined;
    await this.requests.publish(request, requestIdOf(res));
    const result = await waiting;
    if (result) {
      res.status(200);
      return { id: request.UUID, status: 'done', result };
    }
    res.setHeader('Location', `/api/predictions/${request.UUID}`);
    return { id: request.UUID, status: 'pending' };
  }

  @Get('latest')
  @Contract(latestPredictions)
  latest(@Input() input: ContractInput<typeof latestPredictions>): PredictionResult[] {
    return this.hub.latest(input.query.limit ?? 20);
  }

  @Get(':id')
  @Contract(getPrediction)
  async get(@Input() input: ContractInput<typeof getPrediction>, @Res({ passthrough: true }) res: Response): Promise<PredictionAnswer> {
    const { id } = input.params;
    notePrediction(res, id);
    const result = await this.hub.waitFor(id, this.waitMs(input.query.wait));
    if (result) return { id, status: 'done', result };
    res.status(202);
    return { id, status: 'pending' };
  }

  @Sse(':id/events')
  @Contract(predictionEvents)
  events(@Input() input: ContractInput<typeof predictionEvents>): Observable<MessageEvent> {
    const { id } = input.params;
    const timeoutMs = this.cfg.api.sseTimeoutMs;
    return new Observable<MessageEvent>((subscriber) => {
      let done = false;
      this.hub.waitFor(id, timeoutMs).then(
        (result) => {
          if (done) return;
          subscriber.next(result ? { type: 'prediction', data: result } : { type: 'timeout', data: { id, waitedMs: timeoutMs } });
          subscriber.complete();
        },
        (err: unknown) => subscriber.error(err),
      );
      return () => {
        done = true;
      };
    });
  }
}
