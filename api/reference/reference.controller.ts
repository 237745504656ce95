import { Controller, Get, Inject, NotFoundException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { temporalUiLink, type Config } from '../../common/config';
import { loadAirports } from '../../data/airports';
import { ChampionCache } from '../models/champion-cache';
import { PredictionRequests } from '../predictions/prediction-requests';
import { Contract, Input, type ContractInput } from '../contract/route-contract';
import { airportsRoute, carriersRoute, distanceRoute, linksRoute } from './reference.contract';
import { CONFIG } from '../tokens';

/** What the form's pickers offer: the airports and carriers the champion knows, and distances. */
@ApiTags('reference data')
@Controller('api')
export class ReferenceController {
  constructor(
    @Inject(ChampionCache) private readonly champion: ChampionCache,
    @Inject(PredictionRequests) private readonly requests: PredictionRequests,
    @Inject(CONFIG) private readonly cfg: Config,
  ) {}

  @Get('airports')
  @Contract(airportsRoute)
  airportList(): { code: string; name: string; city: string | null; state: string | null }[] {
    const airports = loadAirports(); // read once per process by data/airports.ts
    const known = this.championLabels('Origin', 'Dest');
    const codes = known.length > 0 ? known : [...airports.keys()];
    return codes
      .sort()
      .map((c) => ({ code: c, name: airports.get(c)?.name ?? c, city: airports.get(c)?.city ?? null, state: airports.get(c)?.state ?? null }));
  }

  @Get('carriers')
  @Contract(carriersRoute)
  carrierList(): { code: string; name: string }[] {
    return this.championLabels('Carrier')
      .sort()
      .map((c) => ({ code: c, name: c }));
  }

  @Get('distances')
  @Contract(distanceRoute)
  distance(@Input() input: ContractInput<typeof distanceRoute>): { Origin: string; Dest: string; Distance: number; source: string } {
    const { origin: o, dest: d } = input.query;
    const resolved = this.requests.distances.resolve(o, d);
    if ('error' in resolved) throw new NotFoundException(resolved.error);
    return { Origin: o, Dest: d, Distance: resolved.distance, source: resolved.source };
  }

  @Get('links')
  @Contract(linksRoute)
  links(): { temporalUi: string; mlflowUi: string } {
    return { temporalUi: temporalUiLink(this.cfg), mlflowUi: this.cfg.mlflow.trackingUri };
  }

  private championLabels(...columns: ('Origin' | 'Dest' | 'Carrier')[]): string[] {
    const champion = this.champion.get();
    if (!champion) return [];
    const labels = new Set<string>();
    for (const column of columns) for (const l of champion.model.pipeline.indexers.get(column)?.labels ?? []) labels.add(l);
    return [...labels];
  }
}
