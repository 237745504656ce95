import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Contract } from '../contract/route-contract';
import { metricsRoute } from './metrics.contract';
import { ApiMetrics } from './api-metrics';

@ApiTags('operations')
@Controller()
export class MetricsController {
  constructor(@Inject(ApiMetrics) private readonly metrics: ApiMetrics) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Contract(metricsRoute)
  text(): Promise<string> {
    return this.metrics.text();
  }
}
