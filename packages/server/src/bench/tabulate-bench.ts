import {
  ELECTION_FORMAT,
  POLLING_STATION,
  Tally,
  asContestId,
  asDivisionId,
  asElectionId,
  asLineId,
  asOptionId,
  indexElection,
  type Division,
  type Election,
  type Protocol,
} from '@canvass/core';

/**
 * Tabulation benchmark (issue: ≥ 1,000,000 protocols/s and ≤ 300 MB peak RSS on this 2-core machine): a synthetic
 * election of 1,000,000 stations × 10 options in four levels (country → 20 regions → 2,000 districts → stations),
 * protocols generated as a stream (never all in memory), tallied into every level.
 */
export function syntheticElection(stations: number, options = 10): Election {
  const names = (en: string) => ({ en });
  const divisions: Division[] = [{ id: asDivisionId('x'), kind: 'country', names: names('Synthetic') }];
  const regions = 20;
  const districts = Math.max(regions, Math.round(stations / 500));
  for (let r = 0; r < regions; r++)
    divisions.push({ id: asDivisionId(`r${r}`), kind: 'region', parent: asDivisionId('x'), names: names(`Region ${r}`) });
  for (let d = 0; d < districts; d++)
    divisions.push({ id: asDivisionId(`d${d}`), kind: 'district', parent: asDivisionId(`r${d % regions}`), names: names(`District ${d}`) });
  // Station names are shared: the benchmark measures the count, not a million name strings.
  const stationNames = names('Polling station');
  const parents = Array.from({ length: districts }, (_, d) => asDivisionId(`d${d}`));
  for (let s = 0; s < stations; s++) {
    divisions.push({
      id: asDivisionId(`s${s}`),
      kind: POLLING_STATION,
      parent: parents[s % districts],
      names: stationNames,
      registered: 2000,
    });
  }
  return {
    format: ELECTION_FORMAT,
    id: asElectionId('synthetic'),
    names: names('Synthetic benchmark election'),
    date: '2026-01-01',
    timeZone: 'UTC',
    doubleEntry: false,
    protocol: {
      lines: ['voters', 'issued', 'invalid'].map((id) => ({ id: asLineId(id), names: names(id) })),
      roles: {
        registered: [{ line: asLineId('voters') }],
        participated: [{ line: asLineId('issued') }],
        invalid: [{ line: asLineId('invalid') }],
        valid: [{ options: 'all' }],
      },
      rules: { id: 'bench', version: '1', relations: [] },
    },
    turnoutSchedule: [],
    divisions,
    contests: [
      {
        id: asContestId('c'),
        kind: 'plurality',
        names: names('Contest'),
        division: asDivisionId('x'),
        options: Array.from({ length: options }, (_, i) => ({
          id: asOptionId(`o${i}`),
          kind: 'candidate' as const,
          names: names(`Option ${i}`),
        })),
        rules: { percentBase: [{ options: 'all' }], seats: 1 },
      },
    ],
  };
}

/** Protocols for every station, made one at a time; in definition order, or in a shuffled order. */
export function* syntheticProtocols(election: Election, shuffled = false): Generator<Protocol> {
  const options = election.contests[0]?.options ?? [];
  let seed = 12345;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 150;
  const order = Int32Array.from({ length: election.divisions.length }, (_, i) => i);
  if (shuffled) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % (i + 1);
      const t = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = t;
    }
  }
  for (const at of order) {
    const division = election.divisions[at];
    if (division?.kind !== POLLING_STATION) continue;
    const votes: Record<string, number> = {};
    let valid = 0;
    for (const option of options) valid += votes[option.id] = next();
    yield {
      election: election.id,
      contest: asContestId('c'),
      station: division.id,
      lines: { voters: 2000, issued: valid + 20, invalid: 20 } as never,
      votes: votes,
    };
  }
}

export function benchTabulation(stations = 1_000_000): void {
  const election = syntheticElection(stations);
  const index = indexElection(election);
  if (!index.ok) throw new Error('synthetic election invalid');
  for (const shuffled of [false, true]) {
    const tally = new Tally(index.value);
    const started = performance.now();
    let n = 0;
    for (const protocol of syntheticProtocols(election, shuffled)) {
      tally.add(protocol);
      n++;
    }
    const ms = performance.now() - started;
    const result = tally.results(asDivisionId('x'))?.contests[0];
    const rss = process.resourceUsage().maxRSS / 1024;
    console.log(
      `tabulate  ${n.toLocaleString('en-US')} stations × 10 options, 4 levels, ${shuffled ? 'random arrival order' : 'definition order'}: ${(ms / 1000).toFixed(2)} s, ${Math.round(n / (ms / 1000)).toLocaleString('en-US')} protocols/s, peak RSS ${Math.round(rss)} MB (target ≥ 1,000,000/s, ≤ 300 MB)`,
    );
    if (result?.stations.reported !== stations) throw new Error('benchmark tally incomplete');
  }
}
