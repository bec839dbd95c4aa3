import { useLocation } from 'preact-iso';
import { useEffect } from 'preact/hooks';
import type { ContestWithStatus, DivisionView } from '../api/schemas.js';
import { useElection, type Stage } from '../election-context.js';
import { nameIn, useI18n } from '../i18n/i18n.js';
import { keepQuery, resultsPath } from '../paths.js';
import { Breadcrumbs } from '../ui/common.js';
import { ChildrenSection } from './children-section.js';
import { ExitPollsSection } from './exit-polls.js';
import { Headline } from './headline.js';
import { OptionsSection } from './options-section.js';
import { MapSection } from './region-map.js';
import { TurnoutSection } from './turnout-section.js';
import { ViewControls } from './view-controls.js';

export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = title;
  }, [title]);
}

/** The results of the country, a region or a district: headline, options, map, the divisions below, turnout. */
export function DivisionPage({
  view,
  contest,
  stage,
  updatedAt,
}: {
  view: DivisionView;
  contest: ContestWithStatus;
  stage: Stage;
  updatedAt: string | null;
}) {
  const { t, lang } = useI18n();
  const { election, summary } = useElection();
  const { query } = useLocation();
  const isRoot = view.division.id === summary.root;
  const place = nameIn(view.division.names, lang);
  const results = view.results.contests.find((c) => c.contest === contest.contest.id);
  usePageTitle(`${t('results.heading', { place })} · ${nameIn(summary.names, lang)} · Canvass`);
  const crumbs = view.path.map((p) => ({
    label: nameIn(p.names, lang),
    href: resultsPath(lang, election, p.id === summary.root ? undefined : p.id, keepQuery(query)),
  }));
  // On the map, a region's page (or a page below it) highlights that region.
  const region = view.path[1]?.id;
  return (
    <>
      <Breadcrumbs items={crumbs} />
      <h1>{t('results.heading', { place })}</h1>
      <ViewControls contest={contest} stage={stage} />
      {results ? (
        <>
          <Headline results={results} contest={contest} isRoot={isRoot} updatedAt={updatedAt} stage={stage} />
          <OptionsSection results={results} contest={contest} place={place} />
        </>
      ) : (
        <p>{t('results.noContestHere')}</p>
      )}
      <MapSection highlight={region} stage={stage} contest={contest} />
      <ChildrenSection view={view} contest={contest} />
      <TurnoutSection division={view.division.id} place={place} childNames={view.children} />
      {isRoot && <ExitPollsSection contest={contest} />}
    </>
  );
}
