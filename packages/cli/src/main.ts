import { Command, CommanderError } from 'commander';
import { ConfigError, loadCliConfig } from '@rosetta/config';
import { ControlApiError, ControlUnreachableError, createControlTransport } from '@rosetta/control/client';
import { UsageError } from './usage-error';
import { buildProgram } from './program';

/** Exit codes a script can rely on. */
export const EXIT = { ok: 0, server: 1, usage: 2 } as const;

export async function runCli(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const io = { out: (s: string) => process.stdout.write(s), err: (s: string) => process.stderr.write(s), tty: Boolean(process.stderr.isTTY), env };
  let exit: number = EXIT.ok;
  try {
    const config = loadCliConfig(env);
    const program = buildProgram(createControlTransport(config.url, { adminToken: config.adminToken }), io, (code) => (exit = code));
    // On every subcommand too: commander copies these only to commands created after they are set,
    // and a subcommand's own parse errors (a bad option value) would otherwise exit 1 by themselves.
    const everyCommand = (c: Command): Command[] => [c, ...c.commands.flatMap(everyCommand)];
    for (const command of everyCommand(program)) {
      command.exitOverride();
      command.configureOutput({ writeOut: io.out, writeErr: io.err });
    }
    await program.parseAsync(argv, { from: 'user' });
    return exit;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version requests are successes; every other parse failure is a usage error.
      // (A command group run without its subcommand prints its help as an error: exit code 1 there.)
      return err.exitCode === 0 && ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(err.code) ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof UsageError || err instanceof ConfigError) {
      io.err(`rosetta: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof ControlApiError || err instanceof ControlUnreachableError) {
      // "NOT_FOUND (HTTP 404): no snapshot named x" or "cannot reach http://...: ECONNREFUSED"
      io.err(`rosetta: ${err.message}\n`);
      return EXIT.server;
    }
    io.err(`rosetta: ${(err as Error).stack ?? err}\n`);
    return EXIT.server;
  }
}

/** The bin entry: runs the command line and sets the exit code once every handle has finished. */
export function main(): void {
  runCli(process.argv.slice(2), process.env).then((code) => {
    process.exitCode = code;
  });
}
