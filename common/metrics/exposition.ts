/**
 * Prometheus text exposition (version 0.0.4) put together from two sources: the process's own
 * registry, and a second text (the Temporal Core SDK's exporter). A family the first already holds is
 * left out of the second: Prometheus rejects a scrape that declares one family twice.
 */

/** The metric family each `# HELP` / `# TYPE` line declares. */
const familyOf = (line: string): string | undefined => /^# (?:HELP|TYPE) (\S+)/.exec(line)?.[1];

/** The families a text declares. */
export function familiesOf(text: string): Set<string> {
  const families = new Set<string>();
  for (const line of text.split('\n')) {
    const family = familyOf(line);
    if (family) families.add(family);
  }
  return families;
}

/**
 * `base` followed by the families of `extra` that `base` does not declare. A family's samples follow
 * its HELP and TYPE lines in the format, so a whole block is kept or dropped together.
 */
export function appendExposition(base: string, extra: string): string {
  const taken = familiesOf(base);
  const kept: string[] = [];
  let skipping = false;
  for (const line of extra.split('\n')) {
    const family = familyOf(line);
    if (family) skipping = taken.has(family);
    if (!skipping && line.trim() !== '') kept.push(line);
  }
  if (kept.length === 0) return base;
  return `${base.endsWith('\n') || base === '' ? base : `${base}\n`}${kept.join('\n')}\n`;
}
