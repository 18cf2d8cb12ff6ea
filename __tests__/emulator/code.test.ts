import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ResourceConflictException,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { SYN, clients } from './helpers.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const decode = (b64: string | undefined): string => Buffer.from(b64 ?? '', 'base64').toString('utf8');
const RUNTIME_ARN = /^arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}$/;
const LAYER = 'arn:aws:lambda:us-east-1:123456789012:layer:deps:3';

async function start(): Promise<{ emu: Emulator; lambda: LambdaClient }> {
  emu = await startEmulator({
    seed: 11,
    latency: { updateMs: 30, invokeOverheadMs: 1, ingestionMs: 0, queryMs: 0 },
    functions: [
      {
        name: 'big',
        runtime: 'python3.12',
        architecture: 'arm64',
        codeSize: 5_242_880,
        layers: [{ arn: LAYER, codeSize: 1_836_985 }],
        runtimeVersion: 41,
        synthetic: SYN,
      },
      { name: 'plain', runtime: 'nodejs22.x', synthetic: SYN },
      { name: 'jsonfn', runtime: 'nodejs22.x', logFormat: 'JSON', synthetic: SYN },
      { name: 'img', runtime: 'nodejs22.x', packageType: 'Image', synthetic: SYN },
    ],
  });
  return { emu, lambda: clients(emu).lambda };
}

const wait = (lambda: LambdaClient, name: string): Promise<unknown> =>
  waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10, minDelay: 0.02, maxDelay: 0.05 }, { FunctionName: name });

