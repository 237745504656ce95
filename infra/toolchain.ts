import { spawnSync } from 'node:child_process';
import type { Tool } from './services/service';

export const tools = {
  java: { command: 'java', versionArgs: ['-version'], hint: 'Install a Java 17 JDK (Debian: apt-get install openjdk-17-jdk-headless).' },
  maven: { command: 'mvn', versionArgs: ['-v'], hint: 'Install Apache Maven 3.8+ (Debian: apt-get install maven).' },
  python: { command: 'python3', versionArgs: ['--version'], hint: 'Install Python 3.10+ with venv (Debian: apt-get install python3 python3-venv).' },
  go: { command: 'go', versionArgs: ['version'], hint: 'Install Go 1.24+ (https://go.dev/doc/install; an older Go 1.21+ fetches the 1.24 toolchain itself), or put a real mongod on PATH, or set MONGO_URL.' },
  apt: { command: 'apt-get', versionArgs: ['--version'], hint: "Prometheus comes from Debian's packages (apt-get download, dpkg-deb -x) on Debian or Ubuntu; elsewhere run a Prometheus and set PROMETHEUS_URL." },
  dpkgDeb: { command: 'dpkg-deb', versionArgs: ['--version'], hint: "Prometheus comes from Debian's packages (apt-get download, dpkg-deb -x) on Debian or Ubuntu; elsewhere run a Prometheus and set PROMETHEUS_URL." },
} satisfies Record<string, Tool>;

export class MissingToolError extends Error {}

/** Throws MissingToolError naming the tool and what to install when it is not on PATH. */
export function requireTool(tool: Tool, neededFor: string): void {
  const r = spawnSync(tool.command, tool.versionArgs, { stdio: 'ignore' });
  if (r.error || r.status !== 0) {
    throw new MissingToolError(`'${tool.command}' is needed for ${neededFor} but was not found on PATH. ${tool.hint}`);
  }
}

export function hasCommand(command: string): boolean {
  const r = spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
  return r.status === 0;
}
