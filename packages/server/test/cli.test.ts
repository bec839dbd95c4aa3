import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from './support/spawn-server.js';

/** The CLI as a user runs it: the built `canvass` command in its own process. */
const run = async (args: readonly string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> => {
  const child = promisify(execFile)(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe('canvass CLI', () => {
  let dir = '';
  let election = '';
  let protocols = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'canvass-cli-'));
    const written = await run(['demo-data', '--out', dir]);
    expect(written.code).toBe(0);
    election = join(dir, 'kz-2022-president', 'election.json');
    protocols = join(dir, 'kz-2022-president', 'protocols.jsonl');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints help', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['demo-data', 'tally', 'validate', 'seats', 'init', 'user', 'serve', 'ledger', 'demo'])
      expect(help.stdout).toContain(command);
  });

  it('tallies the reference election to the official 2022 result', async () => {
    const tally = await run(['tally', '--election', election, '--protocols', protocols, '--format', 'json']);
    expect(tally.code).toBe(0);
    const result = JSON.parse(tally.stdout) as { election: string; division: string; contests: Record<string, unknown>[] };
    expect(result.election).toBe('kz-2022-president');
    expect(result.division).toBe('kz');
    expect(result.contests[0]).toMatchObject({
      contest: 'president',
      status: 'unofficial-complete',
      stations: { reported: 10101, total: 10101 },
      registered: 11953465,
      participated: 8300046,
      invalid: 359568,
      valid: 7940478,
      turnoutPercent: '69.44',
      outcome: { kind: 'elected', elected: ['tokayev'] },
    });
    expect((result.contests[0]?.['options'] as { percent: string }[]).map((o) => o.percent)).toEqual([
      '81.31',
      '3.42',
      '2.60',
      '2.53',
      '2.22',
      '2.12',
      '5.80',
    ]);
    const table = await run(['tally', '--election', election, '--protocols', protocols, '--division', 'kz-35']);
    expect(table.stdout).toContain('Karaganda Region (kz-35)');
    expect(table.stdout).toContain('stations 642 of 642');
  });

  it('gives the Mazhilis 2023 seats', async () => {
    const tally = await run([
      'tally',
      '--election',
      join(dir, 'kz-2023-mazhilis', 'election.json'),
      '--protocols',
      join(dir, 'kz-2023-mazhilis', 'protocols.jsonl'),
      '--format',
      'json',
    ]);
    const outcome = (JSON.parse(tally.stdout) as { contests: { outcome: { seats: Record<string, number> } }[] }).contests[0]?.outcome;
    expect(outcome?.seats).toEqual({ amanat: 40, auyl: 8, respublica: 6, 'ak-zhol': 6, 'peoples-party': 5, osdp: 4, baytaq: 0 });
  });

  it('validates: exit 0 when clean, exit 1 with every finding by line when a protocol breaks a rule', async () => {
    expect((await run(['validate', '--election', election, '--protocols', protocols])).stdout).toContain(
      '10101 protocols: 10101 pass, 0 break an error-level rule',
    );
    const lines = (await readFile(protocols, 'utf8')).split('\n');
    const broken = JSON.parse(lines[2] ?? '{}') as { lines: Record<string, number> };
    broken.lines['ballots-received'] = (broken.lines['ballots-received'] ?? 0) + 5;
    lines[2] = JSON.stringify(broken);
    const file = join(dir, 'broken.jsonl');
    await writeFile(file, lines.join('\n'));
    const result = await run(['validate', '--election', election, '--protocols', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /broken\.jsonl: line 3: station kz-10-01-0003, contest president: error KZ-1: Ballots received \(\d+\) must equal ballots issued plus ballots cancelled/,
    );
    const russian = await run(['validate', '--election', election, '--protocols', file, '--lang', 'ru']);
    expect(russian.stdout).toContain('Число полученных бюллетеней');
    // tally leaves the broken protocol out and says so
    const tally = await run(['tally', '--election', election, '--protocols', file, '--format', 'json']);
    expect(tally.code).toBe(0);
    expect(tally.stderr).toContain('1 protocol(s) break an error-level control relation and are not counted');
  });

  it('names the file, line, field and rule of malformed input, never a stack trace', async () => {
    const bad = join(dir, 'bad.jsonl');
    await writeFile(
      bad,
      '{"election":"kz-2022-president","contest":"president","station":"x","lines":{"voters":-1},"votes":{}}\nnot json\n',
    );
    const jsonError = await run(['tally', '--election', election, '--protocols', bad]);
    expect(jsonError.code).toBe(2);
    expect(jsonError.stderr).toBe(`${bad}: line 2: not a JSON object: Unexpected token 'o', "not json" is not valid JSON [json-syntax]\n`);
    await writeFile(bad, '{"election":"kz-2022-president","contest":"president","station":"x","lines":{"voters":-1},"votes":{}}\n');
    const schemaError = await run(['tally', '--election', election, '--protocols', bad]);
    expect(schemaError.stderr).toBe(`${bad}: line 1: lines.voters: a count cannot be negative [too_small]\n`);
    const missing = await run(['tally', '--election', join(dir, 'nope.json'), '--protocols', bad]);
    expect(missing.stderr).toBe(`${join(dir, 'nope.json')}: cannot read the file: no such file [file-readable]\n`);
    const badElection = join(dir, 'bad-election.json');
    const definition = JSON.parse(await readFile(election, 'utf8')) as { divisions: { parent?: string }[] };
    definition.divisions[5] = { ...definition.divisions[5], parent: 'atlantis' };
    await writeFile(badElection, JSON.stringify(definition));
    const tree = await run(['validate', '--election', badElection, '--protocols', protocols]);
    expect(tree.code).toBe(2);
    expect(tree.stderr).toContain(
      `${badElection}: divisions[5].parent: division "kz-10-04" names parent "atlantis", which is not defined; define it or correct the parent id [parent-exists]`,
    );
    const duplicate = join(dir, 'dup.jsonl');
    const first = (await readFile(protocols, 'utf8')).split('\n')[0] ?? '';
    await writeFile(duplicate, `${first}\n${first}\n`);
    const dup = await run(['tally', '--election', election, '--protocols', duplicate]);
    expect(dup.stderr).toContain(
      'line 2: station "kz-10-01-0001" already has a protocol for contest "president" at line 1; keep one line per station and contest [one-protocol-per-station]',
    );
    for (const result of [jsonError, schemaError, missing, tree, dup]) expect(result.stderr).not.toMatch(/\n\s+at /);
    // A count past 2^53 is named for what it is, not as "not a whole number".
    await writeFile(bad, '{"election":"kz-2022-president","contest":"president","station":"x","lines":{"voters":1e308},"votes":{}}\n');
    expect((await run(['tally', '--election', election, '--protocols', bad])).stderr).toBe(
      `${bad}: line 1: lines.voters: a count above 100000000 is not plausible for one polling station [too_big]\n`,
    );
    // A file broken throughout: 200 problems, then a line that says the rest was not checked.
    await writeFile(bad, 'x\n'.repeat(300));
    const many = (await run(['tally', '--election', election, '--protocols', bad])).stderr.trimEnd().split('\n');
    expect(many).toHaveLength(201);
    expect(many.at(-1)).toBe(`${bad}: line 201: more than 200 lines are not JSON; fix these and run again [more-problems]`);
    const language = await run(['validate', '--election', election, '--protocols', protocols, '--lang', 'de']);
    expect([language.code, language.stderr]).toEqual([2, expect.stringContaining('--lang is one of en, ru, kk; got "de"') as unknown]);
  });

  it('reads protocols as CSV too', async () => {
    const csv = join(dir, 'protocols.csv');
    await writeFile(
      csv,
      'election,contest,station,voters,ballots-received,ballots-issued,ballots-cancelled,ballots-in-boxes,invalid,votes:tokayev,votes:dairabayev,votes:abden,votes:kazhyken,votes:auesbayev,votes:tursynbekova,votes:against-all\n' +
        'kz-2022-president,president,kz-10-01-0001,741,741,498,243,498,10,426,10,7,9,9,7,20\n',
    );
    const result = await run(['tally', '--election', election, '--protocols', csv, '--division', 'kz-10-01-0001', '--format', 'json']);
    expect(JSON.parse(result.stdout).contests[0].options[0]).toEqual({ option: 'tokayev', votes: 426, percent: '87.30' });
    await writeFile(csv, 'election,contest,station,voters\nkz-2022-president,president,kz-10-01-0001,seven\n');
    expect((await run(['tally', '--election', election, '--protocols', csv])).stderr).toBe(
      `${csv}: line 2: voters: "seven" is not a whole number; write the count in digits only [csv-count]\n`,
    );
  });

  it('allocates seats from a CSV of votes', async () => {
    const votes = join(dir, 'votes.csv');
    await writeFile(
      votes,
      'option,votes\nAmanat,3431510\nAuyl,693938\nRespublica,547154\nAk Zhol,535139\nPeople,432920\nOSDP,331058\nBaytaq,146431\nagainst-all,248291\n',
    );
    const hare = await run(['seats', '--method', 'hare-largest-remainder', '--seats', '69', '--threshold', '5', '--votes', votes]);
    expect(JSON.parse(hare.stdout)).toEqual({ seats: { Amanat: 40, Auyl: 8, Respublica: 6, 'Ak Zhol': 6, People: 5, OSDP: 4, Baytaq: 0 } });
    const dhondt = await run(['seats', '--method', 'dhondt', '--seats', '69', '--threshold', '5', '--votes', votes]);
    expect(JSON.parse(dhondt.stdout).seats).toMatchObject({ Amanat: 41, OSDP: 3 });
    await writeFile(votes, 'option,votes,eligible\nA,100,true\nB,100,true\nC,1,false\n');
    const tie = await run(['seats', '--method', 'dhondt', '--seats', '3', '--votes', votes]);
    expect(tie.code).toBe(1);
    expect(JSON.parse(tie.stdout)).toEqual({ seats: { A: 1, B: 1, C: 0 }, tie: { tied: ['A', 'B'], remaining: 1 } });
    const settled = await run(['seats', '--method', 'dhondt', '--seats', '3', '--tie-break', 'earlier-registration', '--votes', votes]);
    expect(JSON.parse(settled.stdout)).toEqual({ seats: { A: 2, B: 1, C: 0 } });
    const wrong = await run(['seats', '--method', 'borda', '--seats', '3', '--votes', votes]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(
      '--method is one of hare-largest-remainder, droop-largest-remainder, dhondt, sainte-lague, modified-sainte-lague; got "borda"',
    );
  });

  it('sets up a server database: init, user add with a token as the last line, disable and enable, ledger verify', async () => {
    const db = join(dir, 'server.db');
    const data = join(dir, 'data');
    const init = await run(['init', '--db', db, '--data-dir', data, '--election', election]);
    expect(init.stdout).toBe('defined election kz-2022-president: 10289 divisions, 10101 polling stations, 1 contest(s) (ledger seq 1)\n');
    const again = await run(['init', '--db', db, '--data-dir', data, '--election', election]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('[election-unique]');
    const user = await run(
      [
        'user',
        'add',
        '--db',
        db,
        '--data-dir',
        data,
        '--name',
        'karaganda',
        '--role',
        'commission',
        '--division',
        'kz-35',
        '--password-stdin',
        '--token',
      ],
      'a long enough password',
    );
    expect(user.code).toBe(0);
    expect(user.stdout.trim().split('\n').at(-1)).toMatch(/^cvt_[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
    const nowhere = await run([
      'user',
      'add',
      '--db',
      db,
      '--data-dir',
      data,
      '--name',
      'lost',
      '--role',
      'commission',
      '--division',
      'atlantis',
    ]);
    expect(nowhere.stderr).toContain('division "atlantis" is not part of election "kz-2022-president" [division-exists]');
    const scopedAdmin = await run([
      'user',
      'add',
      ...['--db', db, '--data-dir', data],
      ...['--name', 'boss', '--role', 'admin', '--division', 'kz-35'],
    ]);
    expect([scopedAdmin.code, scopedAdmin.stderr]).toEqual([
      2,
      'user add: division: an administrator acts for the whole system, not for an election or a division; give neither [admin-scope]\n',
    ]);
    // A lost laptop: the account disabled, then enabled again with a new token (each a ledger event).
    const account = ['--db', db, '--data-dir', data, '--name', 'karaganda'];
    expect((await run(['user', 'disable', ...account, '--reason', 'laptop lost at the station'])).stdout).toBe(
      'account "karaganda" is disabled\n',
    );
    const noReason = await run(['user', 'enable', ...account, '--reason', 'ok']);
    expect([noReason.code, noReason.stderr]).toEqual([
      2,
      expect.stringContaining('say why the account is enabled again (3 characters or more) [enable-reason]') as unknown,
    ]);
    expect((await run(['user', 'enable', ...account, '--reason', 'laptop found and wiped'])).stdout).toBe(
      'account "karaganda" is enabled; its earlier tokens and sessions stay revoked (new token: canvass user token --name karaganda)\n',
    );
    expect((await run(['user', 'token', ...account])).stdout.trim()).toMatch(/^cvt_[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
    expect((await run(['ledger', 'verify', '--db', db, '--data-dir', data])).stdout).toMatch(/^ledger OK: 6 events/);
  });

  it('fails with a message and an exit code, and does not hang, when the server cannot start or a path is wrong', async () => {
    const db = join(dir, 'server.db');
    const data = join(dir, 'data');
    // The port taken by another process: the server stops what it started and exits 2 (before: it hung).
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = String((busy.address() as AddressInfo).port);
    try {
      const taken = await run(['serve', '--db', db, '--data-dir', data, '--port', port, '--no-publish']);
      expect([taken.code, taken.stderr]).toEqual([
        2,
        `127.0.0.1:${port}: cannot listen on 127.0.0.1:${port}: another process is using the port; stop it or choose another --port [listen]\n`,
      ]);
    } finally {
      busy.close();
    }
    const mistyped = await run(['serve', '--db', join(dir, 'sever.db'), '--data-dir', data, '--port', '0']);
    expect(mistyped.code).toBe(2);
    expect(mistyped.stderr).toContain('sever.db: no database at this path; check --db, or create one with `canvass init');
    const out = await run(['ledger', 'export', '--db', db, '--out', join(dir, 'no-such-dir', 'ledger.jsonl')]);
    expect([out.code, out.stderr]).toEqual([
      2,
      `${join(dir, 'no-such-dir', 'ledger.jsonl')}: cannot open it: no such file or directory (does its directory exist?) [file-access]\n`,
    ]);
  });
});
