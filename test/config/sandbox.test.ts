import { describe, expect, it } from 'vitest';
import { buildPlan, PLAN_VERSION } from '../../src/plan/index.js';
import { errorsOf, mustLoad, planOf } from '../helpers/load.js';

const GIB = 1024 ** 3;

describe('build.network, test[].network and build.limits', () => {
  it('default to no network and 8GiB of memory, 4096 tasks, 50GiB of disk', () => {
    const config = mustLoad('version: 1\ntest: [install, {run: make check}]\n');
    expect(config.build.network).toBe(false);
    expect(config.build.limits).toEqual({ memory: 8 * GIB, tasks: 4096, disk: 50 * GIB });
    expect(config.test.map((s) => s.network)).toEqual([false, false]);
  });

  it('reads sizes with units and plain bytes', () => {
    const config = mustLoad(
      'version: 1\nbuild:\n  limits: {memory: 512MiB, tasks: 16, disk: 1099511627776}\n',
    );
    expect(config.build.limits).toEqual({ memory: 512 * 1024 ** 2, tasks: 16, disk: 1024 * GIB });
    expect(
      mustLoad('version: 1\nbuild:\n  limits: {disk: 2TiB, memory: 64KiB0}\n'.replace('64KiB0', '1024KiB'))
        .build.limits,
    ).toEqual({ memory: 1024 * 1024, tasks: 4096, disk: 2 * 1024 * GIB });
  });

  it.each([
    [
      'a unit albs does not read',
      'memory: 8GB',
      '3:20 build.limits.memory is "8GB"; it must be a size like 512MiB, 8GiB or 1TiB (units KiB, MiB, GiB, TiB), or a number of bytes; did you mean "8GiB"?',
    ],
    [
      'a number without a unit',
      'memory: 8',
      '3:20 build.limits.memory is 8, which is 8 bytes (a number without a unit is bytes), under the 1 MiB a build needs; write a unit, e.g. 8GiB',
    ],
    [
      'a size too large to count',
      'disk: 99999999TiB',
      '3:18 build.limits.disk is "99999999TiB", over the largest size albs can count (9007199254740991 bytes, about 8 PiB); give a smaller size',
    ],
    ['too few tasks', 'tasks: 8', '3:19 build.limits.tasks is 8; it must be at least 16'],
    ['too many tasks', 'tasks: 5000000', '3:19 build.limits.tasks is 5000000; it must be at most 4194304'],
  ])('refuses %s at its line', (_, limit, error) => {
    expect(errorsOf(`version: 1\nbuild:\n  limits: {${limit}}\n`)).toEqual([error]);
  });

  it('refuses network when on.pull_requests is true: pull-request pipelines never get network', () => {
    const yaml = `version: 1
on:
  branches: [main]
  pull_requests: true
build:
  network: true
test:
  - run: ./online-test.sh
    network: true
`;
    expect(errorsOf(yaml)).toEqual([
      '6:12 build.network is true, but on.pull_requests is true, and pull-request pipelines never get network; set network: false (and keep what it downloads in the repository), or set on.pull_requests: false',
      '9:14 test[0].network is true, but on.pull_requests is true, and pull-request pipelines never get network; set network: false (and keep what it downloads in the repository), or set on.pull_requests: false',
    ]);
  });

  it('refuses network without "on", since then every pull request runs the pipeline', () => {
    expect(errorsOf('version: 1\nbuild:\n  network: true\n')).toEqual([
      '3:12 build.network is true, but there is no "on", so every pull request runs this pipeline, and pull-request pipelines never get network; set network: false (and keep what it downloads in the repository), or add an "on" that lists your tags and branches and leaves pull requests out',
    ]);
  });

  it('allows network for tags and branches, and puts network and limits into the plan', () => {
    const yaml = `version: 1
on: {tags: ["v*"], branches: [main]}
build:
  network: true
  limits: {memory: 16GiB}
test:
  - rpmlint
  - run: make check
    network: true
`;
    const plan = planOf(yaml, { event: 'tag', ref: 'v1' });
    expect(plan.version).toBe(PLAN_VERSION);
    const [build, test] = plan.jobs;
    const limits = { memory: 16 * GIB, tasks: 4096, disk: 50 * GIB };
    expect(build).toMatchObject({ stage: 'build', network: true, limits });
    expect(test).toMatchObject({ stage: 'test', limits });
    expect(test?.stage === 'test' && test.steps.map((s) => s.network)).toEqual([false, true]);
  });

  it('a pull request plan never has network, even from a config that was not checked', () => {
    const config = mustLoad(
      'version: 1\non: {branches: [main]}\nbuild: {network: true}\ntest: [{run: x, network: true}]\n',
    );
    const plan = buildPlan({ ...config, on: null }, { event: 'pull_request', ref: 'x' });
    expect(
      plan.jobs.map((j) => (j.stage === 'build' ? j.network : j.stage === 'test' && j.steps[0]?.network)),
    ).toEqual([false, false]);
  });
});

