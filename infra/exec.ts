import { spawn } from 'node:child_process';
import type { Logger } from '../common/logger';

/**
 * Runs a provisioning command to completion, streaming its output to the log at debug level and
 * keeping the tail for the error message when it fails.
 */
export async function run(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; log: Logger; what: string },
): Promise<string> {
  opts.log.info(`${opts.what}: ${command} ${args.join(' ')}`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      for (const line of chunk.toString().split('\n')) if (line.trim()) opts.log.debug(line);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (err) => reject(new Error(`${opts.what} failed to start ${command}: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolvePromise(output);
      else reject(new Error(`${opts.what} failed (${command} exited ${code}). Last output:\n${output.slice(-4000)}`));
    });
  });
}
