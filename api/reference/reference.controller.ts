import { Controller, Get, Inject, NotFoundException, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { temporalUiLink, type Config } from '../../common/config';
import { loadAirports } from '../../data/airports';
import { ChampionCache } from '../models/champion-cache';
import { PredictionRequests } from '../predictions/prediction-requests';
import { BadInputError } from '../security/bad-input';
import { CONFIG } from '../tokens';

const code = (value: unknown, field: string): string => {
  if (typeof value !== 'string' || !/^[A-Za-z0-9]{1,10}$/.test(value.trim())) {
    throw new BadInputError(`expected an airport code of 1 to 10 letters or digits, got ${JSON.stringify(value ?? null)}`, field);
  }
  return value.trim().toUpperCase();
};

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
  @ApiOperation({ summary: "Airports: those the champion model was trained on (all of airports.csv when there is none), with names" })
  airportList(): { code: string; name: string; city: string | null; state: string | null }[] {
    const airports = loadAirports(); // read once per process by data/airports.ts
    const known = this.championLabels('Origin', 'Dest');
    const codes = known.length > 0 ? known : [...airports.keys()];
    return codes
      .sort()
      .map((c) => ({ code: c, name: airports.get(c)?.name ?? c, city: airports.get(c)?.city ?? null, state: airports.get(c)?.state ?? null }));
  }

  @Get('carriers')
  @ApiOperation({ summary: 'Carriers the champion model was trained on (an unseen carrier is still scored)' })
  carrierList(): { code: string; name: string }[] {
    return this.championLabels('Carrier')
      .sort()
      .map((c) => ({ code: c, name: c }));
  }

  @Get('distances')
  @ApiOperation({ summary: 'The distance a prediction would use: origin_dest_distances (either direction), then the great circle' })
  @ApiQuery({ name: 'origin', example: 'ATL' })
  @ApiQuery({ name: 'dest', example: 'SFO' })
  distance(@Query('origin') origin: unknown, @Query('dest') dest: unknown): { Origin: string; Dest: string; Distance: number; source: string } {
    const o = code(origin, 'origin');
    const d = code(dest, 'dest');
    const resolved = this.requests.distances.resolve(o, d);
    if ('error' in resolved) throw new NotFoundException(resolved.error);
    return { Origin: o, Dest: d, Distance: resolved.distance, source: resolved.source };
  }

  @Get('links')
  @ApiOperation({ summary: 'Where the Temporal UI and the MLflow UI are, for the pages' })
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
