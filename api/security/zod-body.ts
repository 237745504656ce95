import type { z } from 'zod';
import { BadInputError } from './bad-input';

/** Parses a body or query with a zod schema; the first issue becomes a 400 naming its field. */
export function parseWith<T extends z.ZodTypeAny>(schema: T, value: unknown, what = 'body'): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data as z.output<T>;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || what;
  throw new BadInputError(`${field}: ${issue.message}`, field);
}