describe('test: - install: {repos, gpgkeys, gpgcheck}', () => {
  it('defaults to no keys and gpgcheck true; the plain form too', () => {
    const config = mustLoad('version: 1\ntest: [install, {install: {}}]\n');
    expect(config.test).toMatchObject([
      { kind: 'install', repos: [], gpgkeys: [], gpgcheck: true },
      { kind: 'install', repos: [], gpgkeys: [], gpgcheck: true },
    ]);
  });

  it('refuses repos whose signatures are checked against no keys, at repos, saying both fixes', () => {
    const yaml = 'version: 1\ntest:\n  - install:\n      repos: ["https://repo.example/9/"]\n';
    expect(errorsOf(yaml)).toEqual([
      "4:7 test[0].install has repos but no gpgkeys, and the signatures of their packages are checked (gpgcheck is true unless set false); add gpgkeys: [the URL of each repository's key, file:///… or https://…], or gpgcheck: false to install from them unchecked",
    ]);
  });

  it('accepts repos with gpgkeys, or with gpgcheck: false, and puts them into the plan rendered', () => {
    const plan = planOf(`version: 1
matrix:
  dist: ["9"]
test:
  - install:
      repos: ["https://repo.example/\${{ matrix.dist }}/"]
      gpgkeys: ["file:///etc/pki/rpm-gpg/RPM-GPG-KEY-\${{ matrix.dist }}", "https://repo.example/key.asc"]
  - install: {repos: ["https://other.example/"], gpgcheck: false}
`);
    const test = plan.jobs.find((j) => j.stage === 'test');
    expect(test?.stage === 'test' && test.steps).toEqual([
      {
        kind: 'install',
        name: 'install',
        timeout: 1800,
        env: {},
        network: false,
        repos: ['https://repo.example/9/'],
        gpgkeys: ['file:///etc/pki/rpm-gpg/RPM-GPG-KEY-9', 'https://repo.example/key.asc'],
        gpgcheck: true,
      },
      {
        kind: 'install',
        name: 'install',
        timeout: 1800,
        env: {},
        network: false,
        repos: ['https://other.example/'],
        gpgkeys: [],
        gpgcheck: false,
      },
    ]);
  });

  it('refuses a key that is not a file:/// or http(s):// link, as written or as rendered', () => {
    expect(errorsOf('version: 1\ntest:\n  - install: {gpgkeys: [ftp://x/key]}\n')).toEqual([
      '3:25 test[0].install.gpgkeys[0] is "ftp://x/key"; it must be a key file on the runner (file:///PATH) or an http:// or https:// link',
    ]);
    expect(
      errorsOf(
        'version: 1\nmatrix:\n  key: [/etc/key]\ntest:\n  - install: {gpgkeys: ["${{ matrix.key }}"]}\n',
      ),
    ).toEqual([
      '5:25 test[0].install.gpgkeys[0] renders to "/etc/key"; a key is a file:///PATH on the runner or an http(s):// link',
    ]);
  });
});
