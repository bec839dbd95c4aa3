import { useState } from 'preact/hooks';
import { z } from 'zod';
import { API, send } from '../api/client.js';
import { useResource } from '../api/live.js';
import { AccountsSchema, type Accounts, type Problem } from '../api/schemas.js';
import { useElection } from '../election-context.js';
import { useI18n } from '../i18n/i18n.js';
import { commissionPath } from '../paths.js';
import { usePageTitle } from '../public/division-page.js';
import { Breadcrumbs, ErrorView, Loading, ProblemBox } from '../ui/common.js';
import { useSession } from './session.js';

type Account = Accounts['users'][number];
type Action = 'disable' | 'enable' | 'revoke-tokens';

const ActionResponseSchema = z
  .object({ disabled: z.string() })
  .or(z.object({ enabled: z.string() }))
  .or(z.object({ revoked: z.number() }));

/**
 * The administrator's accounts screen: every account with its state and tokens; disable one (a lost laptop), enable
 * it again, or revoke its tokens, each with a reason, each recorded in the ledger.
 */
export function AccountsScreen() {
  const { t, lang } = useI18n();
  const { election } = useElection();
  const [refresh, setRefresh] = useState(0);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const accounts = useResource(`${API}/users`, AccountsSchema, refresh);
  usePageTitle(`${t('accounts.heading')} · Canvass`);
  return (
    <>
      <Breadcrumbs items={[{ label: t('commission.homeLink'), href: commissionPath(lang, election) }, { label: t('accounts.heading') }]} />
      <h1>{t('accounts.heading')}</h1>
      <p class="note">{t('accounts.explain')}</p>
      {notice !== undefined && (
        <p role="status" class="ok-text">
          {notice}
        </p>
      )}
      {accounts.error && <ErrorView error={accounts.error} />}
      {!accounts.data && !accounts.error && <Loading />}
      {accounts.data && (
        <div class="table-scroll">
          <table class="data-table accounts-table">
            <thead>
              <tr>
                <th scope="col">{t('accounts.name')}</th>
                <th scope="col">{t('accounts.role')}</th>
                <th scope="col">{t('accounts.division')}</th>
                <th scope="col">{t('accounts.status')}</th>
                <th scope="col">{t('accounts.tokens')}</th>
                <th scope="col">{t('accounts.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {accounts.data.users.map((account) => (
                <AccountRow
                  key={account.name}
                  account={account}
                  onDone={(text) => {
                    setNotice(text);
                    setRefresh((n) => n + 1);
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function AccountRow({ account, onDone }: { account: Account; onDone: (notice: string) => void }) {
  const { t, f } = useI18n();
  const { session } = useSession();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const act = async (action: Action) => {
    setBusy(true);
    setProblem(undefined);
    const body = action === 'revoke-tokens' ? {} : { reason: reason.trim() };
    const result = await send(
      'POST',
      `${API}/users/${encodeURIComponent(account.name)}/${action}`,
      body,
      session.csrfToken,
      ActionResponseSchema,
    );
    setBusy(false);
    if (!result.ok) {
      setProblem(result.problem);
      return;
    }
    setReason('');
    const value = result.value;
    onDone(
      'revoked' in value
        ? t('accounts.doneRevoked', { name: account.name, count: f.int(value.revoked) })
        : t(action === 'disable' ? 'accounts.doneDisabled' : 'accounts.doneEnabled', { name: account.name }),
    );
  };
  const id = `account-${account.name}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const self = account.name === session.user.name;
  return (
    <tr id={id} class={account.disabled ? 'account-disabled' : undefined}>
      <th scope="row">{account.name}</th>
      <td>{t(`roles.${account.role}`)}</td>
      <td>{account.division ?? '—'}</td>
      <td class="account-status">{account.disabled ? t('accounts.disabled') : t('accounts.active')}</td>
      <td>{t('accounts.tokenCounts', { active: f.int(account.tokens.active), revoked: f.int(account.tokens.revoked) })}</td>
      <td>
        {!self && (
          <form
            class="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void act(account.disabled ? 'enable' : 'disable');
            }}
          >
            <label for={`${id}-reason`}>{t('accounts.reason', { name: account.name })}</label>
            <input
              id={`${id}-reason`}
              value={reason}
              required
              minLength={3}
              onInput={(e) => {
                setReason(e.currentTarget.value);
              }}
            />
            <button type="submit" class={account.disabled ? undefined : 'button-danger'} disabled={busy}>
              {account.disabled ? t('accounts.enable') : t('accounts.disable')}
            </button>
          </form>
        )}
        {account.tokens.active > 0 && (
          <button type="button" class="button-secondary" disabled={busy} onClick={() => void act('revoke-tokens')}>
            {t('accounts.revoke')}
          </button>
        )}
        {problem && <ProblemBox problem={problem} />}
      </td>
    </tr>
  );
}
