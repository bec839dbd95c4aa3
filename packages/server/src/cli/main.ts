import { Command, CommanderError } from 'commander';
import { InputError, formatProblem } from '../files/input-error.js';

type Register = (program: Command) => void;

/**
 * Each command's module, in the order `--help` lists them, loaded only when needed: the modules of all commands
 * together (the server, the database drivers, PDF, exports) take about half a second to load, which `canvass verify`
 * or `canvass tally` would otherwise spend before doing anything. A module may register several commands.
 */
const MODULES: readonly { readonly commands: readonly string[]; readonly load: () => Promise<Register> }[] = [
  { commands: ['demo-data'], load: async () => (await import('./commands/demo-data.js')).registerDemoData },
  { commands: ['tally'], load: async () => (await import('./commands/tally.js')).registerTally },
  { commands: ['forensics'], load: async () => (await import('./commands/forensics.js')).registerForensics },
  { commands: ['validate'], load: async () => (await import('./commands/validate.js')).registerValidate },
  { commands: ['seats'], load: async () => (await import('./commands/seats.js')).registerSeats },
  { commands: ['init'], load: async () => (await import('./commands/init.js')).registerInit },
  { commands: ['user'], load: async () => (await import('./commands/user.js')).registerUser },
  { commands: ['serve'], load: async () => (await import('./commands/serve.js')).registerServe },
  { commands: ['ledger'], load: async () => (await import('./commands/ledger.js')).registerLedger },
  { commands: ['demo'], load: async () => (await import('./commands/demo.js')).registerDemo },
  { commands: ['verify'], load: async () => (await import('../verify/verify-command.js')).registerVerify },
  {
    commands: ['publish', 'export', 'import', 'protocol-pdf'],
    load: async () => (await import('./commands/publication.js')).registerPublication,
  },
];

/**
 * Builds the `canvass` program; each command lives in `commands/` and calls one service. With `command` (the first
 * argument) naming a command, only that command's module is loaded; otherwise (help, a mistyped command) all are.
 */
export async function buildProgram(command?: string): Promise<Command> {
  const program = new Command('canvass')
    .description('Canvass: election results from the polling-station protocol to the published, verifiable result.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const named = MODULES.find((module) => command !== undefined && module.commands.includes(command));
  for (const module of named ? [named] : MODULES) (await module.load())(program);
  return program;
}

/** Runs the CLI and returns the process exit code: 0 ok, 1 findings, 2 bad input, 70 internal error. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    // Inside the try: a command module that fails to load is an internal error (70) with a message, not a crash.
    const program = await buildProgram(argv[2]);
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError)
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? 0 : 2;
    if (error instanceof InputError) {
      for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
      return error.exitCode;
    }
    const access = fileAccessProblem(error);
    if (access) {
      process.stderr.write(`${access}\n`);
      return 2;
    }
    process.stderr.write(`canvass: internal error: ${(error as Error).message}\n`);
    if (process.env['CANVASS_DEBUG']) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return 70;
  }
}

const FILE_ACCESS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory (does its directory exist?)',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'this is a directory; give a file name',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

/** A file the command could not read or write (a mistyped --out, say), as bad input naming the path; else undefined. */
function fileAccessProblem(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  if (typeof e.path !== 'string' || e.code === undefined) return undefined;
  const why = FILE_ACCESS[e.code];
  return why === undefined
    ? undefined
    : formatProblem({ file: e.path, rule: 'file-access', message: `cannot ${e.syscall ?? 'use'} it: ${why}` });
}
