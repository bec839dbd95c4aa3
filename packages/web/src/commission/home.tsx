import { useI18n } from '../i18n/i18n.js';
import { useElection } from '../election-context.js';
import { commissionPath } from '../paths.js';
import { usePageTitle } from '../public/division-page.js';
import { useSession } from './session.js';

/** What this account can do, as links to the screens. */
export function CommissionHome() {
  const { t, lang } = useI18n();
  const { election } = useElection();
  const { session } = useSession();
  const role = session.user.role;
  usePageTitle(`${t('commission.homeHeading')} · Canvass`);
  const screens: { href: string; title: string; text: string }[] = [];
  if (role === 'commission') {
    screens.push({
      href: commissionPath(lang, election, 'protocol'),
      title: t('commission.protocolLink'),
      text: t('commission.protocolText'),
    });
    screens.push({
      href: commissionPath(lang, election, 'turnout'),
      title: t('commission.turnoutLink'),
      text: t('commission.turnoutText'),
    });
  }
  if (role === 'commission' || role === 'cec')
    screens.push({ href: commissionPath(lang, election, 'review'), title: t('commission.reviewLink'), text: t('commission.reviewText') });
  if (role === 'cec')
    screens.push({ href: commissionPath(lang, election, 'cec'), title: t('commission.cecLink'), text: t('commission.cecText') });
  if (role === 'admin')
    screens.push({
      href: commissionPath(lang, election, 'accounts'),
      title: t('commission.accountsLink'),
      text: t('commission.accountsText'),
    });
  return (
    <>
      <h1>{t('commission.homeHeading')}</h1>
      {screens.length === 0 && <p>{t('commission.nothingHere')}</p>}
      <ul class="screen-list">
        {screens.map((s) => (
          <li key={s.href}>
            <a href={s.href}>{s.title}</a>
            <p>{s.text}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
