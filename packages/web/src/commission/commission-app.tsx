/**
 * The commission screens (a chunk of its own, loaded only after sign-in links are followed): protocol entry with
 * live control-relation checks, corrections, double-entry mismatches, the review queue, turnout entry and the CEC
 * dashboard. Every write sends the session's CSRF token; refusals show the server's problem details.
 */
import { useLocation } from 'preact-iso';
import { useContext, useEffect } from 'preact/hooks';
import { ElectionContext } from '../election-context.js';
import { electionApi } from '../api/client.js';
import { useResource } from '../api/live.js';
import { DivisionViewSchema } from '../api/schemas.js';
import { nameIn, useI18n } from '../i18n/i18n.js';
import { commissionPath, resultsPath, signInPath } from '../paths.js';
import { Loading } from '../ui/common.js';
import { AccountsScreen } from './accounts.js';
import { CecDashboard } from './cec-dashboard.js';
import { CommissionHome } from './home.js';
import { ProtocolEntry } from './protocol-entry.js';
import { ReviewQueueScreen } from './review-queue.js';
import { SessionContext, useSessionState } from './session.js';
import { SignIn } from './sign-in.js';
import { TurnoutEntry } from './turnout-entry.js';

export function CommissionApp({ screen, arg }: { screen: string; arg?: string | undefined }) {
  const { lang, t } = useI18n();
  const { url, route } = useLocation();
  const scope = useContext(ElectionContext);
  const { session, signIn, signOut } = useSessionState();
  const needsSignIn = screen !== 'sign-in' && session === null;
  useEffect(() => {
    if (needsSignIn) route(signInPath(lang, url), true);
  }, [needsSignIn]);
  if (session === undefined) return <Loading />;
  if (screen === 'sign-in') return <SignIn session={session} signIn={signIn} signOut={signOut} />;
  if (session === null || !scope) return <Loading />;
  const value = { session, signOut };
  let body;
  switch (screen) {
    case 'protocol':
      body = <ProtocolEntry station={arg} />;
      break;
    case 'turnout':
      body = <TurnoutEntry station={arg} />;
      break;
    case 'review':
      body = <ReviewQueueScreen />;
      break;
    case 'cec':
      body = <CecDashboard division={arg} />;
      break;
    case 'accounts':
      body = <AccountsScreen />;
      break;
    default:
      body = <CommissionHome />;
  }
  return (
    <SessionContext.Provider value={value}>
      <div class="commission-bar">
        <p>
          {t('commission.signedInAs', { name: session.user.name })} · {t(`roles.${session.user.role}`)}
          {session.user.division !== null && (
            <>
              {' · '}
              <DivisionName election={scope.election} id={session.user.division} />
            </>
          )}
        </p>
        <nav aria-label={t('commission.nav')}>
          <ul>
            <li>
              <a href={commissionPath(lang, scope.election)}>{t('commission.homeLink')}</a>
            </li>
            <li>
              <a href={resultsPath(lang, scope.election)}>{t('commission.publicLink')}</a>
            </li>
            <li>
              <button
                type="button"
                class="link-button"
                onClick={() => {
                  void signOut().then(() => {
                    route(resultsPath(lang, scope.election));
                  });
                }}
              >
                {t('commission.signOut')}
              </button>
            </li>
          </ul>
        </nav>
      </div>
      {body}
    </SessionContext.Provider>
  );
}

/** A division's name in the visitor's language (its id until the name has loaded, or if it cannot be). */
function DivisionName({ election, id }: { election: string; id: string }) {
  const { lang } = useI18n();
  const view = useResource(`${electionApi(election)}/divisions/${encodeURIComponent(id)}`, DivisionViewSchema);
  return <>{view.data ? nameIn(view.data.division.names, lang) : id}</>;
}
