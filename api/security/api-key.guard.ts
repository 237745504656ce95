import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { Config } from '../../common/config';
import { CONFIG } from '../tokens';

/** Routes that start work or change the champion need the header `x-api-key: <API_KEY>`. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(CONFIG) private readonly cfg: Config) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.cfg.api.apiKey;
    if (!expected) {
      throw new UnauthorizedException('this route needs an API key, and the server has none: set API_KEY (16 characters or more) and restart the API');
    }
    const given = context.switchToHttp().getRequest<Request>().header('x-api-key');
    if (typeof given !== 'string' || given.length === 0) throw new UnauthorizedException('missing header x-api-key');
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new UnauthorizedException('wrong x-api-key');
    return true;
  }
}
