import { Controller, Get, HttpCode, Inject, Post, Redirect, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { PredictionResult } from '../../common/prediction/result';
import { Contract, Input, type ContractInput } from '../contract/route-contract';
import { notePrediction, requestIdOf } from '../logging/access-log';
import { PredictionRequests } from '../predictions/prediction-requests';
import { ResultHub } from '../predictions/result-hub';
import { seedClassify, seedPage, seedResponse } from './seed-routes.contract';

/** The seed Flask app's routes, kept so that its page and scripts still work. */
@ApiTags('seed routes')
@Controller('flights/delays')
export class SeedRoutesController {
  constructor(
    @Inject(PredictionRequests) private readonly requests: PredictionRequests,
    @Inject(ResultHub) private readonly hub: ResultHub,
  ) {}

  @Get('predict_kafka')
  @Redirect('/', 302)
  @Contract(seedPage)
  page(): void {}

  @Post('predict/classify_realtime')
  @HttpCode(200)
  @Contract(seedClassify)
  async classify(@Input() input: ContractInput<typeof seedClassify>, @Res({ passthrough: true }) res: Response): Promise<{ status: 'OK'; id: string }> {
    const request = this.requests.build(input.body);
    notePrediction(res, request.UUID);
    await this.requests.publish(request, requestIdOf(res));
    return { status: 'OK', id: request.UUID };
  }

  @Get('predict/classify_realtime/response/:id')
  @Contract(seedResponse)
  async response(@Input() input: ContractInput<typeof seedResponse>): Promise<{ status: 'WAIT' } | { status: 'OK'; prediction: PredictionResult }> {
    const result = await this.hub.find(input.params.id);
    return result ? { status: 'OK', prediction: result } : { status: 'WAIT' };
  }
}
