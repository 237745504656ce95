import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res, Sse, type MessageEvent } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import type { Config } from '../../common/config';
import type { PredictionResult } from '../../common/prediction/result';
import { notePrediction, requestIdOf } from '../logging/access-log';
import { CONFIG } from '../tokens';
import { PredictionRequests } from './prediction-requests';
import { predictionBodySchema } from './prediction-schema';
import { ResultHub } from './result-hub';
import { idParam, waitParam } from './wait-param';

export type PredictionAnswer = { id: string; status: 'pending' } | { id: string; status: 'done'; result: PredictionResult };

const sseTimeoutMs = 60_000;

@ApiTags('predictions')
@Controller('api/predictions')
export class PredictionsController {
  constructor(
    @Inject(PredictionRequests) private readonly requests: PredictionRequests,
    @Inject(ResultHub) private readonly hub: ResultHub,
    @Inject(CONFIG) private readonly cfg: Config,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Ask for a prediction',
    description:
      'Derives the calendar fields, Distance (origin_dest_distances, then the great circle), UUID and Timestamp, and publishes the request ' +
      'to Kafka. Answers 202 {id, status: "pending"}; with ?wait=ms it waits up to that long and answers 200 with the result when it came.',
  })
  @ApiBody({ schema: predictionBodySchema })
  @ApiQuery({ name: 'wait', required: false, description: 'milliseconds to wait for the result (at most API_MAX_WAIT_MS)' })
  @ApiResponse({ status: 202, description: 'published; the result comes on the socket, the SSE stream or GET /api/predictions/{id}' })
  @ApiResponse({ status: 200, description: 'the result, within ?wait' })
  @ApiResponse({ status: 400, description: 'a field is missing or breaks its rule: {message, field}' })
  async create(@Body() body: unknown, @Query('wait') wait: unknown, @Res({ passthrough: true }) res: Response): Promise<PredictionAnswer> {
    const waitMs = waitParam(wait, this.cfg.api.maxWaitMs);
    const request = this.requests.build(body);
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
  @ApiOperation({ summary: 'The latest predictions this API process has seen, newest first' })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 200, default 20' })
  latest(@Query('limit') limit: unknown): PredictionResult[] {
    const n = limit === undefined ? 20 : Number(limit);
    return this.hub.latest(Number.isInteger(n) && n >= 1 && n <= 200 ? n : 20);
  }

  @Get(':id')
  @ApiOperation({ summary: 'The result of a prediction, or pending', description: 'With ?wait=ms, waits up to that long for it.' })
  @ApiParam({ name: 'id', description: 'the id POST /api/predictions answered' })
  @ApiQuery({ name: 'wait', required: false })
  @ApiResponse({ status: 200, description: '{id, status: "done", result}' })
  @ApiResponse({ status: 202, description: '{id, status: "pending"}' })
  async get(@Param('id') rawId: unknown, @Query('wait') wait: unknown, @Res({ passthrough: true }) res: Response): Promise<PredictionAnswer> {
    const id = idParam(rawId);
    notePrediction(res, id);
    const result = await this.hub.waitFor(id, waitParam(wait, this.cfg.api.maxWaitMs));
    if (result) return { id, status: 'done', result };
    res.status(202);
    return { id, status: 'pending' };
  }

  @Sse(':id/events')
  @ApiOperation({
    summary: 'Server-sent events: one "prediction" event with the result, then the stream ends',
    description: `A "timeout" event ends the stream when no result came within ${sseTimeoutMs / 1000} s.`,
  })
  @ApiParam({ name: 'id' })
  events(@Param('id') rawId: unknown): Observable<MessageEvent> {
    const id = idParam(rawId);
    return new Observable<MessageEvent>((subscriber) => {
      let done = false;
      this.hub.waitFor(id, sseTimeoutMs).then(
        (result) => {
          if (done) return;
          subscriber.next(result ? { type: 'prediction', data: result } : { type: 'timeout', data: { id, waitedMs: sseTimeoutMs } });
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
