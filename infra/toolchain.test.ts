import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MissingToolError, requireTool, tools } from './toolchain';

describe('toolchain', () => {
  it('names the missing tool, what needs it, and what to install', () => {
    const absent = { command: 'no-such-toolchain-xyz', versionArgs: ['--version'], hint: 'Install the XYZ toolchain.' };
    assert.throws(
      () => requireTool(absent, 'Kafka'),
      (err: unknown) =>
        err instanceof MissingToolError &&
        /'no-such-toolchain-xyz' is needed for Kafka but was not found on PATH\. Install the XYZ toolchain\./.test(err.message),
    );
  });

  it('accepts a tool that is on PATH and answers its version flag', () => {
    assert.doesNotThrow(() => requireTool({ ...tools.python, hint: '' }, 'MLflow'));
  });
});
