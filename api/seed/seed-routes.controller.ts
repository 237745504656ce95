import { Body, Controller, Get, HttpCode, Inject, Param, Post, Redirect, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { PredictionResult } from '../../common/prediction/result';
import { notePrediction, requestIdOf } from '../logging/access-log';
import { PredictionRequests, requestBodyFields } from '../predictions/prediction-requests';
import { ResultHub } from '../predictions/result-hub';
import { idParam } from '../predictions/wait-param';

/** A form post carries strings: the numbers of the seed's form become numbers when they are numbers. */
function fromForm(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (!(requestBodyFields as readonly string[]).includes(k) || v === '') continue;
    out[k] = (k === 'DepDelay' || k === 'Distance') && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v;
  }
  return out;
}

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
  @ApiOperation({ summary: "The seed's form page: redirects to the prediction form" })
  page(): void {}

  @Post('predict/classify_realtime')
  @HttpCode(200)
  @ApiOperation({ summary: 'Seed: publish a request from the form fields (form-encoded or JSON); answers {"status":"OK","id":UUID}' })
  async classify(@Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<{ status: 'OK'; id: string }> {
    const request = this.requests.build(fromForm(body));
    notePrediction(res, request.UUID);
    await this.requests.publish(request, requestIdOf(res));
    return { status: 'OK', id: request.UUID };
  }

  @Get('predict/classify_realtime/response/:id')
  @ApiOperation({ summary: 'Seed: {"status":"WAIT"} until the result exists, then {"status":"OK","prediction":{…}}' })
  async response(@Param('id') rawId: unknown): Promise<{ status: 'WAIT' } | { status: 'OK'; prediction: PredictionResult }> {
    const result = await this.hub.find(idParam(rawId));
    return result ? { status: 'OK', prediction: result } : { status: 'WAIT' };
  }
}
