import { describe, expect, it } from 'vitest';
import { electionJson } from '../../test/fixtures.js';
import { parseElection } from './parse-election.js';

/** Every rule an election definition can break, each reported with its path — and all of them at once. */
const issuesOf = (json: Record<string, unknown>) => {
  const result = parseElection(json);
  return result.ok ? [] : result.error.map((i) => [i.path, i.rule]);
};

const divisions = () => electionJson()['divisions'] as Record<string, unknown>[];

describe('election definition checks', () => {
  it('accepts the fixture and compiles its tree', () => {
    const result = parseElection(electionJson());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const index = result.value;
    expect(index.divisionCount).toBe(12);
    expect(index.isStation.reduce((a, b) => a + b, 0)).toBe(6);
    expect(Array.from(index.depth)).toEqual([0, 1, 2, 3, 3, 2, 3, 3, 1, 2, 3, 3]);
    expect(index.contest('president')?.stationsPerRow[0]).toBe(6);
  });

  it('reports schema problems with their JSON path', () => {
    expect(issuesOf({ ...electionJson(), format: 'other/2' })).toEqual([['format', 'invalid_value']]);
    const bad = divisions();
    bad[3] = { ...bad[3], registered: -4 };
    expect(issuesOf({ ...electionJson(), divisions: bad })).toEqual([['divisions[3].registered', 'too_small']]);
    expect(issuesOf({ ...electionJson(), id: 'has spaces' })).toEqual([['id', 'invalid_format']]);
  });

  it('reports every tree problem at once', () => {
    const bad = divisions();
    bad.push({ id: 'r1', kind: 'region', parent: 'c', names: { en: 'again' } }); // duplicate id
    bad.push({ id: 'orphan', kind: 'region', parent: 'atlantis', names: { en: 'x' } }); // unknown parent
    bad.push({ id: 'second-root', kind: 'country', names: { en: 'x' } }); // a second root
    bad.push({ id: 'inside-station', kind: 'polling-station', parent: 'r1-d1-s1', names: { en: 'x' }, registered: 5 }); // below a station
    bad.push({ id: 'no-list', kind: 'polling-station', parent: 'r2-d1', names: { en: 'x' } }); // no registered
    bad.push({ id: 'big-region', kind: 'region', parent: 'c', names: { en: 'x' }, registered: 5 }); // station-only field
    bad.push({ id: 'loop-a', kind: 'district', parent: 'loop-b', names: { en: 'x' } });
    bad.push({ id: 'loop-b', kind: 'district', parent: 'loop-a', names: { en: 'x' } });
    expect(issuesOf({ ...electionJson(), divisions: bad })).toEqual([
      ['divisions[12].id', 'unique-division-id'],
      ['divisions[13].parent', 'parent-exists'],
      ['divisions[16].registered', 'station-registered'],
      ['divisions[17].registered', 'station-only-field'],
      ['divisions', 'single-root'],
      ['divisions[18].parent', 'no-cycle'],
      ['divisions[15].parent', 'station-is-leaf'],
    ]);
  });

  it('checks the protocol template, the schedule and the contests', () => {
    const json = electionJson();
    const protocol = json['protocol'] as Record<string, Record<string, unknown>>;
    const rules = protocol['rules'] as { relations: Record<string, unknown>[] };
    const contests = json['contests'] as Record<string, unknown>[];
    const contest = contests[0] as Record<string, unknown>;
    const broken = {
      ...json,
      protocol: {
        ...protocol,
        lines: [...(protocol['lines'] as unknown as unknown[]), { id: 'voters', names: { en: 'again' } }],
        roles: { ...protocol['roles'], invalid: [{ line: 'spoilt' }] },
        rules: { ...rules, relations: [...rules.relations, { ...rules.relations[0], left: [{ option: 'a' }] }] },
      },
      turnoutSchedule: ['18:00', '10:00'],
      contests: [
        {
          ...contest,
          options: [
            ...(contest['options'] as unknown[]),
            { id: 'a', kind: 'list', names: { en: 'A' } },
            { id: 'aa', kind: 'against-all', names: { en: 'x' } },
          ],
        },
        { ...contest, id: 'senate', division: 'r1-d1-s1' },
        { ...contest, id: 'mayor', division: 'atlantis' },
      ],
    };
    expect(issuesOf(broken)).toEqual([
      ['protocol.lines[6].id', 'unique-line-id'],
      ['protocol.roles.invalid[0]', 'term-resolves'],
      ['protocol.rules.relations[3].code', 'unique-rule-code'],
      ['protocol.rules.relations[3].left[0]', 'template-option-term'],
      ['turnoutSchedule[1]', 'schedule-ascending'],
      ['contests[0].options[4].id', 'unique-option-id'],
      ['contests[0].options[4].kind', 'option-kind-fits-contest'],
      ['contests[0].options', 'single-against-all'],
      ['contests[1].division', 'contest-division-not-station'],
      ['contests[2].division', 'contest-division-exists'],
    ]);
  });
});
