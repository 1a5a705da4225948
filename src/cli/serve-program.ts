import { type Command, Option } from 'commander';
import { DEFAULT_HOST, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_RING_SIZE } from '../core/constants.js';
import { formatDuration } from '../scenario/duration.js';
import { TRANSPORT_NAMES } from '../transports/registry.js';
import type { CommandActions, Exit, ServeFlags } from './flags.js';
import { CALIBRATE_HELP, SCENARIOS_HELP, SERVE_EXAMPLES, SERVE_TIMINGS } from './help-texts.js';

/** `scenarios` and `serve`. */
export function addServeCommands(program: Command, actions: CommandActions, exit: Exit): void {
  program
    .command('scenarios [name]')
    .description('List the built-in scenarios and their values, or print one built-in scenario file whole.')
    .addHelpText('after', SCENARIOS_HELP)
    .action((name: string | undefined) => exit(actions.scenarios(name)));

  const serve = program
    .command('serve')
    .description('Start the reference server: every technique over one broker, plus a live demo page at /.')
    .option(
      '--transport <names>',
      `techniques to serve: all, or a comma-separated list of ${TRANSPORT_NAMES.join(', ')}`,
      'all',
    )
    .option('--host <address>', 'address to listen on', DEFAULT_HOST)
    .option('--port <n>', 'port to listen on; 0 picks a free one (read it from the printed line)', '0')
    .option(
      '--ring <n>',
      'messages kept per channel for resume; older cursors get a gap marker',
      String(DEFAULT_RING_SIZE),
    )
    .option(
      '--max-message <bytes>',
      'largest publish body or WebSocket message (413 / close 1009 beyond)',
      String(DEFAULT_MAX_MESSAGE_BYTES),
    )
    .option('--allow-origin <origins...>', 'foreign page origins allowed to open WebSockets and publish (* for any)')
    .option(
      '--allow-host <names>',
      'host names answered besides IP addresses, localhost and *.localhost (the DNS rebinding defence); ' +
        'repeatable or comma-separated; .example.com allows it and every subdomain',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    );
  for (const [flag, help, ms] of SERVE_TIMINGS) serve.option(`${flag} <duration>`, help, formatDuration(ms));
  serve
    .option(
      '--journal <file>',
      'keep the log in this append-only file, so a restarted server resumes it (same messages, same epoch); ' +
        'a publish is acknowledged once its line is written whole, and refused (503 journal_unwritable) while the file cannot be written',
    )
    .option(
      '--journal-fsync',
      'fdatasync the journal after each publish, before acknowledging it: survives a machine crash, not just a kill (slower)',
    )
    .option('--calibrate-delay <duration>', CALIBRATE_HELP.serveDelay)
    .option('--calibrate-cpu <duration>', CALIBRATE_HELP.serveCpu)
    .option(
      '--tls-cert <file>',
      'serve every technique over TLS (https, wss) with this certificate (PEM); needs --tls-key. Clients must trust it',
    )
    .option('--tls-key <file>', "the private key (PEM) of --tls-cert's certificate")
    .option(
      '--http2',
      'serve HTTP/2 too: with --tls-cert on the same port (ALPN: h2, else http/1.1), without it in cleartext ' +
        '(h2c, prior knowledge) on --h2c-port, the WebSocket upgrade staying HTTP/1.1 on --port',
    )
    .option('--h2c-port <n>', 'with --http2 and no --tls-cert: the h2c port (default: 0, a free one)')
    .addOption(new Option('--json', 'print the ready line as one JSON object: {"event":"listening","url",...}'))
    .addHelpText(
      'after',
      '\nPrints "listening http://HOST:PORT" (https with --tls-cert; with --http2 in cleartext, then "h2c http://HOST:PORT") once ready. SIGTERM, SIGINT or SIGHUP closes every connection and exits 0\n' +
        '(before it is ready, without the line); a second signal exits 3.\n' +
        'Answers only requests whose Host is an IP address, localhost, *.localhost or an --allow-host name\n' +
        `(403 forbidden_host otherwise): a page on a rebound DNS name cannot reach it.\n${SERVE_EXAMPLES}`,
    )
    .action((flags: ServeFlags) => exit(actions.serve(flags)));
}
