import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiMetrics } from './api-metrics';

@ApiTags('operations')
@Controller()
export class MetricsController {
  constructor(@Inject(ApiMetrics) private readonly metrics: ApiMetrics) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: process, HTTP requests and latencies, predictions by class and their latency, consumer lag' })
  text(): Promise<string> {
    return this.metrics.text();
  }
}
