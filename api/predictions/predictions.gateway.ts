import { Inject, type OnApplicationShutdown } from '@nestjs/common';
import { SubscribeMessage, WebSocketGateway, WebSocketServer, type OnGatewayInit } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import type { PredictionResult } from '../../common/prediction/result';
import { LiveStatsCollector } from './live-stats';
import { ResultHub } from './result-hub';
import { StreamStatus } from './stream-status';
import { predictionId } from './predictions.contract';

const dashboardRoom = 'dashboard';

/**
 * Live push over socket.io, as the seed's later variant did: a client emits 'subscribe' {id} and
 * joins the room named by the request id; the result is emitted there as 'prediction' (at once when it
 * is already known). 'subscribe-dashboard' joins the dashboard room, which gets every result and a
 * 'stats' message each second.
 */
@WebSocketGateway({ cors: { origin: false } })
export class PredictionsGateway implements OnGatewayInit, OnApplicationShutdown {
  @WebSocketServer() server!: Server;
  private timer: NodeJS.Timeout | undefined;
  private readonly onResult = (result: PredictionResult): void => {
    this.stats.record(result);
    this.server.to(result.UUID).to(dashboardRoom).emit('prediction', result);
  };

  constructor(
    @Inject(ResultHub) private readonly hub: ResultHub,
    @Inject(LiveStatsCollector) private readonly stats: LiveStatsCollector,
    @Inject(StreamStatus) private readonly stream: StreamStatus,
  ) {}

  afterInit(): void {
    this.hub.on('result', this.onResult);
    this.timer = setInterval(() => {
      if (this.server.sockets.adapter.rooms.has(dashboardRoom)) this.server.to(dashboardRoom).emit('stats', this.stats.snapshot(this.stream.current()));
    }, 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.hub.off('result', this.onResult);
  }

  @SubscribeMessage('subscribe')
  async subscribe(client: Socket, payload: unknown): Promise<{ ok: boolean; error?: string }> {
    const parsed = predictionId.safeParse((payload as { id?: unknown } | null)?.id);
    if (!parsed.success) {
      return { ok: false, error: `subscribe: id: ${parsed.error.issues[0]!.message}; send {"id": "<the id POST /api/predictions answered>"}` };
    }
    const id = parsed.data;
    await client.join(id);
    const known = await this.hub.find(id).catch(() => undefined);
    if (known) client.emit('prediction', known);
    return { ok: true };
  }

  @SubscribeMessage('subscribe-dashboard')
  async subscribeDashboard(client: Socket): Promise<{ ok: boolean }> {
    await client.join(dashboardRoom);
    client.emit('stats', this.stats.snapshot(this.stream.current()));
    for (const r of this.hub.latest(20).reverse()) client.emit('prediction', r);
    return { ok: true };
  }
}
