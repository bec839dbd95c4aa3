import { Option, type Command } from 'commander';
import { ROLES, type Role } from '../../ledger/events.js';
import { MIN_PASSWORD_LENGTH } from '../../auth/passwords.js';
import { inputError } from '../../files/input-error.js';
import { dataDirOption, dbOption, domainFailure, openCanvass } from '../common.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('Manage accounts.');
  user
    .command('add')
    .description('Create an account; with --token print a new API token as the last line.')
    .addOption(dbOption())
    .addOption(dataDirOption())
    .requiredOption('--name <name>', 'account name')
    .addOption(new Option('--role <role>', 'admin | cec | commission | observer').choices(ROLES).makeOptionMandatory())
    .option('--election <id>', 'the election the account works on (default: the only one defined)')
    .option('--division <id>', 'commission/observer: the division subtree it acts for')
    .option('--password-stdin', 'read a password for browser sign-in from standard input', false)
    .option('--token', 'issue an API bearer token', false)
    .action(
      async (options: {
        db: string;
        dataDir: string;
        name: string;
        role: Role;
        election?: string;
        division?: string;
        passwordStdin: boolean;
        token: boolean;
      }) => {
        const password = options.passwordStdin ? await readStdin() : undefined;
        if (password !== undefined && password.length < MIN_PASSWORD_LENGTH)
          throw inputError('--password-stdin', 'password-length', `a password has at least ${MIN_PASSWORD_LENGTH} characters`);
        const canvass = await openCanvass(options.db, options.dataDir);
        try {
          const elections = [...canvass.projection.elections.keys()];
          const election = options.election ?? (options.role !== 'admin' && elections.length === 1 ? elections[0] : undefined);
          const result = await canvass.addUser(
            { id: 'system', role: 'system' },
            { name: options.name, role: options.role, election, division: options.division, password, token: options.token },
          );
          if (!result.ok) throw domainFailure('user add', result.error);
          const u = result.value.user;
          process.stdout.write(
            `added ${u.role} account "${u.name}"${u.election ? ` for election ${u.election}` : ''}${u.division ? `, division ${u.division}` : ''}\n`,
          );
          if (result.value.token) process.stdout.write(`${result.value.token}\n`);
        } finally {
          await canvass.close();
        }
      },
    );
  user
    .command('token')
    .description('Issue a new API token for an existing account (printed as the last line).')
    .addOption(dbOption())
    .addOption(dataDirOption())
    .requiredOption('--name <name>', 'account name')
    .action(async (options: { db: string; dataDir: string; name: string }) => {
      const canvass = await openCanvass(options.db, options.dataDir);
      try {
        const result = await canvass.issueToken({ id: 'system', role: 'system' }, options.name);
        if (!result.ok) throw domainFailure('user token', result.error);
        process.stdout.write(`${result.value}\n`);
      } finally {
        await canvass.close();
      }
    });
  user
    .command('revoke')
    .description(
      "Revoke an account's API tokens (all, or the one given): recorded in the ledger; running servers refuse them within a second.",
    )
    .addOption(dbOption())
    .addOption(dataDirOption())
    .requiredOption('--name <name>', 'account name')
    .option('--token-id <id>', 'only this token: the part of cvt_<id>.<secret> before the dot')
    .action(async (options: { db: string; dataDir: string; name: string; tokenId?: string }) => {
      const canvass = await openCanvass(options.db, options.dataDir);
      try {
        const result = await canvass.revokeTokens({ id: 'system', role: 'system' }, options.name, options.tokenId);
        if (!result.ok) throw domainFailure('user revoke', result.error);
        process.stdout.write(`revoked ${result.value.revoked} token(s) of account "${options.name}"\n`);
      } finally {
        await canvass.close();
      }
    });
  user
    .command('disable')
    .description(
      'Disable an account: it can no longer sign in, and none of its tokens or browser sessions works (running servers within a second).',
    )
    .addOption(dbOption())
    .addOption(dataDirOption())
    .requiredOption('--name <name>', 'account name')
    .requiredOption('--reason <text>', 'why, for the ledger (e.g. "laptop lost at polling station 12")')
    .action(async (options: { db: string; dataDir: string; name: string; reason: string }) => {
      const canvass = await openCanvass(options.db, options.dataDir);
      try {
        const result = await canvass.disableUser({ id: 'system', role: 'system' }, options.name, options.reason);
        if (!result.ok) throw domainFailure('user disable', result.error);
        process.stdout.write(`account "${result.value.disabled}" is disabled\n`);
      } finally {
        await canvass.close();
      }
    });
  user
    .command('enable')
    .description(
      'Let a disabled account sign in again. Its tokens and browser sessions from before stay revoked: issue a new token with `canvass user token`.',
    )
    .addOption(dbOption())
    .addOption(dataDirOption())
    .requiredOption('--name <name>', 'account name')
    .requiredOption('--reason <text>', 'why, for the ledger (e.g. "laptop found, reinstalled")')
    .action(async (options: { db: string; dataDir: string; name: string; reason: string }) => {
      const canvass = await openCanvass(options.db, options.dataDir);
      try {
        const result = await canvass.enableUser({ id: 'system', role: 'system' }, options.name, options.reason);
        if (!result.ok) throw domainFailure('user enable', result.error);
        process.stdout.write(
          `account "${result.value.enabled}" is enabled; its earlier tokens and sessions stay revoked (new token: canvass user token --name ${result.value.enabled})\n`,
        );
      } finally {
        await canvass.close();
      }
    });
}
