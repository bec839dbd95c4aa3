import { Command, CommanderError } from 'commander';
import { InputError, formatProblem } from '../files/input-error.js';
import { registerDemoData } from './commands/demo-data.js';
import { registerSeats } from './commands/seats.js';
import { registerTally } from './commands/tally.js';
import { registerValidate } from './commands/validate.js';
import { registerServe } from './commands/serve.js';
import { registerInit } from './commands/init.js';
import { registerUser } from './commands/user.js';
import { registerLedger } from './commands/ledger.js';
import { registerDemo } from './commands/demo.js';
import { registerVerify } from '../verify/verify-command.js';
import { registerPublication } from './commands/publication.js';

/** Builds the `canvass` program; each command lives in `commands/` and calls one service. */
export function buildProgram(): Command {
  const program = new Command('canvass')
    .description('Canvass: election results from the polling-station protocol to the published, verifiable result.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerDemoData(program);
  registerTally(program);
  registerValidate(program);
  registerSeats(program);
  registerInit(program);
  registerUser(program);
  registerServe(program);
  registerLedger(program);
  registerDemo(program);
  registerVerify(program);
  registerPublication(program);
  return program;
}

/** Runs the CLI and returns the process exit code: 0 ok, 1 findings, 2 bad input, 70 internal error. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError)
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? 0 : 2;
    if (error instanceof InputError) {
      for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
      return error.exitCode;
    }
    process.stderr.write(`canvass: internal error: ${(error as Error).message}\n`);
    if (process.env['CANVASS_DEBUG']) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return 70;
  }
}