describe('emulator: code size, layers, architectures and runtime versions', () => {
  it('GetFunction and GetFunctionConfiguration show CodeSize, Layers, Architectures and RuntimeVersionConfig', async () => {
    const { lambda } = await start();
    const big = (await lambda.send(new GetFunctionCommand({ FunctionName: 'big' }))).Configuration;
    expect(big).toMatchObject({
      CodeSize: 5_242_880,
      Layers: [{ Arn: LAYER, CodeSize: 1_836_985 }],
      Architectures: ['arm64'],
    });
    expect(big?.RuntimeVersionConfig?.RuntimeVersionArn).toMatch(RUNTIME_ARN);
    expect((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'big' }))).RuntimeVersionConfig).toEqual(
      big?.RuntimeVersionConfig,
    );
    const plain = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'plain' }));
    expect(plain.CodeSize).toBe(1024);
    expect(plain).not.toHaveProperty('Layers'); // Lambda omits Layers when there are none
    expect(plain.Architectures).toEqual(['x86_64']);
    // a container image has no managed runtime, hence no runtime version; its CodeSize is 0
    const img = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'img' }));
    expect(img).toMatchObject({ PackageType: 'Image', CodeSize: 0 });
    expect(img).not.toHaveProperty('RuntimeVersionConfig');
    expect(img).not.toHaveProperty('Runtime');
  });

  it('INIT_START (text) and platform.initStart (JSON) name the runtime version and its ARN', async () => {
    const { emu, lambda } = await start();
    await lambda.send(new InvokeCommand({ FunctionName: 'big' }));
    await lambda.send(new InvokeCommand({ FunctionName: 'jsonfn' }));
    const arn = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'big' }))).RuntimeVersionConfig?.RuntimeVersionArn;
    const groups = emu.state().logGroups;
    const first = (g: string): string => groups.find((x) => x.name === g)?.streams[0]?.events[0]?.message ?? '';
    expect(first('/aws/lambda/big')).toBe(`INIT_START Runtime Version: python:3.12.v41\tRuntime Version ARN: ${arn}`);
    const initStart = JSON.parse(first('/aws/lambda/jsonfn')) as { type: string; record: Record<string, unknown> };
    expect(initStart.type).toBe('platform.initStart');
    expect(initStart.record).toMatchObject({ initializationType: 'on-demand', phase: 'init', functionName: 'jsonfn' });
    expect(initStart.record.runtimeVersion).toMatch(/^nodejs:22\.v\d+$/);
    expect(initStart.record.runtimeVersionArn).toMatch(RUNTIME_ARN);
    expect(emu.state().invocations.map((i) => i.runtimeVersion)).toEqual(['python:3.12.v41', initStart.record.runtimeVersion]);
  });

  it('a runtime patch (no deploy): new environments start the new version; the configuration revision stays', async () => {
    const { emu, lambda } = await start();
    await lambda.send(new InvokeCommand({ FunctionName: 'big' }));
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'big' }));
    const patched = emu.control.setRuntimeVersion('big');
    expect(patched.runtimeVersion).toBe('python:3.12.v42');
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'big' }));
    expect(after.RuntimeVersionConfig?.RuntimeVersionArn).toBe(patched.runtimeVersionArn);
    expect(patched.runtimeVersionArn).not.toBe(before.RuntimeVersionConfig?.RuntimeVersionArn);
    expect([after.RevisionId, after.LastModified, after.CodeSha256]).toEqual([before.RevisionId, before.LastModified, before.CodeSha256]);
    // the running environment keeps the version it started with (a warm invoke while an update is in progress) ...
    emu.control.outsideChange('big', { memory: 512 });
    await lambda.send(new InvokeCommand({ FunctionName: 'big' }));
    expect(emu.state().invocations[1]).toMatchObject({ newEnvironment: false, runtimeVersion: 'python:3.12.v41' });
    // ... and the next new environment starts the patched one
    await wait(lambda, 'big');
    await lambda.send(new InvokeCommand({ FunctionName: 'big' }));
    expect(emu.state().invocations[2]).toMatchObject({
      newEnvironment: true,
      runtimeVersion: 'python:3.12.v42',
      runtimeVersionArn: patched.runtimeVersionArn,
    });
    expect(emu.control.setRuntimeVersion('big', 40).runtimeVersion).toBe('python:3.12.v40');
  });

  it('a code deploy by another actor: new CodeSize, CodeSha256, RevisionId and LastModified; InProgress, then cold', async () => {
    const { emu, lambda } = await start();
    await lambda.send(new InvokeCommand({ FunctionName: 'big' }));
    const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'big' }));
    await new Promise((r) => setTimeout(r, 5));
    const deployed = emu.control.deployCode('big', { codeSize: 6_000_000, layers: [], inProgressMs: 300 });
    expect(deployed).toMatchObject({ CodeSize: 6_000_000, LastUpdateStatus: 'InProgress', LastUpdateStatusReasonCode: 'Creating' });
    expect(deployed).not.toHaveProperty('Layers');
    expect(deployed.CodeSha256).not.toBe(before.CodeSha256);
    expect(deployed.RevisionId).not.toBe(before.RevisionId);
    expect(Date.parse(deployed.LastModified.replace('+0000', 'Z'))).toBeGreaterThan(
      Date.parse((before.LastModified ?? '').replace('+0000', 'Z')),
    );
    // while it deploys, a client's update is refused and invokes still run the old code, warm
    await expect(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'big', MemorySize: 256 }))).rejects.toBeInstanceOf(
      ResourceConflictException,
    );
    await lambda.send(new InvokeCommand({ FunctionName: 'big' }));
    expect(emu.state().invocations[1]).toMatchObject({ cold: false, revisionId: before.RevisionId });
    await wait(lambda, 'big');
    const done = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'big' }));
    expect(done).toMatchObject({ LastUpdateStatus: 'Successful', CodeSize: 6_000_000, CodeSha256: deployed.CodeSha256 });
    expect(done.RevisionId).not.toBe(deployed.RevisionId); // a new one again when the update completes
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'big', LogType: 'Tail' }));
    expect(decode(r.LogResult)).toContain('Init Duration');
    expect(
      emu
        .state()
        .environments.filter((e) => e.functionName === 'big')
        .map((e) => e.status),
    ).toEqual(['reaped', 'idle']);
    expect(
      emu
        .state()
        .calls.filter((c) => c.foreign)
        .map((c) => [c.operation, c.status]),
    ).toEqual([['UpdateFunctionCode', 200]]);
    expect(() => emu?.control.deployCode('nope')).toThrow(/Function not found/);
  });
});
