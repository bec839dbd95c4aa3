/**
 * The statistical indicators of a division as the API serves them (`GET /forensics/{division}`) and
 * `canvass forensics` prints them: per contest, the integer-percentage test (core `integerPercentageTest`) over the
 * counted protocols under the division, the leader being the contest's. Indicators to look at, not proof.
 * Expectations, excesses and standard deviations are given unrounded (rounding them for the answer and again for
 * display would print 766.6 for an excess of 766.546).
 */
import {
  leadingOption,
  type ContestIndex,
  type ElectionIndex,
  type IntegerCounts,
  type IntegerPercentageTest,
  type Tally,
} from '@canvass/core';

export const FORENSICS_METHOD = {
  name: 'integer percentages',
  reference: 'Kobak, Shpilkin & Pshenichnikov, Annals of Applied Statistics 10(1), 2016',
  considered: 'stations with ballots in the boxes, at least 100 voters on the list, turnout and leader share at most 99 %',
  integer:
    'turnout (ballots issued / voters) or leader share (votes / ballots in the boxes) within ±0.05 percentage points of a whole percentage',
  leader: 'the contest\u2019s leader at its top division (against-all excluded), the same for every division',
  expected: 'sum over stations of the binomial probability of an integer percentage at the station\u2019s own rates',
} as const;

type Nullable<T> = { readonly [K in keyof T]: T[K] | null };

export interface ForensicsReport {
  readonly election: string;
  readonly division: string;
  readonly method: typeof FORENSICS_METHOD;
  readonly contests: readonly {
    readonly contest: string;
    readonly leader: string | null;
    /** The core's test, and the excess in standard deviations (null where nothing could vary). */
    readonly integerPercentages: (IntegerPercentageTest & { readonly z: Nullable<IntegerCounts> }) | null;
  }[];
}

/**
 * The report for `division`. The leader is the contest's in `tally` at the contest's top division, the same for every
 * division as in the paper, so that divisions' figures compare; `testOf` runs the test over the counted protocols
 * under the division with that leader.
 */
export function forensicsReport(
  index: ElectionIndex,
  division: string,
  tally: Tally,
  /** The test of a contest under the division (undefined: none to report, its fields then null). */
  testOf: (contest: ContestIndex, leaderAt: number) => IntegerPercentageTest | undefined,
): ForensicsReport {
  return {
    election: index.election.id,
    division,
    method: FORENSICS_METHOD,
    contests: index.contests.flatMap((contest) => {
      const at = index.divisionIndex(division);
      // A division outside the contest's geography has nothing to report for it.
      if (at === undefined || (index.isStation[at] ? contest.votesHere[at] !== 1 : contest.rowOf[at] === -1)) return [];
      const top = index.election.divisions[contest.root]?.id;
      const totals = top && tally.results(top)?.contests.find((c) => c.contest === contest.contest.id);
      const leaderAt = totals ? leadingOption(contest, totals.options) : undefined;
      const test = leaderAt === undefined ? undefined : testOf(contest, leaderAt);
      const z = (of: keyof IntegerCounts) => (test && test.sd[of] > 0 ? test.excess[of] / test.sd[of] : null);
      return [
        {
          contest: contest.contest.id,
          leader: leaderAt === undefined ? null : (contest.layout.options[leaderAt]?.id ?? null),
          integerPercentages: test
            ? {
                considered: test.considered,
                excluded: test.excluded,
                observed: test.observed,
                expected: test.expected,
                excess: test.excess,
                sd: test.sd,
                z: { either: z('either'), leader: z('leader'), turnout: z('turnout') },
              }
            : null,
        },
      ];
    }),
  };
}
