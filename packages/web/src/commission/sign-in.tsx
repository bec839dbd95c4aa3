import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';
import { API, type Sent } from '../api/client.js';
import { useResource } from '../api/live.js';
import { ElectionListSchema, type Problem, type Session } from '../api/schemas.js';
import { usePageTitle } from '../public/division-page.js';
import { useI18n } from '../i18n/i18n.js';
import { commissionPath } from '../paths.js';
import { ProblemBox } from '../ui/common.js';

/**
 * Where to go after signing in: back to the commission screen that asked for it, else the account's home — for an
 * administrator, who works on no one election, the accounts screen (under the only election, when there is one).
 */
function destination(
  next: string | undefined,
  session: Session,
  lang: Parameters<typeof commissionPath>[0],
  elections: readonly string[] | undefined,
): string | undefined {
  if (next !== undefined && /^\/[a-z]{2}\/commission\//.test(next)) return next;
  if (session.user.election !== null) return commissionPath(lang, session.user.election);
  const only = elections?.length === 1 ? elections[0] : undefined;
  return session.user.role === 'admin' && only !== undefined ? commissionPath(lang, only, 'accounts') : undefined;
}

export function SignIn({
  session,
  signIn,
  signOut,
}: {
  session: Session | null;
  signIn: (name: string, password: string) => Promise<Sent<Session>>;
  signOut: () => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const { query, route } = useLocation();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const list = useResource(`${API}/elections`, ElectionListSchema);
  const elections = list.data?.elections.map((e) => e.id);
  usePageTitle(`${t('signIn.heading')} · Canvass`);
  if (session) {
    const home = destination(undefined, session, lang, elections);
    const admin = session.user.role === 'admin' && session.user.election === null;
    return (
      <section class="narrow">
        <h1>{t('signIn.heading')}</h1>
        <p>{t('commission.signedInAs', { name: session.user.name })}</p>
        {home !== undefined ? (
          <a href={home}>{admin ? t('commission.accountsLink') : t('commission.homeLink')}</a>
        ) : admin && elections !== undefined && elections.length > 1 ? (
          <ul>
            {elections.map((id) => (
              <li key={id}>
                <a href={commissionPath(lang, id, 'accounts')}>
                  {t('commission.accountsLink')} · {id}
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('signIn.noElection')}</p>
        )}{' '}
        <button type="button" class="button-secondary" onClick={() => void signOut()}>
          {t('commission.signOut')}
        </button>
      </section>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    const result = await signIn(name.trim(), password);
    setBusy(false);
    if (!result.ok) {
      setProblem(result.problem);
      return;
    }
    const next = destination(query['next'], result.value, lang, elections);
    if (next !== undefined) route(next);
  };
  return (
    <section class="narrow">
      <h1>{t('signIn.heading')}</h1>
      <p>{t('signIn.explain')}</p>
      <form onSubmit={(e) => void submit(e)} class="form" noValidate>
        <div class="field">
          <label for="sign-in-name">{t('signIn.name')}</label>
          <input
            id="sign-in-name"
            name="username"
            autocomplete="username"
            required
            value={name}
            onInput={(e) => {
              setName(e.currentTarget.value);
            }}
          />
        </div>
        <div class="field">
          <label for="sign-in-password">{t('signIn.password')}</label>
          <input
            id="sign-in-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            aria-invalid={problem?.field === 'password' ? 'true' : undefined}
            onInput={(e) => {
              setPassword(e.currentTarget.value);
            }}
          />
        </div>
        {problem && <ProblemBox problem={problem} />}
        <button type="submit" disabled={busy}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
      </form>
    </section>
  );
}
