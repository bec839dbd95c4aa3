import { POLLING_STATION } from '@canvass/core';
import { useLocation } from 'preact-iso';
import { electionApi } from '../api/client.js';
import { useResource, useLive } from '../api/live.js';
import { DivisionViewSchema, UpdatedSchema } from '../api/schemas.js';
import { pickContest, pickStage, useElection } from '../election-context.js';
import { useI18n } from '../i18n/i18n.js';
import { resultsPath } from '../paths.js';
import { Loading, PageError } from '../ui/common.js';
import { DivisionPage } from './division-page.js';
import { StationPage } from './station-page.js';

/** `/{lang}/{election}/{division?}`: a division's results, or a polling station's protocol — the data says which. */
export function PublicView({ division }: { division?: string | undefined }) {
  const { election, summary } = useElection();
  const { lang } = useI18n();
  const { query } = useLocation();
  const live = useLive();
  const contest = pickContest(summary, query['contest']);
  const stage = pickStage(query['stage'], contest);
  const id = division ?? summary.root;
  const view = useResource(`${electionApi(election)}/divisions/${encodeURIComponent(id)}?stage=${stage}`, DivisionViewSchema, live.results);
  const updated = useResource(`${electionApi(election)}/updated`, UpdatedSchema, live.seq);
  if (view.error && !view.data) return <PageError error={view.error} back={resultsPath(lang, election)} />;
  if (!view.data || !contest) return <Loading />;
  const updatedAt = updated.data?.time ?? null;
  if (view.data.division.kind === POLLING_STATION)
    return <StationPage view={view.data} contest={contest} stage={stage} updatedAt={updatedAt} />;
  return <DivisionPage view={view.data} contest={contest} stage={stage} updatedAt={updatedAt} />;
}
